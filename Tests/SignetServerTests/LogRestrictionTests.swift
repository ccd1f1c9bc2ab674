import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import SignetCore
import SignetLog
import SignetServer
import SwiftASN1
import Testing
import X509

@Suite("A log restricted to this instance's signers")
struct LogRestrictionTests {
    @Test(
        "logAccepts instance: certificates this CA issued and registered keys are logged; another CA's certificate and any other key are refused, and nothing is appended"
    )
    func restricted() async throws {
        let registered = P256.Signing.PrivateKey()
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("signet-log-key-\(UUID().uuidString).pem")
        try Data(registered.publicKey.pemRepresentation.utf8).write(to: keyFile)
        defer { try? FileManager.default.removeItem(at: keyFile) }
        let instance = try await ServerTestInstance { configuration in
            configuration.logAccepts = .instance
            configuration.logKeys = [keyFile.path]
        }
        defer { instance.remove() }
        let token = try instance.token()
        let artifact = Array("restricted log".utf8)
        try await instance.test { client in
            // A leaf from this instance's CA.
            let leafKey = P256.Signing.PrivateKey()
            let issued = try await client.send(
                .post, "/api/v2/signingCert", body: try ServerTestInstance.csrBody(leafKey), headers: [.authorization: "Bearer \(token)"])
            guard case .object(let object)? = issued.json, case .object(let signed)? = object["signedCertificateEmbeddedSct"],
                case .object(let chain)? = signed["chain"], case .array(let pems)? = chain["certificates"], case .string(let leafPEM)? = pems.first
            else {
                Issue.record("no certificate: \(issued.text)")
                return
            }
            // A leaf of another CA, for the same kind of key.
            let foreignCA = P256.Signing.PrivateKey()
            let foreignName = try DistinguishedName { CommonName("Another CA") }
            let foreignLeaf = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(leafKey.publicKey),
                notValidBefore: Date().addingTimeInterval(-60), notValidAfter: Date().addingTimeInterval(600), issuer: foreignName,
                subject: try DistinguishedName { CommonName("leaf") }, signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(),
                issuerPrivateKey: Certificate.PrivateKey(foreignCA))
            var serializer = DER.Serializer()
            try serializer.serialize(foreignLeaf)
            let foreignPEM = PEM.encode(serializer.serializedBytes, label: "CERTIFICATE")
            func entry(_ pem: String, _ key: P256.Signing.PrivateKey) throws -> [UInt8] {
                try RekorEntryBody.hashedRekordV001(
                    .init(
                        hashAlgorithm: .sha256, digest: sha256(artifact), signature: Array(key.signature(for: artifact).derRepresentation),
                        publicKeyPEM: pem)
                ).canonicalBytes()
            }
            let before = try await instance.services.log.treeSize()
            let stranger = P256.Signing.PrivateKey()
            for (label, body, path) in [
                ("another CA's certificate", try entry(foreignPEM, leafKey), "/api/v1/log/entries"),
                ("an unregistered key (v1)", try ServerTestInstance.hashedRekordV1(stranger, artifact: artifact), "/api/v1/log/entries"),
                ("an unregistered key (v2)", try ServerTestInstance.hashedRekordV2(stranger, artifact: artifact), "/api/v2/log/entries"),
            ] {
                let refused = try await client.send(.post, path, body: body)
                #expect(refused.status == .forbidden && refused.member("error") == .string("log-restricted"), "\(label): \(refused.text)")
            }
            #expect(try await instance.services.log.treeSize() == before, "a refused entry was appended")
            for (label, body, path) in [
                ("this CA's certificate", try entry(leafPEM, leafKey), "/api/v1/log/entries"),
                ("a registered key (v1)", try ServerTestInstance.hashedRekordV1(registered, artifact: artifact), "/api/v1/log/entries"),
                ("a registered key (v2)", try ServerTestInstance.hashedRekordV2(registered, artifact: Array("v2".utf8)), "/api/v2/log/entries"),
            ] {
                let accepted = try await client.send(.post, path, body: body)
                #expect(accepted.status == .created, "\(label): \(accepted.text)")
            }
            #expect(try await instance.services.log.treeSize() == before + 3)
        }
    }
}
