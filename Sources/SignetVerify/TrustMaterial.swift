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
        /// SHA-256 of each certificate's SubjectPublicKeyInfo: the issuer key hash of an SCT.
        var keyHashes: [[UInt8]]
        /// Whether each certificate's signature verifies with the next one's key, checked once
        /// when the root is read: a chain's links inside the trusted root are the same for
        /// every bundle, so only the leaf's own signature is checked per verification.
        var signedLinks: [Bool]
        /// How a CMS signer names the first certificate (RFC 5652 §5.3): its issuer's DER and
        /// serial number content octets, and its subject key identifier.
        var leafIssuerDER: [UInt8]?
        var leafSerial: [UInt8]?
        var leafKeyIdentifier: [UInt8]?

        /// Whether a CMS `SignerIdentifier` names this authority's first certificate.
        func identifiesLeaf(_ identifier: CMSSignerInfo.SignerIdentifier) -> Bool {
            switch identifier {
            case .issuerAndSerialNumber(let issuer, let serial): leafIssuerDER == issuer && leafSerial == serial
            case .subjectKeyIdentifier(let keyID): leafKeyIdentifier == keyID
            }
        }
    }

    struct Log: Sendable {
        var info: TrustedRoot.LogInstance
        /// The key, or why Signet cannot verify with it (it does not parse, or its algorithm
        /// is not one Signet supports).
        var key: Result<VerificationKey, FormatError>
        /// The first four bytes of the ID the log's checkpoint signatures carry.
        var checkpointKeyHint: [UInt8]
        /// For an ECDSA key, the first four bytes of SHA-256 of its SPKI (C2SP key hint).
        var ecdsaKeyHint: [UInt8]

        init(_ info: TrustedRoot.LogInstance) {
            self.info = info
            self.key = Result { () throws(FormatError) in try VerificationKey(spki: info.publicKey, context: "\(info.baseURL) key") }
            self.checkpointKeyHint = Array((info.checkpointKeyID ?? info.logID).prefix(4))
            self.ecdsaKeyHint = Array(SignedNote.ecdsaKeyID(spki: info.publicKey).prefix(4))
        }

        /// The key for verifying, or a `trust-root-invalid` error saying why there is none.
        func verificationKey(context: String) throws(VerificationError) -> VerificationKey {
            switch key {
            case .success(let key): return key
            case .failure(let error):
                throw VerificationError(
                    .trustRootInvalid, "\(context): expected a key of log \(info.baseURL) (\(info.keyDetails)) that Signet can verify with: \(error.reason)")
            }
        }
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
                        throw VerificationError(
                            .trustRootInvalid,
                            "\(name)[\(index)].certChain.certificates[\(position)]: expected a DER certificate, found bytes that do not parse")
                    }
                    certificates.append(certificate)
                }
                let leaf = certificates.first
                result.append(
                    Authority(
                        info: authority, certificates: certificates,
                        leafKey: leaf.flatMap { try? VerificationKey(certificate: $0) },
                        keyHashes: certificates.map { sha256($0.subjectPublicKeyInfoDER) },
                        signedLinks: CertificateChainValidator.signedLinks(certificates),
                        leafIssuerDER: leaf.flatMap { try? $0.issuer.derBytes() },
                        leafSerial: leaf.map { RawInteger(unsigned: Array($0.serialNumber.bytes)).bytes },
                        leafKeyIdentifier: leaf.flatMap { try? $0.extensions.subjectKeyIdentifier }.map { Array($0.keyIdentifier) }))
            }
            return result
        }
        certificateAuthorities = try authorities(trustedRoot.certificateAuthorities, "certificateAuthorities")
        timestampAuthorities = try authorities(trustedRoot.timestampAuthorities, "timestampAuthorities")
        transparencyLogs = trustedRoot.tlogs.map(Log.init)
        ctLogs = trustedRoot.ctlogs.map(Log.init)
    }

    /// The transparency log an entry names by its log ID (or checkpoint key ID).
    func transparencyLog(id: [UInt8]) -> Log? {
        transparencyLogs.first { $0.info.logID == id || $0.info.checkpointKeyID == id }
    }
}
