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
    /// What the instance publishes: every CA and TSA generation with its window included.
    public let publicMaterial: InstancePublicMaterial

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

    /// A new key `name`: sealed into the key directory, or generated in the token (its public
    /// key written beside the certificates).
    private static func generateKey(_ name: String, _ algorithm: SigningAlgorithm, files: KeyFiles, source: Source) throws -> any Signer {
        switch source {
        case .sealed(let passphrase, let parameters):
            let software = SoftwareSigner.generate(algorithm)
            try files.write("\(name).sealed.json", try SealedKey.seal(software, passphrase: passphrase, parameters: parameters))
            return software
        case .token(let token):
            let signer = try PKCS11Signer.generate(in: token, label: label(name), algorithm: algorithm)
            try files.write("\(name).pub.pem", Array(PEM.encode(signer.publicKeySPKI, label: "PUBLIC KEY").utf8))
            return signer
        }
    }

    /// The existing key `name`, opened from where `source` keeps it and checked against the
    /// public key the directory records.
    private static func openKey(_ name: String, files: KeyFiles, source: Source, material: InstancePublicMaterial) throws -> any Signer {
        let inToken = FileManager.default.fileExists(atPath: files.url(keyStoreFile).path)
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

    private static func create(_ files: KeyFiles, source: Source, organization: String, now: Timestamp) async throws -> InstanceKeys {
        try files.prepareDirectory()
        func generate(_ name: String, _ algorithm: SigningAlgorithm) throws -> any Signer {
            try generateKey(name, algorithm, files: files, source: source)
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
        let ct = try generate("ct", .ecdsaP256SHA256)
        let logV1 = try generate("log-v1", .ecdsaP256SHA256)
        let logV2 = try generate("log-v2", .ed25519)
        let createdAt = Timestamp(seconds: Int64(start.timeIntervalSince1970))
        let treeID = Int64.random(in: 1...Int64.max)
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
        try files.write("tree-id", Array(String(treeID).utf8))
        // Written last: its presence says the directory is complete.
        try files.write("created-at", Array(createdAt.rfc3339.utf8))
        return InstanceKeys(
            rootCertificate: rootCertificate, intermediateCertificate: intermediateCertificate, intermediate: intermediate, ct: ct, logV1: logV1,
            logV2: logV2, tsaRootCertificate: tsaRootCertificate, tsaCertificate: tsaCertificate, tsa: tsa, createdAt: createdAt, treeID: treeID,
            publicMaterial: try InstancePublicMaterial(files))
    }

    private static func load(_ files: KeyFiles, source: Source) throws -> InstanceKeys {
        let material = try InstancePublicMaterial(files)
        func signer(_ name: String) throws -> any Signer { try openKey(name, files: files, source: source, material: material) }
        let keys = InstanceKeys(
            rootCertificate: material.rootCertificate, intermediateCertificate: material.intermediateCertificate,
            intermediate: try signer(Generations.name("intermediate", generation: material.certificateAuthorities.count)), ct: try signer("ct"),
            logV1: try signer("log-v1"), logV2: try signer("log-v2"), tsaRootCertificate: material.tsaRootCertificate,
            tsaCertificate: material.tsaCertificate, tsa: try signer(Generations.name("tsa", generation: material.timestampAuthorities.count)),
            createdAt: material.createdAt, treeID: material.treeID, publicMaterial: material)
        guard keys.intermediateCertificate.subjectPublicKeyInfoDER == keys.intermediate.publicKeySPKI,
            keys.tsaCertificate.subjectPublicKeyInfoDER == keys.tsa.publicKeySPKI
        else {
            throw KeyError(reason: "the certificates in \(files.directory.path) do not certify its keys")
        }
        return keys
    }

    /// Which key a rotation replaces.
    public enum Rotation: String, Sendable, CaseIterable {
        /// The intermediate that issues signing certificates (under the same root).
        case ca
        /// The TSA's signing key (under the same TSA root).
        case tsa
    }

    /// Rotates the CA's intermediate or the TSA's key: a new key (sealed, or generated in the
    /// token) and its certificate under the same root, counted from `now`; the key it replaces
    /// counts until `now + overlapSeconds`, so servers still signing with it until they restart
    /// stay valid, and every bundle made before keeps verifying with the trusted root, which
    /// lists each generation with its window. Servers sign with the new key once restarted.
    public static func rotate(
        _ rotation: Rotation, directory: URL, source: Source, overlapSeconds: Int64, now: Timestamp
    ) async throws -> InstancePublicMaterial {
        // Under the data directory's start lock: two rotations at once, or a rotation while a
        // replica creates the keys, would write one generation twice.
        let lock = try StartLock(directory: directory.deletingLastPathComponent())
        defer { lock.release() }
        let files = KeyFiles(directory: directory)
        let material = try InstancePublicMaterial(files)
        let base = rotation == .ca ? "intermediate" : "tsa"
        let issuerName = rotation == .ca ? "root" : "tsa-root"
        let issuerCertificate = rotation == .ca ? material.rootCertificate : material.tsaRootCertificate
        var generations = rotation == .ca ? material.certificateAuthorities : material.timestampAuthorities
        let issuerKey = try openKey(issuerName, files: files, source: source, material: material)
        let generation = generations.count + 1
        let name = Generations.name(base, generation: generation)
        let key = try generateKey(name, rotation == .ca ? .ecdsaP256SHA256 : .ecdsaP384SHA384, files: files, source: source)
        // The name the previous generation had, with its common name numbered.
        let previous = generations.last?.certificate.subject ?? issuerCertificate.subject
        let subject = DistinguishedName(
            previous.filter { !$0.contains { $0.type == .RDNAttributeType.commonName } }
                + [
                    RelativeDistinguishedName(
                        .init(
                            type: .RDNAttributeType.commonName,
                            utf8String: rotation == .ca ? "Signet Intermediate CA \(generation)" : "Signet TSA \(generation)"))
                ])
        let start = now.date.addingTimeInterval(-300)
        let extensions: [Certificate.Extension] =
            rotation == .ca
            ? try caExtensions(key, issuerKey, pathLength: 0, codeSigning: true)
            : [
                try Certificate.Extension(KeyUsage(digitalSignature: true), critical: true),
                try Certificate.Extension(ExtendedKeyUsage([.timeStamping]), critical: true),
                try Certificate.Extension(SubjectKeyIdentifier(hash: try Certificate.PublicKey(derEncoded: key.publicKeySPKI)), critical: false),
                try Certificate.Extension(
                    AuthorityKeyIdentifier(
                        keyIdentifier: SubjectKeyIdentifier(hash: try Certificate.PublicKey(derEncoded: issuerKey.publicKeySPKI)).keyIdentifier),
                    critical: false),
            ]
        let issued = try await certificate(
            subject: subject, issuer: issuerCertificate.subject, key: key, issuerKey: issuerKey, start: start, end: issuerCertificate.notValidAfter,
            extensions: extensions)
        try files.write("\(name).crt.pem", Array(PEM.encode(try issued.derBytes(), label: "CERTIFICATE").utf8))
        let overlapEnd = Timestamp(seconds: now.seconds + overlapSeconds)
        if let last = generations.indices.last, generations[last].validFor.end.map({ $0 > overlapEnd }) ?? true {
            generations[last] = KeyGeneration(
                certificate: generations[last].certificate, validFor: TimeRange(start: generations[last].validFor.start, end: overlapEnd))
        }
        generations.append(KeyGeneration(certificate: issued, validFor: TimeRange(start: now)))
        var windows = try Generations.read(files, createdAt: material.createdAt)
        windows[rotation] = generations.map(\.validFor)
        // Written last: the new generation counts once its windows are recorded.
        try Generations.write(windows, to: files)
        return try InstancePublicMaterial(files)
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

/// One certificate of a key that rotates (the CA's intermediate, the TSA's key) and the window
/// in which what it signed counts.
public struct KeyGeneration: Sendable, Hashable {
    public let certificate: Certificate
    public let validFor: TimeRange
}

/// What an instance publishes: its certificates and public keys, readable without the
/// passphrase (the sealed files carry their public key in the clear).
public struct InstancePublicMaterial: Sendable {
    public let rootCertificate: Certificate
    /// The current intermediate (the last of ``certificateAuthorities``).
    public let intermediateCertificate: Certificate
    public let tsaRootCertificate: Certificate
    /// The current TSA certificate (the last of ``timestampAuthorities``).
    public let tsaCertificate: Certificate
    /// Every intermediate the CA has had, oldest first, each with its window.
    public let certificateAuthorities: [KeyGeneration]
    /// Every TSA certificate, oldest first, each with its window.
    public let timestampAuthorities: [KeyGeneration]
    /// DER SubjectPublicKeyInfo of the CT, Rekor v1 and Rekor v2 keys.
    public let ctKey: [UInt8]
    public let logV1Key: [UInt8]
    public let logV2Key: [UInt8]
    public let createdAt: Timestamp
    public let treeID: Int64
    private let files: KeyFiles

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
        tsaRootCertificate = try certificate("tsa-root")
        let windows = try Generations.read(files, createdAt: createdAt)
        func generations(_ base: String, _ rotation: InstanceKeys.Rotation) throws -> [KeyGeneration] {
            try (windows[rotation] ?? []).enumerated().map { index, window in
                KeyGeneration(certificate: try certificate(Generations.name(base, generation: index + 1)), validFor: window)
            }
        }
        certificateAuthorities = try generations("intermediate", .ca)
        timestampAuthorities = try generations("tsa", .tsa)
        guard let intermediate = certificateAuthorities.last?.certificate, let tsa = timestampAuthorities.last?.certificate else {
            throw InstanceKeys.KeyError(reason: "\(files.directory.path) records no CA or TSA generation")
        }
        intermediateCertificate = intermediate
        tsaCertificate = tsa
        ctKey = try Self.publicKey("ct", in: files)
        logV1Key = try Self.publicKey("log-v1", in: files)
        logV2Key = try Self.publicKey("log-v2", in: files)
        self.createdAt = createdAt
        self.treeID = treeID
        self.files = files
    }

    /// The recorded public key (DER SPKI) of the instance key `name`.
    func publicKey(_ name: String) throws -> [UInt8] {
        try Self.publicKey(name, in: files)
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

/// The generations of the keys that rotate, in `rotations.json`: for the CA and the TSA, each
/// generation's window (`{"ca": [{"start": …, "end": …}], "tsa": […]}`). Generation 1 is the
/// key the first start made (`intermediate`, `tsa`); generation n > 1 is `intermediate-n`,
/// `tsa-n`. Without the file, each has one generation, valid from the keys' creation.
enum Generations {
    static let file = "rotations.json"

    static func name(_ base: String, generation: Int) -> String {
        generation <= 1 ? base : "\(base)-\(generation)"
    }

    static func read(_ files: KeyFiles, createdAt: Timestamp) throws -> [InstanceKeys.Rotation: [TimeRange]] {
        var windows: [InstanceKeys.Rotation: [TimeRange]] = [.ca: [TimeRange(start: createdAt)], .tsa: [TimeRange(start: createdAt)]]
        guard FileManager.default.fileExists(atPath: files.url(file).path) else { return windows }
        var object = try ProtoJSONObject(try JSONParser(maxBytes: 1 << 20, maxDepth: 8).parse(try files.read(file), context: file), path: file)
        for rotation in InstanceKeys.Rotation.allCases {
            var ranges: [TimeRange] = []
            for (element, path) in try object.array(rotation.rawValue) {
                var range = try ProtoJSONObject(element, path: path)
                guard let start = Timestamp(rfc3339: try range.requiredString("start")) else {
                    throw InstanceKeys.KeyError(reason: "\(path).start: expected an RFC 3339 time")
                }
                let end = try range.string("end").map { text throws -> Timestamp in
                    guard let time = Timestamp(rfc3339: text) else { throw InstanceKeys.KeyError(reason: "\(path).end: expected an RFC 3339 time") }
                    return time
                }
                try range.finish()
                ranges.append(TimeRange(start: start, end: end))
            }
            guard !ranges.isEmpty else { throw InstanceKeys.KeyError(reason: "\(file): expected at least one \(rotation.rawValue) generation") }
            windows[rotation] = ranges
        }
        try object.finish()
        return windows
    }

    static func write(_ windows: [InstanceKeys.Rotation: [TimeRange]], to files: KeyFiles) throws {
        let object = JSONObject(
            InstanceKeys.Rotation.allCases.map { rotation in
                (
                    rotation.rawValue,
                    JSONValue.array(
                        (windows[rotation] ?? []).map { range in
                            var members: [(String, JSONValue)] = [("start", .string((range.start ?? Timestamp(seconds: 0)).rfc3339))]
                            if let end = range.end { members.append(("end", .string(end.rfc3339))) }
                            return .object(JSONObject(members))
                        })
                )
            })
        try files.write(file, JSONValue.object(object).compactBytes())
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
