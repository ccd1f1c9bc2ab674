import SignetCore
import X509

/// The search keys of an entry, for Rekor v1's `POST /api/v1/index/retrieve`
/// (sigstore/rekor `pkg/api/index.go`): the artifact digest (`sha256:<hex>`), the SHA-256 of
/// the signing key or certificate (`key:sha256:<hex>` over its DER), and the lowercased email
/// or URI names of a certificate (`identity:<name>`). ``EntryAdmission`` collects them while
/// it reads an entry, so the verifier is parsed once.
public struct EntryIndex: Sendable {
    private var keys: Set<String> = []

    public init() {}

    /// Adds the key of a digest the entry signs.
    public mutating func add(digest value: [UInt8], algorithm: HashAlgorithm) {
        keys.insert("\(algorithm.rekorName):\(Hex.encode(value))")
    }

    /// Adds the keys of a verifier: its DER, and, for a certificate, its email and URI names.
    public mutating func add(verifierDER der: [UInt8], certificate: Certificate?) {
        keys.insert("key:sha256:\(Hex.encode(sha256(der)))")
        guard let names = try? certificate?.extensions.subjectAlternativeNames else { return }
        for name in names {
            switch name {
            case .rfc822Name(let email): keys.insert("identity:\(email.lowercased())")
            case .uniformResourceIdentifier(let uri): keys.insert("identity:\(uri.lowercased())")
            default: break
            }
        }
    }

    /// The keys, sorted.
    public var sortedKeys: [String] { keys.sorted() }
}

/// An entry the log may append: its canonical body and the keys search finds it under.
public struct AdmittedEntry: Sendable {
    public let body: RekorEntryBody
    public let indexKeys: [String]

    public init(body: RekorEntryBody, index: EntryIndex) {
        self.body = body
        self.indexKeys = index.sortedKeys
    }
}
