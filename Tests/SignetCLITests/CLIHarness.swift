import Foundation
import SignetCore
import SignetVirtualPlatform
import Synchronization
import Testing

/// Runs the built `signet` binary as a user would, in a scratch directory.
struct CLIHarness {
    /// The `signet` executable built next to this test bundle (`swift test` builds it because
    /// this target depends on it), or `SIGNET_BINARY` when set.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["SIGNET_BINARY"] { return URL(fileURLWithPath: path) }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/signet")
    }()

    struct Result {
        var exitCode: Int32
        var stdout: String
        var stderr: String
        var terminatedBySignal: Bool
    }

    let directory: URL
    /// Added to every run's environment, before the run's own.
    var environment: [String: String] = [:]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Runs `executable` (signet by default) with `arguments` and `environment` added to this
    /// process's, killing it after `timeout` seconds. The user's configuration directory is the
    /// scratch directory's own, so a trust configuration stored on this machine never leaks in.
    func run(_ arguments: [String], executable: URL = CLIHarness.binary, environment: [String: String] = [:], timeout: TimeInterval = 60) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let configuration = ["XDG_CONFIG_HOME": directory.appendingPathComponent("config").path].merging(self.environment) { $1 }
        process.environment = ProcessInfo.processInfo.environment.merging(configuration.merging(environment) { $1 }) { $1 }
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        // Both pipes are drained while the process runs (a full pipe would block it), and the
        // wait for its exit has a deadline that holds even if it never closes them.
        let stdout = PipeDrain(out.fileHandleForReading)
        let stderr = PipeDrain(err.fileHandleForReading)
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            Issue.record("signet \(arguments.joined(separator: " ")) did not finish within \(timeout)s")
            exited.wait()
        }
        process.waitUntilExit()
        return Result(
            exitCode: process.terminationStatus,
            stdout: String(decoding: stdout.bytes, as: UTF8.self),
            stderr: String(decoding: stderr.bytes, as: UTF8.self),
            terminatedBySignal: process.terminationReason == .uncaughtSignal)
    }
}

/// A pipe read to its end on a background queue, so a child never blocks on a full pipe.
final class PipeDrain: Sendable {
    private let data = Mutex(Data())
    private let done = DispatchGroup()

    init(_ handle: FileHandle) {
        done.enter()
        DispatchQueue.global().async {
            let bytes = handle.readDataToEndOfFile()
            self.data.withLock { $0 = bytes }
            self.done.leave()
        }
    }

    /// Everything read, once the pipe's writers have all closed it.
    var bytes: Data {
        done.wait()
        return data.withLock { $0 }
    }
}

/// A signed artifact, its bundle and the trusted root, written to disk.
struct SignedFiles {
    static let platform = try! VirtualPlatform()
    static let identity = VirtualPlatform.LeafOptions().identity

    var artifact: String
    var bundle: String
    var trustedRoot: String
    var bundleBytes: [UInt8]

    init(in harness: CLIHarness, options: VirtualPlatform.SigningOptions = .init()) async throws {
        let content = Array("release artifact\n".utf8)
        let bundle = try await Self.platform.signBlob(content, options: options)
        bundleBytes = bundle.json.compactBytes()
        artifact = try harness.write("artifact.bin", content)
        self.bundle = try harness.write("artifact.bin.sigstore.json", bundleBytes)
        trustedRoot = try harness.write("trusted_root.json", try Self.platform.trustedRoot().json.compactBytes())
    }

    func verifyArguments(identity: String = SignedFiles.identity, issuer: String = VirtualPlatform.issuer, artifact: String? = nil, bundle: String? = nil)
        -> [String]
    {
        [
            "verify", artifact ?? self.artifact, "--bundle", bundle ?? self.bundle, "--certificate-identity", identity,
            "--certificate-oidc-issuer", issuer, "--trusted-root", trustedRoot,
        ]
    }
}
