import ArgumentParser
import Foundation
import SignetClient
import SignetCore
import SignetPolicy
import SignetVerify

/// `signet policy`: apply, list, test and explain deploy policies.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Apply, list, test and explain the policies the deploy gate decides by.",
        subcommands: [PolicyApplyCommand.self, PolicyListCommand.self, PolicyDiffCommand.self, PolicyTestCommand.self, PolicyExplainCommand.self]
    )
}

/// `signet policy apply FILE`: the next version of the policy, after checking it locally.
struct PolicyApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Apply a policy (JSON or YAML) as the next version of its name; needs the admin scope in its namespace.")

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The policy document.") var file: String

    func run() async throws {
        await Signet.exiting {
            let bytes = try InputFiles.read(file, what: "policy", maxBytes: PolicyDocument.maxBytes)
            let document = try PolicyFiles.document(bytes, path: file)
            // The server reads JSON: a YAML policy goes as its canonical form, the same digest.
            let body = PolicyDocument.isJSON(bytes) ? bytes : document.canonicalJSON
            let trust = try? registry.trust()
            let answer: JSONValue
            do { answer = try await registry.client(trust, credential: try await registry.credential(required: true)).applyPolicy(body) } catch {
                throw SigningFlow.failure(error)
            }
            guard case .object(let object) = answer, case .number(let version)? = object["version"] else {
                throw CommandFailure(exitCode: SignetExit.signingFailed, message: "the server answered without the policy's version")
            }
            var logged = ""
            if case .number(let index)? = object["logIndex"] { logged = ", logged at index \(index)" }
            print("policy \(document.name) version \(version) \(document.digestText)\(logged)")
            return SignetExit.verified
        }
    }
}

/// `signet policy list`: the policies in force.
struct PolicyListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the policies in force, with their versions and digests.")

    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        await Signet.exiting {
            for policy in try await PolicyFiles.inForce(registry) {
                let text = { (name: String) in SignatureLines.string(policy[name]) ?? "?" }
                var scope = ""
                if case .object(let document)? = policy["document"], case .object(let scopeObject)? = document["scope"] {
                    scope = SignatureLines.string(scopeObject["environment"]) ?? "every environment"
                }
                print("\(text("name"))  v\(text("version"))  \(scope)  \(text("digest"))  applied by \(text("appliedBy")) at \(text("appliedAt"))")
            }
            return SignetExit.verified
        }
    }
}

/// `signet policy diff FILE`: what applying the file would change in the version in force.
struct PolicyDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Show what applying a policy (JSON or YAML) would change in the version of its name in force.",
        discussion: "Exit codes: 0 no change; 1 changes (each printed); 3 unusable input; 4 the server could not be asked.")

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The policy document.") var file: String

    func run() async throws {
        await Signet.exiting {
            let candidate = try PolicyFiles.document(try InputFiles.read(file, what: "policy", maxBytes: PolicyDocument.maxBytes), path: file)
            var current: (version: String, document: JSONValue)?
            for policy in try await PolicyFiles.inForce(registry) where SignatureLines.string(policy["name"]) == candidate.name {
                var version = "?"
                if case .number(let number)? = policy["version"] { version = number }
                current = (version, policy["document"] ?? .null)
            }
            let proposed: JSONValue
            do { proposed = try JSONParser().parse(candidate.canonicalJSON) } catch { throw CommandFailure.unusable("policy \(file): \(error)") }
            guard let current else {
                print("policy \(candidate.name) is not in force: applying \(file) creates version 1 (\(candidate.digestText))")
                return SignetExit.verificationFailed
            }
            let changes = PolicyDiff.changes(from: current.document, to: proposed)
            guard !changes.isEmpty else {
                print("policy \(candidate.name) version \(current.version) is already \(candidate.digestText): no change")
                return SignetExit.verified
            }
            print("policy \(candidate.name): version \(current.version) → \(file) (\(candidate.digestText))")
            for change in changes { print(change) }
            return SignetExit.verificationFailed
        }
    }
}

/// The differences between two JSON documents, member by member: `~ path: old → new`,
/// `+ path: value`, `- path: value`, in document order. Arrays compare element by element.
enum PolicyDiff {
    static func changes(from old: JSONValue, to new: JSONValue, at path: String = "") -> [String] {
        func render(_ value: JSONValue) -> String { String(decoding: value.compactBytes(), as: UTF8.self) }
        func child(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        switch (old, new) {
        case (.object(let a), .object(let b)):
            var lines: [String] = []
            for name in a.names {
                guard let before = a[name] else { continue }
                if let after = b[name] {
                    lines += changes(from: before, to: after, at: child(name))
                } else {
                    lines.append("- \(child(name)): \(render(before))")
                }
            }
            for name in b.names where a[name] == nil {
                if let after = b[name] { lines.append("+ \(child(name)): \(render(after))") }
            }
            return lines
        case (.array(let a), .array(let b)):
            var lines: [String] = []
            for index in 0..<max(a.count, b.count) {
                let label = "\(path)[\(index)]"
                switch (index < a.count ? a[index] : nil, index < b.count ? b[index] : nil) {
                case (let before?, let after?): lines += changes(from: before, to: after, at: label)
                case (let before?, nil): lines.append("- \(label): \(render(before))")
                case (nil, let after?): lines.append("+ \(label): \(render(after))")
                case (nil, nil): break
                }
            }
            return lines
        default:
            return old == new ? [] : ["~ \(path.isEmpty ? "(document)" : path): \(render(old)) → \(render(new))"]
        }
    }
}

/// `signet policy test FILE… --name N --environment E`: decides with the given policies, not
/// the server's, over what the server holds for the name, with the client's own trust and the
/// one policy engine. Nothing is applied.
struct PolicyTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Decide with candidate policies, locally, over the evidence the server holds for a name; nothing is applied.",
        discussion: "Exit codes: 0 admitted; 1 refused; 3 unusable input; 4 the server could not be asked.")

    @OptionGroup var registry: RegistryOptions
    @Option(help: "The artifact: host[:port]/path@sha256:<64 hex>.") var name: String
    @Option(help: "The environment to decide for.") var environment: String
    @Flag(help: "Print every check.") var explain = false
    @Argument(help: "The policy documents.") var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one policy file") }
    }

    func run() async throws {
        await Signet.exiting {
            let policies = try files.map { path in
                try PolicyFiles.document(try InputFiles.read(path, what: "policy", maxBytes: PolicyDocument.maxBytes), path: path)
            }
            let name = try NameOptions.parse(self.name)
            let trust = try registry.trust()
            let engine: PolicyEngine
            let server = try registry.serverURL(trust)
            do {
                engine = PolicyEngine(
                    verifier: ArtifactVerifier(verifier: try BundleVerifier(trustedRoot: trust.trustedRoot)),
                    releaseAuthority: PolicyEngine.ReleaseAuthority(identity: ReleaseRequest.authorityIdentity(server: server), issuer: server))
            } catch {
                throw CommandFailure.unusable("the trusted root is not usable: \(error)")
            }
            let client = try registry.client(trust, credential: try await registry.credential(required: false))
            let evidence: Evidence
            do { evidence = try await PolicyFiles.evidence(name, client: client) } catch { throw SigningFlow.failure(error) }
            let decision = engine.decide(environment: environment, policies: policies, evidence: evidence, now: Timestamp(.now))
            return PolicyFiles.print(decision, explain: explain)
        }
    }
}

/// `signet policy explain --name N --environment E`: the server's decision with every check.
struct PolicyExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Ask the gate for its decision on a name and print every check it made.",
        discussion: "Exit codes: 0 admitted; 1 refused; 3 unusable input; 4 the server could not be asked.")

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var question: GateQuestion

    func run() async throws {
        await Signet.exiting {
            try await GateCheckCommand.ask(registry, subject: question.name, environment: question.environment, explain: true)
        }
    }
}

/// Reading policies and evidence for the commands.
enum PolicyFiles {
    static func document(_ bytes: [UInt8], path: String) throws(CommandFailure) -> PolicyDocument {
        do { return try PolicyDocument(bytes: bytes) } catch { throw .unusable("policy \(path): \(error)") }
    }

    /// The policies in force on the server, as it lists them.
    static func inForce(_ registry: RegistryOptions) async throws -> [JSONObject] {
        let trust = try? registry.trust()
        let answer: JSONValue
        do { answer = try await registry.client(trust, credential: try await registry.credential(required: false)).policies() } catch {
            throw SigningFlow.failure(error)
        }
        guard case .object(let object) = answer, case .array(let policies)? = object["policies"] else {
            throw CommandFailure(exitCode: SignetExit.signingFailed, message: "the server answered without a policy list")
        }
        return policies.compactMap { policy in
            if case .object(let members) = policy { return members }
            return nil
        }
    }

    /// What the server holds for `name`, as the engine reads it.
    static func evidence(_ name: ArtifactName, client: ArtifactClient) async throws -> Evidence {
        let found = try await client.signatures(of: name)
        var items = found.signatures.map { Evidence.Item(id: $0.id, bundle: $0.bundle, summary: $0.summary) }
        if !found.attestations.isEmpty {
            for attestation in try await client.attestations(of: name, type: nil) {
                guard case .object(let object) = attestation.summary, let id = SignatureLines.string(object["id"]) else {
                    throw CommandFailure(exitCode: SignetExit.signingFailed, message: "the server listed an attestation of \(name) without its id")
                }
                items.append(Evidence.Item(id: id, bundle: attestation.bundle, summary: attestation.summary))
            }
        }
        return Evidence(name: name, owner: found.namespace ?? "", items: items, revocations: found.revocations)
    }

    /// Prints a decision and returns its exit code.
    static func print(_ decision: Decision, explain: Bool) -> Int32 {
        var lines = ["\(decision.allowed ? "admitted" : "refused"): \(decision.code.rawValue): \(decision.message)"]
        lines += decision.warnings.map { "  warning: \($0)" }
        if !decision.policies.isEmpty { lines.append("  under \(decision.policies.map { "\($0.name) \($0.digest)" }.joined(separator: ", "))") }
        if explain {
            lines += decision.checks.map { "  \($0.passed ? "pass" : "FAIL") \($0.policy) \($0.rule): \($0.detail)" }
        }
        let text = lines.joined(separator: "\n") + "\n"
        if decision.allowed {
            FileHandle.standardOutput.write(Data(text.utf8))
            return SignetExit.verified
        }
        FileHandle.standardError.write(Data(text.utf8))
        return SignetExit.verificationFailed
    }
}
