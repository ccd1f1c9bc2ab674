import Crypto
import Foundation
import SwiftASN1
import X509

/// How a ``Signer`` signs (Sigstore `PublicKeyDetails`): ECDSA over a SHA-2 digest of the
/// message, DER `Ecdsa-Sig-Value` out; or pure Ed25519 over the message.
public enum SigningAlgorithm: String, Sendable, Hashable {
    case ecdsaP256SHA256 = "PKIX_ECDSA_P256_SHA_256"
    case ecdsaP384SHA384 = "PKIX_ECDSA_P384_SHA_384"
    case ed25519 = "PKIX_ED25519"

    /// The hash an ECDSA signature is over.
    public var hash: HashAlgorithm {
        switch self {
        case .ecdsaP256SHA256, .ed25519: .sha256
        case .ecdsaP384SHA384: .sha384
        }
    }

    /// The signature's `AlgorithmIdentifier` in certificates and CMS: ecdsa-with-SHA256/384
    /// (RFC 5758 §3.2) or id-Ed25519 (RFC 8410 §3), parameters absent.
    public var algorithmIdentifier: AlgorithmIdentifier {
        switch self {
        case .ecdsaP256SHA256: .ecdsaWithSHA256
        case .ecdsaP384SHA384: .ecdsaWithSHA384
        case .ed25519: AlgorithmIdentifier(algorithm: .ed25519)
        }
    }
}

/// A private key that signs, wherever it lives: in memory, in an encrypted file, in an HSM.
/// The CA, the log and the TSA hold their keys only through this protocol. Signing is async:
/// a key behind a network or a token answers when it answers, and nobody holds a lock or a
/// thread while it does (a log signs its checkpoints before its store's write transaction).
public protocol Signer: Sendable {
    /// The DER SubjectPublicKeyInfo of the public key.
    var publicKeySPKI: [UInt8] { get }
    var algorithm: SigningAlgorithm { get }
    /// Signs `message` (ECDSA hashes it with ``SigningAlgorithm/hash``).
    func sign(_ message: [UInt8]) async throws -> [UInt8]
    /// Signs a digest computed elsewhere (a hashedrekord signs an artifact's SHA-256 digest):
    /// ECDSA only, the digest as long as ``SigningAlgorithm/hash``'s.
    func sign(digest: [UInt8]) async throws -> [UInt8]
}

extension SigningAlgorithm {
    /// Refuses a digest this algorithm cannot sign: Ed25519 signs messages only, and an ECDSA
    /// key signs digests of its own hash's length.
    public func checkDigest(_ digest: [UInt8]) throws(FormatError) {
        guard self != .ed25519 else {
            throw FormatError(.unsupported, at: "signer", "expected an ECDSA key to sign a digest, found an Ed25519 key (which signs whole messages)")
        }
        guard digest.count == hash.byteCount else {
            throw FormatError(.invalidValue, at: "digest", "expected a \(hash.byteCount)-byte digest for \(rawValue), found \(digest.count) bytes")
        }
    }
}

/// A signer whose key is in this process's memory: for tests, the in-process platform and
/// keys just unsealed from an encrypted file.
public struct SoftwareSigner: Signer {
    enum Key: Sendable {
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    let key: Key

    public init(_ key: P256.Signing.PrivateKey) { self.key = .p256(key) }
    public init(_ key: P384.Signing.PrivateKey) { self.key = .p384(key) }
    public init(_ key: Curve25519.Signing.PrivateKey) { self.key = .ed25519(key) }

    /// A new random key for `algorithm`.
    public static func generate(_ algorithm: SigningAlgorithm) -> SoftwareSigner {
        switch algorithm {
        case .ecdsaP256SHA256: SoftwareSigner(P256.Signing.PrivateKey())
        case .ecdsaP384SHA384: SoftwareSigner(P384.Signing.PrivateKey())
        case .ed25519: SoftwareSigner(Curve25519.Signing.PrivateKey())
        }
    }

    public var publicKeySPKI: [UInt8] {
        switch key {
        case .p256(let key): Array(key.publicKey.derRepresentation)
        case .p384(let key): Array(key.publicKey.derRepresentation)
        case .ed25519(let key): Ed25519PublicKey.spki(rawKey: Array(key.publicKey.rawRepresentation))
        }
    }

    /// The P-256 private key, for the callers that need the key itself (raw JWS signatures).
    public var p256PrivateKey: P256.Signing.PrivateKey? {
        if case .p256(let key) = key { key } else { nil }
    }

    public var algorithm: SigningAlgorithm {
        switch key {
        case .p256: .ecdsaP256SHA256
        case .p384: .ecdsaP384SHA384
        case .ed25519: .ed25519
        }
    }

    public func sign(_ message: [UInt8]) async throws -> [UInt8] {
        try signSynchronously(message)
    }

    public func sign(digest: [UInt8]) async throws -> [UInt8] {
        try algorithm.checkDigest(digest)
        switch key {
        case .p256(let key): return Array(try key.signature(for: PrecomputedDigest(bytes: digest)).derRepresentation)
        case .p384(let key): return Array(try key.signature(for: PrecomputedDigest(bytes: digest)).derRepresentation)
        case .ed25519: throw FormatError(.unsupported, at: "signer", "an Ed25519 key signs whole messages")
        }
    }

    /// Signs `message` on the calling thread: the key is in memory.
    public func signSynchronously(_ message: [UInt8]) throws -> [UInt8] {
        switch key {
        case .p256(let key): Array(try key.signature(for: message).derRepresentation)
        case .p384(let key): Array(try key.signature(for: message).derRepresentation)
        case .ed25519(let key): Array(try key.signature(for: message))
        }
    }
}

/// Ed25519 SubjectPublicKeyInfo encoding (RFC 8410 §4).
public enum Ed25519PublicKey {
    public static func spki(rawKey: [UInt8]) -> [UInt8] {
        [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00] + rawKey
    }

    /// The raw 32-byte key of an Ed25519 SPKI, or nil if `spki` is not one.
    public static func rawKey(spki: [UInt8]) -> [UInt8]? {
        guard spki.count == 44, spki.starts(with: Self.spki(rawKey: [])) else { return nil }
        return Array(spki.suffix(32))
    }
}

/// Lets swift-certificates sign certificates with any ``Signer`` (an HSM key included).
public struct CertificateSigningKey: CustomPrivateKey {
    public let signer: any Signer
    public let publicKey: Certificate.PublicKey

    public init(_ signer: any Signer) throws {
        self.signer = signer
        self.publicKey = try Certificate.PublicKey(derEncoded: signer.publicKeySPKI)
    }

    public var defaultSignatureAlgorithm: Certificate.SignatureAlgorithm {
        switch signer.algorithm {
        case .ecdsaP256SHA256: .ecdsaWithSHA256
        case .ecdsaP384SHA384: .ecdsaWithSHA384
        case .ed25519: .ed25519
        }
    }

    public var supportedSignatureAlgorithms: [Certificate.SignatureAlgorithm] { [defaultSignatureAlgorithm] }

    /// A ``Signer`` signs asynchronously only: certificates are made with swift-certificates'
    /// async initialisers.
    public func signSynchronously(bytes: some DataProtocol, signatureAlgorithm: Certificate.SignatureAlgorithm) throws -> Certificate.Signature {
        throw FormatError(.unsupported, at: "signer", "expected an asynchronous signing call for a Signer's key")
    }

    public func signAsynchronously(
        bytes: some DataProtocol & Sendable, signatureAlgorithm: Certificate.SignatureAlgorithm
    ) async throws -> Certificate.Signature {
        guard signatureAlgorithm == defaultSignatureAlgorithm else {
            throw FormatError(.unsupported, at: "signer", "expected signature algorithm \(defaultSignatureAlgorithm), found \(signatureAlgorithm)")
        }
        let signature = try await signer.sign(Array(bytes))
        return try Certificate.Signature(signatureAlgorithm: signatureAlgorithm, signatureBytes: ASN1BitString(bytes: signature[...]))
    }

    public static func == (lhs: CertificateSigningKey, rhs: CertificateSigningKey) -> Bool {
        lhs.publicKey == rhs.publicKey
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(publicKey)
    }

    /// Private keys held by a ``Signer`` are never serialized.
    public func serialize(into coder: inout DER.Serializer) throws {
        throw FormatError(.unsupported, at: "signer", "a signer's private key cannot be exported")
    }

    public static var defaultPEMDiscriminator: String { "PRIVATE KEY" }
}

/// Where the services get the time, so that tests can fix it.
public protocol TimeSource: Sendable {
    func now() -> Timestamp
}

/// The system clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Timestamp { Timestamp(Date()) }
}
