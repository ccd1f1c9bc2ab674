import Foundation
import GRDB
import SignetCore
import SignetStore

extension SQLiteStore {
    static func registerDeploymentMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v11: the deployment inventory; signatures by identity") { db in
            try db.execute(
                sql: """
                    CREATE TABLE deployment (
                        environment TEXT NOT NULL,
                        name TEXT NOT NULL,
                        namespace TEXT NOT NULL,
                        signature_id TEXT,
                        source TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        PRIMARY KEY (environment, name)
                    );
                    CREATE INDEX deployment_by_namespace ON deployment (namespace, environment);
                    CREATE INDEX signature_by_identity ON signature (identity, signed_at);
                    """)
        }
    }

    public func record(deployments: [DeploymentRecord]) async throws {
        try await database.write { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO deployment (environment, name, namespace, signature_id, source, actor, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (environment, name) DO UPDATE SET namespace = excluded.namespace, signature_id = excluded.signature_id,
                        source = excluded.source, actor = excluded.actor, last_seen = excluded.last_seen
                    """)
            for record in deployments {
                try upsert.execute(arguments: [
                    record.environment, record.name.description, record.namespace, record.signatureID, record.source.rawValue, record.actor,
                    record.firstSeen.seconds, record.lastSeen.seconds,
                ])
            }
        }
    }

    public func deployments(environment: String?, namespaces: [String]?, limit: Int) async throws -> [DeploymentRecord] {
        var conditions: [String] = []
        var values: [(any DatabaseValueConvertible)?] = []
        if let environment {
            conditions.append("environment = ?")
            values.append(environment)
        }
        if let namespaces {
            conditions.append("namespace IN (\(Array(repeating: "?", count: namespaces.count).joined(separator: ", ")))")
            values += namespaces as [(any DatabaseValueConvertible)?]
        }
        values.append(max(1, min(limit, 10_000)))
        let arguments = StatementArguments(values)
        let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM deployment \(clause) ORDER BY environment, name LIMIT ?", arguments: arguments).map { row in
                let source: String = try row.decode(forColumn: "source")
                return try DeploymentRecord(
                    environment: row.decode(forColumn: "environment"), name: ArtifactName(parsing: row.decode(forColumn: "name")),
                    namespace: row.decode(forColumn: "namespace"), signatureID: row.decode(forColumn: "signature_id"),
                    source: try DeploymentRecord.Source(stored: source), actor: row.decode(forColumn: "actor"),
                    firstSeen: Timestamp(seconds: row.decode(forColumn: "first_seen")), lastSeen: Timestamp(seconds: row.decode(forColumn: "last_seen")))
            }
        }
    }
}
