import Foundation
import Hummingbird
import SignetCA
import SignetCore
import SignetStore
import SignetVerify
import X509

/// Signet's own API for artifacts by name (`/api/signet/v1`): certificates with stated
/// provenance, registration of signatures under a digest-pinned name, and revocation. Every
/// write needs a credential (an OIDC token or an API key) holding the scope in the name's
/// namespace, and leaves an audit event in the same transaction.
extension SignetServices {
    static let artifactAPI = "/api/signet/v1"
    /// The largest registration body: a bundle with its certificate and proofs fits easily.
    static let maxRegistrationBytes = 256 << 10
    /// The largest attestation registration: a bundle whose statement holds a predicate of up
    /// to 16 MiB (an SBOM), base64 in its envelope.
    static let maxAttestationRegistrationBytes = 24 << 20

    func addArtifactRoutes(to routes: AccessRoutes) {
        routes.caller(.post, "\(Self.artifactAPI)/signingCert", anyOf: [.sign]) { request, context, caller in
            try await self.issueArtifactCertificate(request, context: context, caller: caller)
        }
        routes.caller(.post, "\(Self.artifactAPI)/signatures", anyOf: [.sign]) { request, context, caller in
            try await self.register(request, context: context, caller: caller, .signature)
        }
        routes.caller(.post, "\(Self.artifactAPI)/attestations", anyOf: [.sign]) { request, context, caller in
            try await self.register(request, context: context, caller: caller, .attestation)
        }
        routes.caller(.post, "\(Self.artifactAPI)/signatures/authorize", anyOf: [.sign]) { request, _, caller in
            try await self.authorizeSigning(request, caller: caller)
        }
        routes.caller(.post, "\(Self.artifactAPI)/revocations", anyOf: [.revoke]) { request, context, caller in
            try await self.revoke(request, context: context, caller: caller)
        }
        routes.caller(.post, "\(Self.artifactAPI)/revocations/snapshot", anyOf: [.verify]) { request, context, caller in
            try await self.exportRevocations(request, context: context, caller: caller)
        }
        addArtifactQueryRoutes(to: routes)
        addAttestationRoutes(to: routes)
        addReleaseRoutes(to: routes)
    }

    /// A Fulcio v2 request plus `provenance` (Fulcio field name → value): the token's claims
    /// decide where its issuer's profile maps them, the stated values fill the rest, and a
    /// stated value that contradicts a claim is refused. An API key's holder gets its service
    /// identity under the server's URL, with the stated provenance.
    private func issueArtifactCertificate(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
        let body = try await request.collectBody(limit: SigningCertificateRequest.maxBytes, contentTypes: ["application/json"])
        guard case .object(var object) = try JSONParser(maxBytes: SigningCertificateRequest.maxBytes, maxDepth: 8).parse(body, context: "request") else {
            throw APIError(.badRequest, "invalid-request", "expected a JSON object, found another JSON value")
        }
        let stated = try Self.statedProvenance(object["provenance"])
        object["provenance"] = nil
        let signingRequest = try SigningCertificateRequest(json: .object(object))
        guard signingRequest.identityToken == nil else {
            throw APIError(.badRequest, "invalid-request", "expected the credential in the Authorization header only, found credentials in the body too")
        }
        let leaf = try await issue(signingRequest, for: try certifiedIdentity(caller, stated: stated), origin: context.origin)
        return Response.bytes(leaf.responseJSON(), contentType: "application/json")
    }

    /// The provenance a request states (`provenance`: Fulcio field name → value), each value
    /// checked as a signer may assert it.
    static func statedProvenance(_ value: JSONValue?) throws -> [FulcioExtension: String] {
        var stated: [FulcioExtension: String] = [:]
        switch value {
        case nil: break
        case .object(let values)?:
            for member in values.members {
                guard let field = FulcioExtension(fieldName: member.name), case .string(let value) = member.value else {
                    throw APIError(
                        .badRequest, "invalid-provenance",
                        "provenance.\(ProtoJSONObject.preview(member.name)): expected a Fulcio field name (\(FulcioExtension.assertable.map(\.fieldName).joined(separator: ", "))) with a string value"
                    )
                }
                do { try field.checkAsserted(value) } catch {
                    throw APIError(.badRequest, "invalid-provenance", "provenance.\(error.description)")
                }
                stated[field] = value
            }
        default:
            throw APIError(.badRequest, "invalid-provenance", "provenance: expected an object of Fulcio field names to values")
        }
        return stated
    }

    /// The identity a certificate for `caller` certifies: exactly what the token's claims
    /// attest, or for an API key's holder its service identity under the server's URL with no
    /// provenance. Stated provenance never enters a certificate (registration records it
    /// beside the signature), so no verifier can take it for attested; a stated value that
    /// contradicts a claim is refused here, before anything is issued.
    func certifiedIdentity(_ caller: Caller, stated: [FulcioExtension: String]) throws -> VerifiedIdentity {
        switch caller.credential {
        case .identity(let verified):
            _ = try Self.stated(stated, beyond: verified.provenance, attestedBy: "the token's claims")
            return verified
        case .apiKey:
            return VerifiedIdentity(subjectName: .uri(caller.actor), issuer: caller.issuer, proofOfPossessionChallenges: [caller.actor])
        }
    }

    /// The stated values `attested` does not already hold; a stated value that contradicts an
    /// attested one is refused (400 `provenance-conflict`).
    static func stated(
        _ stated: [FulcioExtension: String], beyond attested: [FulcioExtension: String], attestedBy source: String
    ) throws -> [FulcioExtension: String] {
        var beyond: [FulcioExtension: String] = [:]
        for (field, value) in stated.sorted(by: { $0.key.oidOrder < $1.key.oidOrder }) {
            guard let claimed = attested[field] else {
                beyond[field] = value
                continue
            }
            guard claimed == value else {
                throw APIError(
                    .badRequest, "provenance-conflict",
                    "\(source) give \(field.fieldName) \"\(ProtoJSONObject.preview(claimed))\", the request states \"\(ProtoJSONObject.preview(value))\"; drop the flag or fix it"
                )
            }
        }
        return beyond
    }

    /// The pre-flight of signing by name (`{name, namespace?, provenance?}`): the same
    /// decisions registration will make (the namespace, its owner, the caller's scope in it,
    /// the provenance the certificate will carry, and whether a revocation already covers its
    /// source ref), answered before a certificate is issued or a log entry made, so a refused
    /// signing leaves nothing behind. Nothing is written.
    private func authorizeSigning(_ request: Request, caller: Caller) async throws -> Response {
        var body = try await jsonBody(request, limit: 16 << 10)
        let name = try Self.artifactName(try body.requiredString("name"))
        let requested = try body.string("namespace")
        let stated = try Self.statedProvenance(try body.optional("provenance"))
        try body.finish()
        let namespace = try await registrationNamespace(for: caller, name: name, requested: requested)
        let identity = try certifiedIdentity(caller, stated: stated)
        let beyond = try Self.stated(stated, beyond: identity.provenance, attestedBy: "the token's claims")
        try await refuseRevoked(name, sourceRepositoryRef: identity.provenance[.sourceRepositoryRef] ?? beyond[.sourceRepositoryRef])
        return Response.json(
            .object(
                JSONObject([
                    ("name", .string(name.description)), ("namespace", .string(namespace)),
                    ("identity", .string(caller.actor)), ("issuer", .string(caller.issuer)),
                    ("provenance", identity.provenance.json), ("statedProvenance", beyond.json),
                ])))
    }

    /// The namespace a signature of `name` by `caller` is registered into: the namespace that
    /// owns the name, where the caller must hold the sign scope. A namespace's name patterns
    /// decide the owner; a name no pattern owns is refused, or (with `unownedNames:
    /// first-registration`) belongs to the namespace of its first registration, which the
    /// store checks again in the registration's own transaction.
    func registrationNamespace(for caller: Caller, name: ArtifactName, requested: String?) async throws -> String {
        if let owner = namespaces.owner(of: name) {
            if let requested, requested != owner {
                throw APIError(
                    .forbidden, "namespace-denied",
                    "expected \(name) to be signed into namespace \(owner), which owns it, found a request for \(ProtoJSONObject.preview(requested))")
            }
            return try choose(owner, for: caller, scope: .sign)
        }
        guard namespaces.unownedNames == .firstRegistration else {
            throw APIError(.forbidden, "name-unowned", "expected a name under a namespace's name patterns, found \(name), which no namespace owns")
        }
        let namespace = try choose(requested, for: caller, scope: .sign)
        if let owner = try await store.namespace(of: name), owner != namespace {
            throw NamespaceConflict(name: name, owner: owner, requested: namespace)
        }
        return namespace
    }

    /// The namespace that owns `name`: its patterns' owner, else (first registration) the
    /// namespace its signatures are registered in; nil when neither.
    func owningNamespace(of name: ArtifactName) async throws -> String? {
        if let owner = namespaces.owner(of: name) { return owner }
        guard namespaces.unownedNames == .firstRegistration else { return nil }
        if let known = nameOwners.namespace(of: name) { return known }
        let found = try await store.namespace(of: name)
        if let found { nameOwners.keep(found, for: name) }
        return found
    }

    /// Refuses (409 `revoked`) a signature of `name` made from `ref` when a revocation already
    /// covers it, by the one rule (``RevocationStatement/covering(_:name:sourceRepositoryRef:)``).
    func refuseRevoked(_ name: ArtifactName, sourceRepositoryRef ref: String?) async throws {
        guard let revocation = RevocationStatement.covering(try await store.revocations(name: name).map(\.statement), name: name, sourceRepositoryRef: ref)
        else {
            return
        }
        throw APIError(
            .conflict, "revoked",
            "expected a source ref no revocation covers, found \(ref ?? "") of \(name) revoked by \(revocation.actor) at \(revocation.time): \(revocation.reason)"
        )
    }

    /// What a registration registers: a signature of the name's digest (a message signature),
    /// or an attestation about it (an in-toto statement in a DSSE envelope). Each has its own
    /// endpoint and size bound, and neither is accepted as the other, so a policy that asks for
    /// a signature is never met by an attestation, nor the reverse.
    enum Registered {
        case signature, attestation

        var maxBytes: Int {
            switch self {
            case .signature: SignetServices.maxRegistrationBytes
            case .attestation: SignetServices.maxAttestationRegistrationBytes
            }
        }

        var action: String {
            switch self {
            case .signature: "signature.register"
            case .attestation: "attestation.register"
            }
        }
    }

    /// Registers a bundle under a name: the bundle must verify with this instance's trust for
    /// the name's digest and the caller's own identity, in a namespace where the caller may
    /// sign and the name belongs (a name's first signature decides its namespace). An
    /// attestation's statement must name the digest among its subjects (the engine checks it)
    /// and a predicate type URI; its payload is stored once under its SHA-256, beside the
    /// signature, and the stored bundle keeps the envelope without it.
    func register(_ request: Request, context: SignetRequestContext, caller: Caller, _ registered: Registered) async throws -> Response {
        var body = try await jsonBody(request, limit: registered.maxBytes)
        let name = try Self.artifactName(try body.requiredString("name"))
        let bundleValue = try body.required("bundle")
        let requested = try body.string("namespace")
        let stated = try Self.statedProvenance(try body.optional("provenance"))
        try body.finish()
        let namespace = try await registrationNamespace(for: caller, name: name, requested: requested)
        let given = try SigstoreBundle(json: bundleValue)
        var bundle = given
        var attestation: (facts: SignatureRecord.Attestation, payload: [UInt8])?
        switch (registered, bundle.content) {
        case (.signature, .messageSignature): break
        case (.attestation, .dsseEnvelope(var envelope)):
            guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else {
                throw APIError(
                    .badRequest, "invalid-attestation",
                    "expected a DSSE envelope of \(DSSEEnvelope.inTotoPayloadType), found \"\(ProtoJSONObject.preview(envelope.payloadType))\"")
            }
            let statement: InTotoStatement
            do { statement = try InTotoStatement(payload: envelope.payload, parser: JSONParser(maxBytes: registered.maxBytes, maxDepth: 64)) } catch {
                throw APIError(.badRequest, "invalid-attestation", "the envelope's payload: \(error)")
            }
            do { _ = try PredicateType(parsing: statement.predicateType) } catch {
                throw APIError(.badRequest, "invalid-attestation", "the statement's predicateType: \(error.reason)")
            }
            attestation = (
                SignatureRecord.Attestation(predicateType: statement.predicateType, payloadDigest: Hex.encode(sha256(envelope.payload))), envelope.payload
            )
            envelope.payload = []
            bundle.content = .dsseEnvelope(envelope)
        case (.signature, .dsseEnvelope):
            throw APIError(
                .badRequest, "signature-invalid",
                "expected a message signature over the name's digest, found a DSSE envelope; register attestations at \(Self.artifactAPI)/attestations")
        case (.attestation, .messageSignature):
            throw APIError(
                .badRequest, "invalid-attestation",
                "expected an in-toto statement in a DSSE envelope, found a message signature; register signatures at \(Self.artifactAPI)/signatures")
        }
        // Verified as given (with its payload), stored without it.
        let report = artifactVerifier.verifier.verify(
            given, artifact: Artifact(digest: name.digest), policy: .identity(caller.actor, issuer: caller.issuer),
            now: timeSource.now())
        let verified: VerificationReport.Verified
        switch report.result {
        case .success(let value): verified = value
        case .failure(let error):
            throw APIError(
                .badRequest, "signature-invalid", "expected a bundle that verifies for \(name) as signed by \(caller.actor), found: \(error.description)")
        }
        guard let certificate = verified.certificate, let entry = bundle.tlogEntries.first, let signedAt = verified.times.map(\.time).min() else {
            throw APIError(.badRequest, "signature-invalid", "expected a keyless bundle with a certificate, a log entry and a verified time, found otherwise")
        }
        var provenance: [FulcioExtension: String] = [:]
        for field in FulcioExtension.allCases where field != .issuer && field != .issuerV1 {
            if let value = try field.value(in: certificate) { provenance[field] = value }
        }
        let statedBeyond = try Self.stated(stated, beyond: provenance, attestedBy: "the certificate's extensions")
        let record = SignatureRecord(
            id: Hex.encode(Merkle.leafHash(entry.canonicalizedBody)), namespace: namespace, name: name, identity: caller.actor, issuer: caller.issuer,
            provenance: provenance, statedProvenance: statedBeyond, logIndex: entry.logIndex, signedAt: signedAt,
            certificateSerial: Hex.encode(certificate.serialNumber.bytes), bundle: bundle.json.compactBytes(), attestation: attestation?.facts)
        try await refuseRevoked(name, sourceRepositoryRef: record.sourceRepositoryRef)
        let id = record.id
        let now = timeSource.now()
        let detail = attestation.map { "\($0.facts.predicateType) about \(name) in namespace \(namespace)" } ?? "\(name) in namespace \(namespace)"
        let stored = try await store.register(
            record, attestationPayload: attestation?.payload,
            event: AuditEvent(
                time: now, actor: caller.actor, action: registered.action, subject: id, origin: context.origin, detail: detail, namespace: namespace))
        guard stored.name == name, stored.attestation == record.attestation else {
            throw APIError(
                .conflict, "already-registered",
                "expected a signature not yet registered as another, found signature \(id) registered under \(stored.name)"
                    + (stored.attestation.map { " as an attestation of \($0.predicateType)" } ?? " as a signature"))
        }
        metrics.observeIssued(registered == .signature ? "signature" : "attestation")
        warmDecisions(after: stored.name)
        var answer: [(String, JSONValue)] = [
            ("id", .string(stored.id)), ("namespace", .string(stored.namespace)), ("name", .string(stored.name.description)),
            ("logIndex", .integer(stored.logIndex)), ("url", .string(artifactURL(stored.name))),
            ("status", .string(stored.revocation == nil ? "active" : "revoked")),
        ]
        if let facts = stored.attestation { answer.append(("predicateType", .string(facts.predicateType))) }
        // A revocation stored between the check above and the registration's transaction.
        if let revocation = stored.revocation { answer.append(("revocation", revocation.json)) }
        return Response.json(.object(JSONObject(answer)), status: .created)
    }

    /// Revokes every signature of a name made from a source ref: the server states, signs and
    /// logs the revocation, then stores it with its audit event, and only then answers.
    private func revoke(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
        var body = try await jsonBody(request, limit: 16 << 10)
        let name = try Self.artifactName(try body.requiredString("name"))
        let ref = try body.requiredString("sourceRepositoryRef")
        let reason = try body.string("reason") ?? ""
        try body.finish()
        do { try FulcioExtension.sourceRepositoryRef.checkAsserted(ref) } catch {
            throw APIError(.badRequest, "invalid-request", "sourceRepositoryRef: \(error.reason)")
        }
        guard reason.utf8.count <= RevocationStatement.maxReasonBytes, reason.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw APIError(
                .badRequest, "invalid-request",
                "reason: expected at most \(RevocationStatement.maxReasonBytes) bytes of printable text, found \(reason.utf8.count) bytes")
        }
        guard let namespace = try await owningNamespace(of: name), try await store.namespace(of: name) != nil else {
            throw APIError(.notFound, "no-signature", "no signature is registered for \(name)")
        }
        try authorize(caller, .revoke, in: namespace)
        let refs = Set(try await store.signatures(name: name).compactMap(\.sourceRepositoryRef))
        guard refs.contains(ref) else {
            throw APIError(
                .notFound, "nothing-to-revoke",
                "expected a signature of \(name) made from \(ref), found signatures made from \(refs.isEmpty ? "no ref" : refs.sorted().joined(separator: ", "))"
            )
        }
        if let existing = RevocationStatement.covering(try await store.revocations(name: name).map(\.statement), name: name, sourceRepositoryRef: ref) {
            // Already revoked: the one revocation stands, and no second one is stated or logged.
            return Response.json(.object(JSONObject([("revocation", existing.json), ("revoked", .array([]))])), status: .ok)
        }
        let now = timeSource.now()
        var statement = RevocationStatement(
            id: Hex.encode(secureRandomBytes(16)), namespace: namespace, name: name, sourceRepositoryRef: ref,
            reason: reason, actor: caller.actor, time: now)
        let signedStatement = statement.json.compactBytes()
        let bundle = try await signStatement(signedStatement, as: RevocationSnapshot.signerIdentity(server: publicURL), origin: context.origin)
        statement.logIndex = bundle.tlogEntries[0].logIndex
        let revoked = try await store.revoke(
            RevocationRecord(statement, signedStatement: signedStatement, bundle: bundle.json.compactBytes()),
            event: AuditEvent(
                time: now, actor: caller.actor, action: "signature.revoke", subject: statement.id, origin: context.origin,
                detail: "\(name) from \(ref): \(reason)", namespace: namespace))
        warmDecisions(after: nil)
        return Response.json(.object(JSONObject([("revocation", statement.json), ("revoked", .array(revoked.map(JSONValue.string)))])), status: .created)
    }

    /// Every revocation in the namespaces the caller may read, signed and logged by the
    /// server, for verification without it. The server signs and logs every snapshot: only a
    /// caller who may verify somewhere may make it do so (the route's rule).
    private func exportRevocations(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
        let revocations = try await readableRevocations(caller)
        let now = timeSource.now()
        let snapshot = RevocationSnapshot(server: publicURL, time: now, revocations: revocations.map(\.statement))
        let bytes = snapshot.json.compactBytes()
        let bundle = try await signStatement(bytes, as: RevocationSnapshot.signerIdentity(server: publicURL), origin: context.origin)
        try await auditEvents.submit(
            AuditEvent(
                time: now, actor: caller.actor, action: "revocations.export", subject: "\(revocations.count) revocations",
                origin: context.origin, detail: "log index \(bundle.tlogEntries[0].logIndex)"))
        return Response.json(RevocationSnapshot.Signed(snapshotBytes: bytes, bundle: bundle).json)
    }

    static let maxSnapshotRevocations = 10_000

    /// The namespace a caller acts in: the one requested, which it must hold `scope` in, or
    /// else its only one.
    func choose(_ requested: String?, for caller: Caller, scope: AccessScope) throws -> String {
        if let requested {
            guard NamespacePolicy.isValidName(requested) else {
                throw APIError(
                    .badRequest, "invalid-namespace",
                    "expected a namespace of 1 to 63 lower-case letters, digits and inner dashes, found \"\(ProtoJSONObject.preview(requested))\"")
            }
            try authorize(caller, scope, in: requested)
            return requested
        }
        let held = namespaces(of: caller, granting: scope)
        switch held.count {
        case 0: throw APIError(.forbidden, "namespace-denied", "expected \(caller.actor) to hold the \(scope.rawValue) scope in some namespace, found none")
        case 1: return held[0]
        default:
            throw APIError(
                .badRequest, "namespace-required", "\(caller.actor) may \(scope.rawValue) in \(held.joined(separator: ", ")): name one with \"namespace\"")
        }
    }

    /// A JSON object body.
    func jsonBody(_ request: Request, limit: Int) async throws -> ProtoJSONObject {
        let body = try await request.collectBody(limit: limit, contentTypes: ["application/json"])
        return try ProtoJSONObject(try JSONParser(maxBytes: limit, maxDepth: 32).parse(body, context: "request"), path: "request")
    }

    static func artifactName(_ text: String) throws -> ArtifactName {
        do { return try ArtifactName(parsing: text) } catch {
            throw APIError(.badRequest, "invalid-name", error.reason)
        }
    }

    /// The web UI's page for a name.
    func artifactURL(_ name: ArtifactName) -> String {
        publicURL + Self.artifactHref(name.description)
    }
}
