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

    public init(id: String, namespace: String, name: ArtifactName, sourceRepositoryRef: String, reason: String, actor: String, time: Timestamp, logIndex: Int64?) {
        self.id = id
        self.namespace = namespace
        self.name = name
        self.sourceRepositoryRef = sourceRepositoryRef
        self.reason = reason
        self.actor = actor
        self.time = time
        self.logIndex = logIndex
    }
}
