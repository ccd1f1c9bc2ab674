import ArgumentParser
import Foundation
import SignetClient
import SignetCore
import SignetPolicy
import SignetVerify

/// `signet gate`: ask the deploy gate.
struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate", abstract: "Ask the deploy gate whether an artifact may run.", subcommands: [GateCheckCommand.self, GateExportCommand.self])
}

/// `signet gate check --name N --environment E`: the gate's decision, as an exit code; with
/// `--offline FILE`, from an exported gate, with no network.
struct GateCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "May this digest-pinned artifact or image run in the environment?",
        discussion: """
            Exit codes: 0 admitted (with warnings or by an exception too); 1 refused; 3 unusable input; 4 the server could not be asked. \
            With --offline FILE (from `signet gate export`), the file's signature is verified with the trust configuration and the \
            verdict it holds is the answer while it is valid; nothing is asked of the network.
            """)

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var question: GateQuestion
    @Flag(help: "Print every check.") var explain = false
    @Option(help: "Decide from this exported gate (signet gate export), with no network.") var offline: String?

    func run() async throws {
        await Signet.exiting {
            guard let offline else {
                return try await Self.ask(registry, subject: question.name, environment: question.environment, explain: explain)
            }
            let export = try GateExportCommand.read(offline, registry: registry)
            return PolicyFiles.print(export.decision(for: question.name, environment: question.environment, now: Timestamp(.now)), explain: explain)
        }
    }

    /// Asks the server's gate and prints its answer; returns the exit code.
    static func ask(_ registry: RegistryOptions, subject: String, environment: String, explain: Bool) async throws -> Int32 {
        let trust = try? registry.trust()
        let answer: JSONValue
        do {
            answer = try await registry.client(trust, credential: try await registry.credential(required: false)).admit(
                subject, environment: environment, explain: explain)
        } catch { throw SigningFlow.failure(error) }
        guard case .object(let object) = answer, case .bool(let allowed)? = object["allowed"] else {
            throw CommandFailure(exitCode: SignetExit.signingFailed, message: "the gate answered without a decision")
        }
        let text = { (name: String) in SignatureLines.string(object[name]) ?? "?" }
        var lines = ["\(allowed ? "admitted" : "refused"): \(text("code")): \(text("message"))", "  under \(text("policyDigest"))"]
        if case .array(let warnings)? = object["warnings"] { lines += warnings.compactMap { SignatureLines.string($0) }.map { "  warning: \($0)" } }
        if case .array(let checks)? = object["checks"] {
            for case .object(let check) in checks {
                let passed = check["passed"] == .bool(true)
                lines.append(
                    "  \(passed ? "pass" : "FAIL") \(SignatureLines.string(check["policy"]) ?? "?") \(SignatureLines.string(check["rule"]) ?? "?"): \(SignatureLines.string(check["detail"]) ?? "")"
                )
            }
        }
        let output = lines.joined(separator: "\n") + "\n"
        if allowed {
            FileHandle.standardOutput.write(Data(output.utf8))
            return SignetExit.verified
        }
        FileHandle.standardError.write(Data(output.utf8))
        return SignetExit.verificationFailed
    }
}

/// What the gate is asked: an artifact or image, and where it would run.
struct GateQuestion: ParsableArguments {
    @Option(help: "The artifact or image: host[:port]/path@sha256:<64 hex>.") var name: String
    @Option(help: "The environment to decide for.") var environment: String
}

/// `signet gate export --environment E --output FILE`: the gate for one environment, signed by
/// the server, for `signet gate check --offline` where the server cannot be reached.
struct GateExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the gate for an environment (policies, trust, revocations, verdicts), signed, for deciding offline.",
        discussion: """
            Needs a credential with the verify scope. Verdicts are on the given --name subjects, or on every name with an \
            unrevoked signature (at most 10,000). The file is verified before it is written. Exit codes: 0 written; \
            1 the server's export does not verify; 3 unusable input; 4 the server could not be asked.
            """)

    @OptionGroup var registry: RegistryOptions
    @Option(help: "The environment.") var environment: String
    @Option(help: "A subject to export a verdict on (repeatable; default: every name with an unrevoked signature).") var name: [String] = []
    @Option(help: "How long the export is valid (e.g. 24h, 7d; at most 7d).") var validFor = "24h"
    @Option(help: "The file to write.") var output: String

    func run() async throws {
        await Signet.exiting {
            let seconds = try DurationOption.seconds(validFor, option: "--valid-for")
            let trust = try registry.trust()
            let answer: JSONValue
            do {
                answer = try await registry.client(trust, credential: try await registry.credential(required: true)).exportGate(
                    environment: environment, names: name, validForSeconds: seconds)
            } catch { throw SigningFlow.failure(error) }
            let bytes = answer.compactBytes()
            let export = try Self.verify(bytes, path: "the server's export", trust: trust, server: try registry.serverURL(trust))
            do { try Data(bytes).write(to: URL(fileURLWithPath: output)) } catch {
                throw CommandFailure.unusable("cannot write \(output): \(error.localizedDescription)")
            }
            print(
                "exported \(export.verdicts.count) verdict\(export.verdicts.count == 1 ? "" : "s") for \(export.environment) "
                    + "(\(export.verdicts.filter(\.allowed).count) admitted), valid until \(export.expiresAt), to \(output)")
            return SignetExit.verified
        }
    }

    /// Reads and verifies an exported gate with the trust configuration.
    static func read(_ path: String, registry: RegistryOptions) throws(CommandFailure) -> GateExport {
        let trust = try registry.trust()
        return try verify(
            try InputFiles.read(path, what: "offline gate", maxBytes: GateExport.maxBytes * 2), path: path, trust: trust,
            server: try registry.serverURL(trust))
    }

    private static func verify(_ bytes: [UInt8], path: String, trust: ClientTrustConfig, server: String) throws(CommandFailure) -> GateExport {
        let signed: GateExport.Signed
        do { signed = try GateExport.Signed(jsonBytes: bytes) } catch { throw .unusable("offline gate \(path): \(error)") }
        let verifier: BundleVerifier
        do { verifier = try BundleVerifier(trustedRoot: trust.trustedRoot) } catch { throw .unusable("the trusted root is not usable: \(error)") }
        do { return try signed.verified(by: verifier, server: server) } catch {
            throw CommandFailure(
                exitCode: error.exitCode == SignetExit.unusableInput ? SignetExit.unusableInput : SignetExit.verificationFailed,
                message: "offline gate \(path): \(error)")
        }
    }
}
