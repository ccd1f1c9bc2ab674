import SignetCore

/// Who must have signed: a certificate identity with its OIDC issuer, or a known public key.
public struct VerificationPolicy: Sendable {
    /// How the certificate's SAN must match.
    public enum IdentityMatcher: Sendable, CustomStringConvertible {
        /// Equal to one of the SAN's email, URI or username values.
        case exact(String)
        /// A regular expression that must match a whole SAN value.
        case regularExpression(String)
        /// Any SAN value: the caller constrains the issuer and provenance instead (verification
        /// by artifact name, where `--certificate-identity` is optional).
        case any

        public var description: String {
            switch self {
            case .any: "any identity"
            case .exact(let identity): "\"\(identity)\""
            case .regularExpression(let pattern): "a match for /\(pattern)/"
            }
        }

        /// A test for SAN values, with a regular expression compiled once.
        func predicate() throws(VerificationError) -> (String) -> Bool {
            switch self {
            case .any:
                return { _ in true }
            case .exact(let identity):
                return { $0 == identity }
            case .regularExpression(let pattern):
                let regex: Regex<AnyRegexOutput>
                do {
                    regex = try Regex(pattern)
                } catch {
                    throw VerificationError(.unusableInput, "expected a valid regular expression for the certificate identity, found /\(pattern)/")
                }
                return { (try? regex.wholeMatch(in: $0)) != nil }
            }
        }
    }

    public enum Signer: Sendable {
        /// A Fulcio-profile certificate whose SAN matches and whose issuer extension is `issuer`.
        case certificate(identity: IdentityMatcher, issuer: String)
        /// A managed key given out of band; the bundle carries only a hint.
        case publicKey(VerificationKey, spki: [UInt8])
        /// A certificate from the organisation's own PKI: it chains to one of `anchors` (not to
        /// the trusted root's CAs, and with no SCT), and its SAN matches. Its log entries and
        /// timestamps are still checked against the trusted root.
        case organizationCertificate(identity: IdentityMatcher, anchors: CertificateAnchors)
    }

    public var signer: Signer
    /// Values the certificate's provenance extensions must hold exactly (Fulcio
    /// `docs/oid-info.md`): each one given must be present and equal.
    public var provenance: [FulcioExtension: String]
    /// Whether a required ``provenance`` value the certificate does not attest may be met by
    /// provenance the signer stated at registration (verification by name only). Off unless
    /// asked for: stated provenance is the signer's word, not the identity provider's.
    public var acceptsStatedProvenance: Bool

    public init(signer: Signer, provenance: [FulcioExtension: String] = [:], acceptsStatedProvenance: Bool = false) {
        self.signer = signer
        self.provenance = provenance
        self.acceptsStatedProvenance = acceptsStatedProvenance
    }

    public static func identity(_ identity: String, issuer: String) -> VerificationPolicy {
        VerificationPolicy(signer: .certificate(identity: .exact(identity), issuer: issuer))
    }

    /// The provenance fields that name a publisher (whose repository or build made it), not
    /// only a ref or a commit any repository may have.
    public static let publisherFields: Set<FulcioExtension> = [
        .sourceRepositoryURI, .sourceRepositoryIdentifier, .sourceRepositoryOwnerURI, .sourceRepositoryOwnerIdentifier, .buildConfigURI,
        .buildSignerURI,
    ]

    /// Verification by artifact name: a certificate from `issuer`, of `identity` when one is
    /// asked for, holding every `provenance` value given (or, with `acceptingStated`, stated
    /// at registration where the certificate attests none). Without an identity, an attested
    /// publisher must be required (``publisherFields``): an issuer alone admits anyone it
    /// serves, so that needs `anySigner`.
    public static func artifact(
        issuer: String, identity: String?, provenance: [FulcioExtension: String], acceptingStated: Bool = false, anySigner: Bool = false
    ) throws(VerificationError) -> VerificationPolicy {
        if identity == nil, !anySigner, acceptingStated || !provenance.keys.contains(where: publisherFields.contains) {
            throw VerificationError(
                .signerUnconstrained,
                "expected an identity or an attested publisher (\(publisherFields.map(\.fieldName).sorted().joined(separator: ", "))) to require, found "
                    + (provenance.isEmpty
                        ? "only the issuer \(issuer)"
                        : acceptingStated
                            ? "provenance that may be met by what a signer states"
                            : "only \(provenance.keys.map(\.fieldName).sorted().joined(separator: ", "))")
                    + "; name the signer, or say that any signer of the issuer will do")
        }
        return VerificationPolicy(
            signer: .certificate(identity: identity.map { .exact($0) } ?? .any, issuer: issuer), provenance: provenance,
            acceptsStatedProvenance: acceptingStated)
    }
}

/// What was signed, as the verifier sees it: digests of the artifact.
public struct Artifact: Sendable, Hashable {
    /// Digests by algorithm; SHA-256 is always present.
    public var digests: [HashAlgorithm: [UInt8]]

    /// An artifact whose bytes are known.
    public init(bytes: [UInt8]) {
        digests = [:]
        for algorithm in HashAlgorithm.allCases { digests[algorithm] = algorithm.hash(bytes) }
    }

    /// An artifact known only by digest.
    public init(digest: [UInt8], algorithm: HashAlgorithm = .sha256) {
        digests = [algorithm: digest]
    }

    /// An artifact whose digests were computed elsewhere (for example while streaming a file).
    public init(digests: [HashAlgorithm: [UInt8]]) {
        self.digests = digests
    }

    public var sha256: [UInt8]? { digests[.sha256] }

    /// Parses `sha256:<64 hex>`; nil if `text` is not of that form.
    public static func parseDigest(_ text: String) -> Artifact? {
        guard text.hasPrefix("sha256:") else { return nil }
        let hex = text.dropFirst("sha256:".count)
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }), let bytes = Hex.decode(String(hex)) else { return nil }
        return Artifact(digest: bytes)
    }
}
