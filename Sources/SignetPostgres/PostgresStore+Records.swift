import NIOCore
import PostgresNIO
import SignetCore
import SignetStore

extension PostgresStore {
    public func record(_ certificates: [(certificate: IssuedCertificate, event: AuditEvent)]) async throws {
        guard !certificates.isEmpty else { return }
        let logger = logger
        let issued = certificates.map(\.certificate)
        let events = certificates.map(\.event)
        try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO issued_certificate (serial, identity, issuer, provenance, issued_at, der)
                SELECT * FROM unnest(\(issued.map(\.serial))::text[], \(issued.map(\.identity))::text[], \(issued.map(\.issuer))::text[],
                    \(issued.map(\.storedProvenance))::text[], \(issued.map(\.issuedAt.seconds))::bigint[], \(issued.map { $0.der.bytea })::bytea[])
                """, logger: logger)
            try await Self.insert(events, connection, logger: logger)
        }
    }

    public func record(events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        let logger = logger
        try await transaction { connection in try await Self.insert(events, connection, logger: logger) }
    }

    /// Appends audit events, in order, in the caller's transaction. An event of no namespace
    /// travels as the empty string, which no namespace's name is.
    static func insert(_ events: [AuditEvent], _ connection: PostgresConnection, logger: Logger) async throws {
        guard !events.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO audit_event (time, actor, action, subject, origin, detail, namespace)
            SELECT time, actor, action, subject, origin, detail, NULLIF(namespace, '') FROM unnest(\(events.map(\.time.seconds))::bigint[], \(events.map(\.actor))::text[], \(events.map(\.action))::text[],
                \(events.map(\.subject))::text[], \(events.map(\.origin))::text[], \(events.map(\.detail))::text[], \(events.map { $0.namespace ?? "" })::text[])
                WITH ORDINALITY AS e (time, actor, action, subject, origin, detail, namespace, n)
            ORDER BY n
            """, logger: logger)
    }

    public func certificates(identity: String, limit: Int) async throws -> [IssuedCertificate] {
        try await rows(
            """
            SELECT serial, identity, issuer, provenance, issued_at, der FROM issued_certificate
            WHERE identity = \(identity) ORDER BY issued_at DESC, serial LIMIT \(max(1, min(limit, 1000)))
            """
        ).map(Self.certificate)
    }

    public func certificate(serial: String) async throws -> IssuedCertificate? {
        try await rows("SELECT serial, identity, issuer, provenance, issued_at, der FROM issued_certificate WHERE serial = \(serial)").first.map(
            Self.certificate)
    }

    private static func certificate(_ row: PostgresRow) throws -> IssuedCertificate {
        let (serial, identity, issuer, provenance, issuedAt, der) = try row.decode((String, String, String, String, Int64, ByteBuffer).self)
        return IssuedCertificate(
            serial: serial, identity: identity, issuer: issuer, provenance: IssuedCertificate.provenance(stored: provenance),
            issuedAt: Timestamp(seconds: issuedAt), der: der.bytes)
    }

    public func auditEvents(since: Timestamp, namespaces: [String]?, limit: Int) async throws -> [AuditEvent] {
        try await rows(
            """
            SELECT \(unescaped: Self.eventColumns) FROM audit_event
            WHERE time >= \(since.seconds) AND (\(namespaces == nil) OR namespace = ANY(\(namespaces ?? [])::text[]))
            ORDER BY time, id LIMIT \(max(1, min(limit, 1000)))
            """
        ).map(Self.event)
    }

    public func latestAuditEvents(namespaces: [String]?, limit: Int) async throws -> [AuditEvent] {
        try await rows(
            """
            SELECT \(unescaped: Self.eventColumns) FROM audit_event WHERE \(namespaces == nil) OR namespace = ANY(\(namespaces ?? [])::text[])
            ORDER BY id DESC LIMIT \(max(1, min(limit, 1000)))
            """
        ).map(Self.event)
    }

    private static let eventColumns = "time, actor, action, subject, origin, detail, namespace"

    private static func event(_ row: PostgresRow) throws -> AuditEvent {
        let (time, actor, action, subject, origin, detail, namespace) = try row.decode((Int64, String, String, String, String, String, String?).self)
        return AuditEvent(
            time: Timestamp(seconds: time), actor: actor, action: action, subject: subject, origin: origin, detail: detail, namespace: namespace)
    }
}
