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

    /// The most subjects one `verify:batch` request may ask about.
    static let maxBatchSubjects = 1000

    func addGateRoutes(to routes: AccessRoutes) {
        routes.caller(.post, "\(Self.artifactAPI)/admit", anyOf: [.verify]) { request, context, caller in
            try await self.admit(request, context: context, caller: caller)
        }
        routes.caller(.post, "\(Self.artifactAPI)/verify:batch", anyOf: [.verify]) { request, context, caller in
            try await self.verifyBatch(request, context: context, caller: caller)
        }
        routes.caller(.post, "\(Self.artifactAPI)/gate/export", anyOf: [.verify]) { request, context, caller in
            try await self.exportGate(request, context: context, caller: caller)
        }
    }

    /// `POST /api/signet/v1/gate/export {environment, names?, validForSeconds?}`: the gate for
    /// one environment, signed for deciding offline (``GateExport``): the policies, the
    /// trusted root, every revocation, and a verdict on each given name (default: every name
    /// with an unrevoked signature in a namespace where the caller holds verify), valid for
    /// `validForSeconds` (default a day, at most a week). Revocations and verdicts are only
    /// those of namespaces the caller may read. The server signs and logs every export: only a
    /// caller who may verify somewhere may make it do so (the route's rule).
    private func exportGate(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
        var body = try await jsonBody(request, limit: 2 << 20)
        let environment = try body.requiredString("environment")
        let listed = try body.array("names")
        let validFor = try body.int64("validForSeconds") ?? 86_400
        try body.finish()
        try Self.checkEnvironment(environment)
        guard (60...GateExport.maxLifetimeSeconds).contains(validFor) else {
            throw APIError(.badRequest, "invalid-request", "validForSeconds: expected 60 to \(GateExport.maxLifetimeSeconds), found \(validFor)")
        }
        guard listed.count <= GateExport.maxVerdicts else {
            throw APIError(.badRequest, "invalid-request", "names: expected at most \(GateExport.maxVerdicts), found \(listed.count)")
        }
        var subjects = try listed.map { (value, path) in
            guard case .string(let name) = value else { throw APIError(.badRequest, "invalid-request", "\(path): expected a string, found \(value.typeName)") }
            return name
        }
        if listed.isEmpty { subjects = try await activeNames(in: namespaces(of: caller, granting: .verify)) }
        let policies = try await policiesInForce()
        guard policies.contains(where: { $0.scope.environment == environment }) else {
            throw APIError(.badRequest, "unknown-environment", "expected an environment a policy names, found \"\(environment)\"")
        }
        let now = timeSource.now()
        var verdicts: [GateExport.Verdict] = []
        for subject in subjects {
            let decision = try await decide(subject, environment: environment, for: caller, lifetimeSeconds: validFor)
            verdicts.append(GateExport.Verdict(subject: subject, decision: decision))
        }
        let export = GateExport(
            server: publicURL, environment: environment, time: now, expiresAt: Timestamp(seconds: now.seconds + validFor), policies: policies,
            trustedRoot: artifactVerifier.verifier.trust.trustedRoot,
            revocations: try await readableRevocations(caller).map(\.statement), verdicts: verdicts)
        let bytes = export.json.compactBytes()
        let bundle = try await signStatement(bytes, as: gateIdentity, origin: context.origin)
        try await auditEvents.submit(
            AuditEvent(
                time: now, actor: caller.actor, action: "gate.export", subject: environment, origin: context.origin,
                detail:
                    "\(verdicts.count) verdicts, \(verdicts.filter(\.allowed).count) admitted, until \(export.expiresAt); log index \(bundle.tlogEntries[0].logIndex)"
            ))
        return Response.json(GateExport.Signed(exportBytes: bytes, bundle: bundle).json)
    }

    /// Every digest-pinned name with an unrevoked signature in `namespaces`, at most
    /// ``GateExport/maxVerdicts``.
    private func activeNames(in namespaces: [String]) async throws -> [String] {
        var names: [String] = []
        var seen = Set<ArtifactName>()
        var after: String?
        while true {
            let page = try await store.signatures(SignatureFilter(namespaces: namespaces, status: .active), after: after, limit: 1000)
            for record in page where seen.insert(record.name).inserted {
                names.append(record.name.description)
            }
            guard names.count <= GateExport.maxVerdicts else {
                throw APIError(
                    .badRequest, "invalid-request",
                    "names: the store holds more than \(GateExport.maxVerdicts) names with signatures, more than one export carries: give the names to export")
            }
            guard page.count == 1000, let last = page.last else { return names }
            after = last.id
        }
    }

    /// `POST /api/signet/v1/verify:batch {environment, subjects[], explain?}`: the gate's
    /// decision for each subject, in order, every one of them decided and audited whatever
    /// the others' outcomes; the answer counts the admitted and the refused.
    private func verifyBatch(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
        var body = try await jsonBody(request, limit: 512 << 10)
        let environment = try body.requiredString("environment")
        let explain = try body.bool("explain") ?? false
        let listed = try body.array("subjects")
        try body.finish()
        guard (1...Self.maxBatchSubjects).contains(listed.count) else {
            throw APIError(.badRequest, "invalid-request", "subjects: expected 1 to \(Self.maxBatchSubjects) subjects, found \(listed.count)")
        }
        let subjects = try listed.map { (value, path) in
            guard case .string(let subject) = value else {
                throw APIError(.badRequest, "invalid-request", "\(path): expected a name or image as a string, found \(value.typeName)")
            }
            return subject
        }
        try Self.checkEnvironment(environment)
        // Decided two at a time: the store and the verifier are shared with every other request.
        var decisions = [Decision?](repeating: nil, count: subjects.count)
        try await withThrowingTaskGroup(of: (Int, Decision).self) { group in
            var next = 0
            func start() {
                guard next < subjects.count else { return }
                let index = next
                next += 1
                group.addTask { (index, try await self.decide(subjects[index], environment: environment, for: caller)) }
            }
            start()
            start()
            while let (index, decision) = try await group.next() {
                decisions[index] = decision
                start()
            }
        }
        var results: [JSONValue] = []
        var events: [AuditEvent] = []
        var admissions: [(subject: String, namespace: String, decision: Decision)] = []
        for (subject, decision) in zip(subjects, decisions) {
            guard let decision else { throw APIError(.internalServerError, "internal", "a batch decision is missing") }
            let namespace = try await namespace(ofSubject: subject)
            events.append(
                AuditEvent(
                    time: timeSource.now(), actor: caller.actor, action: "gate.admit", subject: subject, origin: context.origin,
                    detail: "\(environment) (batch): \(decision.code.rawValue) under \(decision.policyDigest)", namespace: namespace))
            if decision.allowed, let namespace { admissions.append((subject, namespace, decision)) }
            results.append(.object(Self.answer(decision, subject: subject, environment: environment, explain: explain)))
        }
        // Every decision audited before the answer, together: one group commit, not one each;
        // the admitted join the inventory the same way.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for event in events { group.addTask { try await self.auditEvents.submit(event) } }
            for admission in admissions {
                group.addTask {
                    try await self.recordAdmission(
                        admission.subject, namespace: admission.namespace, environment: environment, decision: admission.decision, caller: caller)
                }
            }
            try await group.waitForAll()
        }
        let admitted = decisions.filter { $0?.allowed == true }.count
        return Response.json(
            .object(
                JSONObject([
                    ("environment", .string(environment)), ("admitted", .integer(admitted)), ("refused", .integer(subjects.count - admitted)),
                    ("results", .array(results)),
                ])))
    }

    /// ``decide(_:environment:lifetimeSeconds:observed:)`` for `caller` and one subject of
    /// many, where a subject that is not a name is that subject's refusal (`invalid-name`), and
    /// so is one a namespace owns in which the caller does not hold verify
    /// (`namespace-denied`, decided before any of its evidence is read).
    func decide(_ subject: String, environment: String, for caller: Caller, lifetimeSeconds: Int64 = PolicyEngine.maxLifetimeSeconds) async throws
        -> Decision
    {
        do {
            try await authorizeDecision(subject, for: caller)
            return try await decide(subject, environment: environment, lifetimeSeconds: lifetimeSeconds)
        } catch let error as APIError where error.code == "invalid-name" {
            return Decision.refused(.invalidName, error.message, now: timeSource.now())
        } catch let error as APIError where error.code == "namespace-denied" {
            return Decision.refused(.namespaceDenied, error.message, now: timeSource.now())
        }
    }

    /// Refuses (403 `namespace-denied`) a subject owned by a namespace in which `caller` does
    /// not hold verify. A subject that is not a digest-pinned name has no owner: the gate
    /// refuses it for what it is.
    /// Answers the owning namespace, if any.
    @discardableResult
    func authorizeDecision(_ subject: String, for caller: Caller) async throws -> String? {
        guard let owner = try await namespace(ofSubject: subject) else { return nil }
        try authorize(caller, .verify, in: owner)
        return owner
    }

    /// The namespace owning a subject of the gate, if it is a digest-pinned name one owns.
    func namespace(ofSubject subject: String) async throws -> String? {
        guard subject.contains("@sha256:"), let name = try? ArtifactName(parsing: subject) else { return nil }
        return try await owningNamespace(of: name)
    }

    private func admit(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
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
        // A single admission about another namespace's subject is refused outright (403).
        let owner = try await authorizeDecision(subject, for: caller)
        let decision = try await decide(subject, environment: environment)
        try await auditEvents.submit(
            AuditEvent(
                time: timeSource.now(), actor: caller.actor, action: "gate.admit", subject: subject, origin: context.origin,
                detail: "\(environment): \(decision.code.rawValue) under \(decision.policyDigest)", namespace: owner))
        if let owner { try await recordAdmission(subject, namespace: owner, environment: environment, decision: decision, caller: caller) }
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
    /// A decision made at the same evidence stamp and still valid is reused (``VerdictCache``);
    /// the time each takes is observed in the metrics unless `observed` is false (warming).
    func decide(
        _ subject: String, environment: String, lifetimeSeconds: Int64 = PolicyEngine.maxLifetimeSeconds, observed: Bool = true
    ) async throws -> Decision {
        let now = timeSource.now()
        guard subject.contains("@sha256:") else {
            return Decision.refused(
                .notPinned,
                "expected an image pinned by digest (…@sha256:<64 hex>), found \"\(ProtoJSONObject.preview(subject))\": a tag can be moved after it is admitted",
                now: now)
        }
        let name = try Self.artifactName(subject)
        let clock = ContinuousClock()
        let start = clock.now
        // The stamp first (the store bounds its read): evidence changed after it makes the
        // decision unreusable. A reused decision is the gate's hot path, a lookup.
        let stamp = try await store.evidenceStamp(name: name)
        let key = VerdictCache.Key(name: name, environment: environment, lifetimeSeconds: lifetimeSeconds)
        if let cached = verdicts.decision(for: key, stamp: stamp, now: now) {
            if observed { metrics.observeGateDecision(cached: true, seconds: (clock.now - start).inSeconds) }
            return cached
        }
        do {
            return try await withDeadline(.seconds(Self.gateDeadlineSeconds) - (clock.now - start), timeout: GateDeadline()) {
                let evidence = try await self.evidence(for: name)
                let decision = self.policyEngine.decide(
                    environment: environment, policies: try await self.policiesInForce(), evidence: evidence, now: now, lifetimeSeconds: lifetimeSeconds)
                self.verdicts.keep(decision, for: key, stamp: stamp, now: now)
                if observed { self.metrics.observeGateDecision(cached: false, seconds: (clock.now - start).inSeconds) }
                return decision
            }
        } catch is GateDeadline {
            return Decision.refused(
                .deadlineExceeded, "expected a decision within \(Self.gateDeadlineSeconds) s, found none: refused rather than admitted unchecked", now: now)
        }
    }

    /// The most decisions made anew after a change that invalidates them all.
    static let maxWarmedDecisions = 1000

    /// Makes, in the background, the decisions a change has invalidated, so that the next
    /// admission of the same subjects is a lookup: after a registration, `name`'s decision in
    /// every environment a policy names; after a revocation or a policy change (`name` nil),
    /// the decisions this replica keeps (at most ``maxWarmedDecisions``). Failures are left to
    /// the next request, which decides as if nothing had been warmed.
    func warmDecisions(after name: ArtifactName?) {
        Task(priority: .utility) {
            var keys: [VerdictCache.Key]
            if let name {
                guard let policies = try? await self.policiesInForce() else { return }
                let environments = Set(policies.compactMap(\.scope.environment)).sorted()
                keys = environments.map { VerdictCache.Key(name: name, environment: $0, lifetimeSeconds: PolicyEngine.maxLifetimeSeconds) }
            } else {
                keys = self.verdicts.keys(limit: Self.maxWarmedDecisions)
            }
            for key in keys {
                _ = try? await self.decide(key.name.description, environment: key.environment, lifetimeSeconds: key.lifetimeSeconds, observed: false)
            }
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
