import SignetCore
import SignetLog

/// Everything Signet persists, behind one protocol so the services and the server never depend
/// on a database: SQLite (``SignetSQLite``) is the embedded default, and a PostgreSQL store
/// implements the same contract. The log's part is SignetLog's ``LogStorage``. Every method
/// that writes commits before it returns, so a caller may acknowledge what it wrote; every
/// method is async, so no caller holds a thread while the database works.
public protocol Store: LogStorage, RecordStore, ArtifactStore, APIKeyStore, PolicyStore, WebSessionStore, DeploymentStore {}

/// The CA's issued certificates and the audit trail.
public protocol RecordStore: Sendable {
    /// Records issued certificates, each with the audit event that describes it, in one
    /// transaction: all or nothing.
    func record(_ certificates: [(certificate: IssuedCertificate, event: AuditEvent)]) async throws
    /// Appends audit events, in one transaction.
    func record(events: [AuditEvent]) async throws
    /// The certificates issued to `identity`, newest first.
    func certificates(identity: String, limit: Int) async throws -> [IssuedCertificate]
    /// The certificate with `serial` (lowercase hex), if issued.
    func certificate(serial: String) async throws -> IssuedCertificate?
    /// Audit events from `since`, oldest first: every event when `namespaces` is nil, else
    /// only those of the listed namespaces (never an instance-wide one).
    func auditEvents(since: Timestamp, namespaces: [String]?, limit: Int) async throws -> [AuditEvent]
    /// The latest audit events, newest first, selected by `namespaces` as above.
    func latestAuditEvents(namespaces: [String]?, limit: Int) async throws -> [AuditEvent]
}

/// Signatures registered under artifact names, and their revocations. Reads by name and by
/// source ref are the deploy gate's and the security team's hot paths: both are indexed.
public protocol ArtifactStore: Sendable {
    /// Registers a signature with the audit event that describes it, in one transaction. A
    /// signature already registered (same id) is not written again; the stored one is
    /// returned. Throws ``NamespaceConflict`` when the name already belongs to another
    /// namespace (checked in the same transaction). The stored signature carries the
    /// revocation that covers it, if one already does. An attestation comes with its DSSE
    /// payload, whose SHA-256 its ``SignatureRecord/Attestation/payloadDigest`` names: the
    /// payload is stored once under that digest, in the same transaction.
    func register(_ signature: SignatureRecord, attestationPayload: [UInt8]?, event: AuditEvent) async throws -> SignatureRecord
    /// The attestation payload stored under `digest` (lowercase hex SHA-256), if any.
    func attestationPayload(digest: String) async throws -> [UInt8]?
    /// Registers many signatures already verified (an import), each with its audit event, in
    /// one transaction; ids already registered are skipped.
    func register(batch: [(signature: SignatureRecord, event: AuditEvent)]) async throws
    /// The signatures of `name`, oldest first, each with its revocation if one covers it.
    func signatures(name: ArtifactName) async throws -> [SignatureRecord]
    /// Stores `revocation` with its audit event and marks every signature of its name made
    /// from its ref and not yet revoked, in one transaction. Returns the ids it marked.
    func revoke(_ revocation: RevocationRecord, event: AuditEvent) async throws -> [String]
    /// Revocations from `since`, oldest first, at most `limit`.
    func revocations(since: Timestamp, limit: Int) async throws -> [RevocationRecord]
    /// The revocations of `name`, oldest first.
    func revocations(name: ArtifactName) async throws -> [RevocationRecord]
    /// The namespace `name` belongs to: that of its first signature, if it has one.
    func namespace(of name: ArtifactName) async throws -> String?
    /// What a deploy decision on `name` reads from the store, as two counters that only grow:
    /// a decision made at one stamp holds while the stamp is unchanged (a revocation or a
    /// policy change moves the epoch, in its own transaction; a signature or attestation of
    /// the name adds to its count). Answers within ``EvidenceStamp/readDeadlineSeconds`` or
    /// throws.
    func evidenceStamp(name: ArtifactName) async throws -> EvidenceStamp
    /// The signatures `filter` selects, newest first, at most `limit` (up to 1,000), starting
    /// after the signature `after` (an id from a previous page) if given. Listings carry no
    /// bundles (`bundle` is empty) nor revocation statements.
    func signatures(_ filter: SignatureFilter, after: String?, limit: Int) async throws -> [SignatureRecord]
}

/// API keys, each with the audit event of its creation or revocation.
public protocol APIKeyStore: Sendable {
    /// Stores a new key with its audit event, in one transaction.
    func create(_ key: APIKeyRecord, event: AuditEvent) async throws
    /// The key with `id`, revoked or not.
    func apiKey(id: String) async throws -> APIKeyRecord?
    /// Marks the key revoked at `time` with its audit event; false if no such key or already revoked.
    func revokeAPIKey(id: String, at time: Timestamp, event: AuditEvent) async throws -> Bool
    /// The keys of `namespace` (every namespace if nil), oldest first.
    func apiKeys(namespace: String?) async throws -> [APIKeyRecord]
}

extension ArtifactStore {
    /// Registers a signature that is not an attestation.
    public func register(_ signature: SignatureRecord, event: AuditEvent) async throws -> SignatureRecord {
        try await register(signature, attestationPayload: nil, event: event)
    }
}
