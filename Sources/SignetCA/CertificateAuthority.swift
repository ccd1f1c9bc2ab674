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
    /// The CT log ID of the SCT key: SHA-256 of its SubjectPublicKeyInfo (RFC 6962 §3.2).
    public let ctLogID: [UInt8]?
    /// How long a leaf is valid (RFC 5280 validity, both ends inclusive).
    public let lifetimeSeconds: Int64
    public let timeSource: any TimeSource
    /// The CA chain in PEM, issuing certificate first.
    public let chainPEM: [String]
    private let signatureAlgorithm: AlgorithmIdentifier
    private let issuerNameDER: [UInt8]
    private let issuerKeyHash: [UInt8]
    private let authorityKeyIdentifier: ArraySlice<UInt8>

    public init(
        chain: [Certificate], signer: any Signer, ctSigner: (any Signer)?, lifetimeSeconds: Int64 = 300, timeSource: any TimeSource = SystemTimeSource()
    ) throws {
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
        self.ctLogID = ctSigner.map { sha256($0.publicKeySPKI) }
        self.lifetimeSeconds = lifetimeSeconds
        self.timeSource = timeSource
        self.chainPEM = try chain.map { PEM.encode(try $0.derBytes(), label: "CERTIFICATE") }
        self.signatureAlgorithm = signer.algorithm.algorithmIdentifier
        self.issuerNameDER = try issuer.subject.derBytes()
        self.issuerKeyHash = sha256(signer.publicKeySPKI)
        self.authorityKeyIdentifier = (try? issuer.extensions.subjectKeyIdentifier)?.keyIdentifier ?? SubjectKeyIdentifier(hash: issuer.publicKey).keyIdentifier
    }

    /// Issues a leaf for `request`'s key and `identity`, after checking a challenge signature
    /// against the identity's challenges.
    public func issue(_ request: SigningCertificateRequest, for identity: VerifiedIdentity) async throws(CertificateAuthorityError) -> IssuedLeaf {
        if case .signedChallenge(let signature) = request.proof {
            let key: VerificationKey
            do { key = try VerificationKey(spki: Self.spki(request.publicKey)) } catch {
                throw CertificateAuthorityError(.unsupportedKey, error.description)
            }
            guard identity.proofOfPossessionChallenges.contains(where: { key.isValidSignature(signature, message: Array($0.utf8)) }) else {
                throw CertificateAuthorityError(
                    .invalidProofOfPossession,
                    "expected proofOfPossession to be the key's signature over the token's email or subject, found one that does not verify")
            }
        }
        do {
            return try await issueLeaf(publicKey: request.publicKey, identity: identity)
        } catch let error as CertificateAuthorityError {
            throw error
        } catch {
            throw CertificateAuthorityError(.signingFailed, "\(error)")
        }
    }

    private func issueLeaf(publicKey: Certificate.PublicKey, identity: VerifiedIdentity) async throws -> IssuedLeaf {
        let now = timeSource.now()
        // RFC 5280 §4.1.2.2: positive and at most 20 octets encoded, so 159 random bits.
        var serialBytes = secureRandomBytes(20)
        serialBytes[0] &= 0x7F
        let serial = RawInteger(unsigned: serialBytes)
        let san: GeneralName =
            switch identity.subjectName {
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
        // The clock and the configured lifetime are not input, but a clock before 1970 or a
        // lifetime past the end of time must fail the request, not the process.
        let (notAfter, overflow) = now.seconds.addingReportingOverflow(lifetimeSeconds)
        guard !overflow, now.seconds >= 0 else {
            throw CertificateAuthorityError(
                .signingFailed,
                "expected a clock reading after 1970 and a lifetime that ends before Int64 seconds do, found \(now.seconds) s and \(lifetimeSeconds) s")
        }
        let validity = (Timestamp(seconds: now.seconds), Timestamp(seconds: notAfter))
        if let ctSigner, let ctLogID {
            // RFC 6962 §3.2: the SCT signs the TBSCertificate without the SCT list extension.
            let precertificateTBS = try tbsCertificate(serial: serial, validity: validity, publicKey: publicKey, extensions: extensions)
            // RFC 6962 §3.2: milliseconds since 1970; `now.seconds` is non-negative (checked
            // above) and below Int64.max / 1000 for any date X.509 can encode, which
            // `tbsCertificate` has just encoded.
            let timestamp = UInt64(now.seconds) * 1000 + UInt64(max(0, now.nanoseconds) / 1_000_000)
            let signed = SignedCertificateTimestamp.signedData(
                timestamp: timestamp, issuerKeyHash: issuerKeyHash, precertificateTBS: precertificateTBS, extensions: [])
            let sct = SignedCertificateTimestamp(logID: ctLogID, timestamp: timestamp, signature: try await ctSigner.sign(signed))
            extensions.append(
                Certificate.Extension(
                    oid: SignedCertificateTimestamp.extensionOID, critical: false, value: try SignedCertificateTimestamp.listExtensionValue([sct])[...]))
        }
        let tbs = try tbsCertificate(serial: serial, validity: validity, publicKey: publicKey, extensions: extensions)
        let signature = try await signer.sign(tbs)
        // RFC 5280 §4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }.
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { coder in
            coder.serializeRawBytes(tbs)
            try coder.serialize(signatureAlgorithm)
            try coder.serialize(ASN1BitString(bytes: signature[...]))
        }
        return IssuedLeaf(der: serializer.serializedBytes, serialNumber: Array(serialBytes.drop(while: { $0 == 0 })), chainPEM: chainPEM)
    }

    /// The DER `TBSCertificate` of a leaf (RFC 5280 §4.1.2): v3, empty subject, this CA as
    /// issuer, validity in UTCTime through 2049 and GeneralizedTime after (§4.1.2.5).
    private func tbsCertificate(serial: RawInteger, validity: (Timestamp, Timestamp), publicKey: Certificate.PublicKey, extensions: [Certificate.Extension])
        throws -> [UInt8]
    {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { try $0.serialize(2) }
            try coder.serialize(serial)
            try coder.serialize(signatureAlgorithm)
            coder.serializeRawBytes(issuerNameDER)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for time in [validity.0, validity.1] {
                    let utc = time.utcComponents
                    if (1950..<2050).contains(utc.year) {
                        try coder.serialize(
                            try UTCTime(year: utc.year, month: utc.month, day: utc.day, hours: utc.hours, minutes: utc.minutes, seconds: utc.seconds))
                    } else {
                        try coder.serialize(
                            try GeneralizedTime(
                                year: utc.year, month: utc.month, day: utc.day, hours: utc.hours, minutes: utc.minutes, seconds: utc.seconds,
                                fractionalSeconds: 0))
                    }
                }
            }
            try coder.serialize(DistinguishedName())
            try coder.serialize(publicKey)
            try coder.serialize(explicitlyTaggedWithTagNumber: 3, tagClass: .contextSpecific) { try $0.serializeSequenceOf(extensions) }
        }
        return serializer.serializedBytes
    }

    static func spki(_ key: Certificate.PublicKey) -> [UInt8] {
        var serializer = DER.Serializer()
        try? serializer.serialize(key)
        return serializer.serializedBytes
    }
}

/// A leaf the CA issued, as it is handed out: its DER, its serial number and the CA chain.
public struct IssuedLeaf: Sendable {
    /// The leaf certificate's DER.
    public let der: [UInt8]
    /// The serial number's big-endian magnitude without leading zeros, as
    /// `Certificate.SerialNumber.bytes` reads it back.
    public let serialNumber: [UInt8]
    /// The CA chain in PEM, issuing certificate first.
    public let chainPEM: [String]

    /// The leaf parsed.
    public func certificate() throws -> Certificate { try Certificate(derEncoded: der) }

    /// The Fulcio v2 `SigningCertificate` response: `signedCertificateEmbeddedSct.chain` with
    /// PEM certificates, leaf first.
    public func responseJSON() -> [UInt8] {
        let pems = ([PEM.encode(der, label: "CERTIFICATE")] + chainPEM).map(JSONValue.string)
        return JSONValue.object(
            JSONObject([
                ("signedCertificateEmbeddedSct", .object(JSONObject([("chain", .object(JSONObject([("certificates", .array(pems))])))])))
            ])
        ).compactBytes()
    }
}
