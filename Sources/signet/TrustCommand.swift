import ArgumentParser
import Foundation
import SignetCore
import SignetServer

/// `signet trust`: the trust configuration clients need for an instance.
struct TrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Export an instance's trust configuration.",
        subcommands: [TrustExportCommand.self]
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
