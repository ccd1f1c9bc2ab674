import SignetVirtualPlatform
import Testing

@testable import SignetCore

@Suite("Private keys sealed at rest")
struct SealedKeyTests {
    static let cheap = SealedKey.Parameters(logN: 10, r: 8, p: 1)
    static let passphrase = Array("correct horse battery staple".utf8)

    @Test("P-256, P-384 and Ed25519 keys round-trip and still sign", arguments: [SigningAlgorithm.ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519])
    func roundTrip(algorithm: SigningAlgorithm) throws {
        let signer = SoftwareSigner.generate(algorithm)
        let sealed = try SealedKey.seal(signer, passphrase: Self.passphrase, parameters: Self.cheap)
        let opened = try SealedKey.open(sealed, passphrase: Self.passphrase)
        #expect(opened.publicKeySPKI == signer.publicKeySPKI)
        let message = Array("message".utf8)
        let key = try VerificationKey(spki: signer.publicKeySPKI)
        #expect(key.isValidSignature(try opened.signSynchronously(message), message: message, hash: algorithm.hash))
    }

    @Test("the sealed file never contains the private key, in any encoding")
    func noPlaintext() throws {
        let signer = SoftwareSigner.generate(.ecdsaP256SHA256)
        let sealed = try SealedKey.seal(signer, passphrase: Self.passphrase, parameters: Self.cheap)
        let text = String(decoding: sealed, as: UTF8.self)
        let secret = signer.privateKeyBytes
        #expect(secret.count == 32)
        #expect(sealed.firstRange(of: secret) == nil)
        #expect(!text.contains(Hex.encode(secret)))
        #expect(!text.contains(Base64.encode(secret).dropLast(2)))
    }

    @Test("a wrong passphrase, or any altered field, fails to open")
    func tampering() throws {
        let sealed = try SealedKey.seal(SoftwareSigner.generate(.ecdsaP256SHA256), passphrase: Self.passphrase, parameters: Self.cheap)
        #expect(throws: SealedKey.OpenError.self) { try SealedKey.open(sealed, passphrase: Array("wrong".utf8)) }
        let object = try #require(try JSONParser().parse(sealed).objectValue)
        func altered(_ edit: (inout JSONObject) -> Void) -> [UInt8] {
            var copy = object
            edit(&copy)
            return JSONValue.object(copy).compactBytes()
        }
        let otherKey = Base64.encode(SoftwareSigner.generate(.ecdsaP256SHA256).publicKeySPKI)
        let variants: [[UInt8]] = [
            altered { $0["publicKey"] = .string(otherKey) },
            altered { $0["algorithm"] = .string("PKIX_ECDSA_P384_SHA_384") },
            altered {
                if case .object(var kdf)? = $0["kdf"] {
                    kdf["salt"] = .string(Base64.encode([UInt8](repeating: 1, count: 16)))
                    $0["kdf"] = .object(kdf)
                }
            },
            altered {
                if case .string(let text)? = $0["ciphertext"], var bytes = Base64.decode(text) {
                    bytes[0] ^= 1
                    $0["ciphertext"] = .string(Base64.encode(bytes))
                }
            },
            altered { $0["nonce"] = .string(Base64.encode([UInt8](repeating: 0, count: 12))) },
            altered { $0["format"] = .string("other") },
            altered { $0["extra"] = .bool(true) },
            Array("not json".utf8),
        ]
        for variant in variants {
            #expect(throws: SealedKey.OpenError.self) { try SealedKey.open(variant, passphrase: Self.passphrase) }
        }
    }

    @Test("hostile scrypt parameters are refused before any derivation")
    func hostileParameters() throws {
        let sealed = try SealedKey.seal(SoftwareSigner.generate(.ed25519), passphrase: Self.passphrase, parameters: Self.cheap)
        var object = try #require(try JSONParser().parse(sealed).objectValue)
        let kdf = try #require(object["kdf"]?.objectValue)
        for (name, value) in [("n", 1 << 30), ("n", 3000), ("r", 1 << 20), ("p", 64)] {
            var edited = kdf
            edited[name] = .integer(value)
            object["kdf"] = .object(edited)
            #expect(throws: SealedKey.OpenError.self, "\(name)=\(value)") {
                try SealedKey.open(JSONValue.object(object).compactBytes(), passphrase: Self.passphrase)
            }
        }
    }
}
