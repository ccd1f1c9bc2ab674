import Foundation
import SignetCore
import SwiftASN1
import X509

/// The keys and certificates of one Signet instance: a root CA and the intermediate that issues
/// signing certificates, the CT key that signs SCTs, the Rekor v1 (ECDSA) and v2 (Ed25519) log
/// keys, and the TSA with its own root. The first start creates them under `<data>/keys`;
/// private keys are only ever written sealed under the instance passphrase (``SealedKey``),
/// public material in the clear, each file written atomically with owner-only permissions.
public struct InstanceKeys: Sendable {
    public let rootCertificate: Certificate
    public let intermediateCertificate: Certificate
    public let intermediate: SoftwareSigner
    public let ct: SoftwareSigner
    public let logV1: SoftwareSigner
    public let logV2: SoftwareSigner
    public let tsaRootCertificate: Certificate
    public let tsaCertificate: Certificate
    public let tsa: SoftwareSigner
    /// When the keys were created: the start of every validity in the trusted root.
    public let createdAt: Timestamp
    /// The Rekor v1 tree ID, in the v1 checkpoint origin and entry IDs.
    public let treeID: Int64

    /// Why the instance's keys could not be loaded or created.
    public struct KeyError: Error, CustomStringConvertible, Sendable {
        public var reason: String
        public var description: String { reason }
    }

    /// Loads the keys under `directory`, or creates them when it holds none.
    public static func loadOrCreate(
        directory: URL, passphrase: [UInt8], organization: String, timeSource: any TimeSource = SystemTimeSource(), parameters: SealedKey.Parameters = .standard
    ) async throws -> InstanceKeys {
        let files = KeyFiles(directory: directory)
        if FileManager.default.fileExists(atPath: files.url("created-at").path) {
            return try load(files, passphrase: passphrase)
        }
        return try await create(files, passphrase: passphrase, organization: organization, now: timeSource.now(), parameters: parameters)
    }

    private static func create(_ files: KeyFiles, passphrase: [UInt8], organization: String, now: Timestamp, parameters: SealedKey.Parameters) async throws
        -> InstanceKeys
    {
        try files.prepareDirectory()
        let root = SoftwareSigner.generate(.ecdsaP384SHA384)
        let intermediate = SoftwareSigner.generate(.ecdsaP256SHA256)
        let tsaRoot = SoftwareSigner.generate(.ecdsaP384SHA384)
        let tsa = SoftwareSigner.generate(.ecdsaP384SHA384)
        let start = now.date.addingTimeInterval(-300)
        // Ten Gregorian years from a clock reading always exist; the fallback is 10 × 365.25 days.
        let end = Calendar(identifier: .gregorian).date(byAdding: .year, value: 10, to: start) ?? start.addingTimeInterval(10 * 365.25 * 86_400)
        let rootName = try DistinguishedName {
            OrganizationName(organization)
            CommonName("Signet Root CA")
        }
        let intermediateName = try DistinguishedName {
            OrganizationName(organization)
            CommonName("Signet Intermediate CA")
        }
        let tsaRootName = try DistinguishedName {
            OrganizationName(organization)
            CommonName("Signet TSA Root")
        }
        let tsaName = try DistinguishedName {
            OrganizationName(organization)
            CommonName("Signet TSA")
        }
        let rootCertificate = try await certificate(
            subject: rootName, issuer: rootName, key: root, issuerKey: root, start: start, end: end,
            extensions: caExtensions(root, root, pathLength: nil, codeSigning: false))
        let intermediateCertificate = try await certificate(
            subject: intermediateName, issuer: rootName, key: intermediate, issuerKey: root, start: start, end: end,
            extensions: caExtensions(intermediate, root, pathLength: 0, codeSigning: true))
        let tsaRootCertificate = try await certificate(
            subject: tsaRootName, issuer: tsaRootName, key: tsaRoot, issuerKey: tsaRoot, start: start, end: end,
            extensions: caExtensions(tsaRoot, tsaRoot, pathLength: 0, codeSigning: false))
        let tsaCertificate = try await certificate(
            subject: tsaName, issuer: tsaRootName, key: tsa, issuerKey: tsaRoot, start: start, end: end,
            extensions: [
                try Certificate.Extension(KeyUsage(digitalSignature: true), critical: true),
                try Certificate.Extension(ExtendedKeyUsage([.timeStamping]), critical: true),
                try Certificate.Extension(SubjectKeyIdentifier(hash: try Certificate.PublicKey(derEncoded: tsa.publicKeySPKI)), critical: false),
                try Certificate.Extension(
                    AuthorityKeyIdentifier(
                        keyIdentifier: SubjectKeyIdentifier(hash: try Certificate.PublicKey(derEncoded: tsaRoot.publicKeySPKI)).keyIdentifier), critical: false),
            ])
        let keys = InstanceKeys(
            rootCertificate: rootCertificate, intermediateCertificate: intermediateCertificate, intermediate: intermediate,
            ct: SoftwareSigner.generate(.ecdsaP256SHA256), logV1: SoftwareSigner.generate(.ecdsaP256SHA256), logV2: SoftwareSigner.generate(.ed25519),
            tsaRootCertificate: tsaRootCertificate, tsaCertificate: tsaCertificate, tsa: tsa, createdAt: Timestamp(seconds: Int64(start.timeIntervalSince1970)),
            treeID: Int64.random(in: 1...Int64.max))
        for (name, signer) in [
            ("root", root), ("intermediate", intermediate), ("ct", keys.ct), ("log-v1", keys.logV1), ("log-v2", keys.logV2), ("tsa-root", tsaRoot),
            ("tsa", tsa),
        ] {
            try files.write("\(name).sealed.json", try SealedKey.seal(signer, passphrase: passphrase, parameters: parameters))
        }
        for (name, certificate) in [
            ("root", rootCertificate), ("intermediate", intermediateCertificate), ("tsa-root", tsaRootCertificate), ("tsa", tsaCertificate),
        ] {
            try files.write("\(name).crt.pem", Array(PEM.encode(try certificate.derBytes(), label: "CERTIFICATE").utf8))
        }
        try files.write("tree-id", Array(String(keys.treeID).utf8))
        // Written last: its presence says the directory is complete.
        try files.write("created-at", Array(keys.createdAt.rfc3339.utf8))
        return keys
    }

    private static func load(_ files: KeyFiles, passphrase: [UInt8]) throws -> InstanceKeys {
        func signer(_ name: String) throws -> SoftwareSigner {
            do {
                return try SealedKey.open(try files.read("\(name).sealed.json"), passphrase: passphrase)
            } catch let error as SealedKey.OpenError {
                throw KeyError(reason: "cannot open the \(name) key in \(files.directory.path): \(error.reason)")
            }
        }
        let material = try InstancePublicMaterial(files)
        let keys = InstanceKeys(
            rootCertificate: material.rootCertificate, intermediateCertificate: material.intermediateCertificate, intermediate: try signer("intermediate"),
            ct: try signer("ct"), logV1: try signer("log-v1"), logV2: try signer("log-v2"),
            tsaRootCertificate: material.tsaRootCertificate, tsaCertificate: material.tsaCertificate, tsa: try signer("tsa"),
            createdAt: material.createdAt, treeID: material.treeID)
        guard keys.intermediateCertificate.subjectPublicKeyInfoDER == keys.intermediate.publicKeySPKI,
            keys.tsaCertificate.subjectPublicKeyInfoDER == keys.tsa.publicKeySPKI
        else {
            throw KeyError(reason: "the certificates in \(files.directory.path) do not certify its keys")
        }
        return keys
    }

    /// What the instance publishes, from the keys in memory.
    public var publicMaterial: InstancePublicMaterial {
        InstancePublicMaterial(
            rootCertificate: rootCertificate, intermediateCertificate: intermediateCertificate, tsaRootCertificate: tsaRootCertificate,
            tsaCertificate: tsaCertificate, ctKey: ct.publicKeySPKI, logV1Key: logV1.publicKeySPKI, logV2Key: logV2.publicKeySPKI,
            createdAt: createdAt, treeID: treeID)
    }

    static func caExtensions(_ subject: SoftwareSigner, _ issuer: SoftwareSigner, pathLength: Int?, codeSigning: Bool) throws -> [Certificate.Extension] {
        var extensions = [
            try Certificate.Extension(BasicConstraints.isCertificateAuthority(maxPathLength: pathLength), critical: true),
            try Certificate.Extension(KeyUsage(keyCertSign: true, cRLSign: true), critical: true),
            try Certificate.Extension(SubjectKeyIdentifier(hash: try Certificate.PublicKey(derEncoded: subject.publicKeySPKI)), critical: false),
            try Certificate.Extension(
                AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: try Certificate.PublicKey(derEncoded: issuer.publicKeySPKI)).keyIdentifier),
                critical: false),
        ]
        if codeSigning { extensions.append(try Certificate.Extension(ExtendedKeyUsage([.codeSigning]), critical: false)) }
        return extensions
    }

    static func certificate(
        subject: DistinguishedName, issuer: DistinguishedName, key: SoftwareSigner, issuerKey: SoftwareSigner, start: Date, end: Date,
        extensions: [Certificate.Extension]
    ) async throws -> Certificate {
        var serial = secureRandomBytes(20)
        serial[0] &= 0x7F
        let signingKey = try CertificateSigningKey(issuerKey)
        return try await Certificate(
            version: .v3, serialNumber: .init(bytes: serial), publicKey: try Certificate.PublicKey(derEncoded: key.publicKeySPKI),
            notValidBefore: start, notValidAfter: end, issuer: issuer, subject: subject, signatureAlgorithm: signingKey.defaultSignatureAlgorithm,
            extensions: try Certificate.Extensions(extensions), issuerAsyncPrivateKey: Certificate.PrivateKey(signingKey))
    }

}

/// What an instance publishes: its certificates and public keys, readable without the
/// passphrase (the sealed files carry their public key in the clear).
public struct InstancePublicMaterial: Sendable {
    public let rootCertificate: Certificate
    public let intermediateCertificate: Certificate
    public let tsaRootCertificate: Certificate
    public let tsaCertificate: Certificate
    /// DER SubjectPublicKeyInfo of the CT, Rekor v1 and Rekor v2 keys.
    public let ctKey: [UInt8]
    public let logV1Key: [UInt8]
    public let logV2Key: [UInt8]
    public let createdAt: Timestamp
    public let treeID: Int64

    init(
        rootCertificate: Certificate, intermediateCertificate: Certificate, tsaRootCertificate: Certificate, tsaCertificate: Certificate,
        ctKey: [UInt8], logV1Key: [UInt8], logV2Key: [UInt8], createdAt: Timestamp, treeID: Int64
    ) {
        self.rootCertificate = rootCertificate
        self.intermediateCertificate = intermediateCertificate
        self.tsaRootCertificate = tsaRootCertificate
        self.tsaCertificate = tsaCertificate
        self.ctKey = ctKey
        self.logV1Key = logV1Key
        self.logV2Key = logV2Key
        self.createdAt = createdAt
        self.treeID = treeID
    }

    /// Reads the public material of the key directory `directory`.
    public init(directory: URL) throws {
        try self.init(KeyFiles(directory: directory))
    }

    init(_ files: KeyFiles) throws {
        guard FileManager.default.fileExists(atPath: files.url("created-at").path) else {
            throw InstanceKeys.KeyError(reason: "\(files.directory.path) holds no Signet instance keys (start the server once to create them)")
        }
        func certificate(_ name: String) throws -> Certificate {
            let blocks = try PEM.decodeAll(String(decoding: try files.read("\(name).crt.pem"), as: UTF8.self), context: name)
            return try Certificate(derEncoded: blocks[0].der)
        }
        func publicKey(_ name: String) throws -> [UInt8] {
            guard case .object(let object) = try JSONParser(maxBytes: 64 << 10).parse(try files.read("\(name).sealed.json"), context: name),
                case .string(let text)? = object["publicKey"], let spki = Base64.decode(text)
            else {
                throw InstanceKeys.KeyError(reason: "\(files.url("\(name).sealed.json").path) names no public key")
            }
            return spki
        }
        guard let createdAt = Timestamp(rfc3339: String(decoding: try files.read("created-at"), as: UTF8.self)),
            let treeID = Int64(String(decoding: try files.read("tree-id"), as: UTF8.self)), treeID > 0
        else {
            throw InstanceKeys.KeyError(reason: "\(files.directory.path) has a malformed created-at or tree-id file")
        }
        rootCertificate = try certificate("root")
        intermediateCertificate = try certificate("intermediate")
        tsaRootCertificate = try certificate("tsa-root")
        tsaCertificate = try certificate("tsa")
        ctKey = try publicKey("ct")
        logV1Key = try publicKey("log-v1")
        logV2Key = try publicKey("log-v2")
        self.createdAt = createdAt
        self.treeID = treeID
    }
}

/// The files of a key directory: created owner-only, written atomically.
struct KeyFiles {
    let directory: URL

    func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    func prepareDirectory() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        let temporary = url(".\(name).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw InstanceKeys.KeyError(reason: "cannot write \(temporary.path)")
        }
        guard rename(temporary.path, url(name).path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw InstanceKeys.KeyError(reason: "cannot move \(name) into \(directory.path)")
        }
    }

    func read(_ name: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: url(name).path) else {
            throw InstanceKeys.KeyError(reason: "\(url(name).path) is missing or unreadable")
        }
        return Array(data)
    }
}
