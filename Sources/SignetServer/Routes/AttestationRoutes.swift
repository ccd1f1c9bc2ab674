import Hummingbird
import SignetCore
import SignetStore

/// Reads of a name's attestations (`GET /api/signet/v1/attestations?name=&type=`): each with its
/// bundle whole again, the envelope's payload read back from where the store keeps it by
/// digest. Registration is ``SignetServices/register(_:context:_:)`` at `POST …/attestations`.
extension SignetServices {
    func addAttestationRoutes(to routes: AccessRoutes) {
        routes.caller(.get, "\(Self.artifactAPI)/attestations", anyOf: RouteAccess.reading) { request, _, caller in
            let name = try Self.artifactName(try request.requiredQuery("name"))
            let namespace = try await self.authorizeRead(caller, of: name)
            var type: PredicateType?
            if let text = request.query("type") {
                do throws(FormatError) { type = try PredicateType(parsing: text) } catch {
                    throw APIError(.badRequest, "invalid-query", "type: \(error.reason)")
                }
            }
            let records = (namespace == nil ? [] : try await self.store.signatures(name: name)).filter { record in
                guard let attestation = record.attestation else { return false }
                return type.map { $0.uri == attestation.predicateType } ?? true
            }
            var attestations: [JSONValue] = []
            for record in records { attestations.append(record.json(bundle: try await self.attestationBundle(record).json)) }
            return Response.json(
                .object(
                    JSONObject([
                        ("name", .string(name.description)), ("namespace", namespace.map(JSONValue.string) ?? .null),
                        ("type", type.map { .string($0.uri) } ?? .null), ("attestations", .array(attestations)),
                    ])))
        }
    }

    /// An attestation's bundle as registered: the stored bundle with its envelope's payload
    /// put back.
    func attestationBundle(_ record: SignatureRecord) async throws -> SigstoreBundle {
        var bundle = try SigstoreBundle(jsonBytes: record.bundle)
        guard let digest = record.attestation?.payloadDigest, case .dsseEnvelope(var envelope) = bundle.content,
            let payload = try await store.attestationPayload(digest: digest), Hex.encode(sha256(payload)) == digest
        else {
            throw StoreInconsistency(description: "attestation \(record.id): expected its envelope and its payload by digest in the store, found otherwise")
        }
        envelope.payload = payload
        bundle.content = .dsseEnvelope(envelope)
        return bundle
    }
}

/// The store holds something a write could not have left: a fault, never an answer to input.
struct StoreInconsistency: Error, CustomStringConvertible {
    var description: String
}
