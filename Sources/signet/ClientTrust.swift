import Foundation
import SignetCore

/// Where a client's trust configuration lives: `--trust-config FILE`, else the
/// `SIGNET_TRUST_CONFIG` environment variable, else the file `signet trust init` stored
/// (`$XDG_CONFIG_HOME/signet/trust-config.json`, default `~/.config`).
enum ClientTrust {
    static var storedPath: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        return base + "/signet/trust-config.json"
    }

    /// The trust configuration a signing or verifying client uses.
    static func load(path: String?) throws(CommandFailure) -> ClientTrustConfig {
        let chosen = path ?? ProcessInfo.processInfo.environment["SIGNET_TRUST_CONFIG"] ?? storedPath
        guard FileManager.default.fileExists(atPath: chosen) else {
            throw .unusable("no trust configuration at \(chosen): run `signet trust init --server URL`, or pass --trust-config FILE")
        }
        let bytes = try InputFiles.read(chosen, what: "trust config", maxBytes: TrustedRoot.maxBytes)
        do {
            return try ClientTrustConfig(jsonBytes: bytes)
        } catch {
            throw .unusable("trust config \"\(chosen)\" is not usable: \(error)")
        }
    }
}
