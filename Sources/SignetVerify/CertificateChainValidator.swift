import SignetCore
import SwiftASN1
import X509

/// RFC 5280 §6 path validation for the chains Sigstore verification needs, where the path is
/// not searched for but given: the leaf, then an authority's certificates from the trusted
/// root, ending at its trust anchor. The leaf's signature is checked on every call; the links
/// between the authority's certificates were checked once, when the trusted root was read
/// (``TrustMaterial``), and their outcome is given.
struct CertificateChainValidator {
    /// What the leaf must be fit for.
    enum Purpose {
        /// A Fulcio signing certificate: EKU codeSigning; KU, if present, allows digitalSignature.
        case codeSigning
        /// An RFC 3161 §2.3 TSA certificate: EKU exactly timeStamping, marked critical.
        case timeStamping
    }

    /// The critical extensions a leaf may carry: those this validator checks.
    static let leafCriticalExtensions: Set<ASN1ObjectIdentifier> = [
        .X509ExtensionID.subjectAlternativeName, .X509ExtensionID.keyUsage, .X509ExtensionID.extendedKeyUsage, .X509ExtensionID.basicConstraints,
    ]

    static let issuerCriticalExtensions: Set<ASN1ObjectIdentifier> = [.X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage]

    /// Validates `leaf` through `authority` (leaf-most first, anchor last) at `time`; returns
    /// the path from the leaf to the anchor and the index in `authority` of the leaf's issuer,
    /// which may be any certificate of the authority's chain. `signedLinks[i]` says
    /// whether `authority[i]`'s signature verifies with `authority[i + 1]`'s key; a
    /// `leafSigned` outcome, when given, stands for the leaf's own check (a leaf that is itself
    /// a trusted-root certificate).
    @discardableResult
    static func validate(
        leaf: Certificate, authority: ArraySlice<Certificate>, signedLinks: ArraySlice<Bool>, leafSigned: Bool? = nil, at time: Timestamp,
        purpose: Purpose
    ) throws(VerificationError) -> (path: [Certificate], issuerIndex: Int) {
        guard let start = authority.firstIndex(where: { $0.subject == leaf.issuer }) else {
            throw VerificationError(
                .certificateChainInvalid,
                "expected the leaf's issuer \(leaf.issuer) among the authority's certificates, found \(authority.map { "\($0.subject)" }.joined(separator: "; "))"
            )
        }
        let path = [leaf] + authority[start...]
        try checkLeaf(leaf, purpose: purpose)
        for (index, certificate) in path.enumerated() {
            guard Timestamp(certificate.notValidBefore) <= time, time <= Timestamp(certificate.notValidAfter) else {
                throw VerificationError(
                    .certificateChainInvalid,
                    "expected \(describe(certificate)) to be valid at \(time), found validity [\(Timestamp(certificate.notValidBefore)), \(Timestamp(certificate.notValidAfter))]"
                )
            }
            guard index + 1 < path.count else { break }
            let issuer = path[index + 1]
            guard certificate.issuer == issuer.subject else {
                throw VerificationError(
                    .certificateChainInvalid, "expected \(describe(certificate)) to be issued by \(issuer.subject), found issuer \(certificate.issuer)")
            }
            let signed =
                index == 0
                ? leafSigned ?? issuer.publicKey.isValidSignature(certificate.signature, for: certificate)
                : signedLinks.indices.contains(start + index - 1) && signedLinks[start + index - 1]
            guard signed else {
                throw VerificationError(
                    .certificateChainInvalid, "expected \(describe(certificate)) to be signed by \(issuer.subject), found a signature that does not verify")
            }
            // Intermediates below this issuer, not counting the leaf (RFC 5280 §4.2.1.9).
            try checkIssuer(issuer, intermediatesBelow: index)
        }
        return (path, start)
    }

    /// Whether each of `certificates` (leaf-most first) is signed by the next one's key: the
    /// links of a trusted-root chain, checked once.
    static func signedLinks(_ certificates: [Certificate]) -> [Bool] {
        zip(certificates, certificates.dropFirst()).map { $1.publicKey.isValidSignature($0.signature, for: $0) }
    }

    private static func describe(_ certificate: Certificate) -> String {
        certificate.subject.isEmpty ? "the leaf certificate" : "\(certificate.subject)"
    }

    private static func checkCritical(_ certificate: Certificate, handled: Set<ASN1ObjectIdentifier>) throws(VerificationError) {
        for ext in certificate.extensions where ext.critical && !handled.contains(ext.oid) {
            throw VerificationError(.certificateChainInvalid, "expected no unrecognised critical extension in \(describe(certificate)), found \(ext.oid)")
        }
    }

    private static func checkLeaf(_ leaf: Certificate, purpose: Purpose) throws(VerificationError) {
        try checkCritical(leaf, handled: leafCriticalExtensions)
        do {
            if case .isCertificateAuthority? = try leaf.extensions.basicConstraints {
                throw VerificationError(.certificateChainInvalid, "expected an end-entity signing certificate, found a CA certificate")
            }
            switch purpose {
            case .codeSigning:
                guard let usage = try leaf.extensions.extendedKeyUsage, usage.contains(.codeSigning) else {
                    throw VerificationError(.certificateChainInvalid, "expected the signing certificate to have extended key usage codeSigning, found none")
                }
                if let keyUsage = try leaf.extensions.keyUsage, !keyUsage.digitalSignature {
                    throw VerificationError(.certificateChainInvalid, "expected the signing certificate's key usage to include digitalSignature")
                }
            case .timeStamping:
                guard let ext = leaf.extensions[oid: .X509ExtensionID.extendedKeyUsage], ext.critical else {
                    throw VerificationError(
                        .certificateChainInvalid, "expected the TSA certificate to have a critical extended key usage timeStamping, found none or non-critical")
                }
                let usage = try ExtendedKeyUsage(ext)
                guard usage.contains(.timeStamping), Array(usage).count == 1 else {
                    throw VerificationError(.certificateChainInvalid, "expected the TSA certificate's extended key usage to be exactly timeStamping")
                }
            }
        } catch let error as VerificationError {
            throw error
        } catch {
            throw VerificationError(.certificateChainInvalid, "the leaf's extensions do not parse: \(error)")
        }
    }

    private static func checkIssuer(_ issuer: Certificate, intermediatesBelow: Int) throws(VerificationError) {
        try checkCritical(issuer, handled: issuerCriticalExtensions)
        do {
            guard issuer.version == .v3, case .isCertificateAuthority(let maxPathLength)? = try issuer.extensions.basicConstraints else {
                throw VerificationError(.certificateChainInvalid, "expected \(issuer.subject) to be a v3 CA certificate with basicConstraints CA:TRUE")
            }
            if let maxPathLength, intermediatesBelow > maxPathLength {
                throw VerificationError(
                    .certificateChainInvalid, "expected at most \(maxPathLength) intermediate(s) below \(issuer.subject), found \(intermediatesBelow)")
            }
            if let keyUsage = try issuer.extensions.keyUsage, !keyUsage.keyCertSign {
                throw VerificationError(.certificateChainInvalid, "expected \(issuer.subject)'s key usage to include keyCertSign")
            }
        } catch let error as VerificationError {
            throw error
        } catch {
            throw VerificationError(.certificateChainInvalid, "\(issuer.subject)'s extensions do not parse: \(error)")
        }
    }
}
