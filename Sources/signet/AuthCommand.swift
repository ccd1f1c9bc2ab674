import ArgumentParser
import Foundation
import SignetCore
import SignetServer

/// `signet auth`: identity tokens.
struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Identity tokens for signing.",
        subcommands: [DevTokenCommand.self]
    )
}

/// `signet auth dev-token`: mints a token from a `--dev` server's development identity
/// provider, reading its key from the data directory (never over the network).
struct DevTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-token",
        abstract: "Mint an identity token from the development identity provider of a `signet server --dev`."
    )

    @Option(help: "The server's data directory.") var data = "./signet-data"
    @Option(help: "The server's public URL (the issuer is <server>/dev-idp).") var server = "http://127.0.0.1:8080"
    @Option(help: "The token's subject; with an @ it is an email identity.") var subject = DevelopmentIdentityProvider.defaultSubject
    @Option(help: "An extra claim NAME=VALUE (repeatable), e.g. job_workflow_ref=org/repo/.github/workflows/ci.yml@refs/heads/main.") var claim: [String] = []
    @Option(help: "The audience.") var audience = "sigstore"
    @Option(help: "Lifetime in seconds (at most 3600).") var lifetime: Int64 = 600

    func run() throws {
        var claims: [(String, String)] = []
        for item in claim {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("expected --claim NAME=VALUE, found \"\(item.prefix(80))\"")
            }
            claims.append((String(item[..<equals]), String(item[item.index(after: equals)...])))
        }
        guard (1...3600).contains(lifetime) else { throw ValidationError("expected --lifetime from 1 to 3600 seconds, found \(lifetime)") }
        do {
            let provider = try DevelopmentIdentityProvider.open(
                dataDirectory: URL(fileURLWithPath: data), environment: ProcessInfo.processInfo.environment, serverURL: server)
            print(try provider.mint(subject: subject, claims: claims, audience: audience, lifetime: lifetime, now: SystemTimeSource().now()))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(SignetExit.unusableInput)
        }
    }
}
