import Foundation
import SignetCore
import SignetVirtualPlatform
import SwiftASN1
import Testing

@Suite("Private key files: encrypted PKCS #8 (PBES2), PKCS #8, SEC 1")
struct PrivateKeyFileTests {
    static let cheap = SealedKey.Parameters(logN: 10, r: 8, p: 1)
    static let passphrase = Array("correct horse".utf8)

    static func withDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-keyfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    @Test(
        "a key encrypted with scrypt and AES-256-CBC opens with its passphrase only",
        arguments: [
            SigningAlgorithm.ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519,
        ])
    func roundTrip(algorithm: SigningAlgorithm) throws {
        let signer = SoftwareSigner.generate(algorithm)
        let pem = try PrivateKeyFile.encrypt(signer, passphrase: Self.passphrase, parameters: Self.cheap)
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----") && PrivateKeyFile.isEncrypted(pem))
        let opened = try PrivateKeyFile.read(pem) { () throws(PrivateKeyFile.KeyFileError) in Self.passphrase }
        #expect(opened.publicKeySPKI == signer.publicKeySPKI && opened.algorithm == algorithm)
        #expect {
            try PrivateKeyFile.read(pem) { () throws(PrivateKeyFile.KeyFileError) in Array("wrong".utf8) }
        } throws: { ($0 as? PrivateKeyFile.KeyFileError)?.reason.contains("wrong passphrase") == true }
    }

    @Test("OpenSSL opens the keys Signet writes, and Signet the keys OpenSSL writes (PBKDF2, scrypt, PKCS #8, SEC 1)")
    func openSSLInterop() throws {
        try Self.withDirectory { directory in
            func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
            func publicKey(_ file: String, passphrase: String? = nil) throws -> String {
                let result = try OpenSSL.run(["pkey", "-in", file, "-pubout"] + (passphrase.map { ["-passin", "pass:\($0)"] } ?? []))
                try #require(result.status == 0, "\(result.output)")
                return result.output
            }
            // Signet's file, with its standard cost, read by OpenSSL.
            let signer = SoftwareSigner.generate(.ecdsaP256SHA256)
            try PrivateKeyFile.encrypt(signer, passphrase: Self.passphrase).write(toFile: path("signet.key"), atomically: true, encoding: .utf8)
            #expect(try publicKey(path("signet.key"), passphrase: "correct horse") == PEM.encode(signer.publicKeySPKI, label: "PUBLIC KEY"))
            #expect(try OpenSSL.run(["pkey", "-in", path("signet.key"), "-passin", "pass:wrong", "-noout"]).status != 0)

            // OpenSSL's files, read by Signet.
            let cases: [(name: String, make: [String], encrypted: Bool)] = [
                ("pbkdf2.key", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-aes-256-cbc", "-pass", "pass:correct horse"], true),
                ("plain.key", ["genpkey", "-algorithm", "ED25519"], false),
                ("sec1.key", ["ecparam", "-name", "prime256v1", "-genkey", "-noout"], false),
            ]
            for item in cases {
                let made = try OpenSSL.run(item.make + ["-out", path(item.name)])
                try #require(made.status == 0, "\(made.output)")
                let pem = try String(contentsOfFile: path(item.name), encoding: .utf8)
                #expect(PrivateKeyFile.isEncrypted(pem) == item.encrypted)
                let read = try PrivateKeyFile.read(pem) { () throws(PrivateKeyFile.KeyFileError) in Self.passphrase }
                #expect(PEM.encode(read.publicKeySPKI, label: "PUBLIC KEY") == (try publicKey(path(item.name), passphrase: "correct horse")), "\(item.name)")
            }
            let scrypt = try OpenSSL.run([
                "pkcs8", "-topk8", "-scrypt", "-in", path("sec1.key"), "-out", path("scrypt.key"), "-passout", "pass:correct horse",
            ])
            try #require(scrypt.status == 0, "\(scrypt.output)")
            let read = try PrivateKeyFile.read(try String(contentsOfFile: path("scrypt.key"), encoding: .utf8)) { () throws(PrivateKeyFile.KeyFileError) in
                Self.passphrase
            }
            #expect(PEM.encode(read.publicKeySPKI, label: "PUBLIC KEY") == (try publicKey(path("sec1.key"))))
        }
    }

    @Test("hostile files: costs beyond the bounds, other ciphers, garbage, no key, two keys; each refused before any work")
    func hostile() throws {
        func refusal(_ pem: String) -> String? {
            do {
                _ = try PrivateKeyFile.read(pem) { () throws(PrivateKeyFile.KeyFileError) in Self.passphrase }
                return nil
            } catch {
                return error.reason
            }
        }
        let signer = SoftwareSigner.generate(.ecdsaP256SHA256)
        let good = try PrivateKeyFile.encrypt(signer, passphrase: Self.passphrase, parameters: Self.cheap)
        #expect(refusal(try Self.encryptedInfo(n: 1 << 30))?.contains("scrypt costs") == true)
        #expect(refusal(try Self.encryptedInfo(n: 1000))?.contains("scrypt costs") == true)
        #expect(refusal(try Self.encryptedInfo(n: 1 << 10, cipher: [2, 16, 840, 1, 101, 3, 4, 1, 2]))?.contains("AES-256-CBC") == true)
        #expect(refusal(try Self.encryptedInfo(n: 1 << 10))?.contains("wrong passphrase") == true, "well-formed, but not this key")
        #expect(refusal("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")?.contains("EncryptedPrivateKeyInfo") == true)
        #expect(refusal("not a key")?.contains("PEM") == true)
        #expect(refusal(PEM.encode(signer.publicKeySPKI, label: "PUBLIC KEY"))?.contains("found PUBLIC KEY") == true)
        #expect(refusal(good + good)?.contains("expected one") == true)
        #expect(refusal(PEM.encode(Array(repeating: 0x30, count: 20 << 10), label: "PRIVATE KEY"))?.contains("at most 16 KiB") == true)
    }

    /// An EncryptedPrivateKeyInfo with PBES2, scrypt of cost `n` and the cipher `cipher`, over
    /// 32 bytes of zeros.
    static func encryptedInfo(n: Int, cipher: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 1, 42]) throws -> String {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { info in
            try info.appendConstructedNode(identifier: .sequence) { algorithm in
                try algorithm.serialize([1, 2, 840, 113_549, 1, 5, 13] as ASN1ObjectIdentifier)
                try algorithm.appendConstructedNode(identifier: .sequence) { pbes2 in
                    try pbes2.appendConstructedNode(identifier: .sequence) { kdf in
                        try kdf.serialize([1, 3, 6, 1, 4, 1, 11_591, 4, 11] as ASN1ObjectIdentifier)
                        try kdf.appendConstructedNode(identifier: .sequence) { scrypt in
                            try scrypt.serialize(ASN1OctetString(contentBytes: [1, 2, 3, 4]))
                            try scrypt.serialize(n)
                            try scrypt.serialize(8)
                            try scrypt.serialize(1)
                        }
                    }
                    try pbes2.appendConstructedNode(identifier: .sequence) { encryption in
                        try encryption.serialize(cipher)
                        try encryption.serialize(ASN1OctetString(contentBytes: ArraySlice(repeating: 0, count: 16)))
                    }
                }
            }
            try info.serialize(ASN1OctetString(contentBytes: ArraySlice(repeating: 0, count: 32)))
        }
        return PEM.encode(serializer.serializedBytes, label: "ENCRYPTED PRIVATE KEY")
    }
}
