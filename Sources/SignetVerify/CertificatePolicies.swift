import SwiftASN1
import X509

/// The Fulcio leaf profile on top of RFC 5280: the leaf may have an empty subject with a
/// critical SAN (RFC 5280 §4.2.1.6), must allow digitalSignature and must carry EKU
/// codeSigning (§4.2.1.12).
struct CodeSigningLeafPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [
        .X509ExtensionID.subjectAlternativeName,
        .X509ExtensionID.keyUsage,
        .X509ExtensionID.extendedKeyUsage,
    ]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let leaf = chain.leaf
        do {
            guard let usage = try leaf.extensions.extendedKeyUsage, usage.contains(.codeSigning) else {
                return .failsToMeetPolicy(reason: "expected the leaf to have extended key usage codeSigning, found none")
            }
            if let keyUsage = try leaf.extensions.keyUsage, !keyUsage.digitalSignature {
                return .failsToMeetPolicy(reason: "expected the leaf's key usage to include digitalSignature")
            }
        } catch {
            return .failsToMeetPolicy(reason: "the leaf's key usage extensions do not parse: \(error)")
        }
        return .meetsPolicy
    }
}

/// The RFC 3161 §2.3 TSA profile: the signing certificate has exactly the extended key usage
/// timeStamping, marked critical.
struct TimeStampingLeafPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [
        .X509ExtensionID.keyUsage,
        .X509ExtensionID.extendedKeyUsage,
    ]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        guard let ext = chain.leaf.extensions[oid: .X509ExtensionID.extendedKeyUsage] else {
            return .failsToMeetPolicy(reason: "expected the TSA certificate to have extended key usage timeStamping, found none")
        }
        guard ext.critical else {
            return .failsToMeetPolicy(reason: "expected the TSA certificate's extended key usage to be critical, found it non-critical")
        }
        guard let usage = try? ExtendedKeyUsage(ext), usage.contains(.timeStamping), Array(usage).count == 1 else {
            return .failsToMeetPolicy(reason: "expected the TSA certificate's extended key usage to be exactly timeStamping")
        }
        return .meetsPolicy
    }
}
