import SignetCore
import X509

/// A trusted root with its certificates and keys parsed once, so that verifying many bundles
/// against one root parses nothing twice.
public struct TrustMaterial: Sendable {
    struct Authority: Sendable {
        var info: TrustedRoot.Authority
        /// Leaf-most first, anchor last.
        var certificates: [Certificate]
        /// The key of the first certificate (a TSA's signing key).
        var leafKey: VerificationKey?
    }

    struct Log: Sendable {
        var info: TrustedRoot.LogInstance
        /// nil when the key's algorithm is not one Signet verifies with.
        var key: VerificationKey?
    }

    public let trustedRoot: TrustedRoot
    let certificateAuthorities: [Authority]
    let timestampAuthorities: [Authority]
    let transparencyLogs: [Log]
    let ctLogs: [Log]

    public init(trustedRoot: TrustedRoot) throws(VerificationError) {
        self.trustedRoot = trustedRoot
        func authorities(_ list: [TrustedRoot.Authority], _ name: String) throws(VerificationError) -> [Authority] {
            var result: [Authority] = []
            for (index, authority) in list.enumerated() {
                var certificates: [Certificate] = []
                for (position, der) in authority.certificateChain.enumerated() {
                    guard let certificate = try? Certificate(derEncoded: der) else {
                        throw VerificationError(.trustRootInvalid, "\(name)[\(index)].certChain.certificates[\(position)]: expected a DER certificate, found bytes that do not parse")
                    }
                    certificates.append(certificate)
                }
                result.append(Authority(info: authority, certificates: certificates, leafKey: certificates.first.flatMap { try? VerificationKey(certificate: $0) }))
            }
            return result
        }
        certificateAuthorities = try authorities(trustedRoot.certificateAuthorities, "certificateAuthorities")
        timestampAuthorities = try authorities(trustedRoot.timestampAuthorities, "timestampAuthorities")
        transparencyLogs = trustedRoot.tlogs.map { Log(info: $0, key: try? VerificationKey(spki: $0.publicKey)) }
        ctLogs = trustedRoot.ctlogs.map { Log(info: $0, key: try? VerificationKey(spki: $0.publicKey)) }
    }

    /// The transparency log an entry names by its log ID (or checkpoint key ID).
    func transparencyLog(id: [UInt8]) -> Log? {
        transparencyLogs.first { $0.info.logID == id || $0.info.checkpointKeyID == id }
    }
}
