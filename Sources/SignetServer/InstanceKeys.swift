import Foundation
import SignetCore
import SignetPKCS11
import SwiftASN1
import X509

/// The keys and certificates of one Signet instance: a root CA and the intermediate that issues
/// signing certificates, the CT key that signs SCTs, the Rekor v1 (ECDSA) and v2 (Ed25519) log
/// keys, and the TSA with its own root. The first start creates them: in a PKCS #11 token when
/// the instance has a key store (each key an object labelled `signet-<name>`, generated in the
/// token, sensitive and not extractable), else under `<data>/keys` sealed under the instance
/// passphrase (``SealedKey``). Certificates and public keys are written in the clear under
/// `<data>/keys`, each file atomically with owner-only permissions; a directory whose keys are
/// in a token records the token's URI (never its PIN) in `key-store`.
public struct InstanceKeys: Sendable {
    public let rootCertificate: Certificate
    public let intermediateCertificate: Certificate
    public let intermediate: any Signer
    public let ct: any Signer
    public let logV1: any Signer
    public let logV2: any Signer
    public let tsaRootCertificate: Certificate
    public let tsaCertificate: Certificate
    public let tsa: any Signer
    /// When the keys were created: the start of every validity in the trusted root.
    public let createdAt: Timestamp
    /// The Rekor v1 tree ID, in the v1 checkpoint origin and entry IDs.
    public let treeID: Int64

    /// Why the instance's keys could not be loaded or created.
    public struct KeyError: Error, CustomStringConvertible, Sendable {
        public var reason: String
        public var description: String { reason }
    }

    /// Where the private keys live.
    public enum Source: Sendable {
        /// Files under the key directory, sealed under this passphrase (scrypt parameters for new ones).
        case sealed(passphrase: [UInt8], parameters: SealedKey.Parameters = .standard)
        /// Objects of this PKCS #11 token.
        case token(PKCS11Token)
    }

    /// The name of the file recording the token of an instance whose keys are in one.
    static let keyStoreFile = "key-store"

    /// Loads the keys under `directory`, or creates them when it holds none.
    public static func loadOrCreate(
        directory: URL, source: Source, organization: String, timeSource: any TimeSource = SystemTimeSource()
    ) async throws -> InstanceKeys {
        let files = KeyFiles(directory: directory)
        if FileManager.default.fileExists(atPath: files.url("created-at").path) {
            return try load(files, source: source)
        }
        return try await create(files, source: source, organization: organization, now: timeSource.now())
    }

    /// The object label of an instance key in a token.
    static func label(_ name: String) -> String { "signet-\(name)" }

    private static func create(_ files: KeyFiles, source: Source, organization: String, now: Timestamp) async throws -> InstanceKeys {
        try files.prepareDirectory()
        func generate(_ name: String, _ algorithm: SigningAlgorithm) throws -> any Signer {
            let signer: any Signer
            switch source {
            case .sealed(let passphrase, let parameters):
                let software = SoftwareSigner.generate(algorithm)
                try files.write("\(name).sealed.json", try SealedKey.seal(software, passphrase: passphrase, parameters: parameters))
                signer = software
            case .token(let token):
                signer = try PKCS11Signer.generate(in: token, label: label(name), algorithm: algorithm)
                try files.write("\(name).pub.pem", Array(PEM.encode(signer.publicKeySPKI, label: "PUBLIC KEY").utf8))
            }
            return signer
        }
        let root = try generate("root", .ecdsaP384SHA384)
        let intermediate = try generate("intermediate", .ecdsaP256SHA256)
        let tsaRoot = try generate("tsa-root", .ecdsaP384SHA384)
        let tsa = try generate("tsa", .ecdsaP384SHA384)
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
            ct: try generate("ct", .ecdsaP256SHA256), logV1: try generate("log-v1", .ecdsaP256SHA256), logV2: try generate("log-v2", .ed25519),
            tsaRootCertificate: tsaRootCertificate, tsaCertificate: tsaCertificate, tsa: tsa, createdAt: Timestamp(seconds: Int64(start.timeIntervalSince1970)),
            treeID: Int64.random(in: 1...Int64.max))
        if case .token(let token) = source {
            var recorded = token.uri
            recorded.pinValue = nil
            try files.write(keyStoreFile, Array(recorded.description.utf8))
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

    private static func load(_ files: KeyFiles, source: Source) throws -> InstanceKeys {
        let inToken = FileManager.default.fileExists(atPath: files.url(keyStoreFile).path)
        let material = try InstancePublicMaterial(files)
        func signer(_ name: String) throws -> any Signer {
            switch source {
            case .sealed(let passphrase, _):
                guard !inToken else {
                    let uri = String(decoding: (try? files.read(keyStoreFile)) ?? [], as: UTF8.self)
                    throw KeyError(reason: "the keys of \(files.directory.path) are in the PKCS #11 token \(uri); give it as the key store (--key-store)")
                }
                do {
                    return try SealedKey.open(try files.read("\(name).sealed.json"), passphrase: passphrase)
                } catch let error as SealedKey.OpenError {
                    throw KeyError(reason: "cannot open the \(name) key in \(files.directory.path): \(error.reason)")
                }
            case .token(let token):
                guard inToken else {
                    throw KeyError(reason: "the keys of \(files.directory.path) are sealed files, not in the key store \(token.uri); start without --key-store")
                }
                let signer = try PKCS11Signer(token: token, key: token.uri.naming(object: label(name)))
                guard signer.publicKeySPKI == (try material.publicKey(name)) else {
                    throw KeyError(reason: "the key \(label(name)) in \(token.uri) is not the \(name) key of \(files.directory.path)")
                }
                return signer
            }
        }
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

    static func caExtensions(_ subject: any Signer, _ issuer: any Signer, pathLength: Int?, codeSigning: Bool) throws -> [Certificate.Extension] {
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
        subject: DistinguishedName, issuer: DistinguishedName, key: any Signer, issuerKey: any Signer, start: Date, end: Date,
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
    private let files: KeyFiles?

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
        self.files = nil
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
        guard let createdAt = Timestamp(rfc3339: String(decoding: try files.read("created-at"), as: UTF8.self)),
            let treeID = Int64(String(decoding: try files.read("tree-id"), as: UTF8.self)), treeID > 0
        else {
            throw InstanceKeys.KeyError(reason: "\(files.directory.path) has a malformed created-at or tree-id file")
        }
        rootCertificate = try certificate("root")
        intermediateCertificate = try certificate("intermediate")
        tsaRootCertificate = try certificate("tsa-root")
        tsaCertificate = try certificate("tsa")
        ctKey = try Self.publicKey("ct", in: files)
        logV1Key = try Self.publicKey("log-v1", in: files)
        logV2Key = try Self.publicKey("log-v2", in: files)
        self.createdAt = createdAt
        self.treeID = treeID
        self.files = files
    }

    /// The recorded public key (DER SPKI) of the instance key `name`.
    func publicKey(_ name: String) throws -> [UInt8] {
        guard let files else { throw InstanceKeys.KeyError(reason: "no key directory to read the \(name) public key from") }
        return try Self.publicKey(name, in: files)
    }

    /// A key's public half: in the clear in its sealed file, or in `<name>.pub.pem` for a key in a token.
    private static func publicKey(_ name: String, in files: KeyFiles) throws -> [UInt8] {
        if FileManager.default.fileExists(atPath: files.url("\(name).pub.pem").path) {
            guard let block = try PEM.decodeAll(String(decoding: try files.read("\(name).pub.pem"), as: UTF8.self), context: name).first,
                block.label == "PUBLIC KEY"
            else {
                throw InstanceKeys.KeyError(reason: "\(files.url("\(name).pub.pem").path) holds no PUBLIC KEY")
            }
            return block.der
        }
        guard case .object(let object) = try JSONParser(maxBytes: 64 << 10).parse(try files.read("\(name).sealed.json"), context: name),
            case .string(let text)? = object["publicKey"], let spki = Base64.decode(text)
        else {
            throw InstanceKeys.KeyError(reason: "\(files.url("\(name).sealed.json").path) names no public key")
        }
        return spki
    }
}

/// The files of a key directory: created owner-only, written atomically.
struct KeyFiles: Sendable {
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
