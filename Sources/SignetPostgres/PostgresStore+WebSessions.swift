import Logging
import NIOCore
import PostgresNIO
import SignetCore
import SignetStore

extension PostgresStore {
    public func create(_ session: WebSession, now: Timestamp) async throws {
        let logger = logger
        try await transaction { connection in
            try await connection.query("DELETE FROM web_session WHERE expires_at <= \(now.seconds)", logger: logger)
            try await connection.query(
                """
                INSERT INTO web_session (id_hash, kind, data, expires_at)
                VALUES (\(session.idHash.bytea), \(session.kind.rawValue), \(session.data.bytea), \(session.expiresAt.seconds))
                """, logger: logger)
        }
    }

    public func webSession(idHash: [UInt8], kind: WebSession.Kind, now: Timestamp) async throws -> WebSession? {
        try await rows(
            """
            SELECT id_hash, kind, data, expires_at FROM web_session
            WHERE id_hash = \(idHash.bytea) AND kind = \(kind.rawValue) AND expires_at > \(now.seconds)
            """
        ).first.map(Self.webSession)
    }

    public func removeWebSession(idHash: [UInt8], kind: WebSession.Kind, now: Timestamp) async throws -> WebSession? {
        try await rows(
            "DELETE FROM web_session WHERE id_hash = \(idHash.bytea) AND kind = \(kind.rawValue) RETURNING id_hash, kind, data, expires_at"
        ).first.map(Self.webSession).flatMap { now < $0.expiresAt ? $0 : nil }
    }

    private static func webSession(_ row: PostgresRow) throws -> WebSession {
        let (idHash, kind, data, expiresAt) = try row.decode((ByteBuffer, String, ByteBuffer, Int64).self)
        guard let parsed = WebSession.Kind(rawValue: kind) else {
            throw FormatError(.invalidValue, at: "web_session.kind", "expected sign-in or session, found \(kind)")
        }
        return WebSession(idHash: idHash.bytes, kind: parsed, data: data.bytes, expiresAt: Timestamp(seconds: expiresAt))
    }
}
