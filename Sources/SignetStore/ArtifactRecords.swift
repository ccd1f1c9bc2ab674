import SignetCore

/// A signature registered under an artifact's digest-pinned name: who signed, from which
/// source and build (the certificate's Fulcio extensions), where it is in the transparency
/// log, and the bundle that proves it. An attestation is a signature too: of an in-toto
/// statement about the name's digest, with its ``Attestation`` facts.
public struct SignatureRecord: Sendable, Hashable {
    /// What makes a signature an attestation: the statement's predicate type, and where the
    /// store keeps its DSSE payload. The payload (the statement, predicate included, up to
    /// tens of MiB) is stored once under its SHA-256 beside the signature, and the stored
    /// bundle carries the envelope without it (``SignatureRecord/bundle``); the log entry
    /// holds only digests.
    public struct Attestation: Sendable, Hashable {
        /// The statement's `predicateType` URI.
        public var predicateType: String
        /// Lowercase hex SHA-256 of the DSSE payload.
        public var payloadDigest: String

        public init(predicateType: String, payloadDigest: String) {
            self.predicateType = predicateType
            self.payloadDigest = payloadDigest
        }
    }

    /// The signature's log entry UUID (hex RFC 6962 leaf hash): unique per signature and the
    /// link to the log.
    public var id: String
    public var namespace: String
    public var name: ArtifactName
    /// The certificate's SAN (email or URI).
    public var identity: String
    /// The OIDC issuer the certificate names.
    public var issuer: String
    /// The certificate's provenance extensions: what the identity provider's token attested.
    public var provenance: [FulcioExtension: String]
    /// Provenance the signer stated at registration where the token attested none (an API
    /// key's pipeline, a token without CI claims): the signer's word, recorded with its
    /// credential and never written into a certificate, so no verifier can take it for
    /// attested provenance. It never contradicts ``provenance``.
    public var statedProvenance: [FulcioExtension: String]
    public var logIndex: Int64
    /// The verified signing time (the log's or the TSA's).
    public var signedAt: Timestamp
    /// Lowercase hex of the certificate's serial number.
    public var certificateSerial: String
    /// The Sigstore bundle (JSON) the signature was registered with; an attestation's without
    /// its envelope's payload (see ``Attestation``).
    public var bundle: [UInt8]
    /// The revocation that covers this signature, if one does.
    public var revocation: RevocationStatement?
    /// Set when the signature is an attestation.
    public var attestation: Attestation?

    public init(
        id: String, namespace: String, name: ArtifactName, identity: String, issuer: String, provenance: [FulcioExtension: String],
        statedProvenance: [FulcioExtension: String] = [:], logIndex: Int64, signedAt: Timestamp, certificateSerial: String, bundle: [UInt8],
        revocation: RevocationStatement? = nil, attestation: Attestation? = nil
    ) {
        self.id = id
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.issuer = issuer
        self.provenance = provenance
        self.statedProvenance = statedProvenance
        self.logIndex = logIndex
        self.signedAt = signedAt
        self.certificateSerial = certificateSerial
        self.bundle = bundle
        self.revocation = revocation
        self.attestation = attestation
    }

    /// The source repository (`sourceRepositoryURI`): attested, else stated.
    public var sourceRepository: String? { provenance[.sourceRepositoryURI] ?? statedProvenance[.sourceRepositoryURI] }
    /// The source ref (`sourceRepositoryRef`) the signature was made from: attested, else
    /// stated. Revocations and traces go by it, so a stated ref is revoked like an attested
    /// one (failing closed).
    public var sourceRepositoryRef: String? { provenance[.sourceRepositoryRef] ?? statedProvenance[.sourceRepositoryRef] }
}

/// A registration refused because its name already belongs to another namespace: the store
/// checks it in the registration's own transaction, so two concurrent first registrations of
/// one name can never put it into two namespaces.
public struct NamespaceConflict: Error, Sendable, Hashable {
    public var name: ArtifactName
    /// The namespace the name belongs to.
    public var owner: String
    /// The namespace the registration asked for.
    public var requested: String

    public init(name: ArtifactName, owner: String, requested: String) {
        self.name = name
        self.owner = owner
        self.requested = requested
    }
}

/// A stored revocation: the statement (who revoked which name's signatures from which ref,
/// when and why, and where the statement is in the log), the exact bytes the server signed,
/// and the Sigstore bundle of that signature's log entry.
public struct RevocationRecord: Sendable, Hashable {
    public var statement: RevocationStatement
    /// The statement's JSON exactly as signed and logged.
    public var signedStatement: [UInt8]?
    /// The Sigstore bundle of the statement's log entry: a message signature over the SHA-256
    /// digest of ``signedStatement``.
    public var bundle: [UInt8]?

    public init(_ statement: RevocationStatement, signedStatement: [UInt8]? = nil, bundle: [UInt8]? = nil) {
        self.statement = statement
        self.signedStatement = signedStatement
        self.bundle = bundle
    }
}

/// What a caller may do in a namespace.
public enum AccessScope: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Register signatures.
    case sign
    /// Verify by name through the API and ask the deploy gate; implies ``read``.
    case verify
    /// Read signatures, attestations, revocations and traces.
    case read
    /// Revoke signatures.
    case revoke
    /// Manage the namespace's API keys and policies.
    case admin
    /// Read the namespace's audit trail.
    case audit

    public static func < (lhs: Self, rhs: Self) -> Bool {
        // Both are cases of allCases, so both indexes exist.
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
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

    public init(
        id: String, namespace: String, scopes: Set<AccessScope>, secretHash: [UInt8], description: String, createdBy: String,
        createdAt: Timestamp, expiresAt: Timestamp?, revokedAt: Timestamp? = nil
    ) {
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

    /// Only signatures in these namespaces (none when empty); every namespace when nil.
    public var namespaces: [String]?
    public var sourceRepository: String?
    public var sourceRepositoryRef: String?
    /// The signer's identity (the certificate's SAN), exactly.
    public var identity: String?
    /// The name's repository part (`host/path`), or a prefix of it ending in `/`.
    public var repositoryPrefix: String?
    public var since: Timestamp?
    public var status: Status?

    public init(
        namespaces: [String]? = nil, sourceRepository: String? = nil, sourceRepositoryRef: String? = nil, repositoryPrefix: String? = nil,
        since: Timestamp? = nil, status: Status? = nil
    ) {
        self.namespaces = namespaces
        self.sourceRepository = sourceRepository
        self.sourceRepositoryRef = sourceRepositoryRef
        self.repositoryPrefix = repositoryPrefix
        self.since = since
        self.status = status
    }
}

/// What the gate's decision on one name depends on in a store: the evidence epoch, moved by
/// every revocation and policy change, and the count of the name's signatures and
/// attestations (which are never deleted). Equal stamps mean equal evidence.
public struct EvidenceStamp: Sendable, Hashable {
    /// The longest reading a stamp may take before the store throws: the gate reads it on
    /// every decision, before its own deadline starts on a decision it must make anew.
    public static let readDeadlineSeconds = 2

    public var epoch: Int64
    public var signatures: Int64

    public init(epoch: Int64, signatures: Int64) {
        self.epoch = epoch
        self.signatures = signatures
    }
}
