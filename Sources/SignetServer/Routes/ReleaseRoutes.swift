import Hummingbird
import SignetCore
import SignetPolicy
import SignetStore
import X509

/// Release quorums (`/api/signet/v1/releases`): a request to release a digest-pinned name
/// under its policy's quorum, approvals signed by each approver, and the quorum attestation the
/// server states once they suffice. Requests, approvals and quorum attestations are
/// attestations of the name, so the gate, verification by name and exports see them like any
/// evidence, and every count is made by ``QuorumCounter`` from the approval bundles themselves.
extension SignetServices {
    static let releaseAPI = "\(artifactAPI)/releases"

    func addReleaseRoutes(to routes: AccessRoutes) {
        routes.caller(.post, Self.releaseAPI, anyOf: [.sign]) { request, context, caller in
            try await self.openRelease(request, context: context, caller: caller)
        }
        routes.caller(.get, Self.releaseAPI, anyOf: RouteAccess.reading) { request, _, caller in
            let name = try Self.artifactName(try request.requiredQuery("name"))
            guard try await self.authorizeRead(caller, of: name) != nil else {
                throw APIError(.notFound, "no-signature", "no signature is registered for \(name)")
            }
            let now = self.timeSource.now()
            let requests = try await self.releases(of: name, now: now).map { Self.json($0.request, item: $0.item, tally: $0.tally, now: now) }
            return Response.json(.object(JSONObject([("name", .string(name.description)), ("requests", .array(requests))])))
        }
        routes.caller(.post, "\(Self.releaseAPI)/approvals", anyOf: RouteAccess.reading.union([.sign])) { request, context, caller in
            try await self.approveRelease(request, context: context, caller: caller)
        }
    }

    /// The release requests and approvals registered under `name` (a bundle that does not read
    /// is no evidence of either), with the namespace that owns it.
    func releaseEvidence(for name: ArtifactName) async throws -> Evidence {
        var items: [Evidence.Item] = []
        for record in try await store.signatures(name: name)
        where record.attestation.map({ [ReleaseRequest.predicateType, Approval.predicateType].contains($0.predicateType) }) ?? false {
            guard let bundle = try? await attestationBundle(record) else { continue }
            items.append(Evidence.Item(id: record.id, bundle: bundle, namespace: record.namespace, statedProvenance: record.statedProvenance))
        }
        return Evidence(name: name, owner: try await owningNamespace(of: name) ?? "", items: items, revocations: [])
    }

    /// The release requests of `name` the release authority stated, newest first, each with its
    /// tally against the quorum in force: what the API and the web UI show.
    func releases(of name: ArtifactName, now: Timestamp) async throws -> [(item: Evidence.Item, request: ReleaseRequest, tally: QuorumCounter.Tally)] {
        let evidence = try await releaseEvidence(for: name)
        let requests = ReleaseRequest.stated(in: evidence, by: releaseAuthority, verifier: artifactVerifier.verifier, now: now)
        guard !requests.isEmpty else { return [] }
        let policies = try await policiesInForce()
        let approvals = Approval.items(in: evidence)
        let counter = QuorumCounter(verifier: artifactVerifier.verifier)
        return requests.map { item, request in
            (item, request, counter.tally(request, current: policies.first { $0.name == request.policy }?.quorum, approvals: approvals, now: now))
        }
    }

    /// Who states release requests: this server, as `<server>/signet/release`.
    var releaseAuthority: PolicyEngine.ReleaseAuthority {
        PolicyEngine.ReleaseAuthority(identity: ReleaseRequest.authorityIdentity(server: publicURL), issuer: publicURL)
    }

    /// Opens a release request: the caller must hold `sign` in the namespace owning the name,
    /// and a policy for the environment covering it must require a quorum (with break-glass
    /// allowed, for a break-glass request, which needs a reason and is always alerted).
    private func openRelease(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
        var body = try await jsonBody(request, limit: 16 << 10)
        let name = try Self.artifactName(try body.requiredString("name"))
        let environment = try body.requiredString("environment")
        let breakGlass = try body.bool("breakGlass") ?? false
        let reason = try body.string("reason") ?? ""
        try body.finish()
        guard PolicyDocument.isIdentifier(environment) else {
            throw APIError(
                .badRequest, "invalid-request", "environment: expected 1 to 63 of a-z, 0-9 and inner hyphens, found \"\(ProtoJSONObject.preview(environment))\""
            )
        }
        guard reason.utf8.count <= Approval.maxJustificationBytes, reason.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw APIError(.badRequest, "invalid-request", "reason: expected at most \(Approval.maxJustificationBytes) bytes of printable text")
        }
        guard !breakGlass || !reason.isEmpty else {
            throw APIError(.badRequest, "invalid-request", "a break-glass request needs a reason: expected \"reason\", found none")
        }
        guard let owner = try await owningNamespace(of: name), try await store.namespace(of: name) != nil else {
            throw APIError(.notFound, "no-signature", "no signature is registered for \(name): there is nothing to release")
        }
        try authorize(caller, .sign, in: owner)
        // The requester is a person the quorum can tell apart from its approvers: an API key
        // is a pipeline's, and its creator could approve what it asked for.
        guard case .identity = caller.credential else {
            throw APIError(.forbidden, "identity-required", "expected a release request from a person's identity token, found an API key")
        }
        let applying = PolicyEngine.policies(applyingTo: name, owner: owner, environment: environment, from: try await policiesInForce())
        guard let policy = applying.last(where: { $0.quorum != nil }), let quorum = policy.quorum else {
            throw APIError(
                .conflict, "no-quorum", "expected a policy for \(environment) covering \(name.nameWithoutDigest) that requires a quorum, found none")
        }
        guard !breakGlass || quorum.breakGlass != nil else {
            throw APIError(.conflict, "no-break-glass", "the quorum of policy \(policy.name) allows no break-glass release")
        }
        let now = timeSource.now()
        let release = ReleaseRequest(
            id: Hex.encode(secureRandomBytes(16)), name: name, environment: environment, policy: policy.name, quorum: quorum,
            requesterIssuer: caller.issuer, requester: caller.actor, createdAt: now, breakGlass: breakGlass, reason: reason)
        let bundle = try await signAttestation(release.statement, as: releaseAuthority.identity, origin: context.origin)
        _ = try await storeAttestation(
            bundle, name: name, namespace: owner, signer: (releaseAuthority.identity, publicURL),
            event: AuditEvent(
                time: now, actor: caller.actor, action: breakGlass ? "release.break-glass" : "release.request", subject: release.reference,
                origin: context.origin, detail: "\(name) to \(environment) under policy \(policy.name)" + (reason.isEmpty ? "" : ": \(reason)"),
                namespace: owner))
        if breakGlass {
            // Break glass is always alerted: an alert event beside the audit trail, and a metric.
            try await store.record(events: [
                AuditEvent(
                    time: now, actor: caller.actor, action: "alert.raised", subject: release.reference, origin: context.origin,
                    detail: "break-glass release of \(name) to \(environment) requested by \(caller.actor): \(reason)", namespace: owner)
            ])
            metrics.observeAlert("break-glass")
        }
        warmDecisions(after: name)
        var answer = Self.json(release, item: nil, tally: nil, now: now)
        if case .object(var object) = answer {
            object["logIndex"] = .integer(bundle.tlogEntries[0].logIndex)
            answer = .object(object)
        }
        return Response.json(answer, status: .created)
    }

    /// Takes one approval (or rejection) of a request: refused, with nothing written, unless the
    /// request exists and is open and the approval counts (``QuorumCounter``: verified,
    /// about this digest and request, in time, by a member of its role who is not the
    /// requester, not already counted). The approval that completes the quorum makes the server
    /// state a quorum attestation listing the approvals' log entries.
    private func approveRelease(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
        var body = try await jsonBody(request, limit: SigstoreBundle.maxBytes)
        let reference = try body.requiredString("request")
        let bundleValue = try body.required("bundle")
        try body.finish()
        guard let (name, id) = ReleaseRequest.parse(reference: reference) else {
            throw APIError(.badRequest, "invalid-request", "request: expected NAME@sha256:HEX#ID, found \"\(ProtoJSONObject.preview(reference))\"")
        }
        guard let owner = try await authorizeRead(caller, of: name) else {
            throw APIError(.notFound, "unknown-request", "no release request \(id) of \(name)")
        }
        let bundle: SigstoreBundle
        do { bundle = try SigstoreBundle(json: bundleValue) } catch { throw APIError(.badRequest, "invalid-approval", "bundle: \(error)") }
        guard let entry = bundle.tlogEntries.first else { throw APIError(.badRequest, "invalid-approval", "expected a bundle with a log entry, found none") }
        let evidence = try await releaseEvidence(for: name)
        let now = timeSource.now()
        guard
            let (_, release) = ReleaseRequest.stated(in: evidence, by: releaseAuthority, verifier: artifactVerifier.verifier, now: now).first(where: {
                $0.request.id == id
            })
        else {
            throw APIError(.notFound, "unknown-request", "no release request \(id) of \(name)")
        }
        guard now <= release.expiresAt else {
            throw APIError(.conflict, "request-expired", "release request \(id) expired at \(release.expiresAt); open a new one")
        }
        let current = try await policiesInForce().first { $0.name == release.policy }?.quorum
        let counter = QuorumCounter(verifier: artifactVerifier.verifier)
        let approvals = Approval.items(in: evidence)
        let before = counter.tally(release, current: current, approvals: approvals, now: now)
        guard !before.rejected else { throw APIError(.conflict, "request-rejected", "release request \(id) was rejected; open a new one") }
        let item = Evidence.Item(id: Hex.encode(Merkle.leafHash(entry.canonicalizedBody)), bundle: bundle, namespace: owner)
        let after = counter.tally(release, current: current, approvals: approvals + [item], now: now)
        guard let counted = after.counted.first(where: { $0.id == item.id }) else {
            let reason = after.refused.first { $0.id == item.id }?.reason ?? "it approves another request"
            throw APIError(.forbidden, "approval-refused", "the approval does not count toward release request \(id): \(reason)")
        }
        let action = counted.decision == .approve ? "release.approve" : "release.reject"
        _ = try await storeAttestation(
            bundle, name: name, namespace: owner, signer: (counted.identity ?? counted.keyFingerprint, counted.issuer ?? "key"),
            event: AuditEvent(
                time: now, actor: caller.actor, action: action, subject: release.reference, origin: context.origin,
                detail: "\(counted.approver) as \(counted.role) on \(name)", namespace: owner))
        var answer: [(String, JSONValue)] = [
            ("request", .string(release.reference)), ("counted", .bool(true)), ("decision", .string(counted.decision.rawValue)),
            ("status", .string(Self.status(release, tally: after, now: now))), ("missing", .array(after.missing.map(JSONValue.string))),
        ]
        if after.met && !before.met {
            let quorum = try await stateQuorum(release, tally: after, namespace: owner, context: context, caller: caller)
            answer.append(("quorumAttestation", .object(JSONObject([("logIndex", .integer(quorum.tlogEntries[0].logIndex))]))))
        }
        warmDecisions(after: name)
        return Response.json(.object(JSONObject(answer)), status: .created)
    }

    /// The server's statement that a request met its quorum: the approvals counted, each by its
    /// log entry, for auditors; verifiers still recount from the approvals themselves.
    private func stateQuorum(_ release: ReleaseRequest, tally: QuorumCounter.Tally, namespace: String, context: SignetRequestContext, caller: Caller)
        async throws -> SigstoreBundle
    {
        let approvals = tally.counted.map { counted in
            JSONValue.object(
                JSONObject([
                    ("id", .string(counted.id)), ("role", .string(counted.role)), ("approver", .string(counted.approver)),
                    ("keyFingerprint", .string(counted.keyFingerprint)), ("time", .string(counted.time.rfc3339)),
                    ("logIndex", counted.logIndex.map(JSONValue.integer) ?? .null),
                ]))
        }
        let statement = InTotoStatement(
            subjects: [.init(name: release.name.nameWithoutDigest, digest: ["sha256": Hex.encode(release.name.digest)])],
            predicateType: ReleaseRequest.quorumPredicateType,
            predicate: .object(
                JSONObject([
                    ("request", .string(release.id)), ("policy", .string(release.policy)), ("environment", .string(release.environment)),
                    ("breakGlass", .bool(release.breakGlass)), ("metAt", .string((tally.metAt ?? timeSource.now()).rfc3339)), ("approvals", .array(approvals)),
                ])))
        let bundle = try await signAttestation(statement, as: releaseAuthority.identity, origin: context.origin)
        _ = try await storeAttestation(
            bundle, name: release.name, namespace: namespace, signer: (releaseAuthority.identity, publicURL),
            event: AuditEvent(
                time: timeSource.now(), actor: caller.actor, action: "release.quorum-met", subject: release.reference, origin: context.origin,
                detail: "approved by \(tally.counted.map(\.approver).joined(separator: ", "))", namespace: namespace))
        return bundle
    }

    /// Stores an attestation bundle as evidence of `name`: its payload by digest, the bundle
    /// without it, with its audit event, in one transaction.
    private func storeAttestation(
        _ bundle: SigstoreBundle, name: ArtifactName, namespace: String, signer: (identity: String, issuer: String), event: AuditEvent
    ) async throws -> SignatureRecord {
        guard case .dsseEnvelope(var envelope) = bundle.content, let entry = bundle.tlogEntries.first,
            let statement = try? InTotoStatement(payload: envelope.payload, parser: JSONParser(maxBytes: SigstoreBundle.maxBytes, maxDepth: 64))
        else {
            throw APIError(.badRequest, "invalid-approval", "expected an in-toto statement in a DSSE envelope with a log entry")
        }
        let payload = envelope.payload
        envelope.payload = []
        var stored = bundle
        stored.content = .dsseEnvelope(envelope)
        let serial = bundle.signer.leafCertificate.flatMap { try? Certificate(derEncoded: $0) }.map { Hex.encode($0.serialNumber.bytes) } ?? ""
        let record = SignatureRecord(
            id: Hex.encode(Merkle.leafHash(entry.canonicalizedBody)), namespace: namespace, name: name, identity: signer.identity, issuer: signer.issuer,
            provenance: [:], statedProvenance: [:], logIndex: entry.logIndex,
            signedAt: Timestamp(seconds: entry.integratedTime > 0 ? entry.integratedTime : event.time.seconds),
            certificateSerial: serial, bundle: stored.json.compactBytes(),
            attestation: SignatureRecord.Attestation(predicateType: statement.predicateType, payloadDigest: Hex.encode(sha256(payload))))
        let registered = try await store.register(record, attestationPayload: payload, event: event)
        guard registered.id == record.id, registered.name == name else {
            throw APIError(.conflict, "already-registered", "expected an approval not yet registered, found it registered under \(registered.name)")
        }
        return registered
    }

    static func status(_ release: ReleaseRequest, tally: QuorumCounter.Tally, now: Timestamp) -> String {
        if tally.rejected { return "rejected" }
        if tally.met { return release.breakGlass && release.expiresAt <= now ? "expired" : "approved" }
        return release.expiresAt < now ? "expired" : "open"
    }

    /// A request as the API shows it: with its tally, when counted.
    static func json(_ release: ReleaseRequest, item: Evidence.Item?, tally: QuorumCounter.Tally?, now: Timestamp) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("request", .string(release.reference)), ("id", .string(release.id)), ("name", .string(release.name.description)),
            ("environment", .string(release.environment)), ("policy", .string(release.policy)),
            ("requester", .object(JSONObject([("identity", .string(release.requester)), ("issuer", .string(release.requesterIssuer))]))),
            ("createdAt", .string(release.createdAt.rfc3339)), ("expiresAt", .string(release.expiresAt.rfc3339)), ("breakGlass", .bool(release.breakGlass)),
            (
                "roles",
                .array(
                    release.breakGlass
                        ? [.object(JSONObject([("name", .string(ReleaseRequest.breakGlassRole)), ("min", .integer(release.quorum.breakGlass?.min ?? 0))]))]
                        : release.quorum.roles.map { .object(JSONObject([("name", .string($0.name)), ("min", .integer($0.min))])) })
            ),
            ("total", .integer(release.breakGlass ? release.quorum.breakGlass?.min ?? 0 : release.quorum.total)),
        ]
        if !release.reason.isEmpty { members.append(("reason", .string(release.reason))) }
        if let item { members.append(("logIndex", item.bundle.tlogEntries.first.map { JSONValue.integer($0.logIndex) } ?? .null)) }
        if let tally {
            members.append(("status", .string(status(release, tally: tally, now: now))))
            members.append(
                (
                    "approvals",
                    .array(
                        tally.counted.map { counted in
                            .object(
                                JSONObject([
                                    ("id", .string(counted.id)), ("approver", .string(counted.approver)), ("role", .string(counted.role)),
                                    ("decision", .string(counted.decision.rawValue)), ("time", .string(counted.time.rfc3339)),
                                    ("logIndex", counted.logIndex.map(JSONValue.integer) ?? .null),
                                ]))
                        })
                ))
            members.append(
                ("refused", .array(tally.refused.map { .object(JSONObject([("id", .string($0.id)), ("reason", .string($0.reason))])) })))
            members.append(("missing", .array(tally.missing.map(JSONValue.string))))
        }
        return .object(JSONObject(members))
    }
}
