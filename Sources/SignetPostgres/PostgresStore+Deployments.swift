import Logging
import PostgresNIO
import SignetCore
import SignetStore

extension PostgresStore {
    public func record(deployments: [DeploymentRecord]) async throws {
        guard !deployments.isEmpty else { return }
        let logger = logger
        try await transaction { connection in
            for record in deployments {
                try await connection.query(
                    """
                    INSERT INTO deployment (environment, name, namespace, signature_id, source, actor, first_seen, last_seen)
                    VALUES (\(record.environment), \(record.name.description), \(record.namespace), \(record.signatureID), \(record.source.rawValue),
                        \(record.actor), \(record.firstSeen.seconds), \(record.lastSeen.seconds))
                    ON CONFLICT (environment, name) DO UPDATE SET namespace = excluded.namespace, signature_id = excluded.signature_id,
                        source = excluded.source, actor = excluded.actor, last_seen = excluded.last_seen
                    """, logger: logger)
            }
        }
    }

    public func deployments(environment: String?, namespaces: [String]?, limit: Int) async throws -> [DeploymentRecord] {
        try await rows(
            """
            SELECT environment, name, namespace, signature_id, source, actor, first_seen, last_seen FROM deployment
            WHERE (\(environment == nil) OR environment = \(environment ?? "")) AND (\(namespaces == nil) OR namespace = ANY(\(namespaces ?? [])::text[]))
            ORDER BY environment, name LIMIT \(max(1, min(limit, 10_000)))
            """
        ).map { row in
            let (environment, name, namespace, signatureID, source, actor, firstSeen, lastSeen) = try row.decode(
                (String, String, String, String?, String, String, Int64, Int64).self)
            return DeploymentRecord(
                environment: environment, name: try ArtifactName(parsing: name), namespace: namespace, signatureID: signatureID,
                source: try DeploymentRecord.Source(stored: source), actor: actor, firstSeen: Timestamp(seconds: firstSeen),
                lastSeen: Timestamp(seconds: lastSeen))
        }
    }
}
