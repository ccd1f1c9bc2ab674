import Foundation

/// An exclusive lock on a data directory while a server creates or loads what it keeps there
/// (the key passphrase of `--dev`, the instance keys): replicas sharing the directory start one
/// at a time through that step, so they all load the keys the first one created. Released by
/// ``release()`` or when the process ends.
final class StartLock {
    private var descriptor: Int32

    init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = directory.appendingPathComponent(".start.lock").path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ServerConfiguration.ConfigurationError(reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw ServerConfiguration.ConfigurationError(reason: "cannot lock \(path): \(reason)")
            }
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit {
        release()
    }
}
