import Hummingbird
import SignetCore
import SignetPolicy
import SignetStore

/// The deploy gate (`POST /api/signet/v1/admit`): may this digest-pinned artifact run in this
/// environment? The answer comes from the one policy engine over what the store holds for
/// the name, within a deadline, failing closed, and every decision is audited.
extension SignetServices {
    /// The longest a decision may take before the gate refuses (`deadline-exceeded`): below
    /// Kubernetes' default webhook timeout of 10 s.
    static let gateDeadlineSeconds = 5

    func addGateRoutes(to router: Router<SignetRequestContext>) {
        router.post("\(Self.artifactAPI)/admit") { request, context in
            try await self.admit(request, context: context)
        }
    }

    private func admit(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let caller = try await caller(request)
        if let caller { try requireKeyScope(caller, .verify) }
        var body = try await jsonBody(request, limit: 16 << 10)
        let nameText = try body.string("name")
        let image = try body.string("image")
        let environment = try body.requiredString("environment")
        let explain = try body.bool("explain") ?? false
        let summary = try body.bool("vsa") ?? false
        try body.finish()
        guard (nameText == nil) != (image == nil), let subject = nameText ?? image else {
            throw APIError(.badRequest, "invalid-request", "expected exactly one of name and image, found \(nameText == nil ? "neither" : "both")")
        }
        try Self.checkEnvironment(environment)
        let decision = try await decide(subject, environment: environment)
        try await auditEvents.submit(
            AuditEvent(
                time: timeSource.now(), actor: caller?.actor ?? "anonymous", action: "gate.admit", subject: subject, origin: context.origin,
                detail: "\(environment): \(decision.code.rawValue) under \(decision.policyDigest)"))
        var answer = Self.answer(decision, subject: subject, environment: environment, explain: explain)
        // A verification summary needs a digest to be about: a reference by tag has none.
        if summary, let name = try? ArtifactName(parsing: subject) {
            let statement = VerificationSummary.statement(
                decision, name: name, environment: environment, verifier: gateIdentity, time: timeSource.now(),
                entryURI: { [publicURL] in "\(publicURL)/api/v1/log/entries?logIndex=\($0)" })
            answer["vsa"] = try await signAttestation(statement, as: gateIdentity, origin: context.origin).json
        }
        return Response.json(.object(answer))
    }

    /// Refuses (400) an environment that cannot be one a policy names.
    static func checkEnvironment(_ environment: String) throws {
        guard PolicyDocument.isIdentifier(environment) else {
            throw APIError(
                .badRequest, "invalid-request",
                "environment: expected 1 to 63 of a-z, 0-9 and inner hyphens, found \"\(ProtoJSONObject.preview(environment))\"")
        }
    }

    /// The decision for `subject` (a digest-pinned name or image reference) in `environment`:
    /// a reference by tag is refused (`not-pinned`), a decision that outlasts the deadline too.
    func decide(_ subject: String, environment: String) async throws -> Decision {
        let now = timeSource.now()
        guard subject.contains("@sha256:") else {
            return Decision.refused(
                .notPinned,
                "expected an image pinned by digest (…@sha256:<64 hex>), found \"\(ProtoJSONObject.preview(subject))\": a tag can be moved after it is admitted",
                now: now)
        }
        let name = try Self.artifactName(subject)
        do {
            return try await withDeadline(.seconds(Self.gateDeadlineSeconds), timeout: GateDeadline()) {
                let evidence = try await self.evidence(for: name)
                return self.policyEngine.decide(environment: environment, policies: try await self.policiesInForce(), evidence: evidence, now: now)
            }
        } catch is GateDeadline {
            return Decision.refused(
                .deadlineExceeded, "expected a decision within \(Self.gateDeadlineSeconds) s, found none: refused rather than admitted unchecked", now: now)
        }
    }

    /// What the store holds for `name`: its signatures and attestations (each bundle whole),
    /// the namespace that owns it, its revocations.
    func evidence(for name: ArtifactName) async throws -> Evidence {
        var items: [Evidence.Item] = []
        for record in try await store.signatures(name: name) {
            let bundle = record.attestation == nil ? try SigstoreBundle(jsonBytes: record.bundle) : try await attestationBundle(record)
            items.append(Evidence.Item(id: record.id, bundle: bundle, namespace: record.namespace, statedProvenance: record.statedProvenance))
        }
        return Evidence(
            name: name, owner: try await owningNamespace(of: name) ?? "", items: items, revocations: try await store.revocations(name: name).map(\.statement))
    }

    /// The decision as `/admit` answers it.
    static func answer(_ decision: Decision, subject: String, environment: String, explain: Bool) -> JSONObject {
        var members: [(String, JSONValue)] = [
            ("allowed", .bool(decision.allowed)), ("code", .string(decision.code.rawValue)), ("message", .string(decision.message)),
            ("subject", .string(subject)), ("environment", .string(environment)), ("policyDigest", .string(decision.policyDigest)),
            (
                "policies",
                .array(
                    decision.policies.map {
                        .object(JSONObject([("name", .string($0.name)), ("digest", .string($0.digest)), ("mode", .string($0.mode.rawValue))]))
                    })
            ),
            (
                "evidence",
                .array(
                    decision.evidence.map { used in
                        .object(
                            JSONObject([
                                ("id", .string(used.id)), ("predicateType", used.predicateType.map(JSONValue.string) ?? .null),
                                ("identity", .string(used.identity)), ("issuer", .string(used.issuer)),
                                ("logIndex", used.logIndex.map(JSONValue.integer) ?? .null),
                            ]))
                    })
            ),
            ("warnings", .array(decision.warnings.map(JSONValue.string))), ("expiresAt", .string(decision.expiresAt.rfc3339)),
        ]
        if explain {
            members.append(
                (
                    "checks",
                    .array(
                        decision.checks.map {
                            .object(
                                JSONObject([
                                    ("policy", .string($0.policy)), ("rule", .string($0.rule)), ("passed", .bool($0.passed)), ("detail", .string($0.detail)),
                                ]))
                        })
                ))
        }
        return JSONObject(members)
    }
}

/// The gate's deadline passed before its decision.
struct GateDeadline: Error {}
