import Crypto
import CryptoExtras
import Foundation

/// A private key sealed under a passphrase, as Signet stores keys at rest: scrypt (RFC 7914)
/// derives an AES-256-GCM key; the header (algorithm, public key, scrypt parameters) is the
/// associated data, so changing any of it makes opening fail; the opened key must match the
/// recorded public key. The file is JSON:
///
/// `{"format":"signet-sealed-key/v1","algorithm":…,"publicKey":…,"kdf":{"name":"scrypt","n":…,"r":…,"p":…,"salt":…},"nonce":…,"ciphertext":…}`
public enum SealedKey {
    public static let format = "signet-sealed-key/v1"

    /// scrypt cost parameters. The default costs about 32 MiB and a tenth of a second.
    public struct Parameters: Sendable, Hashable {
        public var logN: Int
        public var r: Int
        public var p: Int

        public init(logN: Int, r: Int, p: Int) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        public static let standard = Parameters(logN: 15, r: 8, p: 1)

        /// The largest cost a sealed file may ask for (hostile files must not exhaust memory).
        static func isAcceptable(logN: Int, r: Int, p: Int) -> Bool {
            (10...20).contains(logN) && (1...16).contains(r) && (1...4).contains(p) && (128 * r * (1 << logN)) <= 256 << 20
        }
    }

    /// Why a sealed key could not be opened. Never says anything about the key itself.
    public struct OpenError: Error, Hashable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Seals `signer`'s private key under `passphrase`.
    public static func seal(_ signer: SoftwareSigner, passphrase: [UInt8], parameters: Parameters = .standard) throws -> [UInt8] {
        guard !passphrase.isEmpty else { throw OpenError(reason: "expected a non-empty passphrase") }
        let salt = secureRandomBytes(16)
        let header = Header(algorithm: signer.algorithm, publicKey: signer.publicKeySPKI, parameters: parameters, salt: salt)
        let key = try deriveKey(passphrase, header)
        let sealed = try AES.GCM.seal(signer.privateKeyBytes, using: key, authenticating: header.associatedData)
        var object = header.json
        object["nonce"] = .string(Base64.encode(Array(sealed.nonce)))
        object["ciphertext"] = .string(Base64.encode(Array(sealed.ciphertext) + Array(sealed.tag)))
        return JSONValue.object(object).compactBytes()
    }

    /// Opens a sealed key with `passphrase`.
    public static func open(_ bytes: [UInt8], passphrase: [UInt8]) throws(OpenError) -> SoftwareSigner {
        var object: ProtoJSONObject
        let header: Header
        let nonce: [UInt8]
        let ciphertext: [UInt8]
        do {
            object = try ProtoJSONObject(try JSONParser(maxBytes: 64 << 10, maxDepth: 4).parse(bytes, context: "sealedKey"), path: "sealedKey")
            guard try object.requiredString("format") == format else {
                throw OpenError(reason: "expected a \(format) file")
            }
            guard let algorithm = SigningAlgorithm(rawValue: try object.requiredString("algorithm")) else {
                throw OpenError(reason: "expected algorithm PKIX_ECDSA_P256_SHA_256, PKIX_ECDSA_P384_SHA_384 or PKIX_ED25519")
            }
            let publicKey = try object.requiredBytes("publicKey")
            var kdf = try object.requiredMessage("kdf")
            guard try kdf.requiredString("name") == "scrypt", let n = try kdf.int32("n"), let r = try kdf.int32("r"), let p = try kdf.int32("p") else {
                throw OpenError(reason: "expected scrypt parameters n, r and p")
            }
            let salt = try kdf.requiredBytes("salt")
            try kdf.finish()
            let logN = Int(n).trailingZeroBitCount
            guard n > 0, 1 << logN == Int(n), Parameters.isAcceptable(logN: logN, r: Int(r), p: Int(p)), salt.count >= 16 else {
                throw OpenError(reason: "expected scrypt parameters within Signet's bounds (n a power of two up to 2^20, r ≤ 16, p ≤ 4, salt ≥ 16 bytes)")
            }
            header = Header(algorithm: algorithm, publicKey: publicKey, parameters: Parameters(logN: logN, r: Int(r), p: Int(p)), salt: salt)
            nonce = try object.requiredBytes("nonce")
            ciphertext = try object.requiredBytes("ciphertext")
            try object.finish()
        } catch let error as OpenError {
            throw error
        } catch {
            throw OpenError(reason: "the sealed key file is malformed: \(error)")
        }
        guard nonce.count == 12, ciphertext.count > 16 else {
            throw OpenError(reason: "expected a 12-byte nonce and a ciphertext with its tag")
        }
        let plaintext: [UInt8]
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext.dropLast(16), tag: ciphertext.suffix(16))
            plaintext = Array(try AES.GCM.open(box, using: try deriveKey(passphrase, header), authenticating: header.associatedData))
        } catch {
            throw OpenError(reason: "the passphrase is wrong or the sealed key was altered")
        }
        guard let signer = try? SoftwareSigner(algorithm: header.algorithm, privateKeyBytes: plaintext), signer.publicKeySPKI == header.publicKey else {
            throw OpenError(reason: "the sealed key does not match its recorded public key")
        }
        return signer
    }

    struct Header {
        var algorithm: SigningAlgorithm
        var publicKey: [UInt8]
        var parameters: Parameters
        var salt: [UInt8]

        var json: JSONObject {
            JSONObject([
                ("format", .string(SealedKey.format)),
                ("algorithm", .string(algorithm.rawValue)),
                ("publicKey", .string(Base64.encode(publicKey))),
                (
                    "kdf",
                    .object(
                        JSONObject([
                            ("name", .string("scrypt")), ("n", .integer(1 << parameters.logN)), ("r", .integer(parameters.r)),
                            ("p", .integer(parameters.p)), ("salt", .string(Base64.encode(salt))),
                        ]))
                ),
            ])
        }

        /// The canonical header: what the ciphertext's tag also authenticates.
        var associatedData: [UInt8] {
            (try? JSONValue.object(json).canonicalBytes()) ?? []
        }
    }

    static func deriveKey(_ passphrase: [UInt8], _ header: Header) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(
            from: passphrase, salt: header.salt, outputByteCount: 32,
            rounds: 1 << header.parameters.logN, blockSize: header.parameters.r, parallelism: header.parameters.p)
    }
}

extension SoftwareSigner {
    /// The raw private scalar (ECDSA) or seed (Ed25519): only ever sealed, never written.
    var privateKeyBytes: [UInt8] {
        switch key {
        case .p256(let key): Array(key.rawRepresentation)
        case .p384(let key): Array(key.rawRepresentation)
        case .ed25519(let key): Array(key.rawRepresentation)
        }
    }

    init(algorithm: SigningAlgorithm, privateKeyBytes bytes: [UInt8]) throws {
        switch algorithm {
        case .ecdsaP256SHA256: self.init(try P256.Signing.PrivateKey(rawRepresentation: bytes))
        case .ecdsaP384SHA384: self.init(try P384.Signing.PrivateKey(rawRepresentation: bytes))
        case .ed25519: self.init(try Curve25519.Signing.PrivateKey(rawRepresentation: bytes))
        }
    }
}
