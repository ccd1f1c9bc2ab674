@_spi(FixedExpiryValidationTime) import X509
import SignetCore
import SwiftASN1

extension BundleVerifier {
    /// Validates the leaf against the trusted root's certificate authorities at every verified
    /// time (the hybrid model: each time must lie within the leaf's, the chain's and the
    /// authority's validity). Signatures do not depend on the time, so a chain validated at one
    /// time is reused for the others when all its certificates and its authority are valid
    /// then too. Returns the certificate that issued the leaf.
    func validateChain(leaf: Certificate, at times: [Timestamp]) async throws(VerificationError) -> Certificate {
        var validated: (chain: [Certificate], authority: TimeRange)?
        for time in times {
            guard Timestamp(leaf.notValidBefore) <= time, time <= Timestamp(leaf.notValidAfter) else {
                throw VerificationError(.timeOutsideCertificateValidity, "expected the verified time \(time) within the signing certificate's validity [\(Timestamp(leaf.notValidBefore)), \(Timestamp(leaf.notValidAfter))]")
            }
            if let previous = validated, previous.authority.contains(time),
               previous.chain.allSatisfy({ Timestamp($0.notValidBefore) <= time && time <= Timestamp($0.notValidAfter) }) {
                continue
            }
            validated = try await validateChain(leaf: leaf, at: time)
        }
        guard let issuer = validated?.chain.dropFirst().first else {
            throw VerificationError(.noTrustedTime, "expected at least one verified time to validate the certificate at")
        }
        return issuer
    }

    /// Builds and validates a chain from the leaf to an authority valid at `time`.
    private func validateChain(leaf: Certificate, at time: Timestamp) async throws(VerificationError) -> (chain: [Certificate], authority: TimeRange) {
        let candidates = trust.certificateAuthorities.filter { $0.info.validFor.contains(time) }
        guard !candidates.isEmpty else {
            throw VerificationError(.certificateChainInvalid, "expected a certificate authority of the trusted root valid at \(time), found none")
        }
        var outcomes: [String] = []
        for authority in candidates {
            guard let anchor = authority.certificates.last else { continue }
            var verifier = Verifier(rootCertificates: CertificateStore([anchor])) {
                RFC5280Policy(fixedExpiryValidationTime: time.date)
                CodeSigningLeafPolicy()
            }
            let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(authority.certificates.dropLast()))
            if case .validCertificate(let chain) = result {
                return (Array(chain), authority.info.validFor)
            }
            outcomes.append("\(authority.info.commonName): \(Self.describe(result))")
        }
        throw VerificationError(.certificateChainInvalid, "expected the signing certificate (issued by \(leaf.issuer)) to chain to a trusted certificate authority at \(time), found \(outcomes.joined(separator: "; "))")
    }

    /// Verifies the leaf's embedded precertificate SCT (RFC 6962 §3.2) with a CT log key of the
    /// trusted root that was valid at the SCT's time.
    func verifySCT(leaf: Certificate, leafDER: [UInt8], issuer: Certificate) throws(VerificationError) -> String {
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
        let issuerKeyHash = sha256(issuer.subjectPublicKeyInfoDER)
        var problems: [String] = []
        for sct in scts {
            guard sct.version == 0, sct.hashAlgorithm == 4 else {
                problems.append("SCT version \(sct.version) with hash \(sct.hashAlgorithm) is not v1 with SHA-256")
                continue
            }
            let time = Timestamp(seconds: Int64(sct.timestamp / 1000), nanoseconds: Int32(sct.timestamp % 1000) * 1_000_000)
            let signed = SignedCertificateTimestamp.signedData(timestamp: sct.timestamp, issuerKeyHash: issuerKeyHash, precertificateTBS: tbs, extensions: sct.extensions)
            let candidates = trust.ctLogs.filter { $0.info.logID == sct.logID }
            guard !candidates.isEmpty else {
                problems.append("SCT from log \(Hex.encode(sct.logID)) that the trusted root does not list")
                continue
            }
            for log in candidates {
                guard let key = log.key, key.isValidSignature(sct.signature, message: signed, hash: .sha256) else {
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
        throw VerificationError(.sctInvalid, "expected a signed certificate timestamp that verifies with a CT log of the trusted root, found: \(problems.joined(separator: "; "))")
    }
}
