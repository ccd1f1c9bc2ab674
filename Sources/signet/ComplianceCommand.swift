import ArgumentParser
import Foundation
import SignetClient
import SignetCore

/// `signet compliance QUERY`: compliance answers with proof, from the server's deployment
/// inventory and store, for a credential holding the audit scope.
struct ComplianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance", abstract: "Compliance answers with proof: what runs where, and what should not.",
        discussion: """
            QUERY is one of: inventory [--environment E]; missing-attestation --environment E --type T (admitted in E without an \
            attestation of type T: a short name such as slsa-provenance, or a URI); revoked-running [--environment E] (running on a \
            signature since revoked); built-from --source-repository-ref R [--source-repository URI] (everything built from a ref, \
            and where it runs); signed-by --identity I; expiring-exceptions [--within 7d]. Every row names the log entry it rests on \
            with its inclusion proof (JSON) or tree size and root hash (CSV). Exit 0 when the answer has no rows, 1 when it has some, \
            3 unusable input, 4 the server could not be asked.
            """)

    @OptionGroup var registry: RegistryOptions
    @Argument(help: "inventory, missing-attestation, revoked-running, built-from, signed-by or expiring-exceptions.") var query: String
    @Option(help: "The environment.") var environment: String?
    @Option(help: "An attestation type (missing-attestation).") var type: String?
    @Option(help: "A source ref (built-from).") var sourceRepositoryRef: String?
    @Option(help: "A source repository URI (built-from).") var sourceRepository: String?
    @Option(help: "A signer identity (signed-by).") var identity: String?
    @Option(help: "How soon (expiring-exceptions): N followed by s, m, h or d.") var within: String?
    @Option(help: "json or csv.") var format = "json"

    static let queries = ["inventory", "missing-attestation", "revoked-running", "built-from", "signed-by", "expiring-exceptions"]

    func validate() throws {
        guard Self.queries.contains(query) else {
            throw ValidationError("expected QUERY to be one of \(Self.queries.joined(separator: ", ")), found \"\(query.prefix(40))\"")
        }
        guard ["json", "csv"].contains(format) else { throw ValidationError("expected --format json or csv, found \"\(format.prefix(20))\"") }
    }

    func run() async throws {
        await Signet.exiting {
            var parameters: [(String, String)] = [("format", format)]
            for case (let name, let value?) in [
                ("environment", environment), ("sourceRepositoryRef", sourceRepositoryRef), ("sourceRepository", sourceRepository), ("identity", identity),
            ] { parameters.append((name, value)) }
            if let type {
                let predicate: PredicateType
                do throws(FormatError) { predicate = try PredicateType(parsing: type) } catch { throw CommandFailure.unusable("--type: \(error.reason)") }
                parameters.append(("type", predicate.uri))
            }
            if let within { parameters.append(("withinSeconds", String(try DurationOption.seconds(within, option: "--within")))) }
            let trust = try? registry.trust()
            let answer: [UInt8]
            do {
                answer = try await registry.client(trust, credential: try await registry.credential(required: true)).compliance(query, parameters: parameters)
            } catch {
                throw SigningFlow.failure(error)
            }
            FileHandle.standardOutput.write(Data(answer))
            return try Self.hasRows(answer, csv: format == "csv") ? SignetExit.verificationFailed : SignetExit.verified
        }
    }

    /// Whether the answer holds any row.
    static func hasRows(_ answer: [UInt8], csv: Bool) throws(CommandFailure) -> Bool {
        if csv { return answer.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).count > 1 }
        guard case .object(let object)? = try? JSONParser(maxBytes: answer.count + 1).parse(answer, context: "answer"),
            case .array(let rows)? = object["rows"]
        else { throw CommandFailure(exitCode: SignetExit.signingFailed, message: "the server answered without rows") }
        return !rows.isEmpty
    }
}

/// `signet deploy record --name N --environment E`: tells the inventory that an artifact runs
/// somewhere no gate admitted it.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy", abstract: "The deployment inventory.", subcommands: [DeployRecordCommand.self])
}

struct DeployRecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record", abstract: "Record that an artifact runs in an environment (for places without a gate); needs the verify scope.")

    @OptionGroup var registry: RegistryOptions
    @Option(help: "The artifact: host[:port]/path@sha256:<64 hex>.") var name: String
    @Option(help: "Where it runs.") var environment: String

    func run() async throws {
        await Signet.exiting {
            let parsed: ArtifactName
            do throws(FormatError) { parsed = try ArtifactName(parsing: name) } catch { throw CommandFailure.unusable("--name: \(error.reason)") }
            let trust = try? registry.trust()
            do {
                _ = try await registry.client(trust, credential: try await registry.credential(required: true)).recordDeployment(
                    name: parsed, environment: environment)
            } catch { throw SigningFlow.failure(error) }
            print("recorded \(parsed) running in \(environment)")
            return SignetExit.verified
        }
    }
}
