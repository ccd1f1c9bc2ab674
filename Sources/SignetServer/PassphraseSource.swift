import Foundation
import SignetCore

/// Where the instance passphrase that seals its keys comes from: the `SIGNET_KEY_PASSPHRASE`
/// environment variable, else a file only its owner can read, else (development only) a
/// random passphrase Signet generates once into the data directory and reports.
public enum PassphraseSource {
    public static let environmentVariable = "SIGNET_KEY_PASSPHRASE"
    public static let developmentFileName = "dev-passphrase"

    /// Why no passphrase could be had.
    public struct PassphraseError: Error, CustomStringConvertible, Sendable {
        public var reason: String
        public var description: String { reason }
    }

    /// The passphrase, and where it came from (for the log line; never the passphrase itself).
    public static func resolve(environment: [String: String], file: String?, dataDirectory: URL, generateForDevelopment: Bool) throws -> (
        passphrase: [UInt8], origin: String
    ) {
        if let value = environment[environmentVariable] {
            guard !value.isEmpty else { throw PassphraseError(reason: "\(environmentVariable) is set but empty") }
            return (Array(value.utf8), "the \(environmentVariable) environment variable")
        }
        if let file {
            return (try read(file), "the file \(file)")
        }
        guard generateForDevelopment else {
            throw PassphraseError(reason: "expected the key passphrase in \(environmentVariable) or a file (--key-passphrase-file), found neither")
        }
        let path = dataDirectory.appendingPathComponent(developmentFileName).path
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard
                FileManager.default.createFile(
                    atPath: path, contents: Data((Base64.encode(secureRandomBytes(32)) + "\n").utf8), attributes: [.posixPermissions: 0o600])
            else {
                throw PassphraseError(reason: "cannot create \(path)")
            }
        }
        return (try read(path), "the development passphrase file \(path)")
    }

    /// Reads a passphrase file that only its owner may read, without its final newline.
    static func read(_ path: String) throws -> [UInt8] {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), let data = FileManager.default.contents(atPath: path) else {
            throw PassphraseError(reason: "cannot read the passphrase file \(path)")
        }
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw PassphraseError(
                reason: "expected the passphrase file \(path) to be readable by its owner only (mode 600), found mode \(String(mode, radix: 8))")
        }
        var bytes = Array(data)
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty else { throw PassphraseError(reason: "the passphrase file \(path) is empty") }
        return bytes
    }
}
