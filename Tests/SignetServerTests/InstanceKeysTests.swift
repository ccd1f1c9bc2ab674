import Crypto
import Foundation
import SignetCA
import SignetCore
import SignetLog
import SignetPKCS11
import SignetServer
import SignetTSA
import SignetVerify
import SignetVirtualPlatform
import SwiftASN1
import Testing
import X509

struct FixedTime: TimeSource {
    var time: Timestamp
    func now() -> Timestamp { time }
}

@Suite("Instance keys and the exported trust configuration")
struct InstanceKeysTests {
    static let passphrase = Array("instance passphrase".utf8)
    static let cheap = SealedKey.Parameters(logN: 10, r: 8, p: 1)
    static let now = Timestamp(seconds: 1_768_478_400)

    static func withDirectory(_ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("keys"))
    }

    @Test("the first start creates sealed keys owner-only; a restart reuses them; a wrong passphrase is refused")
    func lifecycle() async throws {
        try await Self.withDirectory { directory in
            let created = try await InstanceKeys.loadOrCreate(
                directory: directory, source: .sealed(passphrase: Self.passphrase, parameters: Self.cheap), organization: "Acme",
                timeSource: FixedTime(time: Self.now))
            let reloaded = try await InstanceKeys.loadOrCreate(
                directory: directory, source: .sealed(passphrase: Self.passphrase, parameters: Self.cheap), organization: "Acme")
            #expect(reloaded.intermediate.publicKeySPKI == created.intermediate.publicKeySPKI)
            #expect(reloaded.logV2.publicKeySPKI == created.logV2.publicKeySPKI)
            #expect(reloaded.tsaCertificate == created.tsaCertificate && reloaded.treeID == created.treeID)
            await #expect(throws: InstanceKeys.KeyError.self) {
                try await InstanceKeys.loadOrCreate(directory: directory, source: .sealed(passphrase: Array("wrong".utf8)), organization: "Acme")
            }

            let attributes = try FileManager.default.attributesOfItem(atPath: directory.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o700)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                let mode = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(name)")
                #expect(!name.hasSuffix(".tmp"), "no temporary files are left behind")
            }
            let material = try InstancePublicMaterial(directory: directory)
            #expect(material.logV1Key == created.logV1.publicKeySPKI && material.ctKey == created.ct.publicKeySPKI)
        }
    }

    @Test("a bundle made with the instance's keys through the services verifies against the exported trust root")
    func exportVerifies() async throws {
        try await Self.withDirectory { directory in
            let keys = try await InstanceKeys.loadOrCreate(
                directory: directory, source: .sealed(passphrase: Self.passphrase, parameters: Self.cheap), organization: "Acme",
                timeSource: FixedTime(time: Self.now))
            let report = try await Self.signAndVerify(keys, directory: directory)
            #expect(report.isVerified, "\(report.result)")
        }
    }

    @Test("keys in a PKCS #11 token (SoftHSM2): made there, none on disk, found again on restart, and what they sign verifies")
    func keysInToken() async throws {
        let softHSM = try TestSoftHSM.shared()
        let token = try PKCS11Token(try PKCS11URI(softHSM.uri(token: "signet-server")), environment: [:])
        try await Self.withDirectory { directory in
            let keys = try await InstanceKeys.loadOrCreate(
                directory: directory, source: .token(token), organization: "Acme", timeSource: FixedTime(time: Self.now))
            #expect(keys.intermediate is PKCS11Signer && keys.logV2 is PKCS11Signer && keys.tsa is PKCS11Signer)
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(!files.contains { $0.hasSuffix(".sealed.json") }, "\(files)")
            for file in files {
                let text = String(decoding: try Data(contentsOf: directory.appendingPathComponent(file)), as: UTF8.self)
                #expect(!text.contains("PRIVATE KEY") && !text.contains("pin-value"), "\(file)")
            }
            #expect(
                String(decoding: try Data(contentsOf: directory.appendingPathComponent("key-store")), as: UTF8.self).hasPrefix("pkcs11:token=signet-server"))
            let reloaded = try await InstanceKeys.loadOrCreate(directory: directory, source: .token(token), organization: "Acme")
            #expect(reloaded.logV1.publicKeySPKI == keys.logV1.publicKeySPKI && reloaded.tsa.publicKeySPKI == keys.tsa.publicKeySPKI)
            await #expect(throws: InstanceKeys.KeyError.self, "keys in a token are not looked for in sealed files") {
                try await InstanceKeys.loadOrCreate(directory: directory, source: .sealed(passphrase: Self.passphrase), organization: "Acme")
            }
            let report = try await Self.signAndVerify(keys, directory: directory)
            #expect(report.isVerified, "\(report.result)")
        }
    }

    @Test("rotation drill: the CA and the TSA rotate; bundles of both generations verify with the new trust root; the old key outside its window is refused")
    func rotation() async throws {
        try await Self.withDirectory { directory in
            let source = InstanceKeys.Source.sealed(passphrase: Self.passphrase, parameters: Self.cheap)
            let old = try await InstanceKeys.loadOrCreate(directory: directory, source: source, organization: "Acme", timeSource: FixedTime(time: Self.now))
            let rotatedAt = Timestamp(seconds: Self.now.seconds + 1000)
            for rotation in InstanceKeys.Rotation.allCases {
                _ = try await InstanceKeys.rotate(rotation, directory: directory, source: source, overlapSeconds: 100, now: rotatedAt)
            }
            let new = try await InstanceKeys.loadOrCreate(directory: directory, source: source, organization: "Acme")
            #expect(new.intermediate.publicKeySPKI != old.intermediate.publicKeySPKI && new.tsa.publicKeySPKI != old.tsa.publicKeySPKI)
            #expect(new.rootCertificate == old.rootCertificate && new.logV1.publicKeySPKI == old.logV1.publicKeySPKI, "only what rotated changed")
            let material = new.publicMaterial
            #expect(
                material.certificateAuthorities.map(\.validFor) == [
                    TimeRange(start: old.createdAt, end: Timestamp(seconds: rotatedAt.seconds + 100)), TimeRange(start: rotatedAt),
                ])
            #expect(material.timestampAuthorities.count == 2 && material.intermediateCertificate == material.certificateAuthorities[1].certificate)
            let trustedRoot = try material.clientTrustConfig(serverURL: "https://signet.acme.test", organization: "Acme").trustedRoot
            #expect(trustedRoot.certificateAuthorities.count == 2 && trustedRoot.timestampAuthorities.count == 2)

            let before = try await Self.signAndVerify(old, directory: directory, at: Timestamp(seconds: Self.now.seconds + 60))
            #expect(before.isVerified, "a bundle made before the rotation: \(before.result)")
            let during = try await Self.signAndVerify(old, directory: directory, at: Timestamp(seconds: rotatedAt.seconds + 50))
            #expect(during.isVerified, "a server not yet restarted, within the overlap: \(during.result)")
            let after = try await Self.signAndVerify(new, directory: directory, at: Timestamp(seconds: rotatedAt.seconds + 500))
            #expect(after.isVerified, "a bundle of the new generation: \(after.result)")
            let outside = try await Self.signAndVerify(old, directory: directory, at: Timestamp(seconds: rotatedAt.seconds + 500))
            guard case .failure(let error) = outside.result else {
                Issue.record("the old key's bundle after its window verified")
                return
            }
            #expect(error.code == .certificateChainInvalid || error.code == .timestampInvalid, "\(error)")
        }
    }

    /// Issues a certificate, logs and timestamps a signature with `keys`, and verifies the
    /// bundle against the trust configuration exported from `directory`.
    static func signAndVerify(_ keys: InstanceKeys, directory: URL, at time: Timestamp? = nil) async throws -> VerificationReport {
        let config = try InstancePublicMaterial(directory: directory).clientTrustConfig(serverURL: "https://signet.acme.test", organization: "Acme")
        let exported = try ClientTrustConfig(jsonBytes: config.json.compactBytes())
        #expect(exported == config)

        let signingTime = time ?? Timestamp(seconds: Self.now.seconds + 60)
        let authority = try CertificateAuthority(
            chain: [keys.intermediateCertificate, keys.rootCertificate], signer: keys.intermediate, ctSigner: keys.ct,
            timeSource: FixedTime(time: signingTime))
        let key = P256.Signing.PrivateKey()
        let identity = VerifiedIdentity(subjectName: .email("dev@acme.test"), issuer: "https://idp.acme.test")
        let leaf = try await authority.issue(SigningCertificateRequest(publicKey: .init(key.publicKey), proof: .certificateSigningRequest), for: identity)
            .certificate()
        var serializer = DER.Serializer()
        try serializer.serialize(leaf)
        let leafDER = serializer.serializedBytes
        let artifact = Array("release".utf8)
        let signature = Array(try key.signature(for: artifact).derRepresentation)
        let body = RekorEntryBody.hashedRekordV001(
            .init(hashAlgorithm: .sha256, digest: sha256(artifact), signature: signature, publicKeyPEM: PEM.encode(leafDER, label: "CERTIFICATE")))
        var tree = MerkleTree()
        tree.append(leafData: try body.canonicalBytes())
        let log = try LogSigner(signer: keys.logV1, hostName: "signet.acme.test", style: .rekorV1(treeID: keys.treeID))
        let canonical = try body.canonicalBytes()
        let entry = await TransparencyLogEntry(
            logIndex: 0, logID: log.logID, kind: "hashedrekord", version: "0.0.1", integratedTime: signingTime.seconds,
            signedEntryTimestamp: try log.signedEntryTimestamp(body: canonical, integratedTime: signingTime.seconds, logIndex: 0),
            inclusionProof: .init(
                logIndex: 0, rootHash: try tree.rootHash(size: 1), treeSize: 1, hashes: [],
                checkpoint: try log.signCheckpoint(size: 1, rootHash: try tree.rootHash(size: 1)).serialized),
            canonicalizedBody: canonical)
        let tsa = try TimestampAuthority(
            signer: keys.tsa, certificateChain: [keys.tsaCertificate, keys.tsaRootCertificate], timeSource: FixedTime(time: signingTime))
        let (timestamp, rejection) = try await tsa.respond(toRequest: try TimeStampRequest.forSignature(signature).derBytes())
        #expect(rejection == nil)
        let bundle = SigstoreBundle(
            signer: .certificate(leafDER), tlogEntries: [entry], rfc3161Timestamps: [timestamp],
            content: .messageSignature(.init(messageDigest: (.sha256, sha256(artifact)), signature: signature)))
        let report = try BundleVerifier(trustedRoot: exported.trustedRoot).verify(
            bundle, artifact: Artifact(bytes: artifact), policy: .identity("dev@acme.test", issuer: "https://idp.acme.test"),
            now: Timestamp(seconds: signingTime.seconds + 60))
        return report
    }

    @Test("the server URL must be scheme://host[:port]")
    func badURL() async throws {
        try await Self.withDirectory { directory in
            _ = try await InstanceKeys.loadOrCreate(
                directory: directory, source: .sealed(passphrase: Self.passphrase, parameters: Self.cheap), organization: "Acme")
            let material = try InstancePublicMaterial(directory: directory)
            for url in ["signet.acme.test", "ftp://signet.acme.test", "https://signet.acme.test/prefix", ""] {
                #expect(throws: InstanceKeys.KeyError.self, "\(url)") { try material.clientTrustConfig(serverURL: url, organization: "Acme") }
            }
            #expect(throws: InstanceKeys.KeyError.self) { try InstancePublicMaterial(directory: directory.appendingPathComponent("missing")) }
        }
    }
}

@Suite("The instance passphrase")
struct PassphraseSourceTests {
    @Test("environment first, then an owner-only file, then a generated development file; otherwise a clear error")
    func sources() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-pass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("passphrase").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data("from the file\n".utf8), attributes: [.posixPermissions: 0o600]))

        let fromEnvironment = try PassphraseSource.resolve(
            environment: ["SIGNET_KEY_PASSPHRASE": "from env"], file: file, dataDirectory: directory, generateForDevelopment: false)
        #expect(fromEnvironment.passphrase == Array("from env".utf8))
        #expect(!fromEnvironment.origin.contains("from env"), "the origin never contains the passphrase")
        #expect(
            try PassphraseSource.resolve(environment: [:], file: file, dataDirectory: directory, generateForDevelopment: false).passphrase
                == Array("from the file".utf8))

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(throws: PassphraseSource.PassphraseError.self) {
            try PassphraseSource.resolve(environment: [:], file: file, dataDirectory: directory, generateForDevelopment: false)
        }
        #expect(throws: PassphraseSource.PassphraseError.self) {
            try PassphraseSource.resolve(environment: ["SIGNET_KEY_PASSPHRASE": ""], file: nil, dataDirectory: directory, generateForDevelopment: true)
        }
        #expect(throws: PassphraseSource.PassphraseError.self) {
            try PassphraseSource.resolve(environment: [:], file: nil, dataDirectory: directory, generateForDevelopment: false)
        }

        let data = directory.appendingPathComponent("data")
        let first = try PassphraseSource.resolve(environment: [:], file: nil, dataDirectory: data, generateForDevelopment: true)
        let second = try PassphraseSource.resolve(environment: [:], file: nil, dataDirectory: data, generateForDevelopment: true)
        #expect(first.passphrase == second.passphrase && first.passphrase.count >= 32)
        #expect(first.origin.hasSuffix("dev-passphrase"))
        let mode = try FileManager.default.attributesOfItem(atPath: data.appendingPathComponent("dev-passphrase").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
