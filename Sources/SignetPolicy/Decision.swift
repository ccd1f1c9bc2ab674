import SignetCore

/// What the gate answers for one artifact in one environment: whether it may run, a stable
/// code and a message that says what was expected and what was found, the policies that
/// decided (with their digests), the evidence that admitted it, and until when the answer
/// holds.
public struct Decision: Sendable, Hashable {
    /// Stable codes (README, "Deploy gate").
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case admitted
        /// A `warn` policy (or an `enforce` one before its `enforceFrom`) failed.
        case admittedWithWarnings = "admitted-with-warnings"
        /// A failure waived by an unexpired exception.
        case admittedByException = "admitted-by-exception"
        /// No signature of the name at all.
        case noSignature = "no-signature"
        /// Signatures exist; none verifies.
        case signatureInvalid = "signature-invalid"
        /// Signatures verify; none is by a trusted publisher (identity, repository, workflow,
        /// ref or runner differ, or provenance only stated).
        case untrustedPublisher = "untrusted-publisher"
        /// The publisher's signature is revoked.
        case revoked
        /// No attestation of the name at all.
        case attestationMissing = "attestation-missing"
        /// Attestations exist, none of the required type.
        case attestationWrongType = "attestation-wrong-type"
        /// An attestation of the type exists, by nobody the requirement trusts.
        case attestationUntrustedSigner = "attestation-untrusted-signer"
        /// An attestation of the type is about another digest.
        case attestationSubjectMismatch = "attestation-subject-mismatch"
        /// An attestation of the type does not verify.
        case attestationInvalid = "attestation-invalid"
        /// The attestation of the type is revoked.
        case attestationRevoked = "attestation-revoked"
        /// The predicate says otherwise than its certificate (SLSA source, ref, commit, builder).
        case attestationContradictsCertificate = "attestation-contradicts-certificate"
        /// The predicate fails a condition.
        case attestationConditionFailed = "attestation-condition-failed"
        /// A policy requires a release quorum, and no release request of the name has met it
        /// (or its break-glass approval has expired).
        case quorumNotMet = "quorum-not-met"
        /// The exception that waived the failure has expired.
        case exceptionExpired = "exception-expired"
        /// No policy covers the name in the environment (default deny).
        case noPolicy = "no-policy"
        /// No policy names the environment.
        case unknownEnvironment = "unknown-environment"
        /// The image is not pinned by digest.
        case notPinned = "not-pinned"
        /// The subject is not an artifact name or image reference at all (a batch entry).
        case invalidName = "invalid-name"
        /// Offline: the exported gate holds no verdict on the subject.
        case notExported = "not-exported"
        /// Offline: the exported gate, or its verdict on the subject, has expired.
        case verdictExpired = "verdict-expired"
        /// The decision could not be made in time (fail closed).
        case deadlineExceeded = "deadline-exceeded"
        /// The caller may not ask about the namespace that owns the subject (one subject of
        /// many; a single admission is refused with 403 instead).
        case namespaceDenied = "namespace-denied"

        public var allows: Bool { self == .admitted || self == .admittedWithWarnings || self == .admittedByException }
    }

    /// A policy that took part, by name, with the digest of its document.
    public struct AppliedPolicy: Sendable, Hashable {
        public var name: String
        public var digest: String
        public var mode: PolicyDocument.Mode
    }

    /// A signature or attestation that met a rule.
    public struct UsedEvidence: Sendable, Hashable {
        public var id: String
        /// nil for a signature.
        public var predicateType: String?
        public var identity: String
        public var issuer: String
        public var logIndex: Int64?
    }

    /// One step of the evaluation, for `explain`.
    public struct Check: Sendable, Hashable {
        public var policy: String
        public var rule: String
        public var passed: Bool
        public var detail: String
    }

    public var allowed: Bool
    public var code: Code
    public var message: String
    public var policies: [AppliedPolicy]
    /// `sha256:` of the applied policies' digests, one per line, in order: what the decision
    /// was made under.
    public var policyDigest: String
    public var evidence: [UsedEvidence]
    public var warnings: [String]
    public var checks: [Check]
    /// The answer holds until then, unless evidence or policy changes first.
    public var expiresAt: Timestamp

    /// A refusal made before any policy applied.
    public static func refused(_ code: Code, _ message: String, now: Timestamp) -> Decision {
        Decision(
            allowed: false, code: code, message: message, policies: [], policyDigest: combinedDigest([]), evidence: [], warnings: [], checks: [],
            expiresAt: now)
    }

    static func combinedDigest(_ policies: [AppliedPolicy]) -> String {
        "sha256:" + Hex.encode(sha256(Array(policies.map(\.digest).joined(separator: "\n").utf8)))
    }
}
