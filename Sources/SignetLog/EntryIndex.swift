import SignetCore
import X509

/// The search keys of an entry, for Rekor v1's `POST /api/v1/index/retrieve`
/// (sigstore/rekor `pkg/api/index.go`): the artifact digest (`sha256:<hex>`), the SHA-256 of
/// the signing key or certificate (`key:sha256:<hex>` over its DER), and the lowercased email
/// or URI names of a certificate (`identity:<name>`). ``EntryAdmission`` collects them while
/// it reads an entry, so the verifier is parsed once.
public struct EntryIndex: Sendable {
    private var keys: Set<String> = []
    /// Every verifier the entry's signatures were checked with, in order.
    private(set) var verifiers: [AdmittedEntry.Verifier] = []

    public init() {}

    /// The key of a digest an entry signs: `sha256:<hex>`.
    public static func digestKey(_ value: [UInt8], algorithm: HashAlgorithm) -> String {
        "\(algorithm.rekorName):\(Hex.encode(value))"
    }

    /// The key of a verifier (a key's SPKI or a certificate): `key:sha256:<hex>` over its DER.
    public static func verifierKey(der: [UInt8]) -> String {
        "key:sha256:\(Hex.encode(sha256(der)))"
    }

    /// The key of a certificate's email or URI name: `identity:<lowercased name>`.
    public static func identityKey(_ name: String) -> String {
        "identity:\(name.lowercased())"
    }

    /// Adds the key of a digest the entry signs.
    public mutating func add(digest value: [UInt8], algorithm: HashAlgorithm) {
        keys.insert(Self.digestKey(value, algorithm: algorithm))
    }

    /// Adds the keys of a verifier: its DER, and, for a certificate, its email and URI names.
    public mutating func add(verifierDER der: [UInt8], certificate: Certificate?) {
        keys.insert(Self.verifierKey(der: der))
        verifiers.append(AdmittedEntry.Verifier(der: der, certificate: certificate))
        guard let names = try? certificate?.extensions.subjectAlternativeNames else { return }
        for name in names {
            switch name {
            case .rfc822Name(let email): keys.insert(Self.identityKey(email))
            case .uniformResourceIdentifier(let uri): keys.insert(Self.identityKey(uri))
            default: break
            }
        }
    }

    /// The keys, sorted.
    public var sortedKeys: [String] { keys.sorted() }
}

/// An entry the log may append: its canonical body, the keys search finds it under, and the
/// verifiers its signatures were checked with.
public struct AdmittedEntry: Sendable {
    /// A key (its SPKI) or a certificate a signature of the entry verified with.
    public struct Verifier: Sendable {
        /// The SPKI, or the certificate's DER.
        public let der: [UInt8]
        public let certificate: Certificate?
    }

    public let body: RekorEntryBody
    public let indexKeys: [String]
    public let verifiers: [Verifier]

    public init(body: RekorEntryBody, index: EntryIndex) {
        self.body = body
        self.indexKeys = index.sortedKeys
        self.verifiers = index.verifiers
    }
}
