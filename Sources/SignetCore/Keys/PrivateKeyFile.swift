import Crypto
import CryptoExtras
import Foundation
import SwiftASN1

/// Private keys in the PEM files people keep and tools exchange.
///
/// Signet writes `ENCRYPTED PRIVATE KEY` (an `EncryptedPrivateKeyInfo`, RFC 5958 §3): PBES2
/// (RFC 8018 §6.2) with scrypt (RFC 7914 §7) and AES-256-CBC, which OpenSSL reads. It reads
/// that, PBES2 with PBKDF2-HMAC-SHA-256 (what `openssl genpkey -aes256` writes), and the
/// unencrypted `PRIVATE KEY` (PKCS #8, RFC 5208) and `EC PRIVATE KEY` (SEC 1, RFC 5915) forms.
/// Keys are P-256, P-384 or Ed25519. Every cost and length in a file is bounded before any
/// work is done, so a hostile file cannot exhaust memory or time.
public enum PrivateKeyFile {
    /// Why a key file could not be read or written. Never says anything about the key itself.
    public struct KeyFileError: Error, Hashable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }

        public init(_ reason: String) { self.reason = reason }
    }

    /// The scrypt cost of files Signet writes: N = 2^14, r = 8, p = 1 (16 MiB), OpenSSL's own
    /// for `pkcs8 -scrypt`; OpenSSL refuses to open files that need more than its 32 MiB limit.
    public static let standardParameters = SealedKey.Parameters(logN: 14, r: 8, p: 1)

    /// The most memory a file's scrypt may ask for (OpenSSL's own limit is 32 MiB).
    static let maxScryptBytes = 64 << 20

    /// The most PBKDF2 iterations a file may ask for (about a second of HMAC-SHA-256).
    static let maxIterations = 1_000_000

    /// Whether `pem` holds an encrypted key (and so needs a passphrase).
    public static func isEncrypted(_ pem: String) -> Bool {
        pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    }

    /// `signer`'s private key encrypted under `passphrase`, as PEM.
    public static func encrypt(_ signer: SoftwareSigner, passphrase: [UInt8], parameters: SealedKey.Parameters = standardParameters) throws(KeyFileError)
        -> String
    {
        guard !passphrase.isEmpty else { throw KeyFileError("expected a non-empty passphrase") }
        let salt = secureRandomBytes(16)
        let iv = secureRandomBytes(16)
        do {
            let key = try KDF.Scrypt.deriveKey(
                from: passphrase, salt: salt, outputByteCount: 32, rounds: 1 << parameters.logN, blockSize: parameters.r, parallelism: parameters.p)
            let ciphertext = try AES._CBC.encrypt(signer.pkcs8DER, using: key, iv: AES._CBC.IV(ivBytes: iv))
            var serializer = DER.Serializer()
            try serializer.appendConstructedNode(identifier: .sequence) { info in
                try info.appendConstructedNode(identifier: .sequence) { algorithm in
                    try algorithm.serialize(Identifier.pbes2)
                    try algorithm.appendConstructedNode(identifier: .sequence) { pbes2 in
                        try pbes2.appendConstructedNode(identifier: .sequence) { kdf in
                            try kdf.serialize(Identifier.scrypt)
                            try kdf.appendConstructedNode(identifier: .sequence) { scrypt in
                                try scrypt.serialize(ASN1OctetString(contentBytes: salt[...]))
                                try scrypt.serialize(1 << parameters.logN)
                                try scrypt.serialize(parameters.r)
                                try scrypt.serialize(parameters.p)
                                try scrypt.serialize(32)
                            }
                        }
                        try pbes2.appendConstructedNode(identifier: .sequence) { cipher in
                            try cipher.serialize(Identifier.aes256CBC)
                            try cipher.serialize(ASN1OctetString(contentBytes: iv[...]))
                        }
                    }
                }
                try info.serialize(ASN1OctetString(contentBytes: Array(ciphertext)[...]))
            }
            return PEM.encode(serializer.serializedBytes, label: "ENCRYPTED PRIVATE KEY")
        } catch {
            throw KeyFileError("cannot encrypt the key: \(error)")
        }
    }

    /// Reads the private key in `pem`; `passphrase` is asked for only if the key is encrypted.
    public static func read(_ pem: String, passphrase: () throws(KeyFileError) -> [UInt8]) throws(KeyFileError) -> SoftwareSigner {
        let blocks: [(label: String, der: [UInt8])]
        // The parser's message may quote the text, which here is a private key: never shown.
        do { blocks = try PEM.decodeAll(pem, context: "key") } catch {
            throw KeyFileError("expected a PEM private key, found text that is not PEM (BEGIN and END lines around base64)")
        }
        let keys = blocks.filter { ["ENCRYPTED PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY"].contains($0.label) }
        guard keys.count == 1, let block = keys.first else {
            throw KeyFileError(
                "expected one ENCRYPTED PRIVATE KEY, PRIVATE KEY or EC PRIVATE KEY block, found \(blocks.isEmpty ? "none" : blocks.map { $0.label }.joined(separator: ", "))"
            )
        }
        guard block.der.count <= 16 << 10 else { throw KeyFileError("expected a key of at most 16 KiB, found \(block.der.count) bytes") }
        switch block.label {
        case "ENCRYPTED PRIVATE KEY": return try decrypt(block.der, passphrase: try passphrase())
        case "PRIVATE KEY": return try signer(pkcs8: block.der)
        default: return try signer(sec1: block.der)
        }
    }

    /// Decrypts an `EncryptedPrivateKeyInfo`.
    static func decrypt(_ der: [UInt8], passphrase: [UInt8]) throws(KeyFileError) -> SoftwareSigner {
        let scheme: EncryptionScheme
        let ciphertext: [UInt8]
        do {
            (scheme, ciphertext) = try DER.sequence(try DER.parse(der), identifier: .sequence) { nodes in
                let scheme = try nextSequence(&nodes) { algorithm in
                    let oid = try ASN1ObjectIdentifier(derEncoded: &algorithm)
                    guard oid == Identifier.pbes2 else {
                        throw KeyFileError("expected a key encrypted with PBES2 (\(Identifier.pbes2)), found \(oid)")
                    }
                    return try EncryptionScheme(parameters: &algorithm)
                }
                let data = try ASN1OctetString(derEncoded: &nodes)
                return (scheme, Array(data.bytes))
            }
        } catch let error as KeyFileError {
            throw error
        } catch {
            throw KeyFileError("expected an EncryptedPrivateKeyInfo (RFC 5958 §3), found DER that does not parse as one")
        }
        guard ciphertext.count % 16 == 0, !ciphertext.isEmpty else {
            throw KeyFileError("expected AES-CBC ciphertext in whole 16-byte blocks, found \(ciphertext.count) bytes")
        }
        let plaintext: [UInt8]
        do {
            plaintext = Array(try AES._CBC.decrypt(ciphertext, using: try scheme.key(passphrase), iv: AES._CBC.IV(ivBytes: scheme.iv)))
        } catch {
            throw KeyFileError("cannot decrypt the key: wrong passphrase (or a damaged file)")
        }
        do {
            return try signer(pkcs8: plaintext)
        } catch {
            throw KeyFileError("cannot decrypt the key: wrong passphrase (or a damaged file)")
        }
    }

    /// A PKCS #8 `PrivateKeyInfo` (RFC 5208 §5) of a P-256, P-384 or Ed25519 key.
    static func signer(pkcs8 der: [UInt8]) throws(KeyFileError) -> SoftwareSigner {
        if der.count == 48, der.starts(with: ed25519Prefix) {
            if let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32)) { return SoftwareSigner(key) }
        }
        if let key = try? P256.Signing.PrivateKey(derRepresentation: der) { return SoftwareSigner(key) }
        if let key = try? P384.Signing.PrivateKey(derRepresentation: der) { return SoftwareSigner(key) }
        throw KeyFileError("expected a PKCS #8 private key on P-256, P-384 or Ed25519, found another key or bytes that do not parse")
    }

    /// A SEC 1 `ECPrivateKey` (RFC 5915 §3) on P-256 or P-384.
    static func signer(sec1 der: [UInt8]) throws(KeyFileError) -> SoftwareSigner {
        if let key = try? P256.Signing.PrivateKey(derRepresentation: der) { return SoftwareSigner(key) }
        if let key = try? P384.Signing.PrivateKey(derRepresentation: der) { return SoftwareSigner(key) }
        throw KeyFileError("expected an EC PRIVATE KEY on P-256 or P-384, found another curve or bytes that do not parse")
    }

    /// Parses the next node of `nodes` as a SEQUENCE with `body`.
    static func nextSequence<Result>(
        _ nodes: inout ASN1NodeCollection.Iterator, _ body: (inout ASN1NodeCollection.Iterator) throws -> Result
    ) throws -> Result {
        guard let node = nodes.next() else { throw KeyFileError("expected another SEQUENCE in the key's parameters, found the end") }
        return try DER.sequence(node, identifier: .sequence, body)
    }

    /// The fixed PKCS #8 encoding of an Ed25519 key before its 32-byte seed (RFC 8410 §7).
    static let ed25519Prefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]

    enum Identifier {
        /// id-PBES2 (RFC 8018 §A.4).
        static let pbes2: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 5, 13]
        /// id-PBKDF2 (RFC 8018 §A.2).
        static let pbkdf2: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 5, 12]
        /// id-scrypt (RFC 7914 §7).
        static let scrypt: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 11_591, 4, 11]
        /// id-hmacWithSHA256 (RFC 8018 §B.1.2).
        static let hmacWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 2, 9]
        /// id-aes256-CBC (RFC 3565 §4.1, NIST).
        static let aes256CBC: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 1, 42]
    }

    /// PBES2-params: how the key was derived and the cipher's IV.
    struct EncryptionScheme {
        enum Derivation {
            case scrypt(salt: [UInt8], n: Int, r: Int, p: Int)
            case pbkdf2(salt: [UInt8], iterations: Int)
        }

        var derivation: Derivation
        var iv: [UInt8]

        init(parameters nodes: inout ASN1NodeCollection.Iterator) throws {
            (derivation, iv) = try nextSequence(&nodes) { pbes2 in
                let derivation = try nextSequence(&pbes2) { kdf in
                    let oid = try ASN1ObjectIdentifier(derEncoded: &kdf)
                    switch oid {
                    case Identifier.scrypt: return try Self.scrypt(&kdf)
                    case Identifier.pbkdf2: return try Self.pbkdf2(&kdf)
                    default: throw KeyFileError("expected scrypt or PBKDF2 key derivation, found \(oid)")
                    }
                }
                let iv = try nextSequence(&pbes2) { cipher in
                    let oid = try ASN1ObjectIdentifier(derEncoded: &cipher)
                    guard oid == Identifier.aes256CBC else { throw KeyFileError("expected AES-256-CBC encryption, found \(oid)") }
                    return Array(try ASN1OctetString(derEncoded: &cipher).bytes)
                }
                return (derivation, iv)
            }
            guard iv.count == 16 else { throw KeyFileError("expected a 16-byte AES-CBC IV, found \(iv.count) bytes") }
        }

        private static func scrypt(_ kdf: inout ASN1NodeCollection.Iterator) throws -> Derivation {
            try nextSequence(&kdf) { parameters in
                let salt = Array(try ASN1OctetString(derEncoded: &parameters).bytes)
                let n = try Int(derEncoded: &parameters)
                let r = try Int(derEncoded: &parameters)
                let p = try Int(derEncoded: &parameters)
                if let length = parameters.next() {
                    guard try Int(derEncoded: length) == 32 else { throw KeyFileError("expected a 32-byte derived key for AES-256") }
                }
                let logN = n > 1 ? Int.bitWidth - 1 - n.leadingZeroBitCount : 0
                guard n > 1, n == 1 << logN, SealedKey.Parameters.isAcceptable(logN: logN, r: r, p: p), 128 * r * n <= maxScryptBytes, salt.count <= 64
                else {
                    throw KeyFileError("expected scrypt costs of at most N=2^20, r=16, p=4 and 64 MiB, found N=\(n), r=\(r), p=\(p)")
                }
                return .scrypt(salt: salt, n: n, r: r, p: p)
            }
        }

        private static func pbkdf2(_ kdf: inout ASN1NodeCollection.Iterator) throws -> Derivation {
            try nextSequence(&kdf) { parameters in
                let salt = Array(try ASN1OctetString(derEncoded: &parameters).bytes)
                let iterations = try Int(derEncoded: &parameters)
                var prf: ASN1ObjectIdentifier?
                while let node = parameters.next() {
                    if node.identifier == .integer {
                        guard try Int(derEncoded: node) == 32 else { throw KeyFileError("expected a 32-byte derived key for AES-256") }
                    } else {
                        prf = try DER.sequence(node, identifier: .sequence) { algorithm in
                            let oid = try ASN1ObjectIdentifier(derEncoded: &algorithm)
                            // Parameters: NULL (RFC 8018 §B.1.2) or absent.
                            if let parameters = algorithm.next(), parameters.identifier != .null {
                                throw KeyFileError("expected NULL or no parameters for the PBKDF2 PRF, found \(parameters.identifier)")
                            }
                            return oid
                        }
                    }
                }
                guard prf == Identifier.hmacWithSHA256 else {
                    throw KeyFileError("expected PBKDF2 with HMAC-SHA-256, found \(prf.map { "\($0)" } ?? "the default HMAC-SHA-1")")
                }
                guard (1...maxIterations).contains(iterations), salt.count <= 64 else {
                    throw KeyFileError("expected at most \(maxIterations) PBKDF2 iterations, found \(iterations)")
                }
                return .pbkdf2(salt: salt, iterations: iterations)
            }
        }

        func key(_ passphrase: [UInt8]) throws -> SymmetricKey {
            switch derivation {
            case .scrypt(let salt, let n, let r, let p):
                try KDF.Scrypt.deriveKey(from: passphrase, salt: salt, outputByteCount: 32, rounds: n, blockSize: r, parallelism: p)
            case .pbkdf2(let salt, let iterations):
                try KDF.Insecure.PBKDF2.deriveKey(from: passphrase, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: iterations)
            }
        }
    }
}

extension SoftwareSigner {
    /// The private key as a PKCS #8 `PrivateKeyInfo`: only ever encrypted before it is written.
    var pkcs8DER: [UInt8] {
        switch key {
        case .p256(let key): Array(key.derRepresentation)
        case .p384(let key): Array(key.derRepresentation)
        case .ed25519(let key): PrivateKeyFile.ed25519Prefix + Array(key.rawRepresentation)
        }
    }
}
