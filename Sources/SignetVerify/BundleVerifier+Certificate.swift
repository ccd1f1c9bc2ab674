import SignetCore
import SwiftASN1
import X509

extension BundleVerifier {
    /// Validates the leaf against the trusted root's certificate authorities at every verified
    /// time (the hybrid model: each time must lie within the leaf's, the chain's and the
    /// authority's validity). Signatures do not depend on the time, so a chain validated at one
    /// time is reused for the others when all its certificates and its authority are valid
    /// then too. Returns the authority that issued the leaf and the issuer's position in it.
    func validateChain(leaf: Certificate, at times: [Timestamp]) throws(VerificationError) -> (authority: TrustMaterial.Authority, issuerIndex: Int) {
        var validated: (chain: [Certificate], authority: TrustMaterial.Authority, issuerIndex: Int)?
        for time in times {
            guard Timestamp(leaf.notValidBefore) <= time, time <= Timestamp(leaf.notValidAfter) else {
                throw VerificationError(
                    .timeOutsideCertificateValidity,
                    "expected the verified time \(time) within the signing certificate's validity [\(Timestamp(leaf.notValidBefore)), \(Timestamp(leaf.notValidAfter))]"
                )
            }
            if let previous = validated, previous.authority.info.validFor.contains(time),
                previous.chain.allSatisfy({ Timestamp($0.notValidBefore) <= time && time <= Timestamp($0.notValidAfter) })
            {
                continue
            }
            validated = try validateChain(leaf: leaf, at: time)
        }
        guard let validated else {
            throw VerificationError(.noTrustedTime, "expected at least one verified time to validate the certificate at")
        }
        return (validated.authority, validated.issuerIndex)
    }

    /// Validates the path from the leaf through an authority valid at `time`.
    private func validateChain(leaf: Certificate, at time: Timestamp) throws(VerificationError) -> (
        chain: [Certificate], authority: TrustMaterial.Authority, issuerIndex: Int
    ) {
        let candidates = trust.certificateAuthorities.filter { $0.info.validFor.contains(time) }
        guard !candidates.isEmpty else {
            throw VerificationError(.certificateChainInvalid, "expected a certificate authority of the trusted root valid at \(time), found none")
        }
        var outcomes: [String] = []
        for authority in candidates {
            do {
                let (chain, issuerIndex) = try CertificateChainValidator.validate(
                    leaf: leaf, authority: authority.certificates[...], signedLinks: authority.signedLinks[...], at: time, purpose: .codeSigning)
                return (chain, authority, issuerIndex)
            } catch {
                outcomes.append("\(authority.info.commonName): \(error.reason)")
            }
        }
        throw VerificationError(
            .certificateChainInvalid,
            "expected the signing certificate (issued by \(leaf.issuer)) to chain to a trusted certificate authority at \(time), found \(outcomes.joined(separator: "; "))"
        )
    }

    /// Verifies the leaf's embedded precertificate SCT (RFC 6962 §3.2) with a CT log key of the
    /// trusted root that was valid at the SCT's time.
    func verifySCT(leaf: Certificate, leafDER: [UInt8], issuerKeyHash: [UInt8]) throws(VerificationError) -> String {
        let scts: [SignedCertificateTimestamp]
        do {
            scts = try SignedCertificateTimestamp.embedded(in: leaf)
        } catch {
            throw VerificationError(.sctInvalid, error.description)
        }
        guard !scts.isEmpty else {
            throw VerificationError(.sctInvalid, "expected an embedded signed certificate timestamp in the signing certificate, found none")
        }
        let tbs: [UInt8]
        do {
            tbs = try SignedCertificateTimestamp.tbsRemovingExtension(SignedCertificateTimestamp.extensionOID, fromCertificateDER: leafDER)
        } catch {
            throw VerificationError(.sctInvalid, error.description)
        }
        var problems: [String] = []
        for sct in scts {
            guard sct.version == 0, sct.hashAlgorithm == 4 else {
                problems.append("SCT version \(sct.version) with hash \(sct.hashAlgorithm) is not v1 with SHA-256")
                continue
            }
            // UInt64.max / 1000 fits an Int64, and (t % 1000) * 10^6 an Int32: no trap for any SCT.
            let time = Timestamp(seconds: Int64(sct.timestamp / 1000), nanoseconds: Int32(sct.timestamp % 1000) * 1_000_000)
            let signed = SignedCertificateTimestamp.signedData(
                timestamp: sct.timestamp, issuerKeyHash: issuerKeyHash, precertificateTBS: tbs, extensions: sct.extensions)
            let candidates = trust.ctLogs.filter { $0.info.logID == sct.logID }
            guard !candidates.isEmpty else {
                problems.append("SCT from log \(Hex.encode(sct.logID)) that the trusted root does not list")
                continue
            }
            for log in candidates {
                guard case .success(let key) = log.key, key.isValidSignature(sct.signature, message: signed, hash: .sha256) else {
                    problems.append("SCT signature does not verify with \(log.info.baseURL)")
                    continue
                }
                guard log.info.validFor.contains(time) else {
                    problems.append("SCT time \(time) outside the validity of \(log.info.baseURL) \(log.info.validFor.description)")
                    continue
                }
                return "SCT by \(log.info.baseURL) at \(time)"
            }
        }
        throw VerificationError(
            .sctInvalid, "expected a signed certificate timestamp that verifies with a CT log of the trusted root, found: \(problems.joined(separator: "; "))")
    }
}
