import Foundation
import SignetCore
import SwiftASN1
import X509

/// A Fulcio-compatible certificate authority: it certifies a proven key for a verified
/// identity with a short-lived leaf in the Fulcio profile (sigstore/fulcio
/// `docs/certificate-specification.md`) and embeds an RFC 6962 precertificate SCT signed by its
/// CT key. Pure: keys come in through ``Signer``, time through ``TimeSource``.
public struct CertificateAuthority: Sendable {
    /// The issuing certificate, then its issuers up to the root.
    public let chain: [Certificate]
    public let signer: any Signer
    /// Signs the embedded SCT; nil issues certificates without one.
    public let ctSigner: (any Signer)?
    /// How long a leaf is valid (RFC 5280 validity, both ends inclusive).
    public let lifetimeSeconds: Int64
    public let timeSource: any TimeSource
    private let signingKey: Certificate.PrivateKey
    private let signatureAlgorithm: Certificate.SignatureAlgorithm
    private let issuerKeyHash: [UInt8]
    private let authorityKeyIdentifier: ArraySlice<UInt8>

    public init(chain: [Certificate], signer: any Signer, ctSigner: (any Signer)?, lifetimeSeconds: Int64 = 300, timeSource: any TimeSource = SystemTimeSource()) throws {
        guard let issuer = chain.first else {
            throw CertificateAuthorityError(.signingFailed, "expected the CA's certificate chain, found none")
        }
        guard issuer.subjectPublicKeyInfoDER == signer.publicKeySPKI else {
            throw CertificateAuthorityError(.signingFailed, "expected the issuing certificate to certify the CA's key, found another key")
        }
        guard lifetimeSeconds > 0 else {
            throw CertificateAuthorityError(.signingFailed, "expected a positive certificate lifetime, found \(lifetimeSeconds) s")
        }
        self.chain = chain
        self.signer = signer
        self.ctSigner = ctSigner
        self.lifetimeSeconds = lifetimeSeconds
        self.timeSource = timeSource
        let certificateSigningKey = try CertificateSigningKey(signer)
        self.signingKey = Certificate.PrivateKey(certificateSigningKey)
        self.signatureAlgorithm = certificateSigningKey.defaultSignatureAlgorithm
        self.issuerKeyHash = sha256(signer.publicKeySPKI)
        self.authorityKeyIdentifier = (try? issuer.extensions.subjectKeyIdentifier)?.keyIdentifier ?? SubjectKeyIdentifier(hash: issuer.publicKey).keyIdentifier
    }

    /// The CT log ID of the SCT key: SHA-256 of its SubjectPublicKeyInfo.
    public var ctLogID: [UInt8]? { ctSigner.map { sha256($0.publicKeySPKI) } }

    /// Issues a leaf for `request`'s key and `identity`, after checking a challenge signature
    /// against the identity's challenges. Returns the leaf first, then the CA chain.
    public func issue(_ request: SigningCertificateRequest, for identity: VerifiedIdentity) throws(CertificateAuthorityError) -> [Certificate] {
        if case .signedChallenge(let signature) = request.proof {
            let key: VerificationKey
            do { key = try VerificationKey(spki: Self.spki(request.publicKey)) } catch {
                throw CertificateAuthorityError(.unsupportedKey, error.description)
            }
            guard identity.proofOfPossessionChallenges.contains(where: { key.isValidSignature(signature, message: Array($0.utf8)) }) else {
                throw CertificateAuthorityError(.invalidProofOfPossession, "expected proofOfPossession to be the key's signature over the token's email or subject, found one that does not verify")
            }
        }
        do {
            return [try issueLeaf(publicKey: request.publicKey, identity: identity)] + chain
        } catch let error as CertificateAuthorityError {
            throw error
        } catch {
            throw CertificateAuthorityError(.signingFailed, "\(error)")
        }
    }

    private func issueLeaf(publicKey: Certificate.PublicKey, identity: VerifiedIdentity) throws -> Certificate {
        let now = timeSource.now()
        let notBefore = Date(timeIntervalSince1970: TimeInterval(now.seconds))
        let notAfter = notBefore.addingTimeInterval(TimeInterval(lifetimeSeconds))
        // RFC 5280 §4.1.2.2: positive and at most 20 octets encoded, so 159 random bits.
        var serialBytes = secureRandomBytes(20)
        serialBytes[0] &= 0x7F
        let serial = Certificate.SerialNumber(bytes: serialBytes)
        let san: GeneralName = switch identity.subjectName {
        case .email(let email): .rfc822Name(email)
        case .uri(let uri): .uniformResourceIdentifier(uri)
        }
        var extensions = [
            try Certificate.Extension(KeyUsage(digitalSignature: true), critical: true),
            try Certificate.Extension(ExtendedKeyUsage([.codeSigning]), critical: false),
            try Certificate.Extension(SubjectKeyIdentifier(hash: publicKey), critical: false),
            try Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier), critical: false),
            try Certificate.Extension(SubjectAlternativeNames([san]), critical: true),
            Certificate.Extension(oid: FulcioExtension.issuerV1.oid, critical: false, value: try FulcioExtension.issuerV1.encode(identity.issuer)[...]),
            Certificate.Extension(oid: FulcioExtension.issuer.oid, critical: false, value: try FulcioExtension.issuer.encode(identity.issuer)[...]),
        ]
        for (ext, value) in identity.provenance.sorted(by: { $0.key.oidOrder < $1.key.oidOrder }) where ext != .issuer && ext != .issuerV1 {
            extensions.append(Certificate.Extension(oid: ext.oid, critical: false, value: try ext.encode(value)[...]))
        }
        func make(_ extensions: [Certificate.Extension]) throws -> Certificate {
            try Certificate(
                version: .v3, serialNumber: serial, publicKey: publicKey, notValidBefore: notBefore, notValidAfter: notAfter,
                issuer: chain[0].subject, subject: DistinguishedName(), signatureAlgorithm: signatureAlgorithm,
                extensions: Certificate.Extensions(extensions), issuerPrivateKey: signingKey)
        }
        guard let ctSigner else { return try make(extensions) }
        // RFC 6962 §3.2: the SCT signs the TBS without the SCT list, so issue that first.
        let precertificateTBS = try SignedCertificateTimestamp.tbsRemovingExtension(SignedCertificateTimestamp.extensionOID, from: try make(extensions))
        let timestamp = UInt64(now.seconds) * 1000 + UInt64(now.nanoseconds / 1_000_000)
        let signed = SignedCertificateTimestamp.signedData(timestamp: timestamp, issuerKeyHash: issuerKeyHash, precertificateTBS: precertificateTBS, extensions: [])
        let sct = SignedCertificateTimestamp(logID: sha256(ctSigner.publicKeySPKI), timestamp: timestamp, signature: try ctSigner.sign(signed))
        extensions.append(Certificate.Extension(oid: SignedCertificateTimestamp.extensionOID, critical: false, value: try SignedCertificateTimestamp.listExtensionValue([sct])[...]))
        return try make(extensions)
    }

    static func spki(_ key: Certificate.PublicKey) -> [UInt8] {
        var serializer = DER.Serializer()
        try? serializer.serialize(key)
        return serializer.serializedBytes
    }

    /// The Fulcio v2 `SigningCertificate` response: `signedCertificateEmbeddedSct.chain` with
    /// PEM certificates, leaf first.
    public static func responseJSON(_ chain: [Certificate]) throws -> [UInt8] {
        let pems = try chain.map { JSONValue.string(PEM.encode(try $0.derBytes(), label: "CERTIFICATE")) }
        return JSONValue.object(JSONObject([
            ("signedCertificateEmbeddedSct", .object(JSONObject([("chain", .object(JSONObject([("certificates", .array(pems))])))]))),
        ])).compactBytes()
    }
}

extension FulcioExtension {
    /// The position of the extension's last OID arc, so extensions appear in OID order.
    var oidOrder: Int { Int(rawValue.split(separator: ".").last ?? "") ?? 0 }
}
