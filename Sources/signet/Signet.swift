import ArgumentParser
import Foundation

/// `signet`: sign, verify and (later) serve. Argument parsing and output only; the work is done
/// by the library targets.
@main
struct Signet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signet",
        abstract: "Sign and verify artifacts with short-lived certificates, a transparency log and trusted timestamps.",
        discussion: """
            Exit codes: 0 verified; 1 verification failed; 2 policy mismatch (not signed by the \
            identity, issuer or key asked for); 3 unusable input (missing or malformed file); \
            4 a service refused or could not be reached; 5 no signature for the name; 64 usage error. \
            The gate (`gate check`, `policy test`, `policy explain`): 0 admitted; 1 refused.
            """,
        version: Signet.version,
        subcommands: [
            ServerCommand.self, SignCommand.self, AttestCommand.self, VerifyCommand.self, KeyCommand.self, TrustCommand.self, AuthCommand.self,
            ArtifactCommand.self, ReleaseCommand.self, TraceCommand.self, RevocationsCommand.self, PolicyCommand.self, GateCommand.self, DeployCommand.self,
            ComplianceCommand.self, AdminCommand.self,
            SignBundleCommand.self, VerifyBundleCommand.self,
        ]
    )

    /// This build's version (`signet --version`).
    static let version = "0.13.0"

    /// Runs a command body, printing a ``CommandFailure`` as one line and exiting with its code.
    static func exiting(_ body: () async throws -> Int32) async -> Never {
        let result: Result<Int32, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        finish(result)
    }

    private static func finish(_ result: Result<Int32, any Error>) -> Never {
        switch result {
        case .success(let code):
            Foundation.exit(code)
        case .failure(let failure as CommandFailure):
            FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
            Foundation.exit(failure.exitCode)
        case .failure(let error):
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            Foundation.exit(SignetExit.unusableInput)
        }
    }
}
