import NIOCore
import PostgresNIO
import SignetCore
import SignetStore

extension PostgresStore {
    private static let policyColumns = "name, version, digest, document, applied_by, applied_at"

    public func apply(_ policy: PolicyRecord, event: AuditEvent) async throws -> (policy: PolicyRecord, created: Bool) {
        let logger = logger
        return try await transaction { connection in
            // Replicas applying one policy at once take turns on its name.
            try await Self.advisoryLock("policy:" + policy.name, connection, logger: logger)
            let current = try await connection.query(
                "SELECT \(unescaped: Self.policyColumns) FROM policy WHERE name = \(policy.name) ORDER BY version DESC LIMIT 1", logger: logger
            ).collect().first.map(Self.policy)
            if let current, current.digest == policy.digest { return (current, false) }
            var stored = policy
            stored.version = (current?.version ?? 0) + 1
            try await connection.query(
                """
                INSERT INTO policy (name, version, digest, document, applied_by, applied_at)
                VALUES (\(stored.name), \(stored.version), \(stored.digest), \(stored.document.bytea), \(stored.appliedBy), \(stored.appliedAt.seconds))
                """, logger: logger)
            try await Self.advanceEvidenceEpoch(connection, logger: logger)
            try await Self.insert([event], connection, logger: logger)
            return (stored, true)
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
