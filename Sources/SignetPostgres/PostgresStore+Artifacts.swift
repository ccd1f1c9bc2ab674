import NIOCore
import PostgresNIO
import SignetCore
import SignetStore

extension PostgresStore {
    /// Every signature column and the covering revocation's, for reads by id and by name.
    private static let signatureColumns = """
        signature.id, signature.namespace, signature.name, signature.identity, signature.issuer, signature.provenance,
        signature.log_index, signature.signed_at, signature.certificate_serial, signature.bundle, signature.predicate_type, signature.payload_digest,
        revocation.id, revocation.namespace, revocation.name, revocation.source_ref, revocation.reason, revocation.actor,
        revocation.time, revocation.log_index
        FROM signature LEFT JOIN revocation ON revocation.id = signature.revocation_id
        """

    /// The same without the bundle, for listings.
    private static let listingColumns = signatureColumns.replacingOccurrences(of: "signature.bundle,", with: "NULL::bytea,")

    /// Takes the transaction's lock on `name`: registrations and revocations of one name run
    /// one at a time across replicas, as under SQLite's single writer.
    private static func lock(_ name: ArtifactName, _ connection: PostgresConnection, logger: Logger) async throws {
        try await PostgresStore.advisoryLock("name:" + name.description, connection, logger: logger)
    }

    public func register(_ signature: SignatureRecord, attestationPayload: [UInt8]?, event: AuditEvent) async throws -> SignatureRecord {
        let logger = logger
        return try await transaction { connection in
            try await Self.lock(signature.name, connection, logger: logger)
            if let existing = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT \(Self.signatureColumns) WHERE signature.id = $1", binds: try Self.binds([signature.id])), logger: logger
            ).collect().first {
                return try Self.signature(existing)
            }
            if let owner = try await connection.query("SELECT namespace FROM signature WHERE name = \(signature.name.description) LIMIT 1", logger: logger)
                .collect().first?.decode(String.self), owner != signature.namespace
            {
                throw NamespaceConflict(name: signature.name, owner: owner, requested: signature.namespace)
            }
            var stored = signature
            stored.revocation = try await Self.covering(signature, connection, logger: logger)
            if let digest = signature.attestation?.payloadDigest, let attestationPayload {
                try await connection.query(
                    "INSERT INTO attestation_payload (digest, payload) VALUES (\(digest), \(attestationPayload.bytea)) ON CONFLICT (digest) DO NOTHING",
                    logger: logger)
            }
            try await Self.insert(stored, event: event, connection, logger: logger)
            return stored
        }
    }

    public func attestationPayload(digest: String) async throws -> [UInt8]? {
        try await rows("SELECT payload FROM attestation_payload WHERE digest = \(digest)").first?.decode(ByteBuffer.self).bytes
    }

    public func register(batch: [(signature: SignatureRecord, event: AuditEvent)]) async throws {
        let logger = logger
        try await transaction { connection in
            for (signature, event) in batch {
                try await Self.lock(signature.name, connection, logger: logger)
                guard try await connection.query("SELECT 1 FROM signature WHERE id = \(signature.id)", logger: logger).collect().isEmpty else { continue }
                var stored = signature
                stored.revocation = try await Self.covering(signature, connection, logger: logger)
                try await Self.insert(stored, event: event, connection, logger: logger)
            }
        }
    }

    /// The revocation that covers `signature` by the one rule, read under the name's lock.
    private static func covering(_ signature: SignatureRecord, _ connection: PostgresConnection, logger: Logger) async throws -> RevocationStatement? {
        let revocations = try await connection.query(
            "SELECT \(unescaped: revocationColumns) FROM revocation WHERE name = \(signature.name.description)", logger: logger
        ).collect().map { try revocationRecord($0).statement }
        return RevocationStatement.covering(revocations, name: signature.name, sourceRepositoryRef: signature.sourceRepositoryRef)
    }

    private static func insert(_ signature: SignatureRecord, event: AuditEvent, _ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO signature (id, namespace, name, repository, identity, issuer, source_repository, source_ref, provenance, log_index, signed_at,
                certificate_serial, bundle, revocation_id, predicate_type, payload_digest)
            VALUES (\(signature.id), \(signature.namespace), \(signature.name.description), \(signature.name.repository), \(signature.identity),
                \(signature.issuer), \(signature.sourceRepository), \(signature.sourceRepositoryRef), \(signature.storedProvenance), \(signature.logIndex),
                \(signature.signedAt.seconds), \(signature.certificateSerial), \(signature.bundle.bytea), \(signature.revocation?.id),
                \(signature.attestation?.predicateType), \(signature.attestation?.payloadDigest))
            """, logger: logger)
        try await insert([event], connection, logger: logger)
    }

    public func evidenceStamp(name: ArtifactName) async throws -> EvidenceStamp {
        let found = try await rows(
            "SELECT (SELECT value FROM evidence_epoch WHERE id = 1), (SELECT count(*) FROM signature WHERE name = \(name.description))",
            within: EvidenceStamp.readDeadlineSeconds)
        guard let row = found.first else { return EvidenceStamp(epoch: 0, signatures: 0) }
        let (epoch, signatures) = try row.decode((Int64?, Int64).self)
        return EvidenceStamp(epoch: epoch ?? 0, signatures: signatures)
    }

    /// Moves the evidence epoch, inside the transaction of the change that moves it (after the
    /// change's own locks, so that no two transactions wait on each other for it).
    static func advanceEvidenceEpoch(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("UPDATE evidence_epoch SET value = value + 1 WHERE id = 1", logger: logger)
    }

    public func signatures(name: ArtifactName) async throws -> [SignatureRecord] {
        try await rows(
            PostgresQuery(
                unsafeSQL: "SELECT \(Self.signatureColumns) WHERE signature.name = $1 ORDER BY signature.signed_at, signature.id",
                binds: try Self.binds([name.description]))
        ).map(Self.signature)
    }

    public func revoke(_ record: RevocationRecord, event: AuditEvent) async throws -> [String] {
        let revocation = record.statement
        let logger = logger
        return try await transaction { connection in
            try await Self.lock(revocation.name, connection, logger: logger)
            try await connection.query(
                """
                INSERT INTO revocation (id, namespace, name, source_ref, reason, actor, time, log_index, statement, bundle)
                VALUES (\(revocation.id), \(revocation.namespace), \(revocation.name.description), \(revocation.sourceRepositoryRef), \(revocation.reason),
                    \(revocation.actor), \(revocation.time.seconds), \(revocation.logIndex), \(record.signedStatement?.bytea), \(record.bundle?.bytea))
                """, logger: logger)
            // The signatures the one rule says this revocation covers, among those no earlier
            // revocation covers already.
            var ids: [String] = []
            for row in try await connection.query(
                "SELECT id, source_ref FROM signature WHERE name = \(revocation.name.description) AND revocation_id IS NULL ORDER BY id", logger: logger
            ).collect() {
                let (id, ref) = try row.decode((String, String?).self)
                if revocation.covers(name: revocation.name, sourceRepositoryRef: ref) { ids.append(id) }
            }
            if !ids.isEmpty {
                try await connection.query("UPDATE signature SET revocation_id = \(revocation.id) WHERE id = ANY(\(ids)::text[])", logger: logger)
            }
            try await Self.advanceEvidenceEpoch(connection, logger: logger)
            try await Self.insert([event], connection, logger: logger)
            return ids
        }
    }

    private static let revocationColumns = "id, namespace, name, source_ref, reason, actor, time, log_index, statement, bundle"

    public func revocations(since: Timestamp, limit: Int) async throws -> [RevocationRecord] {
        try await rows(
            "SELECT \(unescaped: Self.revocationColumns) FROM revocation WHERE time >= \(since.seconds) ORDER BY time, id LIMIT \(max(1, min(limit, 10_000)))"
        ).map(Self.revocationRecord)
    }

    public func revocations(name: ArtifactName) async throws -> [RevocationRecord] {
        try await rows("SELECT \(unescaped: Self.revocationColumns) FROM revocation WHERE name = \(name.description) ORDER BY time, id").map(
            Self.revocationRecord)
    }

    public func namespace(of name: ArtifactName) async throws -> String? {
        try await rows("SELECT namespace FROM signature WHERE name = \(name.description) ORDER BY signed_at, id LIMIT 1").first?.decode(String.self)
    }

    public func signatures(_ filter: SignatureFilter, after: String?, limit: Int) async throws -> [SignatureRecord] {
        var conditions: [String] = []
        var values: [any PostgresThrowingDynamicTypeEncodable] = []
        func add(_ condition: (Int) -> String, _ value: any PostgresThrowingDynamicTypeEncodable) {
            values.append(value)
            conditions.append(condition(values.count))
        }
        if let namespaces = filter.namespaces { add({ "signature.namespace = ANY($\($0)::text[])" }, namespaces) }
        if let sourceRepository = filter.sourceRepository { add({ "signature.source_repository = $\($0)" }, sourceRepository) }
        if let ref = filter.sourceRepositoryRef { add({ "signature.source_ref = $\($0)" }, ref) }
        if let identity = filter.identity { add({ "signature.identity = $\($0)" }, identity) }
        if let prefix = filter.repositoryPrefix {
            if prefix.hasSuffix("/") {
                // A range on the indexed column: every repository that starts with the prefix.
                add({ "signature.repository >= $\($0)" }, prefix)
                add({ "signature.repository < $\($0)" }, String(prefix.dropLast()) + "0")
            } else {
                add({ "signature.repository = $\($0)" }, prefix)
            }
        }
        if let since = filter.since { add({ "signature.signed_at >= $\($0)" }, since.seconds) }
        switch filter.status {
        case .active?: conditions.append("signature.revocation_id IS NULL")
        case .revoked?: conditions.append("signature.revocation_id IS NOT NULL")
        case nil: break
        }
        if let after { add({ "(signature.signed_at, signature.id) < (SELECT signed_at, id FROM signature WHERE id = $\($0))" }, after) }
        values.append(max(1, min(limit, 1_000)))
        let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try await rows(
            PostgresQuery(
                unsafeSQL: "SELECT \(Self.listingColumns) \(clause) ORDER BY signature.signed_at DESC, signature.id DESC LIMIT $\(values.count)",
                binds: try Self.binds(values))
        ).map(Self.signature)
    }

    public func create(_ key: APIKeyRecord, event: AuditEvent) async throws {
        let logger = logger
        try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO api_key (id, namespace, scopes, secret_hash, description, created_by, created_at, expires_at, revoked_at)
                VALUES (\(key.id), \(key.namespace), \(key.storedScopes), \(key.secretHash.bytea), \(key.description), \(key.createdBy),
                    \(key.createdAt.seconds), \(key.expiresAt?.seconds), \(key.revokedAt?.seconds))
                """, logger: logger)
            try await Self.insert([event], connection, logger: logger)
        }
    }

    private static let apiKeyColumns = "id, namespace, scopes, secret_hash, description, created_by, created_at, expires_at, revoked_at"

    public func apiKey(id: String) async throws -> APIKeyRecord? {
        try await rows("SELECT \(unescaped: Self.apiKeyColumns) FROM api_key WHERE id = \(id)").first.map(Self.apiKey)
    }

    public func revokeAPIKey(id: String, at time: Timestamp, event: AuditEvent) async throws -> Bool {
        let logger = logger
        return try await transaction { connection in
            let revoked = try await connection.query(
                "UPDATE api_key SET revoked_at = \(time.seconds) WHERE id = \(id) AND revoked_at IS NULL RETURNING id", logger: logger
            ).collect()
            guard revoked.count == 1 else { return false }
            try await Self.insert([event], connection, logger: logger)
            return true
        }
    }

    public func apiKeys(namespace: String?) async throws -> [APIKeyRecord] {
        if let namespace {
            return try await rows("SELECT \(unescaped: Self.apiKeyColumns) FROM api_key WHERE namespace = \(namespace) ORDER BY created_at, id").map(
                Self.apiKey)
        }
        return try await rows("SELECT \(unescaped: Self.apiKeyColumns) FROM api_key ORDER BY created_at, id").map(Self.apiKey)
    }

    private static func apiKey(_ row: PostgresRow) throws -> APIKeyRecord {
        let (id, namespace, scopes, secretHash, description, createdBy, createdAt, expiresAt, revokedAt) = try row.decode(
            (String, String, String, ByteBuffer, String, String, Int64, Int64?, Int64?).self)
        return APIKeyRecord(
            id: id, namespace: namespace, scopes: APIKeyRecord.scopes(stored: scopes), secretHash: secretHash.bytes, description: description,
            createdBy: createdBy, createdAt: Timestamp(seconds: createdAt), expiresAt: expiresAt.map { Timestamp(seconds: $0) },
            revokedAt: revokedAt.map { Timestamp(seconds: $0) })
    }

    private static func signature(_ row: PostgresRow) throws -> SignatureRecord {
        let columns = try row.decode(
            (
                String, String, String, String, String, String, Int64, Int64, String, ByteBuffer?, String?, String?, String?, String?, String?, String?,
                String?, String?, Int64?, Int64?
            )
            .self)
        var revocation: RevocationStatement?
        if let revocationID = columns.12, let revocationNamespace = columns.13, let revocationName = columns.14, let ref = columns.15,
            let reason = columns.16, let actor = columns.17, let time = columns.18
        {
            revocation = RevocationStatement(
                id: revocationID, namespace: revocationNamespace, name: try ArtifactName(parsing: revocationName), sourceRepositoryRef: ref, reason: reason,
                actor: actor, time: Timestamp(seconds: time), logIndex: columns.19)
        }
        var attestation: SignatureRecord.Attestation?
        if let predicateType = columns.10, let payloadDigest = columns.11 {
            attestation = SignatureRecord.Attestation(predicateType: predicateType, payloadDigest: payloadDigest)
        }
        let provenance = try SignatureRecord.provenance(stored: columns.5)
        return SignatureRecord(
            id: columns.0, namespace: columns.1, name: try ArtifactName(parsing: columns.2), identity: columns.3, issuer: columns.4,
            provenance: provenance.attested, statedProvenance: provenance.stated, logIndex: columns.6, signedAt: Timestamp(seconds: columns.7),
            certificateSerial: columns.8, bundle: columns.9?.bytes ?? [], revocation: revocation, attestation: attestation)
    }

    private static func revocationRecord(_ row: PostgresRow) throws -> RevocationRecord {
        let (id, namespace, name, ref, reason, actor, time, logIndex, statement, bundle) = try row.decode(
            (String, String, String, String, String, String, Int64, Int64?, ByteBuffer?, ByteBuffer?).self)
        return RevocationRecord(
            RevocationStatement(
                id: id, namespace: namespace, name: try ArtifactName(parsing: name), sourceRepositoryRef: ref, reason: reason, actor: actor,
                time: Timestamp(seconds: time), logIndex: logIndex),
            signedStatement: statement?.bytes, bundle: bundle?.bytes)
    }

    /// Bindings for a query written with `$n` placeholders.
    static func binds(_ values: [any PostgresThrowingDynamicTypeEncodable]) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { try binds.append(value) }
        return binds
    }
}
