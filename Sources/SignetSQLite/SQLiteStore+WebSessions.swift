import Foundation
import GRDB
import SignetCore
import SignetStore

extension SQLiteStore {
    static func registerWebSessionMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10: web UI sign-ins and sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE web_session (
                        id_hash BLOB PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        data BLOB NOT NULL,
                        expires_at INTEGER NOT NULL
                    );
                    CREATE INDEX web_session_by_expiry ON web_session (expires_at);
                    """)
        }
    }

    public func create(_ session: WebSession, now: Timestamp) async throws {
        try await database.write { db in
            try db.cachedStatement(sql: "DELETE FROM web_session WHERE expires_at <= ?").execute(arguments: [now.seconds])
            try db.cachedStatement(sql: "INSERT INTO web_session (id_hash, kind, data, expires_at) VALUES (?, ?, ?, ?)")
                .execute(arguments: [Data(session.idHash), session.kind.rawValue, Data(session.data), session.expiresAt.seconds])
        }
    }

    public func webSession(idHash: [UInt8], kind: WebSession.Kind, now: Timestamp) async throws -> WebSession? {
        try await database.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM web_session WHERE id_hash = ? AND kind = ? AND expires_at > ?"),
                arguments: [Data(idHash), kind.rawValue, now.seconds]
            ).map(Self.webSession)
        }
    }

    public func removeWebSession(idHash: [UInt8], kind: WebSession.Kind, now: Timestamp) async throws -> WebSession? {
        try await database.write { db in
            let found = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM web_session WHERE id_hash = ? AND kind = ?"), arguments: [Data(idHash), kind.rawValue]
            ).map(Self.webSession)
            try db.cachedStatement(sql: "DELETE FROM web_session WHERE id_hash = ? AND kind = ?").execute(arguments: [Data(idHash), kind.rawValue])
            return found.flatMap { now < $0.expiresAt ? $0 : nil }
        }
    }

    private static func webSession(_ row: Row) throws -> WebSession {
        let kind: String = try row.decode(forColumn: "kind")
        guard let parsed = WebSession.Kind(rawValue: kind) else {
            throw FormatError(.invalidValue, at: "web_session.kind", "expected sign-in or session, found \(kind)")
        }
        return try WebSession(
            idHash: Array(row.decode(Data.self, forColumn: "id_hash")), kind: parsed, data: Array(row.decode(Data.self, forColumn: "data")),
            expiresAt: Timestamp(seconds: row.decode(forColumn: "expires_at")))
    }
}
