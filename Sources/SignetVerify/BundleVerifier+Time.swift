import Crypto
import SignetCore
import SwiftASN1
import X509

extension BundleVerifier {
    /// The most RFC 3161 timestamps a bundle may carry (as sigstore-python and sigstore-go);
    /// a bundle with more is refused (`timestamp-invalid`) before any is examined.
    public static let maxTimestamps = 32

    /// Establishes the verified times of a bundle: each RFC 3161 timestamp's genTime and each
    /// signed entry timestamp's integrated time. A signed entry timestamp that does not verify
    /// fails the bundle; an RFC 3161 timestamp that does not verify is ignored, as sigstore-python
    /// and sigstore-go ignore it (omitting it would gain nothing), and its reason is kept. At
    /// least one verified time is required. A bundle with more than ``maxTimestamps`` timestamps,
    /// or carrying one timestamp twice (the same bytes, or the same signed TSTInfo in another
    /// wrapping), is refused, so no count of timestamps can be reached by repetition.
    func establishTimes(_ bundle: SigstoreBundle, now: Timestamp) throws(VerificationError) -> (
        times: [(source: String, time: Timestamp)], ignored: [VerificationError]
    ) {
        guard bundle.rfc3161Timestamps.count <= Self.maxTimestamps else {
            throw VerificationError(.timestampInvalid, "expected at most \(Self.maxTimestamps) RFC 3161 timestamps, found \(bundle.rfc3161Timestamps.count)")
        }
        var firstIndex: [[UInt8]: Int] = [:]
        for (index, der) in bundle.rfc3161Timestamps.enumerated() {
            if let earlier = firstIndex.updateValue(index, forKey: der) {
                throw VerificationError(
                    .timestampInvalid, "expected distinct RFC 3161 timestamps, found rfc3161Timestamps[\(index)] identical to rfc3161Timestamps[\(earlier)]")
            }
        }
        var times: [(source: String, time: Timestamp)] = []
        var ignored: [VerificationError] = []
        var verifiedInfos: [[UInt8]: Int] = [:]
        let signature = bundle.content.signatureBytes
        for (index, der) in bundle.rfc3161Timestamps.enumerated() {
            let verified: (time: Timestamp, tstInfo: [UInt8])
            do {
                verified = try verifyTimestamp(der, index: index, signature: signature)
            } catch {
                ignored.append(error)
                continue
            }
            if let earlier = verifiedInfos.updateValue(index, forKey: verified.tstInfo) {
                throw VerificationError(
                    .timestampInvalid,
                    "expected distinct RFC 3161 timestamps, found rfc3161Timestamps[\(index)] carrying the same signed TSTInfo as rfc3161Timestamps[\(earlier)]"
                )
            }
            times.append(("rfc3161", verified.time))
        }
        for (index, entry) in bundle.tlogEntries.enumerated() {
            guard let set = entry.signedEntryTimestamp else { continue }
            times.append(("tlog-set", try verifySignedEntryTimestamp(set, entry: entry, index: index, now: now)))
        }
        guard !times.isEmpty else {
            if !ignored.isEmpty {
                throw VerificationError(.timestampInvalid, ignored.map(\.reason).joined(separator: "; "))
            }
            throw VerificationError(
                .noTrustedTime, "expected an RFC 3161 timestamp or a signed entry timestamp, found neither (a Rekor v2 entry needs a timestamp)")
        }
        return (times, ignored)
    }

    private func verifySignedEntryTimestamp(_ set: [UInt8], entry: TransparencyLogEntry, index: Int, now: Timestamp) throws(VerificationError) -> Timestamp {
        let context = "tlogEntries[\(index)]"
        guard let log = trust.transparencyLog(id: entry.logID) else {
            throw VerificationError(
                .transparencyLogInvalid, "\(context): expected a log of the trusted root, found log ID \(Hex.encode(entry.logID)) that it does not list")
        }
        let key = try log.verificationKey(context: context)
        let time = Timestamp(seconds: entry.integratedTime)
        let payload = SignedEntryTimestamp.payload(
            body: entry.canonicalizedBody, integratedTime: entry.integratedTime, logID: entry.logID, logIndex: entry.logIndex)
        guard key.isValidSignature(set, message: payload) else {
            throw VerificationError(
                .signedEntryTimestampInvalid,
                "\(context): expected a signed entry timestamp by \(log.info.baseURL) over entry \(entry.logIndex) at \(time), found a signature that does not verify"
            )
        }
        guard log.info.validFor.contains(time) else {
            throw VerificationError(
                .transparencyLogInvalid, "\(context): expected the integrated time \(time) within the log key's validity \(log.info.validFor.description)")
        }
        // Saturating: `now` and the skew come from the caller, and a sum past Int64.max is no limit.
        let (latest, overflow) = now.seconds.addingReportingOverflow(allowedClockSkewSeconds)
        guard overflow || entry.integratedTime <= latest else {
            throw VerificationError(.signedEntryTimestampInvalid, "\(context): expected an integrated time no later than now (\(now)), found \(time)")
        }
        return time
    }

    /// Verifies one RFC 3161 timestamp over `signature` against the trusted root's timestamp
    /// authorities, one whose `validFor` covers the genTime, and returns the genTime and the
    /// DER TSTInfo the TSA signed.
    func verifyTimestamp(_ der: [UInt8], index: Int, signature: [UInt8]) throws(VerificationError) -> (time: Timestamp, tstInfo: [UInt8]) {
        let context = "rfc3161Timestamps[\(index)]"
        let status: Int
        let parsedToken: TimeStampToken?
        do {
            (status, parsedToken) = try TimeStampToken.fromResponse(der)
        } catch {
            throw VerificationError(.timestampInvalid, "\(context): \(error.reason)")
        }
        guard status == 0 else {
            throw VerificationError(.timestampInvalid, "\(context): expected status granted (0), found \(status)")
        }
        guard let token = parsedToken else {
            throw VerificationError(.timestampInvalid, "\(context): expected a timestamp token in a granted response, found none")
        }
        guard token.signedData.signerInfos.count == 1, let signerInfo = token.signedData.signerInfos.first else {
            throw VerificationError(.timestampInvalid, "\(context): expected exactly one signer, found \(token.signedData.signerInfos.count)")
        }
        // RFC 5652 §5.1 and §5.3: SignedData is version 3 for non-data content; a SignerInfo is
        // version 1 with issuerAndSerialNumber and 3 with a subject key identifier.
        let expectedSignerVersion: Int
        switch signerInfo.signerIdentifier {
        case .issuerAndSerialNumber: expectedSignerVersion = 1
        case .subjectKeyIdentifier: expectedSignerVersion = 3
        }
        guard token.signedData.version == 3, signerInfo.version == expectedSignerVersion, !token.signedData.hasRevocationInfo else {
            throw VerificationError(
                .timestampInvalid,
                "\(context): expected SignedData version 3 and SignerInfo version \(expectedSignerVersion) without revocation info, found versions \(token.signedData.version) and \(signerInfo.version)\(token.signedData.hasRevocationInfo ? " with CRLs" : "")"
            )
        }
        guard token.signedData.digestAlgorithms.contains(signerInfo.digestAlgorithm) else {
            throw VerificationError(
                .timestampInvalid,
                "\(context): expected the signer's digest algorithm \(signerInfo.digestAlgorithm.algorithm) among SignedData's digest algorithms")
        }
        let imprint = token.info.messageImprint
        guard let imprintHash = imprint.hashAlgorithm.hashAlgorithm else {
            throw VerificationError(.timestampInvalid, "\(context): expected a SHA-2 message imprint, found algorithm \(imprint.hashAlgorithm.algorithm)")
        }
        guard imprint.hashedMessage == imprintHash.hash(signature) else {
            throw VerificationError(
                .timestampInvalid,
                "\(context): expected the message imprint to be the \(imprintHash.rawValue) of the bundle's signature, found one over other data")
        }
        let time = token.info.time

        guard let signedAttributes = signerInfo.signedAttributesDER,
            let contentType = signerInfo.attributeValues(.cmsContentTypeAttribute)?.first,
            let digestValue = signerInfo.attributeValues(.cmsMessageDigestAttribute)?.first
        else {
            throw VerificationError(.timestampInvalid, "\(context): expected signed attributes with content type and message digest, found none")
        }
        guard (try? ASN1ObjectIdentifier(derEncoded: contentType)) == .tstInfo else {
            throw VerificationError(.timestampInvalid, "\(context): expected the signed content-type attribute id-ct-TSTInfo")
        }
        guard let digestAlgorithm = signerInfo.digestAlgorithm.hashAlgorithm,
            let digest = try? ASN1OctetString(derEncoded: digestValue), Array(digest.bytes) == digestAlgorithm.hash(token.infoDER)
        else {
            throw VerificationError(
                .timestampInvalid, "\(context): expected the message-digest attribute to be the digest of the TSTInfo, found a different value")
        }
        let certificateID: ESSCertificateID?
        if let value = signerInfo.attributeValues(.signingCertificateV2)?.first {
            certificateID = try? ESSCertificateID(attributeValue: value, version2: true)
        } else if let value = signerInfo.attributeValues(.signingCertificate)?.first {
            certificateID = try? ESSCertificateID(attributeValue: value, version2: false)
        } else {
            certificateID = nil
        }
        guard certificateID != nil else {
            throw VerificationError(.timestampInvalid, "\(context): expected a signing-certificate (ESS) attribute naming the TSA certificate, found none")
        }

        var failures: [String] = []
        for authority in trust.timestampAuthorities {
            guard let tsaLeaf = authority.certificates.first else { continue }
            let leafDER = authority.info.certificateChain[0]
            guard authority.identifiesLeaf(signerInfo.signerIdentifier) else {
                failures.append("\(authority.info.commonName): not the signer")
                continue
            }
            if let certificateID {
                let expected: [UInt8]?
                switch certificateID.hashAlgorithm.algorithm {
                case .sha1: expected = Array(Insecure.SHA1.hash(data: leafDER))
                default: expected = certificateID.hashAlgorithm.hashAlgorithm?.hash(leafDER)
                }
                guard expected == certificateID.certificateHash else {
                    failures.append("\(authority.info.commonName): signing-certificate attribute names another certificate")
                    continue
                }
            }
            // Embedded certificates are optional; when present they must include the trusted one.
            if !token.signedData.certificates.isEmpty && !token.signedData.certificates.contains(leafDER) {
                failures.append("\(authority.info.commonName): embedded signer certificate differs from the trusted one")
                continue
            }
            guard let key = authority.leafKey,
                Self.verifyCMSSignature(signerInfo, key: key, signedAttributes: signedAttributes)
            else {
                failures.append("\(authority.info.commonName): signature does not verify")
                continue
            }
            // A TSA is trusted only within its window: outside it, its signature counts for
            // nothing, and another entry of the root (the same TSA in another window) may match.
            guard authority.info.validFor.contains(time) else {
                failures.append("\(authority.info.commonName): time \(time) outside its validity \(authority.info.validFor)")
                continue
            }
            do {
                try CertificateChainValidator.validate(
                    leaf: tsaLeaf, authority: authority.certificates.dropFirst(), signedLinks: authority.signedLinks[...],
                    leafSigned: authority.signedLinks.first ?? false, at: time, purpose: .timeStamping)
            } catch {
                throw VerificationError(
                    .timestampInvalid,
                    "\(context): expected the TSA certificate \(tsaLeaf.subject) to chain to its trusted root at \(time), found: \(error.reason)")
            }
            return (time, token.infoDER)
        }
        throw VerificationError(
            .timestampInvalid,
            "\(context): expected a timestamp signed by a timestamp authority of the trusted root, found none that verifies (\(failures.isEmpty ? "the trusted root lists no timestamp authorities" : failures.joined(separator: "; ")))"
        )
    }

    /// Verifies a SignerInfo's signature over its signed attributes (RFC 5652 §5.4).
    static func verifyCMSSignature(_ signerInfo: CMSSignerInfo, key: VerificationKey, signedAttributes: [UInt8]) -> Bool {
        let hash: HashAlgorithm?
        switch signerInfo.signatureAlgorithm.algorithm {
        case .ecdsaWithSHA256, .sha256WithRSAEncryption: hash = .sha256
        case .ecdsaWithSHA384, .sha384WithRSAEncryption: hash = .sha384
        case .ecdsaWithSHA512, .sha512WithRSAEncryption: hash = .sha512
        case .rsaEncryption: hash = signerInfo.digestAlgorithm.hashAlgorithm
        case .ed25519: hash = .sha512
        default: hash = nil
        }
        guard let hash else { return false }
        return key.isValidSignature(signerInfo.signature, message: signedAttributes, hash: hash)
    }
}
