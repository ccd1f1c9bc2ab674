import ArgumentParser
import Foundation
import SignetClient
import SignetCore

/// `signet gate`: ask the deploy gate.
struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate", abstract: "Ask the deploy gate whether an artifact may run.", subcommands: [GateCheckCommand.self])
}

/// `signet gate check --name N --environment E`: the gate's decision, as an exit code.
struct GateCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "May this digest-pinned artifact or image run in the environment?",
        discussion: "Exit codes: 0 admitted (with warnings or by an exception too); 1 refused; 3 unusable input; 4 the server could not be asked.")

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var question: GateQuestion
    @Flag(help: "Print every check.") var explain = false

    func run() async throws {
        await Signet.exiting {
            try await Self.ask(registry, subject: question.name, environment: question.environment, explain: explain)
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
