import SignetCore

/// Who asked for a certificate, as established by checking their identity token: what goes
/// into the certificate's SAN, its issuer extensions and its provenance extensions.
public struct VerifiedIdentity: Sendable, Hashable {
    /// The kind of Subject Alternative Name the identity is (RFC 5280 §4.2.1.6).
    public enum SubjectName: Sendable, Hashable {
        case email(String)
        case uri(String)

        /// The email address or URI.
        public var value: String {
            switch self {
            case .email(let email): email
            case .uri(let uri): uri
            }
        }
    }

    public var subjectName: SubjectName
    /// The OIDC issuer (`iss`), written to extensions 1.3.6.1.4.1.57264.1.1 and .1.8.
    public var issuer: String
    /// Provenance values by Fulcio extension (build signer, source repository, ref, …).
    public var provenance: [FulcioExtension: String]
    /// The strings a proof of possession may sign (the token's `email` and `sub` claims).
    public var proofOfPossessionChallenges: [String]

    public init(subjectName: SubjectName, issuer: String, provenance: [FulcioExtension: String] = [:], proofOfPossessionChallenges: [String] = []) {
        self.subjectName = subjectName
        self.issuer = issuer
        self.provenance = provenance
        self.proofOfPossessionChallenges = proofOfPossessionChallenges
    }
}
