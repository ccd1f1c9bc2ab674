import SignetCore

/// A signature registered under an artifact's digest-pinned name: who signed, from which
/// source and build (the certificate's Fulcio extensions), where it is in the transparency
/// log, and the bundle that proves it.
public struct SignatureRecord: Sendable, Hashable {
    /// The signature's log entry UUID (hex RFC 6962 leaf hash): unique per signature and the
    /// link to the log.
    public var id: String
    public var namespace: String
    public var name: ArtifactName
    /// The certificate's SAN (email or URI).
    public var identity: String
    /// The OIDC issuer the certificate names.
    public var issuer: String
    /// The certificate's provenance extensions.
    public var provenance: [FulcioExtension: String]
    public var logIndex: Int64
    /// The verified signing time (the log's or the TSA's).
    public var signedAt: Timestamp
    /// Lowercase hex of the certificate's serial number.
    public var certificateSerial: String
    /// The Sigstore bundle (JSON) the signature was registered with.
    public var bundle: [UInt8]
    /// The revocation that covers this signature, if one does.
    public var revocation: RevocationRecord?

    public init(id: String, namespace: String, name: ArtifactName, identity: String, issuer: String, provenance: [FulcioExtension: String],
                logIndex: Int64, signedAt: Timestamp, certificateSerial: String, bundle: [UInt8], revocation: RevocationRecord? = nil) {
        self.id = id
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.issuer = issuer
        self.provenance = provenance
        self.logIndex = logIndex
        self.signedAt = signedAt
        self.certificateSerial = certificateSerial
        self.bundle = bundle
        self.revocation = revocation
    }

    /// The source repository (`sourceRepositoryURI`), if the certificate names one.
    public var sourceRepository: String? { provenance[.sourceRepositoryURI] }
    /// The source ref (`sourceRepositoryRef`), if the certificate names one.
    public var sourceRepositoryRef: String? { provenance[.sourceRepositoryRef] }
}

/// A revocation of every signature of one artifact name made from one source ref: who
/// revoked, when and why, and where the revocation itself is in the transparency log.
public struct RevocationRecord: Sendable, Hashable {
    public var id: String
    public var namespace: String
    public var name: ArtifactName
    public var sourceRepositoryRef: String
    public var reason: String
    /// Who revoked (an identity or an API key's service identity).
    public var actor: String
    public var time: Timestamp
    /// The revocation's own log entry, once appended.
    public var logIndex: Int64?
    /// The statement the server signed and logged (``RevocationStatement`` JSON).
    public var statement: [UInt8]?
    /// The Sigstore bundle of the statement's log entry: a message signature over the
    /// statement's SHA-256 digest.
    public var bundle: [UInt8]?

    public init(id: String, namespace: String, name: ArtifactName, sourceRepositoryRef: String, reason: String, actor: String, time: Timestamp, logIndex: Int64?,
                statement: [UInt8]? = nil, bundle: [UInt8]? = nil) {
        self.id = id
        self.namespace = namespace
        self.name = name
        self.sourceRepositoryRef = sourceRepositoryRef
        self.reason = reason
        self.actor = actor
        self.time = time
        self.logIndex = logIndex
        self.statement = statement
        self.bundle = bundle
    }
}

/// What a caller may do in a namespace.
public enum AccessScope: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Register signatures.
    case sign
    /// Verify by name through the API.
    case verify
    /// Revoke signatures.
    case revoke
    /// Manage the namespace's API keys.
    case admin

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// An API key, for pipelines without OIDC: only the SHA-256 of its secret is kept. The CA
/// certifies its holder as the key's service identity, under the server's own URL as issuer.
public struct APIKeyRecord: Sendable, Hashable {
    /// The public half of the key (`signet_<id>_<secret>`): 16 lowercase hex digits.
    public var id: String
    public var namespace: String
    public var scopes: Set<AccessScope>
    /// SHA-256 of the secret half.
    public var secretHash: [UInt8]
    public var description: String
    /// Who created it.
    public var createdBy: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp?
    public var revokedAt: Timestamp?

    public init(id: String, namespace: String, scopes: Set<AccessScope>, secretHash: [UInt8], description: String, createdBy: String,
                createdAt: Timestamp, expiresAt: Timestamp?, revokedAt: Timestamp? = nil) {
        self.id = id
        self.namespace = namespace
        self.scopes = scopes
        self.secretHash = secretHash
        self.description = description
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// Which signatures a listing wants; every set member narrows it.
public struct SignatureFilter: Sendable, Hashable {
    /// Revoked or not.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case active, revoked
    }

    public var namespace: String?
    public var sourceRepository: String?
    public var sourceRepositoryRef: String?
    /// The name's repository part (`host/path`), or a prefix of it ending in `/`.
    public var repositoryPrefix: String?
    public var since: Timestamp?
    public var status: Status?

    public init(namespace: String? = nil, sourceRepository: String? = nil, sourceRepositoryRef: String? = nil, repositoryPrefix: String? = nil,
                since: Timestamp? = nil, status: Status? = nil) {
        self.namespace = namespace
        self.sourceRepository = sourceRepository
        self.sourceRepositoryRef = sourceRepositoryRef
        self.repositoryPrefix = repositoryPrefix
        self.since = since
        self.status = status
    }
}
