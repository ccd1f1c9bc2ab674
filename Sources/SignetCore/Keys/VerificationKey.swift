import Crypto
import CryptoExtras
import Foundation
import SwiftASN1
import X509

/// A public key that verifies signatures: ECDSA P-256/P-384/P-521, Ed25519 or RSA (PKCS#1 v1.5
/// and PSS), read from a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) or its PEM form.
public enum VerificationKey: Sendable {
    case p256(P256.Signing.PublicKey)
    case p384(P384.Signing.PublicKey)
    case p521(P521.Signing.PublicKey)
    case ed25519(Curve25519.Signing.PublicKey)
    /// `pssOnly` for an RSASSA-PSS key (RFC 4055 §1.2); an rsaEncryption key may sign with
    /// PKCS#1 v1.5 or PSS.
    case rsa(_RSA.Signing.PublicKey, pssOnly: Bool)

    static let ecPublicKeyOID: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]
    static let ed25519OID: ASN1ObjectIdentifier = [1, 3, 101, 112]
    static let rsaOID: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 1]
    static let rsaPSSOID: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 10]
    static let p256OID: ASN1ObjectIdentifier = [1, 2, 840, 10045, 3, 1, 7]
    static let p384OID: ASN1ObjectIdentifier = [1, 3, 132, 0, 34]
    static let p521OID: ASN1ObjectIdentifier = [1, 3, 132, 0, 35]

    /// Reads a DER SubjectPublicKeyInfo.
    public init(spki: [UInt8], context: String = "public key") throws(FormatError) {
        do {
            let node = try DER.parse(spki)
            let (algorithm, parameters, keyBits) = try DER.sequence(node, identifier: .sequence) { nodes in
                guard let algorithmNode = nodes.next() else {
                    throw FormatError(.syntax, at: context, "expected a SubjectPublicKeyInfo with an algorithm and a key, found an empty SEQUENCE")
                }
                let (algorithm, parameters) = try DER.sequence(algorithmNode, identifier: .sequence) { inner in
                    let oid = try ASN1ObjectIdentifier(derEncoded: &inner)
                    let parameters = inner.next()
                    return (oid, parameters)
                }
                let keyBits = try ASN1BitString(derEncoded: &nodes)
                return (algorithm, parameters, keyBits)
            }
            let raw = Array(keyBits.bytes)
            switch algorithm {
            case Self.ecPublicKeyOID:
                guard let parameters else { throw FormatError(.invalidValue, at: context, "expected a named curve, found no parameters") }
                let curve = try ASN1ObjectIdentifier(derEncoded: parameters)
                switch curve {
                case Self.p256OID: self = .p256(try P256.Signing.PublicKey(x963Representation: raw))
                case Self.p384OID: self = .p384(try P384.Signing.PublicKey(x963Representation: raw))
                case Self.p521OID: self = .p521(try P521.Signing.PublicKey(x963Representation: raw))
                default: throw FormatError(.unsupported, at: context, "expected curve P-256, P-384 or P-521, found \(curve)")
                }
            case Self.ed25519OID:
                self = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: raw))
            case Self.rsaOID:
                self = .rsa(try _RSA.Signing.PublicKey(derRepresentation: spki), pssOnly: false)
            case Self.rsaPSSOID:
                self = .rsa(try _RSA.Signing.PublicKey(derRepresentation: spki), pssOnly: true)
            default:
                throw FormatError(.unsupported, at: context, "expected an ECDSA, Ed25519 or RSA key, found algorithm \(algorithm)")
            }
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(.syntax, at: context, "expected a DER SubjectPublicKeyInfo, found bytes that do not parse (\(error))")
        }
    }

    /// Reads a PEM `PUBLIC KEY` block.
    public init(pem: String, context: String = "public key") throws(FormatError) {
        let blocks = try PEM.decodeAll(pem, context: context)
        guard blocks.count == 1, blocks[0].label == "PUBLIC KEY" else {
            throw FormatError(
                .invalidValue, at: context,
                "expected one PEM \"PUBLIC KEY\" block, found \(blocks.map { "\"\(ProtoJSONObject.preview($0.label))\"" }.joined(separator: ", "))")
        }
        try self.init(spki: blocks[0].der, context: context)
    }

    /// The key of a certificate.
    public init(certificate: Certificate) throws(FormatError) {
        if let key = P256.Signing.PublicKey(certificate.publicKey) {
            self = .p256(key)
        } else if let key = P384.Signing.PublicKey(certificate.publicKey) {
            self = .p384(key)
        } else {
            try self.init(spki: certificate.subjectPublicKeyInfoDER, context: "certificate public key")
        }
    }

    /// The hash this key signs with by default (Sigstore's key details: P-256 → SHA-256,
    /// P-384 → SHA-384, P-521 → SHA-512, RSA → SHA-256).
    public var defaultHash: HashAlgorithm {
        switch self {
        case .p256, .rsa, .ed25519: .sha256
        case .p384: .sha384
        case .p521: .sha512
        }
    }

    /// The Sigstore `PublicKeyDetails` name for this key with its default hash.
    public var keyDetails: String {
        switch self {
        case .p256: "PKIX_ECDSA_P256_SHA_256"
        case .p384: "PKIX_ECDSA_P384_SHA_384"
        case .p521: "PKIX_ECDSA_P521_SHA_512"
        case .ed25519: "PKIX_ED25519"
        case .rsa(let key, let pssOnly):
            pssOnly ? "PKIX_RSA_PSS_\(key.keySizeInBits)_SHA256" : "PKIX_RSA_PKCS1V15_\(key.keySizeInBits)_SHA256"
        }
    }

    /// Verifies `signature` over `message`. ECDSA and RSA hash the message with `hash` (the
    /// key's default when nil); Ed25519 signs the message itself.
    public func isValidSignature(_ signature: [UInt8], message: [UInt8], hash: HashAlgorithm? = nil) -> Bool {
        if case .ed25519(let key) = self {
            return key.isValidSignature(signature, for: message)
        }
        return isValidSignature(signature, digest: (hash ?? defaultHash).hash(message))
    }

    /// Verifies a signature over a digest computed elsewhere with the key's default hash (the
    /// digest's length must match it): DER `Ecdsa-Sig-Value` for ECDSA, RSASSA-PKCS1-v1_5 or
    /// RSASSA-PSS for RSA. Ed25519 signs messages, not digests, and returns false.
    public func isValidSignature(_ signature: [UInt8], digest: [UInt8]) -> Bool {
        let prehashed = PrecomputedDigest(bytes: digest)
        switch self {
        case .p256(let key):
            guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: prehashed)
        case .p384(let key):
            guard let parsed = try? P384.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: prehashed)
        case .p521(let key):
            guard let parsed = try? P521.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: prehashed)
        case .rsa(let key, let pssOnly):
            // An rsaEncryption key names no scheme, so either is accepted; an RSASSA-PSS key
            // (RFC 4055) only signs with PSS.
            guard let hash = HashAlgorithm.allCases.first(where: { $0.byteCount == digest.count }) else { return false }
            return (!pssOnly && RSADigestVerifier.verifyPKCS1v15(key, signature: signature, digest: digest, hash: hash))
                || RSADigestVerifier.verifyPSS(key, signature: signature, digest: digest, hash: hash)
        case .ed25519:
            return false
        }
    }
}

extension Certificate {
    /// The DER SubjectPublicKeyInfo of this certificate's key.
    public var subjectPublicKeyInfoDER: [UInt8] {
        var serializer = DER.Serializer()
        try? serializer.serialize(self.publicKey)
        return serializer.serializedBytes
    }
}
