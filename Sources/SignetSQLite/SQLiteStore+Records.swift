import Foundation
import GRDB
import SignetCore
import SignetStore

extension SQLiteStore {
    static func registerRecordMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2: issued certificates, audit events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE issued_certificate (
                        serial TEXT PRIMARY KEY NOT NULL,
                        identity TEXT NOT NULL,
                        issuer TEXT NOT NULL,
                        provenance TEXT NOT NULL,
                        issued_at INTEGER NOT NULL,
                        der BLOB NOT NULL
                    );
                    CREATE INDEX issued_certificate_by_identity ON issued_certificate (identity, issued_at);
                    CREATE TABLE audit_event (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        time INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        origin TEXT NOT NULL,
                        detail TEXT NOT NULL
                    );
                    CREATE INDEX audit_event_by_time ON audit_event (time);
                    """)
        }
        migrator.registerMigration("v9: audit events by namespace") { db in
            try db.execute(
                sql: """
                    ALTER TABLE audit_event ADD COLUMN namespace TEXT;
                    CREATE INDEX audit_event_by_namespace ON audit_event (namespace, time);
                    """)
        }
    }

    public func record(_ certificates: [(certificate: IssuedCertificate, event: AuditEvent)]) async throws {
        try await database.write { db in
            let insert = try db.cachedStatement(
                sql: "INSERT INTO issued_certificate (serial, identity, issuer, provenance, issued_at, der) VALUES (?, ?, ?, ?, ?, ?)")
            for (certificate, event) in certificates {
                try insert.execute(arguments: [
                    certificate.serial, certificate.identity, certificate.issuer, certificate.storedProvenance, certificate.issuedAt.seconds,
                    Data(certificate.der),
                ])
                try Self.insert(event, db)
            }
        }
    }

    public func certificates(identity: String, limit: Int) async throws -> [IssuedCertificate] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM issued_certificate WHERE identity = ? ORDER BY issued_at DESC, serial LIMIT ?",
                arguments: [identity, max(1, min(limit, 1000))]
            ).map(Self.certificate)
        }
    }

    public func certificate(serial: String) async throws -> IssuedCertificate? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM issued_certificate WHERE serial = ?", arguments: [serial]).map(Self.certificate)
        }
    }

    private static func certificate(_ row: Row) throws -> IssuedCertificate {
        try IssuedCertificate(
            serial: row.decode(forColumn: "serial"), identity: row.decode(forColumn: "identity"), issuer: row.decode(forColumn: "issuer"),
            provenance: IssuedCertificate.provenance(stored: row.decode(forColumn: "provenance")),
            issuedAt: Timestamp(seconds: row.decode(forColumn: "issued_at")), der: Array(row.decode(Data.self, forColumn: "der")))
    }

    public func record(events: [AuditEvent]) async throws {
        try await database.write { db in
            for event in events { try Self.insert(event, db) }
        }
    }

    static func insert(_ event: AuditEvent, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO audit_event (time, actor, action, subject, origin, detail, namespace) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [event.time.seconds, event.actor, event.action, event.subject, event.origin, event.detail, event.namespace])
    }

    public func auditEvents(since: Timestamp, namespaces: [String]?, limit: Int) async throws -> [AuditEvent] {
        let (condition, values) = Self.namespaceCondition(namespaces)
        let arguments = StatementArguments([since.seconds] + values + [max(1, min(limit, 1000))] as [(any DatabaseValueConvertible)?])
        return try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_event WHERE time >= ? \(condition) ORDER BY time, id LIMIT ?", arguments: arguments).map(Self.event)
        }
    }

    public func latestAuditEvents(namespaces: [String]?, limit: Int) async throws -> [AuditEvent] {
        let (condition, values) = Self.namespaceCondition(namespaces)
        let arguments = StatementArguments(values + [max(1, min(limit, 1000))] as [(any DatabaseValueConvertible)?])
        return try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_event WHERE 1 \(condition) ORDER BY id DESC LIMIT ?", arguments: arguments).map(Self.event)
        }
    }

    /// `AND namespace IN (…)` for a namespace selection, with its values; nothing for nil.
    private static func namespaceCondition(_ namespaces: [String]?) -> (String, [(any DatabaseValueConvertible)?]) {
        guard let namespaces else { return ("", []) }
        return ("AND namespace IN (\(Array(repeating: "?", count: namespaces.count).joined(separator: ", ")))", namespaces)
    }

    private static func event(_ row: Row) throws -> AuditEvent {
        try AuditEvent(
            time: Timestamp(seconds: row.decode(forColumn: "time")), actor: row.decode(forColumn: "actor"), action: row.decode(forColumn: "action"),
            subject: row.decode(forColumn: "subject"), origin: row.decode(forColumn: "origin"), detail: row.decode(forColumn: "detail"),
            namespace: row.decode(forColumn: "namespace"))
    }
}
