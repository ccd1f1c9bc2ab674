import NIOCore
import PostgresNIO
import SignetCore
import SignetStore

extension PostgresStore {
    private static let policyColumns = "name, version, digest, document, applied_by, applied_at"

    public func apply(_ policy: PolicyRecord, event: AuditEvent) async throws -> PolicyRecord {
        let logger = logger
        return try await transaction { connection in
            // Replicas applying one policy at once take turns on its name.
            try await Self.advisoryLock("policy:" + policy.name, connection, logger: logger)
            if let row = try await connection.query(
                "SELECT \(unescaped: Self.policyColumns) FROM policy WHERE name = \(policy.name) ORDER BY version DESC LIMIT 1", logger: logger
            ).collect().first {
                let current = try Self.policy(row)
                if current.digest == policy.digest { return current }
            }
            var stored = policy
            stored.version =
                (try await connection.query("SELECT max(version) FROM policy WHERE name = \(policy.name)", logger: logger).collect().first?.decode(Int64?.self)
                    ?? 0) + 1
            try await connection.query(
                """
                INSERT INTO policy (name, version, digest, document, applied_by, applied_at)
                VALUES (\(stored.name), \(stored.version), \(stored.digest), \(stored.document.bytea), \(stored.appliedBy), \(stored.appliedAt.seconds))
                """, logger: logger)
            try await Self.insert([event], connection, logger: logger)
            return stored
        }
    }

    public func currentPolicies() async throws -> [PolicyRecord] {
        try await rows(
            """
            SELECT DISTINCT ON (name) \(unescaped: Self.policyColumns) FROM policy ORDER BY name, version DESC
            """
        ).map(Self.policy)
    }

    public func policyVersions(name: String) async throws -> [PolicyRecord] {
        try await rows("SELECT \(unescaped: Self.policyColumns) FROM policy WHERE name = \(name) ORDER BY version").map(Self.policy)
    }

    private static func policy(_ row: PostgresRow) throws -> PolicyRecord {
        let (name, version, digest, document, appliedBy, appliedAt) = try row.decode((String, Int64, String, ByteBuffer, String, Int64).self)
        return PolicyRecord(
            name: name, version: version, digest: digest, document: document.bytes, appliedBy: appliedBy, appliedAt: Timestamp(seconds: appliedAt))
    }
}
