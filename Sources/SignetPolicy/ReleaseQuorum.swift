import SignetCore
import SignetVerify
import X509

/// A request to release one digest-pinned name under a policy's quorum: the server states it
/// (and signs and logs it as the release authority), recording the quorum in force when it was
/// opened, who asked, and until when approvals count. Its statement's predicate type is
/// ``predicateType``; its subject is the name's digest.
public struct ReleaseRequest: Sendable, Hashable {
    public static let predicateType = "https://signet.dev/release-request/v1"
    /// The server's statement that a request met its quorum.
    public static let quorumPredicateType = "https://signet.dev/quorum/v1"
    /// The role break-glass approvers approve in.
    public static let breakGlassRole = "break-glass"

    /// 32 lower-case hex digits, random.
    public var id: String
    public var name: ArtifactName
    public var environment: String
    /// The policy whose quorum the request must meet.
    public var policy: String
    public var quorum: QuorumPolicy
    public var requesterIssuer: String
    public var requester: String
    public var createdAt: Timestamp
    /// Approvals made after this count for nothing; a break-glass release is admitted until then.
    public var expiresAt: Timestamp
    public var breakGlass: Bool
    public var reason: String

    public init(
        id: String, name: ArtifactName, environment: String, policy: String, quorum: QuorumPolicy, requesterIssuer: String, requester: String,
        createdAt: Timestamp, breakGlass: Bool, reason: String
    ) {
        self.id = id
        self.name = name
        self.environment = environment
        self.policy = policy
        self.quorum = quorum
        self.requesterIssuer = requesterIssuer
        self.requester = requester
        // Whole seconds: the log's integrated times, against which approvals are judged, are.
        self.createdAt = Timestamp(seconds: createdAt.seconds)
        let lifetime = breakGlass ? quorum.breakGlass?.validitySeconds ?? 0 : quorum.requestTTLSeconds
        self.expiresAt = Timestamp(seconds: self.createdAt.seconds + lifetime)
        self.breakGlass = breakGlass
        self.reason = reason
    }

    /// How people and the CLI name a request: `NAME@sha256:HEX#ID`.
    public var reference: String { "\(name)#\(id)" }

    /// Splits a reference into the name and the request id.
    public static func parse(reference: String) -> (name: ArtifactName, id: String)? {
        guard let hash = reference.lastIndex(of: "#") else { return nil }
        let id = String(reference[reference.index(after: hash)...])
        guard id.count == 32, id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }), let name = try? ArtifactName(parsing: String(reference[..<hash])) else {
            return nil
        }
        return (name, id)
    }

    public var statement: InTotoStatement {
        var predicate = JSONObject([
            ("id", .string(id)), ("name", .string(name.description)), ("environment", .string(environment)), ("policy", .string(policy)),
            ("requester", .object(JSONObject([("issuer", .string(requesterIssuer)), ("identity", .string(requester))]))),
            ("createdAt", .string(createdAt.rfc3339)), ("expiresAt", .string(expiresAt.rfc3339)), ("breakGlass", .bool(breakGlass)),
        ])
        if let quorum = try? JSONParser().parse(quorum.canonicalJSON, context: "quorum") { predicate["quorum"] = quorum }
        if !reason.isEmpty { predicate["reason"] = .string(reason) }
        return InTotoStatement(
            subjects: [.init(name: name.nameWithoutDigest, digest: ["sha256": Hex.encode(name.digest)])], predicateType: Self.predicateType,
            predicate: .object(predicate))
    }

    /// Reads a request back from its statement.
    public init(statement: InTotoStatement) throws(FormatError) {
        guard statement.predicateType == Self.predicateType, case .object(let predicate)? = statement.predicate else {
            throw FormatError(.invalidValue, at: "statement", "expected a \(Self.predicateType) statement")
        }
        var object = try ProtoJSONObject(.object(predicate), path: "predicate")
        id = try object.requiredString("id")
        do { name = try ArtifactName(parsing: try object.requiredString("name")) } catch {
            throw FormatError(.invalidValue, at: "predicate.name", "expected a digest-pinned name")
        }
        environment = try object.requiredString("environment")
        policy = try object.requiredString("policy")
        var requester = try object.requiredMessage("requester")
        requesterIssuer = try requester.requiredString("issuer")
        self.requester = try requester.requiredString("identity")
        try requester.finish()
        guard let created = Timestamp(rfc3339: try object.requiredString("createdAt")), let expires = Timestamp(rfc3339: try object.requiredString("expiresAt"))
        else {
            throw FormatError(.invalidValue, at: "predicate", "expected RFC 3339 createdAt and expiresAt")
        }
        createdAt = created
        expiresAt = expires
        breakGlass = try object.bool("breakGlass") ?? false
        reason = try object.string("reason") ?? ""
        let quorumValue = try object.required("quorum")
        do { quorum = try QuorumPolicy(json: quorumValue) } catch {
            throw FormatError(.invalidValue, at: "predicate.quorum", error.description)
        }
        try object.finish()
        guard statement.subjects.contains(where: { $0.digest["sha256"] == Hex.encode(name.digest) }) else {
            throw FormatError(.invalidValue, at: "statement.subject", "expected the request's subject to be its name's digest")
        }
    }
}

/// One approver's word on a release request, signed with their own identity (keyless) or key:
/// an in-toto statement about the name's digest whose predicate names the request, the role
/// the approver approves in, the decision and why.
public struct Approval: Sendable, Hashable {
    public static let predicateType = "https://signet.dev/approval/v1"
    public static let maxJustificationBytes = 1024

    public enum Decision: String, Sendable, Hashable {
        case approve
        case reject
    }

    public var request: String
    public var role: String
    public var decision: Decision
    public var justification: String

    public init(request: String, role: String, decision: Decision, justification: String) {
        self.request = request
        self.role = role
        self.decision = decision
        self.justification = justification
    }

    public func statement(for name: ArtifactName) -> InTotoStatement {
        InTotoStatement(
            subjects: [.init(name: name.nameWithoutDigest, digest: ["sha256": Hex.encode(name.digest)])], predicateType: Self.predicateType,
            predicate: .object(
                JSONObject([
                    ("request", .string(request)), ("role", .string(role)), ("decision", .string(decision.rawValue)), ("justification", .string(justification)),
                ])))
    }

    public init(statement: InTotoStatement) throws(FormatError) {
        guard statement.predicateType == Self.predicateType, case .object(let predicate)? = statement.predicate else {
            throw FormatError(.invalidValue, at: "statement", "expected a \(Self.predicateType) statement")
        }
        var object = try ProtoJSONObject(.object(predicate), path: "predicate")
        request = try object.requiredString("request")
        role = try object.requiredString("role")
        let decisionText = try object.requiredString("decision")
        guard let decision = Decision(rawValue: decisionText) else {
            throw FormatError(.invalidValue, at: "predicate.decision", "expected approve or reject, found \"\(ProtoJSONObject.preview(decisionText))\"")
        }
        self.decision = decision
        justification = try object.string("justification") ?? ""
        guard justification.utf8.count <= Self.maxJustificationBytes else {
            throw FormatError(
                .invalidValue, at: "predicate.justification", "expected at most \(Self.maxJustificationBytes) bytes, found \(justification.utf8.count)")
        }
        try object.finish()
    }
}

/// The count of a release request's approvals: the one rule, used by the server when it takes
/// an approval, by the gate and by every verifier, recounting from the approval bundles
/// themselves (never from the server's say-so).
///
/// An approval counts when its bundle verifies with the one engine over the request's digest
/// (signature, log entry, trusted time), its statement names this request, every verified time
/// lies within the request's lifetime, its approver is a member of the role it names both in
/// the quorum the request recorded and in the quorum in force now (a member removed since
/// counts for nothing), is not the requester, and is distinct: by canonical identity (issuer
/// and SAN) and by the fingerprint of the key that signed, so one person cannot count twice
/// through two identities on one key or one identity twice. A counted rejection rejects the
/// request. The quorum is met when every role has its minimum and the total is reached, each
/// the stricter of the recorded and the current quorum's. A key member is a key, not a person:
/// it is never compared with the requester, who is an identity.
public struct QuorumCounter: Sendable {
    public let verifier: BundleVerifier

    public init(verifier: BundleVerifier) {
        self.verifier = verifier
    }

    public struct Counted: Sendable, Hashable {
        public var id: String
        public var role: String
        public var decision: Approval.Decision
        /// `issuer` and `identity` of a keyless approver; nil for a keyed one.
        public var issuer: String?
        public var identity: String?
        /// `sha256:<hex>` of the key that signed.
        public var keyFingerprint: String
        public var time: Timestamp
        public var logIndex: Int64?

        /// Who approved, for people.
        public var approver: String { identity.map { "\($0) (\(issuer ?? ""))" } ?? "key \(keyFingerprint)" }
    }

    public struct Tally: Sendable {
        public var counted: [Counted] = []
        /// Approvals that do not count, and why.
        public var refused: [(id: String, reason: String)] = []
        /// What is still missing ("security: 1 more"); empty when met.
        public var missing: [String] = []
        public var rejected: Bool { counted.contains { $0.decision == .reject } }
        public var met: Bool { missing.isEmpty && !rejected && !counted.isEmpty }
        /// When the last approval needed was made.
        public var metAt: Timestamp? { met ? counted.map(\.time).max() : nil }
    }

    /// Counts `approvals` (the name's approval attestations) for `request` against `current`,
    /// the quorum in force now (nil: the policy no longer has one, and nothing counts).
    public func tally(_ request: ReleaseRequest, current: QuorumPolicy?, approvals: [ArtifactVerifier.Signature], now: Timestamp) -> Tally {
        var tally = Tally()
        var candidates: [(counted: Counted, position: Int)] = []
        for (position, item) in approvals.enumerated() {
            switch count(item, request: request, current: current, now: now) {
            case .success(let counted)?: candidates.append((counted, position))
            case .failure(let reason)?: tally.refused.append((item.id, reason.message))
            case nil: continue
            }
        }
        var identities: Set<String> = []
        var keys: Set<String> = []
        // The earliest approval of an approver counts: by verified time, then log position,
        // then the order given (registration order), so a later duplicate never displaces it.
        let ordered = candidates.sorted { a, b in
            (a.counted.time, a.counted.logIndex ?? .max, a.position) < (b.counted.time, b.counted.logIndex ?? .max, b.position)
        }
        for candidate in ordered.map(\.counted) {
            let identity = candidate.identity.map { "\(candidate.issuer ?? "")\n\($0)" }
            if let identity, identities.contains(identity) {
                tally.refused.append((candidate.id, "the approver \(candidate.approver) is already counted"))
                continue
            }
            if keys.contains(candidate.keyFingerprint) {
                tally.refused.append((candidate.id, "the key \(candidate.keyFingerprint) already signed a counted approval (one approver, one count)"))
                continue
            }
            if let identity { identities.insert(identity) }
            keys.insert(candidate.keyFingerprint)
            tally.counted.append(candidate)
        }
        let approving = tally.counted.filter { $0.decision == .approve }
        // The stricter of the quorum the request recorded and the one in force: tightening a
        // policy binds the requests already open, and loosening it relaxes none.
        if request.breakGlass {
            let needed = max(request.quorum.breakGlass?.min ?? Int.max, current?.breakGlass?.min ?? Int.max)
            if approving.count < needed {
                tally.missing.append("\(ReleaseRequest.breakGlassRole): \(needed == Int.max ? "no break glass in force" : "\(needed - approving.count) more")")
            }
        } else {
            var minimums: [String: Int] = [:]
            for role in request.quorum.roles + (current?.roles ?? []) { minimums[role.name] = max(minimums[role.name] ?? 0, role.min) }
            for (name, needed) in minimums.sorted(by: { $0.key < $1.key }) where needed > 0 {
                let have = approving.filter { $0.role == name }.count
                if have < needed { tally.missing.append("\(name): \(needed - have) more") }
            }
            let total = max(request.quorum.total, current?.total ?? 0)
            if approving.count < total { tally.missing.append("total: \(total - approving.count) more") }
        }
        return tally
    }

    struct Refusal: Error {
        var message: String
    }

    /// Whether one approval may count, before distinctness is judged; nil for an approval of
    /// another request.
    func count(_ item: ArtifactVerifier.Signature, request: ReleaseRequest, current: QuorumPolicy?, now: Timestamp) -> Result<Counted, Refusal>? {
        guard case .dsseEnvelope(let envelope) = item.bundle.content, envelope.payloadType == DSSEEnvelope.inTotoPayloadType,
            let statement = try? InTotoStatement(payload: envelope.payload, parser: JSONParser(maxBytes: SigstoreBundle.maxBytes, maxDepth: 64)),
            let approval = try? Approval(statement: statement)
        else {
            return .failure(Refusal(message: "not an approval statement"))
        }
        guard approval.request == request.id else { return nil }
        guard let current else { return .failure(Refusal(message: "the policy \(request.policy) no longer requires a quorum")) }
        let recorded = request.quorum.members(of: approval.role, breakGlass: request.breakGlass)
        let inForce = current.members(of: approval.role, breakGlass: request.breakGlass)
        let members = recorded.filter(inForce.contains)
        guard !members.isEmpty else {
            return .failure(
                Refusal(
                    message:
                        "\"\(ProtoJSONObject.preview(approval.role))\" is not a role of the quorum\(request.breakGlass ? " (break-glass requests are approved in role \(ReleaseRequest.breakGlassRole))" : "")"
                ))
        }
        // One verification per approval: a certificate's own identity and issuer, then
        // membership; a managed key against the role's keys.
        let artifact = Artifact(digest: request.name.digest)
        var candidates: [(member: QuorumPolicy.Member, policy: VerificationPolicy)] = []
        if let der = item.bundle.signer.leafCertificate {
            guard let leaf = try? Certificate(derEncoded: der), let issuer = try? leaf.fulcioIssuer(), let identities = try? leaf.sanIdentities() else {
                return .failure(Refusal(message: "its certificate names no identity and issuer"))
            }
            if let member = members.first(where: { $0.issuer == issuer && $0.identity.map(identities.contains) == true }), let identity = member.identity {
                candidates = [(member, .identity(identity, issuer: issuer))]
            }
        } else {
            candidates = members.compactMap { member in
                guard let spki = member.publicKey, let key = try? VerificationKey(spki: spki) else { return nil }
                return (member, VerificationPolicy(signer: .publicKey(key, spki: spki)))
            }
        }
        var problems: [String] = []
        for (member, policy) in candidates {
            let report = verifier.verify(item.bundle, artifact: artifact, policy: policy, now: now)
            let verified: VerificationReport.Verified
            switch report.result {
            case .failure(let error):
                if !error.code.isPolicyMismatch { problems.append("\(error.code.rawValue): \(error.reason)") }
                continue
            case .success(let value): verified = value
            }
            let times = verified.times.map(\.time)
            guard let first = times.min(), let last = times.max(), first >= request.createdAt, last <= request.expiresAt else {
                return .failure(
                    Refusal(
                        message:
                            "made at \(times.map(\.description).joined(separator: ", ")), outside the request's lifetime [\(request.createdAt), \(request.expiresAt)]"
                    ))
            }
            if member.identity == request.requester && member.issuer == request.requesterIssuer {
                return .failure(Refusal(message: "the requester \(request.requester) may not approve their own request"))
            }
            let signingKey = verified.certificate.map(\.subjectPublicKeyInfoDER) ?? member.publicKey ?? []
            return .success(
                Counted(
                    id: item.id, role: approval.role, decision: approval.decision, issuer: member.issuer, identity: member.identity,
                    keyFingerprint: "sha256:" + Hex.encode(sha256(signingKey)), time: last, logIndex: verified.logEntries.first?.index))
        }
        return .failure(
            Refusal(
                message: problems.first.map { "does not verify: \($0)" }
                    ?? "signed by nobody the quorum names in role \(approval.role)"))
    }
}

extension ReleaseRequest {
    /// The identity the server states release requests and quorum attestations as:
    /// `<server>/signet/release`, issuer `<server>`.
    public static func authorityIdentity(server: String) -> String {
        (server.hasSuffix("/") ? String(server.dropLast()) : server) + "/signet/release"
    }

    /// The release requests of `evidence` (registered in the owning namespace) that
    /// `authority` stated and the one engine verifies, newest first.
    public static func stated(
        in evidence: Evidence, by authority: PolicyEngine.ReleaseAuthority, verifier: BundleVerifier, now: Timestamp
    ) -> [(item: Evidence.Item, request: ReleaseRequest)] {
        stated(in: PolicyEngine.attestations(evidence), of: evidence, by: authority, verifier: verifier, now: now)
    }

    /// As ``stated(in:by:verifier:now:)``, from the evidence's statements already read.
    static func stated(
        in attestations: [PolicyEngine.Attestation], of evidence: Evidence, by authority: PolicyEngine.ReleaseAuthority, verifier: BundleVerifier,
        now: Timestamp
    ) -> [(item: Evidence.Item, request: ReleaseRequest)] {
        let artifact = Artifact(digest: evidence.name.digest)
        return attestations.compactMap { item, statement -> (item: Evidence.Item, request: ReleaseRequest)? in
            guard evidence.owner == nil || item.namespace == evidence.owner, statement.predicateType == predicateType,
                let request = try? ReleaseRequest(statement: statement), request.name == evidence.name,
                verifier.verify(item.bundle, artifact: artifact, policy: .identity(authority.identity, issuer: authority.issuer), now: now).isVerified
            else { return nil }
            return (item, request)
        }.sorted { $0.request.createdAt > $1.request.createdAt }
    }
}

extension Approval {
    /// The approval attestations of `evidence` registered in the owning namespace.
    public static func items(in evidence: Evidence) -> [Evidence.Item] {
        items(in: PolicyEngine.attestations(evidence), of: evidence)
    }

    /// As ``items(in:)``, from the evidence's statements already read.
    static func items(in attestations: [PolicyEngine.Attestation], of evidence: Evidence) -> [Evidence.Item] {
        attestations.filter { item, statement in
            (evidence.owner == nil || item.namespace == evidence.owner) && statement.predicateType == predicateType
        }.map(\.item)
    }
}
