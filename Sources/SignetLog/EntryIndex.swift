import SignetCore
import SwiftASN1
import X509

/// The search keys of an entry, for Rekor v1's `POST /api/v1/index/retrieve`
/// (sigstore/rekor `pkg/api/index.go`): the artifact digest (`sha256:<hex>`), the SHA-256 of
/// the signing key or certificate (`key:sha256:<hex>` over its DER), and the lowercased email
/// or URI names of a certificate (`identity:<name>`).
public enum EntryIndex {
    /// The keys under which `body` is found.
    public static func keys(for body: RekorEntryBody) -> [String] {
        var keys: Set<String> = []
        func digest(_ algorithm: HashAlgorithm, _ value: [UInt8]) {
            keys.insert("\(algorithm.rekorName):\(Hex.encode(value))")
        }
        func verifier(pem: String) {
            guard let block = (try? PEM.decodeAll(pem, context: "verifier"))?.first else { return }
            verifier(der: block.der, isCertificate: block.label == "CERTIFICATE")
        }
        func verifier(der: [UInt8], isCertificate: Bool) {
            keys.insert("key:sha256:\(Hex.encode(sha256(der)))")
            guard isCertificate, let certificate = try? Certificate(derEncoded: der),
                  let names = try? certificate.extensions.subjectAlternativeNames else { return }
            for name in names {
                switch name {
                case .rfc822Name(let email): keys.insert("identity:\(email.lowercased())")
                case .uniformResourceIdentifier(let uri): keys.insert("identity:\(uri.lowercased())")
                default: break
                }
            }
        }
        switch body {
        case .hashedRekordV001(let entry):
            digest(entry.hashAlgorithm, entry.digest)
            verifier(pem: entry.publicKeyPEM)
        case .hashedRekordV002(let entry):
            digest(entry.hashAlgorithm, entry.digest)
            switch entry.verifier {
            case .certificate(let der): verifier(der: der, isCertificate: true)
            case .publicKey(let der): verifier(der: der, isCertificate: false)
            }
        case .dsseV001(let entry):
            digest(entry.payloadHash.algorithm, entry.payloadHash.value)
            if let envelope = entry.envelopeHash { digest(envelope.algorithm, envelope.value) }
            for signature in entry.signatures { verifier(pem: signature.verifierPEM) }
        case .inTotoV002(let entry):
            digest(entry.payloadHash.algorithm, entry.payloadHash.value)
            for signature in entry.signatures { verifier(pem: signature.verifierPEM) }
        }
        return keys.sorted()
    }
}
