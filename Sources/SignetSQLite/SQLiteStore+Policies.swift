import Foundation
import GRDB
import SignetCore
import SignetStore

extension SQLiteStore {
    public func apply(_ policy: PolicyRecord, event: AuditEvent) async throws -> (policy: PolicyRecord, created: Bool) {
        try await database.write { db in
            let current = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM policy WHERE name = ? ORDER BY version DESC LIMIT 1"), arguments: [policy.name]
            ).map(Self.policy)
            if let current, current.digest == policy.digest { return (current, false) }
            var stored = policy
            stored.version = (current?.version ?? 0) + 1
            try db.cachedStatement(
                sql: "INSERT INTO policy (name, version, digest, document, applied_by, applied_at) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [stored.name, stored.version, stored.digest, Data(stored.document), stored.appliedBy, stored.appliedAt.seconds])
            try Self.advanceEvidenceEpoch(db)
            try Self.insert(event, db)
            return (stored, true)
        }
    }

    public func currentPolicies() async throws -> [PolicyRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT policy.* FROM policy
                    JOIN (SELECT name, max(version) AS version FROM policy GROUP BY name) AS latest
                      ON latest.name = policy.name AND latest.version = policy.version
                    ORDER BY policy.name
                    """
            ).map(Self.policy)
        }
    }

    public func policyVersions(name: String) async throws -> [PolicyRecord] {
        try await database.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM policy WHERE name = ? ORDER BY version"), arguments: [name]).map(Self.policy)
        }
    }

    private static func policy(_ row: Row) throws -> PolicyRecord {
        PolicyRecord(
            name: row["name"], version: row["version"], digest: row["digest"], document: Array(row["document"] as Data? ?? Data()),
            appliedBy: row["applied_by"], appliedAt: Timestamp(seconds: row["applied_at"]))
    }
}
