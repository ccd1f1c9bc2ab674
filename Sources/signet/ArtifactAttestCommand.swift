import ArgumentParser
import Foundation
import SignetClient
import SignetCore
import SignetVerify

/// `signet artifact attest`: an in-toto statement about a name's digest (SLSA provenance, an
/// SBOM, a report), signed as DSSE in a v0.3 bundle, logged, timestamped and registered under
/// the name by its predicate type.
struct ArtifactAttestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Attest to an artifact by name: a predicate about its digest, signed, logged, timestamped and registered by type.",
        discussion: """
            --type takes a short name (\(PredicateType.shortNames.map { "\($0.name) = \($0.uri)" }.joined(separator: ", "))) \
            or any absolute URI. --provenance auto makes a SLSA v1 provenance predicate from what the CI token attests.
            """
    )

    @OptionGroup var artifact: NameOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var provenance: ProvenanceOptions
    @Option(help: "The predicate type: a short name or an absolute URI.") var type: String?
    @Option(help: "The predicate: a JSON object in a file, up to 16 MiB.") var predicate: String?
    @Option(name: .customLong("provenance"), help: "auto: make the predicate, SLSA v1 provenance, from what the CI token attests.")
    var generatedProvenance: String?
    @Option(help: "The OIDC issuer the certificate must name (for an API key: the server's URL).") var certificateOidcIssuer: String
    @Option(help: "The identity the certificate must have, if you want it checked.") var certificateIdentity: String?
    @Option(help: "The namespace to attest in (default: your only one).") var namespace: String?
    @Option(help: "Also write the bundle here.") var bundle: String?

    /// The largest predicate file read.
    static let maxPredicateBytes = 16 << 20

    func validate() throws {
        if let generatedProvenance {
            guard generatedProvenance == "auto" else { throw ValidationError("--provenance takes auto, found \"\(generatedProvenance)\"") }
            guard predicate == nil else { throw ValidationError("give --predicate FILE or --provenance auto, not both") }
        } else {
            guard predicate != nil, type != nil else { throw ValidationError("give --type T and --predicate FILE (or --provenance auto for SLSA provenance)") }
        }
    }

    func run() async throws {
        await Signet.exiting {
            let name = try artifact.artifactName()
            let type: PredicateType
            do throws(FormatError) { type = try PredicateType(parsing: self.type ?? "slsa-provenance") } catch {
                throw CommandFailure.unusable("--type: \(error.reason)")
            }
            if generatedProvenance != nil, type != .slsaProvenance {
                throw CommandFailure.unusable("--provenance auto makes \(PredicateType.slsaProvenance.uri), found --type \(type.uri)")
            }
            var predicateValue: JSONValue?
            if let predicate {
                let bytes = try InputFiles.read(predicate, what: "predicate", maxBytes: Self.maxPredicateBytes)
                do { predicateValue = try JSONParser(maxBytes: Self.maxPredicateBytes, maxDepth: 64).parse(bytes, context: "predicate") } catch {
                    throw CommandFailure.unusable("predicate \"\(predicate)\" is not JSON: \(error)")
                }
                guard case .object = predicateValue else {
                    throw CommandFailure.unusable("predicate \"\(predicate)\": expected a JSON object, found another value")
                }
            }
            let trust = try registry.trust()
            guard let credential = try await registry.credential(required: true) else {
                throw CommandFailure.unusable("no credential: pass --identity-token or --api-key")
            }
            let registryClient = try registry.client(trust, credential: credential)
            let authorization = try await ArtifactSignCommand.authorize(
                name, registryClient, namespace: namespace, stated: provenance.values, issuer: certificateOidcIssuer, identity: certificateIdentity)
            if predicateValue == nil {
                do throws(FormatError) { predicateValue = try SLSAProvenance.predicate(attested: authorization.provenance) } catch {
                    throw CommandFailure.unusable("--provenance auto: \(error.reason)")
                }
            }
            let statement = InTotoStatement(
                subjects: [.init(name: name.repository, digest: ["sha256": Hex.encode(name.digest)])], predicateType: type.uri, predicate: predicateValue)
            let client = try SigningFlow.client(trust, api: nil)
            let signed: SigstoreBundle
            do { signed = try await client.attest(statement: statement, identityToken: credential, statedProvenance: provenance.values) } catch {
                throw SigningFlow.failure(error)
            }
            let registration = try await ArtifactSignCommand.register(
                signed, name: name, trust: trust, issuer: certificateOidcIssuer, authorization: authorization, copy: bundle, client: registryClient)
            print("attested \(name) (\(type.shortName ?? type.uri))\n\(registration.lines)")
            return SignetExit.verified
        }
    }
}
