import Hummingbird
import SignetCore
import SignetStore
import SignetVerify

/// Reads of Signet's artifact API: a name's signatures and revocations, listings, traces from
/// code to artifacts and back, verification by name, and the audit trail. Each needs a caller
/// who may read the namespace concerned (read or verify; audit for the trail); listings and
/// traces hold only the namespaces the caller may read.
extension SignetServices {
    func addArtifactQueryRoutes(to routes: AccessRoutes) {
        routes.caller(.get, "\(Self.artifactAPI)/artifact", anyOf: RouteAccess.reading) { request, context, caller in
            let name = try Self.artifactName(try request.requiredQuery("name"))
            let namespace = try await self.authorizeRead(caller, of: name)
            let registered = namespace == nil ? [] : try await self.store.signatures(name: name)
            let revocations = namespace == nil ? [] : try await self.store.revocations(name: name)
            // What a verification by name on the client reads: audited as one.
            try await self.auditEvents.submit(
                AuditEvent(
                    time: self.timeSource.now(), actor: caller.actor, action: "artifact.read", subject: name.description, origin: context.origin,
                    detail: "\(registered.count) signatures and attestations, \(revocations.count) revocations", namespace: namespace))
            // Signatures with their bundles; attestations listed (their bundles, which may be
            // large, at …/attestations).
            return Response.json(
                .object(
                    JSONObject([
                        ("name", .string(name.description)), ("namespace", namespace.map(JSONValue.string) ?? .null),
                        ("signatures", .array(registered.filter { $0.attestation == nil }.map { $0.json(includingBundle: true) })),
                        ("attestations", .array(registered.filter { $0.attestation != nil }.map { $0.json(includingBundle: false) })),
                        ("revocations", .array(revocations.map(\.statement.json))),
                    ])))
        }
        routes.caller(.get, "\(Self.artifactAPI)/artifacts", anyOf: RouteAccess.reading) { request, _, caller in
            let filter = try self.signatureFilter(request, readableBy: caller)
            let limit = try request.query("limit").map { try Self.limit($0, max: 1_000) } ?? 100
            let page = try await self.store.signatures(filter, after: request.query("after"), limit: limit)
            return Response.json(
                .object(
                    JSONObject([
                        ("signatures", .array(page.map { $0.json(includingBundle: false) })),
                        ("next", page.count == limit ? page.last.map { .string($0.id) } ?? .null : .null),
                    ])))
        }
        routes.caller(.get, "\(Self.artifactAPI)/trace", anyOf: RouteAccess.reading) { request, _, caller in
            try await self.trace(request, caller: caller)
        }
        routes.caller(.post, "\(Self.artifactAPI)/verify", anyOf: RouteAccess.reading) { request, context, caller in
            try await self.verifyByName(request, context: context, caller: caller)
        }
        routes.caller(.get, "\(Self.artifactAPI)/audit", anyOf: [.audit]) { request, _, caller in
            let since = try request.timeQuery("since") ?? Timestamp(seconds: 0)
            let limit = try request.query("limit").map { try Self.limit($0, max: 1_000) } ?? 100
            let events = try await self.store.auditEvents(since: since, namespaces: self.auditableNamespaces(of: caller), limit: limit)
            return Response.json(.object(JSONObject([("events", .array(events.map(\.json)))])))
        }
    }

    /// Code to cloud (`sourceRepositoryRef`, optionally `sourceRepository`): every signature
    /// made from the ref; cloud to code (`name`): where each of the name's signatures came from.
    private func trace(_ request: Request, caller: Caller) async throws -> Response {
        if let nameText = request.query("name") {
            let name = try Self.artifactName(nameText)
            let signatures = try await authorizeRead(caller, of: name) == nil ? [] : try await store.signatures(name: name)
            return Response.json(
                .object(
                    JSONObject([
                        ("name", .string(name.description)), ("signatures", .array(signatures.map { $0.json(includingBundle: false) })),
                    ])))
        }
        guard let ref = request.query("sourceRepositoryRef"), !ref.isEmpty else {
            throw APIError(.badRequest, "invalid-query", "expected name=NAME or sourceRepositoryRef=REF, found neither")
        }
        let repository = request.query("sourceRepository")
        let limit = try request.query("limit").map { try Self.limit($0, max: 1_000) } ?? 1_000
        let filter = SignatureFilter(namespaces: readableNamespaces(of: caller), sourceRepository: repository, sourceRepositoryRef: ref)
        let signatures = try await store.signatures(filter, after: request.query("after"), limit: limit)
        return Response.json(
            .object(
                JSONObject([
                    ("sourceRepositoryRef", .string(ref)), ("sourceRepository", repository.map(JSONValue.string) ?? .null),
                    ("signatures", .array(signatures.map { $0.json(includingBundle: false) })),
                    ("next", signatures.count == limit ? signatures.last.map { .string($0.id) } ?? .null : .null),
                ])))
    }

    /// Verification by name with this instance's trust: `{name, issuer, identity?, provenance?}`
    /// in; each signature's checks out. Whatever the outcome, the answer is 200 and the
    /// verification is audited; only a malformed request is an error.
    private func verifyByName(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
        var body = try await jsonBody(request, limit: 16 << 10)
        let name = try Self.artifactName(try body.requiredString("name"))
        let issuer = try body.requiredString("issuer")
        let identity = try body.string("identity")
        let provenance = try body.provenance("provenance")
        let acceptingStated = try body.bool("acceptStatedProvenance") ?? false
        let anySigner = try body.bool("anySigner") ?? false
        try body.finish()
        let policy: VerificationPolicy
        do {
            policy = try VerificationPolicy.artifact(
                issuer: issuer, identity: identity, provenance: provenance, acceptingStated: acceptingStated, anySigner: anySigner)
        } catch { throw APIError(.badRequest, error.code.rawValue, error.reason) }
        let owner = try await authorizeRead(caller, of: name)
        let records = owner == nil ? [] : try await store.signatures(name: name).filter { $0.attestation == nil }
        let signatures = try records.map {
            ArtifactVerifier.Signature(
                id: $0.id, bundle: try SigstoreBundle(jsonBytes: $0.bundle), namespace: $0.namespace, statedProvenance: $0.statedProvenance)
        }
        let revocations = owner == nil ? [] : try await store.revocations(name: name).map(\.statement)
        let report = artifactVerifier.verify(
            name: name, owner: owner ?? "", signatures: signatures, revocations: revocations, policy: policy, now: timeSource.now())
        let outcome = report.outcome
        try await auditEvents.submit(
            AuditEvent(
                time: timeSource.now(), actor: caller.actor, action: "artifact.verify", subject: name.description, origin: context.origin,
                detail: outcome.verified ? "verified by \(outcome.signature ?? "")" : "failed: \(outcome.code)", namespace: owner))
        return Response.json(
            .object(
                JSONObject([
                    ("name", .string(name.description)), ("verified", .bool(outcome.verified)),
                    ("signature", outcome.signature.map(JSONValue.string) ?? .null), ("code", .string(outcome.code)), ("message", .string(outcome.message)),
                    (
                        "signatures",
                        .array(
                            report.signatures.map { signature in
                                var members: [(String, JSONValue)] = [("id", .string(signature.id)), ("verified", .bool(signature.report.isVerified))]
                                if case .failure(let error) = signature.report.result {
                                    members += [("code", .string(error.code.rawValue)), ("message", .string(error.reason))]
                                }
                                members.append(
                                    (
                                        "checks",
                                        .array(
                                            signature.report.checks.map { check in
                                                .object(
                                                    JSONObject([
                                                        ("name", .string(check.name)), ("passed", .bool(check.passed)), ("detail", .string(check.detail)),
                                                    ]))
                                            })
                                    ))
                                return .object(JSONObject(members))
                            })
                    ),
                ])))
    }

    /// The listing a request's query asks for, within the namespaces `caller` may read: a
    /// `namespace` it may not read is refused (403).
    func signatureFilter(_ request: Request, readableBy caller: Caller) throws -> SignatureFilter {
        var filter = SignatureFilter()
        filter.namespaces = try readableNamespaces(of: caller, selecting: request.query("namespace"))
        filter.sourceRepository = request.query("sourceRepository")
        filter.sourceRepositoryRef = request.query("sourceRepositoryRef")
        filter.repositoryPrefix = request.query("repository")
        filter.since = try request.timeQuery("since")
        if let status = request.query("status") {
            guard let value = SignatureFilter.Status(rawValue: status) else {
                throw APIError(.badRequest, "invalid-query", "status: expected active or revoked, found \"\(ProtoJSONObject.preview(status))\"")
            }
            filter.status = value
        }
        return filter
    }

    static func limit(_ text: String, max: Int) throws -> Int {
        guard let value = Int(text), (1...max).contains(value) else {
            throw APIError(.badRequest, "invalid-query", "limit: expected a whole number from 1 to \(max), found \"\(ProtoJSONObject.preview(text))\"")
        }
        return value
    }
}

extension ArtifactVerifier.Report {
    /// The answer in one line: which signature passed, or why none did.
    var outcome: (verified: Bool, signature: String?, code: String, message: String) {
        if let verified {
            return (true, verified.id, "verified", "\(name) verified: signature \(verified.id)")
        }
        guard hasSignatures else {
            return (false, nil, "no-signature", "no signature for \(name)")
        }
        let codes = Set(failures.map(\.error.code.rawValue))
        return (
            false, nil, codes.count == 1 ? codes.first ?? "verification-failed" : "verification-failed",
            "no signature of \(name) passed: " + failures.map { "signature \($0.id): \($0.error.code.rawValue): \($0.error.reason)" }.joined(separator: "; ")
        )
    }
}

extension Request {
    /// A query parameter, percent-decoded; nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return String(value)
    }

    /// An RFC 3339 time query parameter; nil when absent.
    func timeQuery(_ name: String) throws -> Timestamp? {
        guard let text = query(name) else { return nil }
        guard let time = Timestamp(rfc3339: text) else {
            throw APIError(.badRequest, "invalid-query", "\(name): expected an RFC 3339 time, found \"\(ProtoJSONObject.preview(text))\"")
        }
        return time
    }

    func requiredQuery(_ name: String) throws -> String {
        guard let value = query(name) else {
            throw APIError(.badRequest, "invalid-query", "expected query parameter \(name), found none")
        }
        return value
    }
}
