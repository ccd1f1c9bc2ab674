import Foundation
import GRDB
import SignetCore
import SignetStore

extension SQLiteStore {
    static func registerArtifactMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3: signatures by artifact name, revocations") { db in
            try db.execute(
                sql: """
                    CREATE TABLE revocation (
                        id TEXT PRIMARY KEY NOT NULL,
                        namespace TEXT NOT NULL,
                        name TEXT NOT NULL,
                        source_ref TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        time INTEGER NOT NULL,
                        log_index INTEGER
                    );
                    CREATE INDEX revocation_by_time ON revocation (time);
                    CREATE TABLE signature (
                        id TEXT PRIMARY KEY NOT NULL,
                        namespace TEXT NOT NULL,
                        name TEXT NOT NULL,
                        repository TEXT NOT NULL,
                        identity TEXT NOT NULL,
                        issuer TEXT NOT NULL,
                        source_repository TEXT,
                        source_ref TEXT,
                        provenance TEXT NOT NULL,
                        log_index INTEGER NOT NULL,
                        signed_at INTEGER NOT NULL,
                        certificate_serial TEXT NOT NULL,
                        bundle BLOB NOT NULL,
                        revocation_id TEXT REFERENCES revocation (id)
                    );
                    CREATE INDEX signature_by_name ON signature (name, signed_at);
                    CREATE INDEX signature_by_ref ON signature (source_ref, source_repository, signed_at);
                    CREATE INDEX signature_by_namespace ON signature (namespace, signed_at);
                    """)
        }
        migrator.registerMigration("v4: revocation statements, listings, API keys") { db in
            try db.execute(
                sql: """
                    ALTER TABLE revocation ADD COLUMN statement BLOB;
                    ALTER TABLE revocation ADD COLUMN bundle BLOB;
                    CREATE INDEX revocation_by_name ON revocation (name, time);
                    CREATE INDEX signature_by_time ON signature (signed_at);
                    CREATE INDEX signature_by_source_repository ON signature (source_repository, signed_at);
                    CREATE INDEX signature_by_repository ON signature (repository, signed_at);
                    CREATE TABLE api_key (
                        id TEXT PRIMARY KEY NOT NULL,
                        namespace TEXT NOT NULL,
                        scopes TEXT NOT NULL,
                        secret_hash BLOB NOT NULL,
                        description TEXT NOT NULL,
                        created_by TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER,
                        revoked_at INTEGER
                    );
                    CREATE INDEX api_key_by_namespace ON api_key (namespace, created_at);
                    """)
        }
        migrator.registerMigration("v5: artifact names in their normalised form") { db in
            // Names are compared in one form (ArtifactName: lower-case host, no default port);
            // rewrite those stored before, so every spelling of a name finds its signatures.
            for table in ["signature", "revocation"] {
                let stored = try String.fetchAll(db, sql: "SELECT DISTINCT name FROM \(table)")
                for text in stored {
                    let name = try ArtifactName(parsing: text)
                    guard name.description != text else { continue }
                    if table == "signature" {
                        try db.execute(
                            sql: "UPDATE signature SET name = ?, repository = ? WHERE name = ?", arguments: [name.description, name.repository, text])
                    } else {
                        try db.execute(sql: "UPDATE revocation SET name = ? WHERE name = ?", arguments: [name.description, text])
                    }
                }
            }
        }
        migrator.registerMigration("v6: attestations: predicate types, payloads by digest") { db in
            try db.execute(
                sql: """
                    ALTER TABLE signature ADD COLUMN predicate_type TEXT;
                    ALTER TABLE signature ADD COLUMN payload_digest TEXT;
                    CREATE TABLE attestation_payload (digest TEXT PRIMARY KEY NOT NULL, payload BLOB NOT NULL);
                    """)
        }
        migrator.registerMigration("v7: policies, versioned") { db in
            try db.execute(
                sql: """
                    CREATE TABLE policy (
                        name TEXT NOT NULL, version INTEGER NOT NULL, digest TEXT NOT NULL, document BLOB NOT NULL,
                        applied_by TEXT NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (name, version)
                    );
                    """)
        }
        migrator.registerMigration("v8: the evidence epoch the gate's cached decisions hold by") { db in
            try db.execute(
                sql: """
                    CREATE TABLE evidence_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
                    INSERT INTO evidence_epoch (id, value) VALUES (1, 0);
                    """)
        }
    }

    /// The covering revocation's statement, for every read of signatures.
    private static let revocationJoin = """
        revocation.id AS r_id, revocation.namespace AS r_namespace, revocation.name AS r_name,
               revocation.source_ref AS r_source_ref, revocation.reason AS r_reason, revocation.actor AS r_actor,
               revocation.time AS r_time, revocation.log_index AS r_log_index
        FROM signature LEFT JOIN revocation ON revocation.id = signature.revocation_id
        """

    /// Every signature column, for reads by id and by name.
    private static let signatureSelect = "SELECT signature.*, \(revocationJoin)"

    /// The same without the bundle, for listings: a page of a hundred signatures would
    /// otherwise read half a megabyte it never shows.
    private static let listingSelect = """
        SELECT signature.id, signature.namespace, signature.name, signature.identity, signature.issuer, signature.provenance,
               signature.log_index, signature.signed_at, signature.certificate_serial, NULL AS bundle, signature.predicate_type,
               signature.payload_digest, \(revocationJoin)
        """

    public func register(_ signature: SignatureRecord, attestationPayload: [UInt8]?, event: AuditEvent) async throws -> SignatureRecord {
        try await database.write { db in
            if let existing = try Row.fetchOne(db.cachedStatement(sql: "\(Self.signatureSelect) WHERE signature.id = ?"), arguments: [signature.id]) {
                return try Self.signature(existing)
            }
            if let owner = try String.fetchOne(
                db.cachedStatement(sql: "SELECT namespace FROM signature WHERE name = ? LIMIT 1"), arguments: [signature.name.description]),
                owner != signature.namespace
            {
                throw NamespaceConflict(name: signature.name, owner: owner, requested: signature.namespace)
            }
            var stored = signature
            stored.revocation = try Self.covering(signature, db)
            if let digest = signature.attestation?.payloadDigest, let attestationPayload {
                try db.cachedStatement(sql: "INSERT INTO attestation_payload (digest, payload) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING")
                    .execute(arguments: [digest, Data(attestationPayload)])
            }
            try Self.insert(stored, event: event, db)
            return stored
        }
    }

    public func attestationPayload(digest: String) async throws -> [UInt8]? {
        try await database.read { db in
            try Data.fetchOne(db.cachedStatement(sql: "SELECT payload FROM attestation_payload WHERE digest = ?"), arguments: [digest]).map(Array.init)
        }
    }

    /// The revocation that covers `signature` by the one rule
    /// (``RevocationStatement/covers(name:sourceRepositoryRef:)``), read in the registration's
    /// transaction so a signature registered after its name and ref were revoked is recorded
    /// as revoked.
    private static func covering(_ signature: SignatureRecord, _ db: Database) throws -> RevocationStatement? {
        let revocations = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM revocation WHERE name = ?"), arguments: [signature.name.description])
            .map { try revocation($0, prefix: "") }
        return RevocationStatement.covering(revocations, name: signature.name, sourceRepositoryRef: signature.sourceRepositoryRef)
    }

    public func register(batch: [(signature: SignatureRecord, event: AuditEvent)]) async throws {
        try await database.write { db in
            for (signature, event) in batch {
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM signature WHERE id = ?"), arguments: [signature.id]) == nil else { continue }
                var stored = signature
                stored.revocation = try Self.covering(signature, db)
                try Self.insert(stored, event: event, db)
            }
        }
    }

    private static func insert(_ signature: SignatureRecord, event: AuditEvent, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO signature (id, namespace, name, repository, identity, issuer, source_repository, source_ref, provenance, log_index, signed_at, certificate_serial, bundle, revocation_id, predicate_type, payload_digest)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            signature.id, signature.namespace, signature.name.description, signature.name.repository, signature.identity, signature.issuer,
            signature.sourceRepository, signature.sourceRepositoryRef, signature.storedProvenance,
            signature.logIndex, signature.signedAt.seconds, signature.certificateSerial, Data(signature.bundle), signature.revocation?.id,
            signature.attestation?.predicateType, signature.attestation?.payloadDigest,
        ])
        try Self.insert(event, db)
    }

    public func signatures(name: ArtifactName) async throws -> [SignatureRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "\(Self.signatureSelect) WHERE signature.name = ? ORDER BY signature.signed_at, signature.id"),
                arguments: [name.description]
            )
            .map(Self.signature)
        }
    }

    public func evidenceStamp(name: ArtifactName) async throws -> EvidenceStamp {
        try stamp(name)
    }

    /// The gate reads the stamp on every decision: a synchronous read on the caller's thread
    /// (one row and an indexed count, a few microseconds; WAL readers never wait for a
    /// writer) spares the two thread hops of an asynchronous read, which cost ten times more.
    private func stamp(_ name: ArtifactName) throws -> EvidenceStamp {
        try database.read { db in
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT (SELECT value FROM evidence_epoch WHERE id = 1), (SELECT count(*) FROM signature WHERE name = ?)"),
                arguments: [name.description])
            return EvidenceStamp(epoch: row?[0] ?? 0, signatures: row?[1] ?? 0)
        }
    }

    /// Moves the evidence epoch, inside the transaction of the change that moves it.
    static func advanceEvidenceEpoch(_ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE evidence_epoch SET value = value + 1 WHERE id = 1").execute()
    }

    public func revoke(_ record: RevocationRecord, event: AuditEvent) async throws -> [String] {
        let revocation = record.statement
        return try await database.write { db in
            try Self.advanceEvidenceEpoch(db)
            try db.cachedStatement(
                sql:
                    "INSERT INTO revocation (id, namespace, name, source_ref, reason, actor, time, log_index, statement, bundle) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
            .execute(arguments: [
                revocation.id, revocation.namespace, revocation.name.description, revocation.sourceRepositoryRef, revocation.reason,
                revocation.actor, revocation.time.seconds, revocation.logIndex, record.signedStatement.map { Data($0) }, record.bundle.map { Data($0) },
            ])
            // The signatures the one rule says this revocation covers, among those no earlier
            // revocation covers already.
            let candidates = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT id, source_ref FROM signature WHERE name = ? AND revocation_id IS NULL ORDER BY id"),
                arguments: [revocation.name.description])
            let ids: [String] = try candidates.compactMap { row in
                try revocation.covers(name: revocation.name, sourceRepositoryRef: row.decode(forColumn: "source_ref")) ? row.decode(forColumn: "id") : nil
            }
            let update = try db.cachedStatement(sql: "UPDATE signature SET revocation_id = ? WHERE id = ?")
            for id in ids { try update.execute(arguments: [revocation.id, id]) }
            try Self.insert(event, db)
            return ids
        }
    }

    public func revocations(since: Timestamp, limit: Int) async throws -> [RevocationRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM revocation WHERE time >= ? ORDER BY time, id LIMIT ?"),
                arguments: [since.seconds, max(1, min(limit, 10_000))]
            )
            .map(Self.revocationRecord)
        }
    }

    public func revocations(name: ArtifactName) async throws -> [RevocationRecord] {
        try await database.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM revocation WHERE name = ? ORDER BY time, id"), arguments: [name.description])
                .map(Self.revocationRecord)
        }
    }

    public func namespace(of name: ArtifactName) async throws -> String? {
        try await database.read { db in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT namespace FROM signature WHERE name = ? ORDER BY signed_at, id LIMIT 1"), arguments: [name.description])
        }
    }

    public func signatures(_ filter: SignatureFilter, after: String?, limit: Int) async throws -> [SignatureRecord] {
        var conditions: [String] = []
        var values: [(any DatabaseValueConvertible)?] = []
        func add(_ condition: String, _ more: [(any DatabaseValueConvertible)?]) {
            conditions.append(condition)
            values += more
        }
        if let namespaces = filter.namespaces {
            // A namespace holds many signatures: with a more selective filter (a ref, a
            // repository, an identity) its index must not be the one SQLite walks, so the
            // column is written `+namespace`, which no index serves.
            let selective = filter.sourceRepositoryRef != nil || filter.sourceRepository != nil || filter.repositoryPrefix != nil || filter.identity != nil
            add("\(selective ? "+" : "")signature.namespace IN (\(Array(repeating: "?", count: namespaces.count).joined(separator: ", ")))", namespaces)
        }
        if let sourceRepository = filter.sourceRepository { add("signature.source_repository = ?", [sourceRepository]) }
        if let ref = filter.sourceRepositoryRef { add("signature.source_ref = ?", [ref]) }
        if let identity = filter.identity { add("signature.identity = ?", [identity]) }
        if let prefix = filter.repositoryPrefix {
            if prefix.hasSuffix("/") {
                // A range on the indexed column: every repository that starts with the prefix.
                add("signature.repository >= ? AND signature.repository < ?", [prefix, String(prefix.dropLast()) + "0"])
            } else {
                add("signature.repository = ?", [prefix])
            }
        }
        if let since = filter.since { add("signature.signed_at >= ?", [since.seconds]) }
        switch filter.status {
        case .active?: conditions.append("signature.revocation_id IS NULL")
        case .revoked?: conditions.append("signature.revocation_id IS NOT NULL")
        case nil: break
        }
        if let after { add("(signature.signed_at, signature.id) < (SELECT signed_at, id FROM signature WHERE id = ?)", [after]) }
        values.append(max(1, min(limit, 1_000)))
        let arguments = StatementArguments(values)
        let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try await database.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "\(Self.listingSelect) \(clause) ORDER BY signature.signed_at DESC, signature.id DESC LIMIT ?"), arguments: arguments
            )
            .map(Self.signature)
        }
    }

    public func create(_ key: APIKeyRecord, event: AuditEvent) async throws {
        try await database.write { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO api_key (id, namespace, scopes, secret_hash, description, created_by, created_at, expires_at, revoked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                key.id, key.namespace, key.storedScopes, Data(key.secretHash), key.description,
                key.createdBy, key.createdAt.seconds, key.expiresAt?.seconds, key.revokedAt?.seconds,
            ])
            try Self.insert(event, db)
        }
    }

    public func apiKey(id: String) async throws -> APIKeyRecord? {
        try await database.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_key WHERE id = ?"), arguments: [id]).map(Self.apiKey)
        }
    }

    public func revokeAPIKey(id: String, at time: Timestamp, event: AuditEvent) async throws -> Bool {
        try await database.write { db in
            try db.cachedStatement(sql: "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").execute(arguments: [time.seconds, id])
            guard db.changesCount == 1 else { return false }
            try Self.insert(event, db)
            return true
        }
    }

    public func apiKeys(namespace: String?) async throws -> [APIKeyRecord] {
        try await database.read { db in
            if let namespace {
                return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM api_key WHERE namespace = ? ORDER BY created_at, id"), arguments: [namespace])
                    .map(Self.apiKey)
            }
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM api_key ORDER BY created_at, id")).map(Self.apiKey)
        }
    }

    private static func apiKey(_ row: Row) throws -> APIKeyRecord {
        try APIKeyRecord(
            id: row.decode(forColumn: "id"), namespace: row.decode(forColumn: "namespace"),
            scopes: APIKeyRecord.scopes(stored: row.decode(forColumn: "scopes")),
            secretHash: Array(row.decode(Data.self, forColumn: "secret_hash")), description: row.decode(forColumn: "description"),
            createdBy: row.decode(forColumn: "created_by"),
            createdAt: Timestamp(seconds: row.decode(forColumn: "created_at")),
            expiresAt: row.decode(Int64?.self, forColumn: "expires_at").map { Timestamp(seconds: $0) },
            revokedAt: row.decode(Int64?.self, forColumn: "revoked_at").map { Timestamp(seconds: $0) })
    }

    private static func signature(_ row: Row) throws -> SignatureRecord {
        let provenance = try SignatureRecord.provenance(stored: row.decode(forColumn: "provenance"))
        let revocation: RevocationStatement? = try row.decode(String?.self, forColumn: "r_id") == nil ? nil : Self.revocation(row, prefix: "r_")
        return try SignatureRecord(
            id: row.decode(forColumn: "id"), namespace: row.decode(forColumn: "namespace"), name: ArtifactName(parsing: row.decode(forColumn: "name")),
            identity: row.decode(forColumn: "identity"), issuer: row.decode(forColumn: "issuer"),
            provenance: provenance.attested, statedProvenance: provenance.stated, logIndex: row.decode(forColumn: "log_index"),
            signedAt: Timestamp(seconds: row.decode(forColumn: "signed_at")),
            certificateSerial: row.decode(forColumn: "certificate_serial"),
            bundle: row.decode(Data?.self, forColumn: "bundle").map(Array.init) ?? [], revocation: revocation,
            attestation: Self.attestation(type: row.decode(forColumn: "predicate_type"), digest: row.decode(forColumn: "payload_digest")))
    }

    private static func attestation(type: String?, digest: String?) -> SignatureRecord.Attestation? {
        guard let type, let digest else { return nil }
        return SignatureRecord.Attestation(predicateType: type, payloadDigest: digest)
    }

    private static func revocationRecord(_ row: Row) throws -> RevocationRecord {
        try RevocationRecord(
            revocation(row, prefix: ""), signedStatement: row.decode(Data?.self, forColumn: "statement").map(Array.init),
            bundle: row.decode(Data?.self, forColumn: "bundle").map(Array.init))
    }

    private static func revocation(_ row: Row, prefix: String) throws -> RevocationStatement {
        try RevocationStatement(
            id: row.decode(forColumn: "\(prefix)id"), namespace: row.decode(forColumn: "\(prefix)namespace"),
            name: ArtifactName(parsing: row.decode(forColumn: "\(prefix)name")),
            sourceRepositoryRef: row.decode(forColumn: "\(prefix)source_ref"), reason: row.decode(forColumn: "\(prefix)reason"),
            actor: row.decode(forColumn: "\(prefix)actor"),
            time: Timestamp(seconds: row.decode(forColumn: "\(prefix)time")), logIndex: row.decode(forColumn: "\(prefix)log_index"))
    }
}
