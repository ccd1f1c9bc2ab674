import ArgumentParser
import Foundation
import SignetClient
import SignetCore
import SignetServer

/// `signet trust`: the trust configuration clients need for an instance.
struct TrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Export an instance's trust configuration, or store a server's for this client.",
        subcommands: [TrustExportCommand.self, TrustInitCommand.self]
    )
}

/// `signet trust export`: writes the instance's ClientTrustConfig (trusted root and signing
/// config) from its data directory, without the passphrase and without a running server.
struct TrustExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the instance's ClientTrustConfig (for `sigstore --trust-config` and `signet verify --trust-config`)."
    )

    @Option(help: "The instance's data directory.") var data = "./signet-data"
    @Option(help: "The URL clients reach the server at: scheme://host[:port].") var url = "http://127.0.0.1:8080"
    @Option(help: "The organization named in the trusted root.") var organization = "Signet"
    @Option(help: "Write to this file instead of standard output.") var output: String?

    func run() throws {
        do {
            let material = try InstancePublicMaterial(directory: URL(fileURLWithPath: data).appendingPathComponent("keys"))
            let bytes = try material.clientTrustConfig(serverURL: url, organization: organization).json.compactBytes() + [0x0A]
            if let output {
                try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
            } else {
                FileHandle.standardOutput.write(Data(bytes))
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(SignetExit.unusableInput)
        }
    }
}

/// `signet trust init`: fetches a server's ClientTrustConfig, prints the fingerprints of the
/// CA and TSA roots it names, and stores it for this client's `sign`, `attest` and `verify`.
/// With `--fingerprint`, refuses a configuration whose CA root does not have that SHA-256.
struct TrustInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Fetch a server's trust configuration, print its root fingerprints and store it for this client."
    )

    @Option(help: "The server's URL.") var server: String
    @Option(help: "The expected SHA-256 fingerprint (hex) of the CA root; refuse anything else.") var fingerprint: String?
    @Option(help: "Where to store it (default $XDG_CONFIG_HOME/signet/trust-config.json).") var output: String?

    func run() async throws {
        await Signet.exiting {
            let url = try checkedURL(server, option: "--server")
            let config: ClientTrustConfig
            do throws(SigningError) {
                config = try await SigningClient.trustConfig(server: url)
            } catch {
                throw CommandFailure(exitCode: error.code == .badResponse ? SignetExit.unusableInput : SignetExit.signingFailed, message: error.description)
            }
            var lines: [String] = []
            var caRoots: [String] = []
            for authority in config.trustedRoot.certificateAuthorities {
                guard let root = authority.certificateChain.last else { continue }
                let print = Hex.encode(sha256(root))
                caRoots.append(print)
                lines.append("CA root  \(authority.commonName) SHA-256 \(print)")
            }
            for authority in config.trustedRoot.timestampAuthorities {
                guard let root = authority.certificateChain.last else { continue }
                lines.append("TSA root \(authority.commonName) SHA-256 \(Hex.encode(sha256(root)))")
            }
            Swift.print(lines.joined(separator: "\n"))
            if let fingerprint {
                let expected = fingerprint.lowercased().replacingOccurrences(of: ":", with: "")
                guard caRoots.contains(expected) else {
                    throw CommandFailure(
                        exitCode: SignetExit.verificationFailed,
                        message: "the server's CA root does not have the expected fingerprint \(fingerprint); nothing was stored")
                }
            }
            let path = output ?? ClientTrust.storedPath
            do {
                try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(config.json.compactBytes() + [0x0A]).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw CommandFailure.unusable("cannot store the trust configuration at \(path): \(error.localizedDescription)")
            }
            Swift.print("stored \(path); compare the fingerprints with the server's operator before trusting it")
            return SignetExit.verified
        }
    }
}
