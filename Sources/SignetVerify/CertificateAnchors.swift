import SignetCore
import X509

/// An organisation's own PKI, trusted for signing certificates instead of the trusted root's
/// certificate authorities: chains of intermediates ending at a trust anchor (a self-signed
/// root), as a `--certificate-chain` file holds them. Their links are checked once, when they
/// are read.
public struct CertificateAnchors: Sendable {
    struct Chain: Sendable {
        /// Leaf-most first, anchor last.
        var certificates: [Certificate]
        var signedLinks: [Bool]
    }

    var chains: [Chain]

    /// Reads one chain from `pem`: CERTIFICATE blocks, intermediates first and the root last.
    public init(pem: String, context: String) throws(VerificationError) {
        let blocks: [(label: String, der: [UInt8])]
        do { blocks = try PEM.decodeAll(pem, context: context) } catch {
            throw VerificationError(.unusableInput, "\(context): expected PEM certificates, found \(error.reason)")
        }
        var certificates: [Certificate] = []
        for (index, block) in blocks.enumerated() {
            guard block.label == "CERTIFICATE", let certificate = try? Certificate(derEncoded: block.der) else {
                throw VerificationError(.unusableInput, "\(context): block \(index + 1): expected a CERTIFICATE that parses, found \(block.label)")
            }
            certificates.append(certificate)
        }
        guard let root = certificates.last else {
            throw VerificationError(.unusableInput, "\(context): expected at least one certificate, found none")
        }
        guard root.subject == root.issuer else {
            throw VerificationError(
                .unusableInput, "\(context): expected the chain to end at a self-signed root, found \(root.subject) issued by \(root.issuer)")
        }
        let links = CertificateChainValidator.signedLinks(certificates)
        guard links.allSatisfy({ $0 }) else {
            throw VerificationError(.unusableInput, "\(context): expected each certificate to be signed by the next, found a link that does not verify")
        }
        chains = [Chain(certificates: certificates, signedLinks: links)]
    }

    /// Several chains, any of which may issue a signing certificate.
    public init(_ anchors: [CertificateAnchors]) {
        chains = anchors.flatMap(\.chains)
    }

    /// The subjects of the trust anchors, for messages.
    public var rootSubjects: [String] { chains.compactMap { $0.certificates.last.map { "\($0.subject)" } } }

    /// Validates `leaf` through one of the chains at every time in `times` (RFC 5280 §6 at
    /// each); returns the anchor's subject.
    func validate(leaf: Certificate, at times: [Timestamp]) throws(VerificationError) -> String {
        var outcomes: [String] = []
        for chain in chains {
            do {
                for time in times {
                    try CertificateChainValidator.validate(
                        leaf: leaf, authority: chain.certificates[...], signedLinks: chain.signedLinks[...], at: time, purpose: .codeSigning)
                }
                return chain.certificates.last.map { "\($0.subject)" } ?? ""
            } catch {
                outcomes.append(error.reason)
            }
        }
        throw VerificationError(
            .certificateChainInvalid,
            "expected the signing certificate (issued by \(leaf.issuer)) to chain to the given anchors at every verified time, found: \(outcomes.joined(separator: "; "))"
        )
    }
}
