import SignetCore
import SignetVerify
import X509

/// What is registered under one name: its signatures and attestations (each with its whole
/// bundle) and the name's revocations.
public struct Evidence: Sendable {
    /// A signature or attestation registered under the name: what verification by name reads.
    public typealias Item = ArtifactVerifier.Signature

    public var name: ArtifactName
    /// The namespace that owns the name: only items registered there count (when given).
    public var owner: String?
    public var items: [Item]
    public var revocations: [RevocationStatement]

    public init(name: ArtifactName, owner: String?, items: [Item], revocations: [RevocationStatement]) {
        self.name = name
        self.owner = owner
        self.items = items
        self.revocations = revocations
    }
}

/// The policy engine: the one place a deploy decision is made. The gate API, the admission
/// webhooks and `signet policy test` all call ``decide(environment:policies:evidence:now:)``.
///
/// Which policies apply (README, "Deploy gate"): every baseline policy (no environment in its
/// scope) that covers the name, AND the most specific policy for the environment that covers
/// it (its best-matching name pattern has the longest literal prefix, then the most literal
/// characters; then the first by name). An environment no policy names is refused
/// (`unknown-environment`); a name no environment policy covers is refused (`no-policy`).
///
/// Within a policy, in order: a message signature by a publisher, verified by the one engine
/// (``ArtifactVerifier``, revocations included); then each required attestation: of the type
/// (read from the signed statement, never from a label), by a trusted signer, about the
/// digest, unrevoked, its SLSA provenance agreeing with its certificate, every condition true.
/// A failing `enforce` policy refuses unless an unexpired exception covers the name; `warn`
/// (or `enforce` before `enforceFrom`) admits with a warning; `audit` admits and records.
public struct PolicyEngine: Sendable {
    public let verifier: ArtifactVerifier
    /// Who states release requests (the server, signing as itself): only its requests count
    /// toward a quorum. Without one, every quorum policy refuses.
    public var releaseAuthority: ReleaseAuthority?
    /// The longest an online decision is said to hold.
    public static let maxLifetimeSeconds: Int64 = 3600

    /// The identity release requests are signed with.
    public struct ReleaseAuthority: Sendable, Hashable {
        public var identity: String
        public var issuer: String

        public init(identity: String, issuer: String) {
            self.identity = identity
            self.issuer = issuer
        }
    }

    public init(verifier: ArtifactVerifier, releaseAuthority: ReleaseAuthority? = nil) {
        self.verifier = verifier
        self.releaseAuthority = releaseAuthority
    }

    /// The decision on `evidence` in `environment`, said to hold for at most `lifetimeSeconds`
    /// (sooner when an exception expires or an `enforceFrom` date comes first).
    public func decide(
        environment: String, policies: [PolicyDocument], evidence: Evidence, now: Timestamp, lifetimeSeconds: Int64 = maxLifetimeSeconds
    ) -> Decision {
        let name = evidence.name
        guard policies.contains(where: { $0.scope.environment == environment }) else {
            let known = Set(policies.compactMap(\.scope.environment)).sorted()
            return .refused(
                .unknownEnvironment,
                "expected an environment a policy names (\(known.isEmpty ? "none are" : known.joined(separator: ", "))), found \"\(ProtoJSONObject.preview(environment))\"",
                now: now)
        }
        let applied = Self.policies(applyingTo: name, owner: evidence.owner, environment: environment, from: policies)
        guard !applied.isEmpty else {
            return .refused(
                .noPolicy, "expected a policy for \(environment) covering \(name.nameWithoutDigest), found none: what no policy covers is refused", now: now)
        }

        var checks: [Decision.Check] = []
        var used: [Decision.UsedEvidence] = []
        var warnings: [String] = []
        var refusal: (code: Decision.Code, message: String)?
        var byException = false
        var expiresAt = Timestamp(seconds: now.seconds + lifetimeSeconds)
        let attestations = Self.attestations(evidence)
        for policy in applied {
            let outcome = evaluate(policy, environment: environment, evidence: evidence, attestations: attestations, now: now)
            checks += outcome.checks
            if let until = outcome.expiresAt, until < expiresAt { expiresAt = until }
            guard let failure = outcome.failures.first else {
                used += outcome.used
                continue
            }
            let summary = outcome.failures.map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "; ")
            let enforcing = policy.mode == .enforce && (policy.enforceFrom.map { $0 <= now } ?? true)
            if policy.mode == .enforce, let from = policy.enforceFrom, from > now, from < expiresAt { expiresAt = from }
            if !enforcing {
                warnings.append("policy \(policy.name) (\(policy.mode == .audit ? "audit" : "warn")): \(summary)")
                continue
            }
            // An exception waives checks on evidence, never the approval of people: a missing
            // quorum refuses whatever exception covers the name.
            let covering = outcome.failures.contains { $0.code == .quorumNotMet } ? [] : policy.exceptions.filter { $0.covers(name) }
            if let live = covering.filter({ $0.expiresAt > now }).min(by: { $0.expiresAt < $1.expiresAt }) {
                byException = true
                if live.expiresAt < expiresAt { expiresAt = live.expiresAt }
                checks.append(
                    .init(
                        policy: policy.name, rule: "exception", passed: true,
                        detail: "waived by \(live.owner) until \(live.expiresAt): \(live.reason) (instead: \(summary))"))
                continue
            }
            if refusal == nil {
                if let expired = covering.max(by: { $0.expiresAt < $1.expiresAt }) {
                    refusal = (
                        .exceptionExpired,
                        "policy \(policy.name): the exception by \(expired.owner) (\(expired.reason)) expired at \(expired.expiresAt); without it: \(summary)"
                    )
                } else {
                    refusal = (failure.code, "policy \(policy.name): \(summary)")
                }
            }
        }
        let appliedPolicies = applied.map { Decision.AppliedPolicy(name: $0.name, digest: $0.digestText, mode: $0.mode) }
        if let refusal {
            return Decision(
                allowed: false, code: refusal.code, message: refusal.message, policies: appliedPolicies,
                policyDigest: Decision.combinedDigest(appliedPolicies), evidence: used, warnings: warnings, checks: checks, expiresAt: expiresAt)
        }
        let code: Decision.Code = byException ? .admittedByException : (warnings.isEmpty ? .admitted : .admittedWithWarnings)
        return Decision(
            allowed: true, code: code,
            message: "\(name) may run in \(environment) under \(applied.map(\.name).joined(separator: " and "))"
                + (warnings.isEmpty ? "" : ", with \(warnings.count) warning\(warnings.count == 1 ? "" : "s")"),
            policies: appliedPolicies, policyDigest: Decision.combinedDigest(appliedPolicies), evidence: used, warnings: warnings, checks: checks,
            expiresAt: expiresAt)
    }

    /// The policies that decide about `name` in `environment`: the baselines covering it, by
    /// name, then the most specific environment policy; empty when no environment policy
    /// covers it.
    public static func policies(applyingTo name: ArtifactName, owner: String?, environment: String, from policies: [PolicyDocument]) -> [PolicyDocument] {
        let covering = policies.filter { $0.covers(name, namespace: owner, environment: environment) }
        let specific = covering.filter { $0.scope.environment != nil }.sorted { a, b in
            let (x, y) = (a.specificity(for: name), b.specificity(for: name))
            return (x.prefix, x.literals) != (y.prefix, y.literals) ? (x.prefix, x.literals) > (y.prefix, y.literals) : a.name < b.name
        }
        guard let environmentPolicy = specific.first else { return [] }
        return covering.filter { $0.scope.environment == nil }.sorted { $0.name < $1.name } + [environmentPolicy]
    }

    struct Failure: Error {
        var code: Decision.Code
        var message: String
    }

    struct Outcome {
        var failures: [Failure] = []
        var used: [Decision.UsedEvidence] = []
        var checks: [Decision.Check] = []
        /// When what admitted it stops holding (a break-glass release).
        var expiresAt: Timestamp?
    }

    func evaluate(_ policy: PolicyDocument, environment: String, evidence: Evidence, attestations: [Attestation], now: Timestamp) -> Outcome {
        var outcome = Outcome()
        func record(_ rule: String, _ result: Result<Decision.UsedEvidence, Failure>) {
            switch result {
            case .success(let item):
                outcome.used.append(item)
                outcome.checks.append(.init(policy: policy.name, rule: rule, passed: true, detail: "met by \(item.id) (\(item.identity))"))
            case .failure(let failure):
                outcome.failures.append(failure)
                outcome.checks.append(.init(policy: policy.name, rule: rule, passed: false, detail: "\(failure.code.rawValue): \(failure.message)"))
            }
        }
        if policy.requireSignature {
            record("signature", signature(evidence, publishers: policy.publishers, now: now))
        }
        for requirement in policy.requirements {
            record(
                "attestation \(requirement.type.shortName ?? requirement.type.uri)",
                attestation(evidence, attestations, requirement, policy: policy, now: now))
        }
        if let quorum = policy.quorum {
            let result = self.quorum(quorum, evidence, attestations, policy: policy, environment: environment, now: now)
            record("quorum", result.map(\.used))
            if case .success(let met) = result, met.request.breakGlass { outcome.expiresAt = met.request.expiresAt }
        }
        return outcome
    }

    // MARK: - Quorum

    /// A release request of the name under `policy` for `environment`, stated by the release
    /// authority, whose approvals (recounted here by ``QuorumCounter``) meet the quorum (the
    /// newest such); a break-glass release holds only until its request expires. A rejection
    /// rejects its own request only.
    func quorum(
        _ quorum: QuorumPolicy, _ evidence: Evidence, _ attestations: [Attestation], policy: PolicyDocument, environment: String, now: Timestamp
    ) -> Result<
        (used: Decision.UsedEvidence, request: ReleaseRequest), Failure
    > {
        guard let authority = releaseAuthority else {
            return .failure(Failure(code: .quorumNotMet, message: "expected a release authority to state requests, found none configured"))
        }
        let requests = ReleaseRequest.stated(in: attestations, of: evidence, by: authority, verifier: verifier.verifier, now: now).filter {
            $0.request.policy == policy.name && $0.request.environment == environment
        }
        guard !requests.isEmpty else {
            return .failure(
                Failure(
                    code: .quorumNotMet,
                    message: "expected a release request of \(evidence.name) meeting the quorum of \(policy.name), found no request for \(environment)"))
        }
        let approvals = Approval.items(in: attestations, of: evidence)
        let counter = QuorumCounter(verifier: verifier.verifier)
        var reasons: [String] = []
        for (item, request) in requests {
            let tally = counter.tally(request, current: quorum, approvals: approvals, now: now)
            if tally.met {
                if request.breakGlass && request.expiresAt <= now {
                    reasons.append("request \(request.id.prefix(12)): its break-glass approval expired at \(request.expiresAt)")
                    continue
                }
                let approvers = tally.counted.map(\.approver).joined(separator: ", ")
                return .success(
                    (
                        Decision.UsedEvidence(
                            id: item.id, predicateType: ReleaseRequest.predicateType,
                            identity: (request.breakGlass ? "break-glass by " : "approved by ") + approvers, issuer: authority.issuer,
                            logIndex: Self.logIndex(item.bundle)), request
                    ))
            }
            let why =
                tally.rejected
                ? "rejected by \(tally.counted.filter { $0.decision == .reject }.map(\.approver).joined(separator: ", "))"
                : "missing \(tally.missing.joined(separator: ", "))"
            reasons.append("request \(request.id.prefix(12)): \(why)")
        }
        return .failure(
            Failure(code: .quorumNotMet, message: "expected a release request meeting the quorum of \(policy.name), found: \(reasons.joined(separator: "; "))"))
    }

    static func logIndex(_ bundle: SigstoreBundle) -> Int64? { bundle.tlogEntries.first?.logIndex }

    // MARK: - Signatures

    func signature(_ evidence: Evidence, publishers: [PolicyDocument.Publisher], now: Timestamp) -> Result<Decision.UsedEvidence, Failure> {
        let signatures = evidence.items.filter { !$0.isAttestation }
        guard !signatures.isEmpty else { return .failure(Failure(code: .noSignature, message: "expected a signature of \(evidence.name), found none")) }
        var best: Failure?
        for item in signatures {
            switch verify(item, evidence: evidence, by: publishers, now: now) {
            case .success(let used): return .success(used)
            case .failure(let failure):
                let code: Decision.Code =
                    switch failure.kind {
                    case .revoked: .revoked
                    case .untrusted: .untrustedPublisher
                    case .subject, .invalid: .signatureInvalid
                    }
                best = Self.closer(best, Failure(code: code, message: "signature \(item.id.prefix(16)): \(failure.message)"))
            }
        }
        return .failure(best ?? Failure(code: .signatureInvalid, message: "no signature verified"))
    }

    /// Of two failures, the one closer to passing: revoked, then untrusted, then the rest.
    static func closer(_ a: Failure?, _ b: Failure) -> Failure {
        guard let a else { return b }
        func rank(_ code: Decision.Code) -> Int {
            switch code {
            case .attestationConditionFailed: 0
            case .attestationContradictsCertificate: 1
            case .revoked, .attestationRevoked: 2
            case .untrustedPublisher, .attestationUntrustedSigner: 3
            case .attestationSubjectMismatch: 4
            default: 5
            }
        }
        return rank(b.code) < rank(a.code) ? b : a
    }

    enum VerifyFailureKind { case revoked, untrusted, subject, invalid }

    struct VerifyFailure: Error {
        var kind: VerifyFailureKind
        var message: String
    }

    /// Verifies one item with the one engine for each publisher in turn; the first that
    /// passes (chain, log, time, signature, subject, signer, unrevoked) and whose refs and
    /// workflow match is the publisher that made it.
    func verify(
        _ item: Evidence.Item, evidence: Evidence, by publishers: [PolicyDocument.Publisher], now: Timestamp
    ) -> Result<Decision.UsedEvidence, VerifyFailure> {
        var best: VerifyFailure?
        func keep(_ failure: VerifyFailure) {
            func rank(_ kind: VerifyFailureKind) -> Int {
                switch kind {
                case .revoked: 0
                case .untrusted: 1
                case .subject: 2
                case .invalid: 3
                }
            }
            if best.map({ rank(failure.kind) < rank($0.kind) }) ?? true { best = failure }
        }
        for publisher in publishers {
            var provenance: [FulcioExtension: String] = [:]
            if let repository = publisher.repository { provenance[.sourceRepositoryURI] = repository }
            if let runner = publisher.runnerEnvironment { provenance[.runnerEnvironment] = runner }
            let policy = VerificationPolicy(
                signer: .certificate(identity: publisher.identity.map { .exact($0) } ?? .any, issuer: publisher.issuer), provenance: provenance,
                acceptsStatedProvenance: publisher.acceptStatedProvenance)
            let report = verifier.verify(
                name: evidence.name, owner: evidence.owner,
                signatures: [item],
                revocations: evidence.revocations, policy: policy, now: now)
            let result = report.signatures[0].report.result
            switch result {
            case .failure(let error):
                let kind: VerifyFailureKind =
                    error.code == .revoked
                    ? .revoked : error.code.isPolicyMismatch ? .untrusted : error.code == .artifactMismatch ? .subject : .invalid
                keep(VerifyFailure(kind: kind, message: "\(error.code.rawValue): \(error.reason)"))
            case .success(let verified):
                let value = { (field: FulcioExtension) -> String? in
                    let attested = verified.certificate.flatMap { try? field.value(in: $0) }
                    return attested ?? (publisher.acceptStatedProvenance ? item.statedProvenance[field] : nil)
                }
                if !publisher.refs.isEmpty {
                    let ref = value(.sourceRepositoryRef)
                    guard let ref, publisher.refs.contains(where: { $0.matches(ref) }) else {
                        keep(
                            VerifyFailure(
                                kind: .untrusted,
                                message:
                                    "expected a source ref matching \(publisher.refs.map(\.pattern).joined(separator: " or ")), found \(ref.map { "\"\($0)\"" } ?? "none")"
                            ))
                        continue
                    }
                }
                if let workflow = publisher.workflow, let repository = publisher.repository {
                    let configuration = value(.buildConfigURI)
                    guard let configuration, configuration.hasPrefix("\(repository)/\(workflow)@") else {
                        keep(
                            VerifyFailure(
                                kind: .untrusted,
                                message: "expected the build configuration \(repository)/\(workflow)@…, found \(configuration.map { "\"\($0)\"" } ?? "none")"))
                        continue
                    }
                }
                return .success(
                    Decision.UsedEvidence(
                        id: item.id, predicateType: nil, identity: verified.identities.first ?? "", issuer: verified.issuer ?? publisher.issuer,
                        logIndex: verified.logEntries.first?.index))
            }
        }
        return .failure(best ?? VerifyFailure(kind: .untrusted, message: "expected a trusted publisher, found the policy names none"))
    }

    // MARK: - Attestations

    /// An attestation with its statement, read from the signed payload once per decision.
    public typealias Attestation = (item: Evidence.Item, statement: InTotoStatement)

    /// The name's in-toto attestations; an envelope of another payload type or an unreadable
    /// statement is no attestation of any type.
    public static func attestations(_ evidence: Evidence) -> [Attestation] {
        evidence.items.compactMap { item -> Attestation? in
            guard case .dsseEnvelope(let envelope) = item.bundle.content, envelope.payloadType == DSSEEnvelope.inTotoPayloadType,
                let statement = try? InTotoStatement(payload: envelope.payload, parser: JSONParser(maxBytes: SigstoreBundle.maxBytes, maxDepth: 64))
            else { return nil }
            return (item, statement)
        }
    }

    func attestation(
        _ evidence: Evidence, _ attestations: [Attestation], _ requirement: PolicyDocument.Requirement, policy: PolicyDocument, now: Timestamp
    ) -> Result<Decision.UsedEvidence, Failure> {
        let type = requirement.type.uri
        guard !attestations.isEmpty else {
            return .failure(Failure(code: .attestationMissing, message: "expected an attestation of \(type), found no attestation at all"))
        }
        // The type is the signed statement's, never a label beside it.
        let candidates = attestations.filter { $0.statement.predicateType == type }
        guard !candidates.isEmpty else {
            let found = Set(attestations.map(\.statement.predicateType)).sorted()
            return .failure(
                Failure(code: .attestationWrongType, message: "expected an attestation of \(type), found only \(found.joined(separator: ", "))"))
        }
        let signers = requirement.signers ?? policy.publishers
        var best: Failure?
        for (item, statement) in candidates {
            let label = "attestation \(item.id.prefix(16))"
            let used: Decision.UsedEvidence
            switch verify(item, evidence: evidence, by: signers, now: now) {
            case .failure(let failure):
                let code: Decision.Code =
                    switch failure.kind {
                    case .revoked: .attestationRevoked
                    case .untrusted: .attestationUntrustedSigner
                    case .subject: .attestationSubjectMismatch
                    case .invalid: .attestationInvalid
                    }
                best = Self.closer(best, Failure(code: code, message: "\(label): \(failure.message)"))
                continue
            case .success(let value): used = value
            }
            let certificate = Self.certificateFacts(item.bundle)
            if type == PredicateType.slsaProvenance.uri,
                let contradiction = SLSACrossCheck.contradiction(statement.predicate ?? .null, certificate: certificate)
            {
                best = Self.closer(best, Failure(code: .attestationContradictsCertificate, message: "\(label): \(contradiction)"))
                continue
            }
            let context = Condition.Context(
                predicate: statement.predicate ?? .null,
                subject: .array(
                    statement.subjects.map { subject in
                        .object(
                            JSONObject([
                                ("name", .string(subject.name)),
                                ("digest", .object(JSONObject(subject.digest.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))),
                            ]))
                    }),
                certificate: certificate)
            var failed: String?
            for condition in requirement.conditions {
                do {
                    if try !condition.evaluate(context) {
                        failed = "expected the predicate to meet \(condition.source), found it does not"
                        break
                    }
                } catch {
                    failed = "expected the predicate to meet \(condition.source), found its evaluation failed: \(error.reason)"
                    break
                }
            }
            if let failed {
                best = Self.closer(best, Failure(code: .attestationConditionFailed, message: "\(label): \(failed)"))
                continue
            }
            var typed = used
            typed.predicateType = type
            return .success(typed)
        }
        return .failure(best ?? Failure(code: .attestationInvalid, message: "no attestation of \(type) verified"))
    }

    /// What conditions see of a certificate: `issuer`, `identity`, and each Fulcio extension
    /// it carries by field name.
    static func certificateFacts(_ bundle: SigstoreBundle) -> JSONValue {
        guard let der = bundle.signer.leafCertificate, let certificate = try? Certificate(derEncoded: der) else { return .object(JSONObject()) }
        var members: [(String, JSONValue)] = []
        if let issuer = try? certificate.fulcioIssuer() { members.append(("issuer", .string(issuer))) }
        if let identity = (try? certificate.sanIdentities())?.first { members.append(("identity", .string(identity))) }
        for field in FulcioExtension.allCases where field != .issuer && field != .issuerV1 {
            if let value = try? field.value(in: certificate) { members.append((field.fieldName, .string(value))) }
        }
        return .object(JSONObject(members))
    }
}

/// The one rule for SLSA provenance against its certificate: where the predicate and the
/// certificate's extensions say the same thing (source repository, ref, commit, builder), they
/// must agree. The certificate is the identity provider's word; the predicate is the signer's.
enum SLSACrossCheck {
    static func contradiction(_ predicate: JSONValue, certificate: JSONValue) -> String? {
        guard case .object(let facts) = certificate else { return nil }
        func at(_ value: JSONValue, _ path: [String]) -> JSONValue? {
            var current = value
            for key in path {
                guard case .object(let object) = current, let next = object[key] else { return nil }
                current = next
            }
            return current
        }
        func text(_ value: JSONValue?) -> String? {
            if case .string(let text)? = value { return text }
            return nil
        }
        let pairs: [(String, [String], FulcioExtension)] = [
            (
                "buildDefinition.externalParameters.workflow.repository", ["buildDefinition", "externalParameters", "workflow", "repository"],
                .sourceRepositoryURI
            ),
            ("buildDefinition.externalParameters.workflow.ref", ["buildDefinition", "externalParameters", "workflow", "ref"], .sourceRepositoryRef),
            ("runDetails.builder.id", ["runDetails", "builder", "id"], .buildSignerURI),
        ]
        for (label, path, field) in pairs {
            if let stated = text(at(predicate, path)), let attested = text(facts[field.fieldName]), stated != attested {
                return "expected \(label) to be the certificate's \(field.fieldName) \"\(attested)\", found \"\(ProtoJSONObject.preview(stated))\""
            }
        }
        if let commit = text(facts[FulcioExtension.sourceRepositoryDigest.fieldName]),
            case .array(let dependencies)? = at(predicate, ["buildDefinition", "resolvedDependencies"])
        {
            let commits = dependencies.compactMap { text(at($0, ["digest", "gitCommit"])) }
            if !commits.isEmpty, !commits.contains(commit) {
                return "expected a resolved dependency at the certificate's commit \(commit), found \(commits.joined(separator: ", "))"
            }
        }
        return nil
    }
}

extension ArtifactVerifier.Signature {
    /// An attestation carries a DSSE envelope; a signature a message signature.
    var isAttestation: Bool {
        if case .dsseEnvelope = bundle.content { return true }
        return false
    }
}
