import ArgumentParser
import Foundation
import SignetClient
import SignetCore

/// `signet artifact list`: signatures, newest first, filtered.
struct ArtifactListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List signed artifacts, newest first.")

    @OptionGroup var registry: RegistryOptions
    @Option(help: "Only this namespace.") var namespace: String?
    @Option(help: "Only names under this repository (host/path, or a prefix ending in /).") var repository: String?
    @Option(help: "Only signatures from this source repository URI.") var sourceRepository: String?
    @Option(help: "Only signatures from this source ref.") var sourceRepositoryRef: String?
    @Option(help: "Only signatures since this RFC 3339 time.") var since: String?
    @Option(help: "active or revoked.") var status: String?
    @Option(help: "At most this many (1 to 1000).") var limit = 100
    @Flag(help: "Print the server's JSON.") var json = false

    func run() async throws {
        await Signet.exiting {
            var query: [(String, String)] = [("limit", String(limit))]
            let filters: [(String, String?)] = [
                ("namespace", namespace), ("repository", repository), ("sourceRepository", sourceRepository),
                ("sourceRepositoryRef", sourceRepositoryRef), ("since", since), ("status", status),
            ]
            for case (let key, let value?) in filters { query.append((key, value)) }
            let trust = try? registry.trust()
            let answer: JSONValue
            do { answer = try await registry.client(trust, credential: try await registry.credential(required: false)).list(query: query) } catch {
                throw SigningFlow.failure(error)
            }
            if json {
                print(String(decoding: answer.compactBytes(), as: UTF8.self))
                return SignetExit.verified
            }
            guard case .object(let object) = answer, case .array(let signatures)? = object["signatures"] else { return SignetExit.verified }
            for signature in signatures { print(SignatureLines.summary(signature)) }
            if signatures.isEmpty { print("no signatures match") }
            return SignetExit.verified
        }
    }
}

/// `signet artifact show NAME`: a name's signatures, provenance and revocations.
struct ArtifactShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show an artifact's signatures, attestations (by type), provenance and revocations.")

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "The artifact: host[:port]/path@sha256:<64 hex>.") var name: String

    func run() async throws {
        await Signet.exiting {
            let name = try NameOptions.parse(self.name)
            let trust = try? registry.trust()
            let found: ArtifactClient.Signatures
            do { found = try await registry.client(trust, credential: try await registry.credential(required: false)).signatures(of: name) } catch {
                throw SigningFlow.failure(error)
            }
            guard !found.signatures.isEmpty || !found.attestations.isEmpty else {
                FileHandle.standardError.write(Data("error: no signature for \(name)\n".utf8))
                return SignetExit.noSignature
            }
            print("\(name)\n  namespace \(found.namespace ?? "-")")
            for signature in found.signatures { print(SignatureLines.detail(signature.summary)) }
            for attestation in found.attestations { print(SignatureLines.detail(attestation)) }
            for revocation in found.revocations {
                print(
                    "  revocation \(revocation.id): \(revocation.sourceRepositoryRef) revoked by \(revocation.actor) at \(revocation.time)\(revocation.reason.isEmpty ? "" : ": \(revocation.reason)")\(revocation.logIndex.map { " (log index \($0))" } ?? "")"
                )
            }
            return SignetExit.verified
        }
    }
}

/// `signet trace`: code to cloud (`--source-repository-ref`) or cloud to code (`--name`).
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Trace a source ref to every artifact built from it, or an artifact back to its source and build."
    )

    @OptionGroup var registry: RegistryOptions
    @Option(help: "Every artifact built from this ref.") var sourceRepositoryRef: String?
    @Option(help: "With --source-repository-ref: only this repository URI.") var sourceRepository: String?
    @Option(help: "Where this artifact came from.") var name: String?
    @Flag(help: "Print the server's JSON.") var json = false

    func validate() throws {
        guard (sourceRepositoryRef == nil) != (name == nil) else { throw ValidationError("give --source-repository-ref REF or --name NAME") }
    }

    func run() async throws {
        await Signet.exiting {
            let trust = try? registry.trust()
            let client = try registry.client(trust, credential: try await registry.credential(required: false))
            let answer: JSONValue
            do {
                if let name {
                    answer = try await client.trace(name: try NameOptions.parse(name))
                } else {
                    answer = try await client.trace(sourceRepositoryRef: sourceRepositoryRef ?? "", sourceRepository: sourceRepository)
                }
            } catch let failure as CommandFailure { throw failure } catch { throw SigningFlow.failure(error) }
            if json {
                print(String(decoding: answer.compactBytes(), as: UTF8.self))
                return SignetExit.verified
            }
            guard case .object(let object) = answer, case .array(let signatures)? = object["signatures"] else { return SignetExit.verified }
            if signatures.isEmpty {
                FileHandle.standardError.write(Data("error: no signature \(name.map { "for \($0)" } ?? "made from \(sourceRepositoryRef ?? "")")\n".utf8))
                return SignetExit.noSignature
            }
            for signature in signatures { print(name == nil ? SignatureLines.summary(signature) : SignatureLines.detail(signature)) }
            return SignetExit.verified
        }
    }
}

/// How signatures print.
enum SignatureLines {
    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        if case .number(let text)? = value { return text }
        return nil
    }

    static func status(_ object: JSONObject) -> String {
        guard case .object(let revocation)? = object["revocation"] else { return "active" }
        return "REVOKED by \(string(revocation["actor"]) ?? "?") at \(string(revocation["time"]) ?? "?")"
    }

    /// One line: name, ref, time, status.
    static func summary(_ value: JSONValue) -> String {
        guard case .object(let object) = value else { return "" }
        var ref = "-"
        if case .object(let provenance)? = object["provenance"] { ref = string(provenance["sourceRepositoryRef"]) ?? "-" }
        return "\(string(object["name"]) ?? "?")  \(ref)  \(string(object["signedAt"]) ?? "?")  \(status(object))"
    }

    /// A signature with where it came from.
    static func detail(_ value: JSONValue) -> String {
        guard case .object(let object) = value else { return "" }
        var kind = "signature"
        if let type = string(object["predicateType"]) {
            kind = "attestation " + ((try? PredicateType(parsing: type)).flatMap(\.shortName) ?? type)
        }
        var lines = [
            "  \(kind) \(string(object["id"]) ?? "?")  \(status(object))",
            "    signer \(string(object["identity"]) ?? "?") (issuer \(string(object["issuer"]) ?? "?"))",
            "    signed \(string(object["signedAt"]) ?? "?"), log index \(string(object["logIndex"]) ?? "?")",
        ]
        if case .object(let provenance)? = object["provenance"] {
            let labels: [(String, String)] = [
                ("repository", "sourceRepositoryURI"), ("commit", "sourceRepositoryDigest"), ("ref", "sourceRepositoryRef"),
                ("workflow", "buildConfigURI"), ("runner", "runnerEnvironment"), ("build signer", "buildSignerURI"), ("run", "runInvocationURI"),
            ]
            for (label, field) in labels {
                if let value = string(provenance[field]) { lines.append("    \(label) \(value)") }
            }
        }
        return lines.joined(separator: "\n")
    }
}
