import PostgresNIO

/// The PostgreSQL schema and its migrations. Replicas starting together migrate once: the
/// migration transaction first takes a transaction advisory lock, so the others wait, then
/// find the schema current.
///
/// Sized for a hundred million entries: indices and sizes are `bigint`; the primary keys are
/// the access paths (entry by index, node by position, checkpoint by size), and the one
/// secondary index of the log, `(log, leaf_hash)`, is also what makes an entry unique.
enum PostgresSchema {
    /// The advisory lock key migrations run under ("signet" in ASCII).
    static let migrationLock: Int64 = 0x7369_676E_6574

    /// Each version's statements, in order; version N is `versions[N - 1]`.
    static let versions: [[String]] = [
        [
            "CREATE TABLE log_tree (log text PRIMARY KEY, size bigint NOT NULL)",
            """
            CREATE TABLE log_entry (
                log text NOT NULL, idx bigint NOT NULL, leaf_hash bytea NOT NULL, body bytea NOT NULL,
                kind text NOT NULL, version text NOT NULL, integrated_time bigint NOT NULL,
                PRIMARY KEY (log, idx))
            """,
            "CREATE UNIQUE INDEX log_entry_by_leaf ON log_entry (log, leaf_hash)",
            "CREATE TABLE merkle_node (log text NOT NULL, level smallint NOT NULL, idx bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (log, level, idx))",
            "CREATE TABLE checkpoint (log text NOT NULL, size bigint NOT NULL, root_hash bytea NOT NULL, PRIMARY KEY (log, size))",
            "CREATE TABLE checkpoint_note (log text NOT NULL, size bigint NOT NULL, log_id bytea NOT NULL, note text NOT NULL, PRIMARY KEY (log, size, log_id))",
            "CREATE TABLE log_index (log text NOT NULL, key text NOT NULL, idx bigint NOT NULL, PRIMARY KEY (log, key, idx))",
            """
            CREATE TABLE issued_certificate (
                serial text PRIMARY KEY, identity text NOT NULL, issuer text NOT NULL, provenance text NOT NULL,
                issued_at bigint NOT NULL, der bytea NOT NULL)
            """,
            "CREATE INDEX issued_certificate_by_identity ON issued_certificate (identity, issued_at)",
            """
            CREATE TABLE audit_event (
                id bigserial PRIMARY KEY, time bigint NOT NULL, actor text NOT NULL, action text NOT NULL,
                subject text NOT NULL, origin text NOT NULL, detail text NOT NULL)
            """,
            "CREATE INDEX audit_event_by_time ON audit_event (time)",
            """
            CREATE TABLE revocation (
                id text PRIMARY KEY, namespace text NOT NULL, name text NOT NULL, source_ref text NOT NULL, reason text NOT NULL,
                actor text NOT NULL, time bigint NOT NULL, log_index bigint, statement bytea, bundle bytea)
            """,
            "CREATE INDEX revocation_by_time ON revocation (time)",
            "CREATE INDEX revocation_by_name ON revocation (name, time)",
            """
            CREATE TABLE signature (
                id text PRIMARY KEY, namespace text NOT NULL, name text NOT NULL, repository text NOT NULL, identity text NOT NULL,
                issuer text NOT NULL, source_repository text, source_ref text, provenance text NOT NULL, log_index bigint NOT NULL,
                signed_at bigint NOT NULL, certificate_serial text NOT NULL, bundle bytea NOT NULL, revocation_id text REFERENCES revocation (id))
            """,
            "CREATE INDEX signature_by_name ON signature (name, signed_at)",
            "CREATE INDEX signature_by_ref ON signature (source_ref, source_repository, signed_at)",
            "CREATE INDEX signature_by_namespace ON signature (namespace, signed_at)",
            "CREATE INDEX signature_by_time ON signature (signed_at)",
            "CREATE INDEX signature_by_source_repository ON signature (source_repository, signed_at)",
            "CREATE INDEX signature_by_repository ON signature (repository text_pattern_ops, signed_at)",
            """
            CREATE TABLE api_key (
                id text PRIMARY KEY, namespace text NOT NULL, scopes text NOT NULL, secret_hash bytea NOT NULL, description text NOT NULL,
                created_by text NOT NULL, created_at bigint NOT NULL, expires_at bigint, revoked_at bigint)
            """,
            "CREATE INDEX api_key_by_namespace ON api_key (namespace, created_at)",
        ],
        [
            "ALTER TABLE signature ADD COLUMN predicate_type text",
            "ALTER TABLE signature ADD COLUMN payload_digest text",
            "CREATE TABLE attestation_payload (digest text PRIMARY KEY, payload bytea NOT NULL)",
        ],
        [
            """
            CREATE TABLE policy (
                name text NOT NULL, version bigint NOT NULL, digest text NOT NULL, document bytea NOT NULL,
                applied_by text NOT NULL, applied_at bigint NOT NULL, PRIMARY KEY (name, version))
            """
        ],
        [
            "CREATE TABLE evidence_epoch (id integer PRIMARY KEY CHECK (id = 1), value bigint NOT NULL)",
            "INSERT INTO evidence_epoch (id, value) VALUES (1, 0)",
        ],
        [
            "ALTER TABLE audit_event ADD COLUMN namespace text",
            "CREATE INDEX audit_event_by_namespace ON audit_event (namespace, time)",
        ],
        [
            "CREATE TABLE web_session (id_hash bytea PRIMARY KEY, kind text NOT NULL, data bytea NOT NULL, expires_at bigint NOT NULL)",
            "CREATE INDEX web_session_by_expiry ON web_session (expires_at)",
        ],
        [
            """
            CREATE TABLE deployment (
                environment text NOT NULL, name text NOT NULL, namespace text NOT NULL, signature_id text, source text NOT NULL, actor text NOT NULL,
                first_seen bigint NOT NULL, last_seen bigint NOT NULL, PRIMARY KEY (environment, name))
            """,
            "CREATE INDEX deployment_by_namespace ON deployment (namespace, environment)",
            "CREATE INDEX signature_by_identity ON signature (identity, signed_at)",
        ],
    ]

    /// The schema version this build writes.
    static var current: Int { versions.count }

    static func migrate(_ store: PostgresStore) async throws {
        let readOnly = try await store.rows("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
        if let row = readOnly.first {
            let (recovering, transactionReadOnly) = try row.decode((Bool, String).self)
            guard !recovering, transactionReadOnly == "off" else {
                throw PostgresStore.StoreError(
                    description:
                        "expected a writable primary at \(store.location), found a read-only database (\(recovering ? "a standby in recovery" : "transactions are read-only"))"
                )
            }
        }
        try await store.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: store.logger)
            let hasVersionTable =
                try await connection.query("SELECT to_regclass('public.signet_schema') IS NOT NULL", logger: store.logger)
                .collect().first?.decode(Bool.self) ?? false
            var version = 0
            if hasVersionTable {
                version = try await connection.query("SELECT version FROM signet_schema", logger: store.logger).collect().first?.decode(Int.self) ?? 0
            } else {
                let tables = try await connection.query(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name LIMIT 5", logger: store.logger
                ).collect().map { try $0.decode(String.self) }
                guard tables.isEmpty else {
                    throw PostgresStore.StoreError(
                        description:
                            "expected an empty database or a Signet store at \(store.location), found other tables (\(tables.joined(separator: ", "))) and no Signet schema"
                    )
                }
                try await connection.query("CREATE TABLE signet_schema (version integer NOT NULL)", logger: store.logger)
                try await connection.query("INSERT INTO signet_schema (version) VALUES (0)", logger: store.logger)
            }
            guard version <= current else {
                throw PostgresStore.StoreError(
                    description:
                        "expected a store of schema version \(current) or older at \(store.location), found version \(version): a newer Signet wrote it")
            }
            for statements in versions.dropFirst(version) {
                for statement in statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: store.logger)
                }
            }
            if version < current {
                try await connection.query("UPDATE signet_schema SET version = \(current)", logger: store.logger)
            }
        }
        // Every commit writes a log's checkpoint and its size together, and a migration writes
        // every size in its last step: checkpoints with no size at all are a migration that
        // stopped part way, and a tree that cannot be appended to. (Two index probes.)
        let unfinished = try await store.rows(
            "SELECT EXISTS (SELECT 1 FROM checkpoint) AND NOT EXISTS (SELECT 1 FROM log_tree)")
        if try unfinished.first?.decode(Bool.self) == true {
            throw PostgresStore.StoreError(
                description:
                    "expected a complete Signet store at \(store.location), found checkpoints without their tree size: a migration into it did not finish; migrate again into a new, empty database"
            )
        }
    }
}
