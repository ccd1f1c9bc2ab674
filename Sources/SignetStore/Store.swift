import SignetCore
import SignetLog

/// Everything Signet persists, behind one protocol so the services and the server never depend
/// on a database: SQLite (``SignetSQLite``) is the embedded default, and a PostgreSQL store
/// implements the same contract. Every method that writes commits before it returns, so a
/// caller may acknowledge what it wrote.
public protocol Store: LogStore, RecordStore, ArtifactStore, APIKeyStore {}

/// The transparency log's persistent state: entries, the perfect-subtree nodes of the Merkle
/// tree (RFC 6962 §2.1) and the signed checkpoints.
public protocol LogStore: Sendable {
    /// The latest checkpoint of `log`, if it has any entries.
    func latestCheckpoint(log: String) throws -> CheckpointRecord?
    /// The checkpoint for tree `size`, if one was issued.
    func checkpoint(log: String, size: Int64) throws -> CheckpointRecord?
    /// Appends entries after those stored, signs one checkpoint note per signer for the new
    /// tree, and commits all of it atomically: nothing is written if anything fails.
    func append(_ entries: [NewLogEntry], to log: String, signers: [LogSigner]) throws -> CommittedBatch
    /// The entry at `index`, if stored.
    func entry(log: String, index: Int64) throws -> LogEntryRecord?
    /// The entry whose canonical body has the RFC 6962 leaf hash `leafHash`, if stored.
    func entry(log: String, leafHash: [UInt8]) throws -> LogEntryRecord?
    /// The entries with indices in `range` that are stored, in order.
    func entries(log: String, range: Range<Int64>) throws -> [LogEntryRecord]
    /// The hashes of the nodes at `level` with indices in `range` that are stored, in order.
    func nodes(log: String, level: Int, range: Range<Int64>) throws -> [[UInt8]]
    /// The entries stored under search key `key` (index and leaf hash), oldest first.
    func indexedEntries(log: String, key: String, limit: Int) throws -> [(index: Int64, leafHash: [UInt8])]
    /// The root hash of the tree's first `size` entries (RFC 6962 §2.1).
    func rootHash(log: String, size: Int64) throws -> [UInt8]
    /// The audit path of entry `index` in the tree of `size` entries (RFC 6962 §2.1.1).
    func inclusionProof(log: String, index: Int64, size: Int64) throws -> [[UInt8]]
    /// The consistency proof between two tree sizes (RFC 6962 §2.1.2).
    func consistencyProof(log: String, oldSize: Int64, newSize: Int64) throws -> [[UInt8]]
}

/// The CA's issued certificates and the audit trail.
public protocol RecordStore: Sendable {
    /// Records issued certificates, each with the audit event that describes it, in one
    /// transaction: all or nothing.
    func record(_ certificates: [(certificate: IssuedCertificate, event: AuditEvent)]) throws
    /// Appends audit events, in one transaction.
    func record(events: [AuditEvent]) throws
    /// The certificates issued to `identity`, newest first.
    func certificates(identity: String, limit: Int) throws -> [IssuedCertificate]
    /// The certificate with `serial` (lowercase hex), if issued.
    func certificate(serial: String) throws -> IssuedCertificate?
    /// Audit events from `since`, oldest first.
    func auditEvents(since: Timestamp, limit: Int) throws -> [AuditEvent]
    /// The latest audit events, newest first.
    func latestAuditEvents(limit: Int) throws -> [AuditEvent]
}

/// Signatures registered under artifact names, and their revocations. Reads by name and by
/// source ref are the deploy gate's and the security team's hot paths: both are indexed.
public protocol ArtifactStore: Sendable {
    /// Registers a signature with the audit event that describes it, in one transaction. A
    /// signature already registered (same id) is not written again; the stored one is
    /// returned. Throws ``NamespaceConflict`` when the name already belongs to another
    /// namespace (checked in the same transaction). The stored signature carries the
    /// revocation that covers it, if one already does.
    func register(_ signature: SignatureRecord, event: AuditEvent) throws -> SignatureRecord
    /// Registers many signatures already verified (an import), each with its audit event, in
    /// one transaction; ids already registered are skipped.
    func register(batch: [(signature: SignatureRecord, event: AuditEvent)]) throws
    /// The signatures of `name`, oldest first, each with its revocation if one covers it.
    func signatures(name: ArtifactName) throws -> [SignatureRecord]
    /// The signatures made from `sourceRepositoryRef` (of `sourceRepository`, if given), newest
    /// first, at most `limit`; listings carry no bundles (`bundle` is empty) nor revocation
    /// statements.
    func signatures(sourceRepositoryRef: String, sourceRepository: String?, limit: Int) throws -> [SignatureRecord]
    /// Stores `revocation` with its audit event and marks every signature of its name made
    /// from its ref and not yet revoked, in one transaction. Returns the ids it marked.
    func revoke(_ revocation: RevocationRecord, event: AuditEvent) throws -> [String]
    /// Revocations from `since`, oldest first, at most `limit`.
    func revocations(since: Timestamp, limit: Int) throws -> [RevocationRecord]
    /// The revocations of `name`, oldest first.
    func revocations(name: ArtifactName) throws -> [RevocationRecord]
    /// The namespace `name` belongs to: that of its first signature, if it has one.
    func namespace(of name: ArtifactName) throws -> String?
    /// The signatures `filter` selects, newest first, at most `limit`, starting after the
    /// signature `after` (an id from a previous page) if given; without bundles, as above.
    func signatures(_ filter: SignatureFilter, after: String?, limit: Int) throws -> [SignatureRecord]
}

/// API keys, each with the audit event of its creation or revocation.
public protocol APIKeyStore: Sendable {
    /// Stores a new key with its audit event, in one transaction.
    func create(_ key: APIKeyRecord, event: AuditEvent) throws
    /// The key with `id`, revoked or not.
    func apiKey(id: String) throws -> APIKeyRecord?
    /// Marks the key revoked at `time` with its audit event; false if no such key or already revoked.
    func revokeAPIKey(id: String, at time: Timestamp, event: AuditEvent) throws -> Bool
    /// The keys of `namespace` (every namespace if nil), oldest first.
    func apiKeys(namespace: String?) throws -> [APIKeyRecord]
}
