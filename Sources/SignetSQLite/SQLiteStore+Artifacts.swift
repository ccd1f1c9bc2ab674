import Foundation
import GRDB
import SignetCore
import SignetStore

extension SQLiteStore {
    static func registerArtifactMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3: signatures by artifact name, revocations") { db in
            try db.execute(sql: """
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
    }

    /// The signature columns with the covering revocation's, for every read.
    private static let signatureSelect = """
        SELECT signature.*, revocation.id AS r_id, revocation.namespace AS r_namespace, revocation.name AS r_name,
               revocation.source_ref AS r_source_ref, revocation.reason AS r_reason, revocation.actor AS r_actor,
               revocation.time AS r_time, revocation.log_index AS r_log_index
        FROM signature LEFT JOIN revocation ON revocation.id = signature.revocation_id
        """

    public func register(_ signature: SignatureRecord, event: AuditEvent) throws -> SignatureRecord {
        try database.write { db in
            if let existing = try Row.fetchOne(db.cachedStatement(sql: "\(Self.signatureSelect) WHERE signature.id = ?"), arguments: [signature.id]) {
                return try Self.signature(existing)
            }
            let provenance = JSONValue.object(JSONObject(signature.provenance.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, JSONValue.string($0.value)) }))
            try db.cachedStatement(sql: """
                INSERT INTO signature (id, namespace, name, repository, identity, issuer, source_repository, source_ref, provenance, log_index, signed_at, certificate_serial, bundle)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    signature.id, signature.namespace, signature.name.description, signature.name.repository, signature.identity, signature.issuer,
                    signature.sourceRepository, signature.sourceRepositoryRef, String(decoding: provenance.compactBytes(), as: UTF8.self),
                    signature.logIndex, signature.signedAt.seconds, signature.certificateSerial, Data(signature.bundle),
                ])
            try Self.insert(event, db)
            var stored = signature
            stored.revocation = nil
            return stored
        }
    }

    public func signatures(name: ArtifactName) throws -> [SignatureRecord] {
        try database.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "\(Self.signatureSelect) WHERE signature.name = ? ORDER BY signature.signed_at, signature.id"), arguments: [name.description])
                .map(Self.signature)
        }
    }

    public func signatures(sourceRepositoryRef: String, sourceRepository: String?, limit: Int) throws -> [SignatureRecord] {
        let limit = max(1, min(limit, 10_000))
        return try database.read { db in
            if let sourceRepository {
                return try Row.fetchAll(db.cachedStatement(sql: "\(Self.signatureSelect) WHERE signature.source_ref = ? AND signature.source_repository = ? ORDER BY signature.signed_at DESC, signature.id LIMIT ?"),
                                        arguments: [sourceRepositoryRef, sourceRepository, limit]).map(Self.signature)
            }
            return try Row.fetchAll(db.cachedStatement(sql: "\(Self.signatureSelect) WHERE signature.source_ref = ? ORDER BY signature.signed_at DESC, signature.id LIMIT ?"),
                                    arguments: [sourceRepositoryRef, limit]).map(Self.signature)
        }
    }

    public func revoke(_ revocation: RevocationRecord, event: AuditEvent) throws -> [String] {
        try database.write { db in
            try db.cachedStatement(sql: "INSERT INTO revocation (id, namespace, name, source_ref, reason, actor, time, log_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(arguments: [revocation.id, revocation.namespace, revocation.name.description, revocation.sourceRepositoryRef, revocation.reason,
                                     revocation.actor, revocation.time.seconds, revocation.logIndex])
            let ids = try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM signature WHERE name = ? AND source_ref = ? AND revocation_id IS NULL ORDER BY id"),
                                          arguments: [revocation.name.description, revocation.sourceRepositoryRef])
            try db.cachedStatement(sql: "UPDATE signature SET revocation_id = ? WHERE name = ? AND source_ref = ? AND revocation_id IS NULL")
                .execute(arguments: [revocation.id, revocation.name.description, revocation.sourceRepositoryRef])
            try Self.insert(event, db)
            return ids
        }
    }

    public func revocations(since: Timestamp, limit: Int) throws -> [RevocationRecord] {
        try database.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM revocation WHERE time >= ? ORDER BY time, id LIMIT ?"), arguments: [since.seconds, max(1, min(limit, 10_000))])
                .map { row in try Self.revocation(row, prefix: "") }
        }
    }

    private static func signature(_ row: Row) throws -> SignatureRecord {
        var provenance: [FulcioExtension: String] = [:]
        if case .object(let object) = try JSONParser().parse(Array((row["provenance"] as String).utf8), context: "provenance") {
            for member in object.members {
                if let key = FulcioExtension(rawValue: member.name), case .string(let value) = member.value { provenance[key] = value }
            }
        }
        let revocation: RevocationRecord? = (row["r_id"] as String?) == nil ? nil : try Self.revocation(row, prefix: "r_")
        return SignatureRecord(
            id: row["id"], namespace: row["namespace"], name: try ArtifactName(parsing: row["name"]), identity: row["identity"], issuer: row["issuer"],
            provenance: provenance, logIndex: row["log_index"], signedAt: Timestamp(seconds: row["signed_at"]), certificateSerial: row["certificate_serial"],
            bundle: Array(row["bundle"] as Data), revocation: revocation)
    }

    private static func revocation(_ row: Row, prefix: String) throws -> RevocationRecord {
        RevocationRecord(
            id: row["\(prefix)id"], namespace: row["\(prefix)namespace"], name: try ArtifactName(parsing: row["\(prefix)name"]),
            sourceRepositoryRef: row["\(prefix)source_ref"], reason: row["\(prefix)reason"], actor: row["\(prefix)actor"],
            time: Timestamp(seconds: row["\(prefix)time"]), logIndex: row["\(prefix)log_index"])
    }
}
