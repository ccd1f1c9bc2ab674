import Foundation
import SignetCore
import X509

/// The one verification engine. Every caller (the CLI, the HTTP API, the deploy gate) verifies
/// bundles through `verify`, which runs, in order: trusted time (RFC 3161 timestamps and signed
/// entry timestamps) → certificate chain at each time → SCT → identity policy → transparency
/// log (inclusion proof, checkpoint) → signature over the artifact → consistency between the
/// bundle and its log entries. It never touches the network.
///
/// Each anchor of the trusted root counts only within its `validFor` window (an absent window
/// or end is unbounded), and a bundle carries at most ``maxTimestamps`` RFC 3161 timestamps,
/// none twice.
public struct BundleVerifier: Sendable {
    public let trust: TrustMaterial
    /// How far in the future a log's integrated time may be, for clock skew.
    public var allowedClockSkewSeconds: Int64 = 60

    public init(trust: TrustMaterial) {
        self.trust = trust
    }

    public init(trustedRoot: TrustedRoot) throws(VerificationError) {
        self.trust = try TrustMaterial(trustedRoot: trustedRoot)
    }

    /// Verifies `bundle` over `artifact` under `policy`. `now` bounds how far in the future a
    /// log's integrated time may be.
    public func verify(_ bundle: SigstoreBundle, artifact: Artifact, policy: VerificationPolicy, now: Timestamp = Timestamp(.now)) -> VerificationReport {
        var transcript = Transcript()
        do {
            let verified = try run(bundle, artifact: artifact, policy: policy, now: now, transcript: &transcript)
            return VerificationReport(checks: transcript.checks, result: .success(verified))
        } catch {
            return VerificationReport(checks: transcript.checks, result: .failure(error))
        }
    }

    /// The signer as the bundle presents it.
    enum Signer {
        case certificate(Certificate)
        case publicKey(VerificationKey, spki: [UInt8])

        var key: VerificationKey {
            get throws(VerificationError) {
                switch self {
                case .publicKey(let key, _): return key
                case .certificate(let certificate):
                    do { return try VerificationKey(certificate: certificate) } catch {
                        throw VerificationError(.unusableInput, "the signing certificate's key: \(error.reason)")
                    }
                }
            }
        }
    }

    private func run(_ bundle: SigstoreBundle, artifact: Artifact, policy: VerificationPolicy, now: Timestamp, transcript: inout Transcript)
        throws(VerificationError) -> VerificationReport.Verified
    {
        let signer = try transcript.check("bundle") { () throws(VerificationError) in
            try (
                signerMaterial(bundle, policy: policy),
                "bundle \(bundle.version.rawValue) with \(bundle.tlogEntries.count) log entr\(bundle.tlogEntries.count == 1 ? "y" : "ies") and \(bundle.rfc3161Timestamps.count) timestamp(s)"
            )
        }

        let times = try transcript.check("trusted-time") { () throws(VerificationError) in
            let (times, ignored) = try establishTimes(bundle, now: now)
            let verified = times.map { "\($0.source) \($0.time)" }.joined(separator: ", ")
            return (times, ignored.isEmpty ? verified : verified + "; ignored: " + ignored.map(\.reason).joined(separator: "; "))
        }

        var identities: [String] = []
        var issuer: String?
        if case .certificate(let leaf) = signer, case .organizationCertificate(let matcher, let anchors) = policy.signer {
            try transcript.check("certificate-chain") { () throws(VerificationError) in
                let anchor = try anchors.validate(leaf: leaf, at: times.map(\.time))
                return ((), "chains to the organisation's anchor \"\(anchor)\" at every verified time")
            }
            identities = try transcript.check("identity") { () throws(VerificationError) in
                let found = try matchIdentity(leaf: leaf, matcher)
                return (found, found.joined(separator: ", "))
            }
        } else if case .certificate(let leaf) = signer {
            let chain = try transcript.check("certificate-chain") { () throws(VerificationError) in
                let chain = try validateChain(leaf: leaf, at: times.map(\.time))
                return (chain, "chains to certificate authority \"\(chain.authority.info.commonName)\" at every verified time")
            }
            try transcript.check("sct") { () throws(VerificationError) in
                ((), try verifySCT(leaf: leaf, leafDER: bundle.signer.leafCertificate ?? [], issuerKeyHash: chain.authority.keyHashes[chain.issuerIndex]))
            }
            (identities, issuer) = try transcript.check("identity") { () throws(VerificationError) in
                let result = try checkIdentity(leaf: leaf, policy: policy)
                return (result, "\(result.0.joined(separator: ", ")) issued by \(result.1)")
            }
        }

        let logEntries = try transcript.check("transparency-log") { () throws(VerificationError) in
            let entries = try verifyLogEntries(bundle, times: times)
            return (entries, entries.map { "\($0.log) entry \($0.index)" }.joined(separator: ", "))
        }

        let statement = try transcript.check("signature") { () throws(VerificationError) in
            try verifySignature(bundle, signer: signer, artifact: artifact)
        }

        try transcript.check("entry-consistency") { () throws(VerificationError) in
            for (index, entry) in bundle.tlogEntries.enumerated() {
                try checkConsistency(entry, index: index, bundle: bundle, signer: signer, artifact: artifact)
            }
            return ((), "every log entry records this signature, key and artifact")
        }

        var certificate: Certificate?
        if case .certificate(let leaf) = signer { certificate = leaf }
        return VerificationReport.Verified(
            identities: identities, issuer: issuer, certificate: certificate, times: times, logEntries: logEntries, statement: statement)
    }

    /// Reads the signer from the bundle and checks it is of the kind the policy names.
    private func signerMaterial(_ bundle: SigstoreBundle, policy: VerificationPolicy) throws(VerificationError) -> Signer {
        guard !bundle.tlogEntries.isEmpty else {
            throw VerificationError(.transparencyLogInvalid, "expected at least one transparency log entry in the bundle, found none")
        }
        switch (bundle.signer, policy.signer) {
        case (.publicKey, .publicKey(let key, let spki)):
            return .publicKey(key, spki: spki)
        case (.publicKey, .certificate):
            throw VerificationError(
                .signerMismatch, "expected a bundle signed by a certificate identity, found one signed with a managed key (verify it with --key)")
        case (.publicKey, .organizationCertificate):
            throw VerificationError(
                .signerMismatch, "expected a bundle signed by a certificate of the given anchors, found one signed with a managed key (verify it with --key)")
        case (.certificateChain, .publicKey), (.certificate, .publicKey):
            throw VerificationError(.signerMismatch, "expected a bundle signed with the given key, found one signed by a certificate")
        case (.certificateChain(let chain), .certificate), (.certificateChain(let chain), .organizationCertificate):
            let certificates = try chain.enumerated().map { (index, der) throws(VerificationError) in
                try parseCertificate(der, "verificationMaterial.x509CertificateChain.certificates[\(index)]")
            }
            if let root = certificates.dropFirst().first(where: { $0.subject == $0.issuer }) {
                throw VerificationError(
                    .certificateChainInvalid,
                    "expected only the leaf and intermediates in the bundle's chain, found the self-signed certificate \(root.subject); trust anchors come from the trusted root"
                )
            }
            // The parser refuses an empty chain, but a bundle may be built in code.
            guard let leaf = certificates.first else {
                throw VerificationError(.unusableInput, "verificationMaterial.x509CertificateChain: expected at least one certificate, found none")
            }
            return .certificate(leaf)
        case (.certificate(let der), .certificate), (.certificate(let der), .organizationCertificate):
            return .certificate(try parseCertificate(der, "verificationMaterial.certificate"))
        }
    }

    private func parseCertificate(_ der: [UInt8], _ path: String) throws(VerificationError) -> Certificate {
        do {
            return try Certificate(derEncoded: der)
        } catch {
            throw VerificationError(.unusableInput, "\(path): expected a DER X.509 certificate, found bytes that do not parse")
        }
    }

    /// The leaf's SAN identities, if one of them matches.
    private func matchIdentity(leaf: Certificate, _ matcher: VerificationPolicy.IdentityMatcher) throws(VerificationError) -> [String] {
        let identities: [String]
        do { identities = try leaf.sanIdentities() } catch { throw VerificationError(.unusableInput, error.description) }
        let matches = try matcher.predicate()
        guard identities.contains(where: matches) else {
            let found = identities.isEmpty ? "no email, URI or username in the SAN" : identities.map { "\"\($0)\"" }.joined(separator: ", ")
            throw VerificationError(.identityMismatch, "expected certificate identity \(matcher), found \(found)")
        }
        return identities
    }

    private func checkIdentity(leaf: Certificate, policy: VerificationPolicy) throws(VerificationError) -> ([String], String) {
        guard case .certificate(let matcher, let expectedIssuer) = policy.signer else {
            throw VerificationError(.signerMismatch, "expected a managed-key policy for a managed-key bundle")
        }
        let identities = try matchIdentity(leaf: leaf, matcher)
        let issuer: String?
        do { issuer = try leaf.fulcioIssuer() } catch { throw VerificationError(.unusableInput, error.description) }
        guard let issuer else {
            throw VerificationError(
                .issuerMismatch, "expected OIDC issuer \"\(expectedIssuer)\", found a certificate with no issuer extension (1.3.6.1.4.1.57264.1.8 or .1.1)")
        }
        guard issuer == expectedIssuer else {
            throw VerificationError(.issuerMismatch, "expected OIDC issuer \"\(expectedIssuer)\", found \"\(issuer)\"")
        }
        for (ext, expected) in policy.provenance.sorted(by: { $0.key.oidOrder < $1.key.oidOrder }) {
            let found: String?
            do { found = try ext.value(in: leaf) } catch { throw VerificationError(.unusableInput, error.description) }
            guard let found else {
                throw VerificationError(.provenanceMismatch, "expected \(ext.fieldName) (\(ext.rawValue)) \"\(expected)\", found a certificate without it")
            }
            guard found == expected else {
                throw VerificationError(.provenanceMismatch, "expected \(ext.fieldName) (\(ext.rawValue)) \"\(expected)\", found \"\(found)\"")
            }
        }
        return (identities, issuer)
    }
}
