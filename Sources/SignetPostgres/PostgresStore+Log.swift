import NIOCore
import PostgresNIO
import SignetCore
import SignetLog

extension PostgresStore {
    public func latestCheckpoint(log: String) async throws -> CheckpointRecord? {
        try await checkpoint(
            log: log, rows: try await rows("SELECT size, root_hash FROM checkpoint WHERE log = \(log) ORDER BY size DESC LIMIT 1"))
    }

    public func checkpoint(log: String, size: Int64) async throws -> CheckpointRecord? {
        try await checkpoint(log: log, rows: try await rows("SELECT size, root_hash FROM checkpoint WHERE log = \(log) AND size = \(size)"))
    }

    /// The checkpoint in `rows` (one row or none) with its notes; both are immutable once
    /// committed, so two reads see one checkpoint.
    private func checkpoint(log: String, rows: [PostgresRow]) async throws -> CheckpointRecord? {
        guard let row = rows.first else { return nil }
        let (size, root) = try row.decode((Int64, ByteBuffer).self)
        var notes: [[UInt8]: String] = [:]
        for note in try await self.rows("SELECT log_id, note FROM checkpoint_note WHERE log = \(log) AND size = \(size)") {
            let (logID, text) = try note.decode((ByteBuffer, String).self)
            notes[logID.bytes] = text
        }
        return CheckpointRecord(size: size, rootHash: root.bytes, notes: notes)
    }

    public func entry(log: String, index: Int64) async throws -> LogEntryRecord? {
        try await rows("SELECT idx, body, kind, version, integrated_time FROM log_entry WHERE log = \(log) AND idx = \(index)").first.map(Self.entry)
    }

    public func entry(log: String, leafHash: [UInt8]) async throws -> LogEntryRecord? {
        try await rows("SELECT idx, body, kind, version, integrated_time FROM log_entry WHERE log = \(log) AND leaf_hash = \(leafHash.bytea)").first
            .map(Self.entry)
    }

    public func entries(log: String, range: Range<Int64>) async throws -> [LogEntryRecord] {
        try await rows(
            """
            SELECT idx, body, kind, version, integrated_time FROM log_entry
            WHERE log = \(log) AND idx >= \(range.lowerBound) AND idx < \(range.upperBound) ORDER BY idx
            """
        ).map(Self.entry)
    }

    private static func entry(_ row: PostgresRow) throws -> LogEntryRecord {
        let (index, body, kind, version, integratedTime) = try row.decode((Int64, ByteBuffer, String, String, Int64).self)
        return LogEntryRecord(index: index, body: body.bytes, kind: kind, version: version, integratedTime: integratedTime)
    }

    public func nodes(log: String, level: Int, range: Range<Int64>) async throws -> [[UInt8]] {
        try await rows(
            """
            SELECT hash FROM merkle_node
            WHERE log = \(log) AND level = \(Int16(clamping: level)) AND idx >= \(range.lowerBound) AND idx < \(range.upperBound) ORDER BY idx
            """
        ).map { try $0.decode(ByteBuffer.self).bytes }
    }

    public func nodes(log: String, _ ids: Set<MerkleNodeID>) async throws -> [MerkleNodeID: [UInt8]] {
        guard !ids.isEmpty else { return [:] }
        return try Self.nodes(in: try await rows(Self.nodesQuery(log: log, ids)))
    }

    /// The stored nodes among `ids`, in one statement.
    static func nodesQuery(log: String, _ ids: Set<MerkleNodeID>) -> PostgresQuery {
        let wanted = Array(ids)
        return """
            SELECT merkle_node.level, merkle_node.idx, merkle_node.hash
            FROM merkle_node JOIN unnest(\(wanted.map { Int16(clamping: $0.level) })::smallint[], \(wanted.map(\.index))::bigint[]) AS wanted (level, idx)
              ON merkle_node.level = wanted.level AND merkle_node.idx = wanted.idx
            WHERE merkle_node.log = \(log)
            """
    }

    /// The nodes ``nodesQuery(log:_:)`` found.
    static func nodes(in rows: [PostgresRow]) throws -> [MerkleNodeID: [UInt8]] {
        var found: [MerkleNodeID: [UInt8]] = [:]
        for row in rows {
            let (level, index, hash) = try row.decode((Int16, Int64, ByteBuffer).self)
            found[MerkleNodeID(level: Int(level), index: index)] = hash.bytes
        }
        return found
    }

    public func indexedEntries(log: String, key: String, limit: Int) async throws -> [(index: Int64, leafHash: [UInt8])] {
        try await rows(
            """
            SELECT log_index.idx, log_entry.leaf_hash FROM log_index JOIN log_entry ON log_entry.log = log_index.log AND log_entry.idx = log_index.idx
            WHERE log_index.log = \(log) AND log_index.key = \(key) ORDER BY log_index.idx LIMIT \(max(1, min(limit, 1000)))
            """
        ).map { row in
            let (index, leafHash) = try row.decode((Int64, ByteBuffer).self)
            return (index, leafHash.bytes)
        }
    }

    /// The batch in one transaction: the tree's row locked (waiting at most the session's
    /// `lock_timeout`), the stored size compared with the batch's base, the batch's leaves
    /// looked up, then entries, index keys, nodes, checkpoint and notes written and the size
    /// moved, each table in one statement.
    public func commit(_ batch: PreparedBatch, log: String) async throws -> CommitOutcome {
        try await commit(batch, log: log, prepareAgain: nil).outcome
    }

    public func commit(_ batch: PreparedBatch, log: String, preparingAgain prepareAgain: @escaping @Sendable (LogTip) async throws -> PreparedBatch)
        async throws -> (outcome: CommitOutcome, batch: PreparedBatch)
    {
        try await commit(batch, log: log, prepareAgain: Optional(prepareAgain))
    }

    /// The tip at `size`, read in the caller's transaction: the checkpoint's root and the
    /// frontier nodes.
    static func tip(log: String, size: Int64, _ connection: PostgresConnection, logger: Logger) async throws -> LogTip {
        guard size > 0 else { return LogTip.empty }
        guard
            let root = try await connection.query("SELECT root_hash FROM checkpoint WHERE log = \(log) AND size = \(size)", logger: logger).collect()
                .first?.decode(ByteBuffer.self)
        else {
            throw StoreError(description: "expected the checkpoint of the stored size \(size), found none")
        }
        let rows = try await connection.query(Self.nodesQuery(log: log, Set(MerkleNodes.frontier(size: size))), logger: logger).collect()
        return try LogTip(size: size, rootHash: root.bytes, storedNodes: try Self.nodes(in: rows))
    }

    private func commit(_ batch: PreparedBatch, log: String, prepareAgain: (@Sendable (LogTip) async throws -> PreparedBatch)?) async throws -> (
        outcome: CommitOutcome, batch: PreparedBatch
    ) {
        let logger = logger
        do {
            return try await commitLocked(batch, log: log, prepareAgain: prepareAgain, logger: logger)
        } catch let error as PostgresTransactionError {
            // Another writer held the tree past the lock timeout: as good as a lost race. The
            // log reads the tip again and prepares anew (a bounded number of times).
            if (error.closureError as? PSQLError)?.serverInfo?[.sqlState] == "55P03" { return (.conflict(storedSize: batch.baseSize), batch) }
            throw StoreError(description: "the PostgreSQL transaction failed: \(Self.describe(error))")
        }
    }

    private func commitLocked(
        _ batch: PreparedBatch, log: String, prepareAgain: (@Sendable (LogTip) async throws -> PreparedBatch)?, logger: Logger
    ) async throws -> (outcome: CommitOutcome, batch: PreparedBatch) {
        try await transaction(keepingClosureErrors: true) { connection in
            try await connection.query("INSERT INTO log_tree (log, size) VALUES (\(log), 0) ON CONFLICT (log) DO NOTHING", logger: logger)
            let storedSize =
                try await connection.query("SELECT size FROM log_tree WHERE log = \(log) FOR UPDATE", logger: logger).collect().first?
                .decode(Int64.self) ?? 0
            var batch = batch
            if storedSize != batch.baseSize, let prepareAgain {
                // Lost a race: prepared again under the lock this transaction holds, so the
                // next attempt cannot lose.
                batch = try await prepareAgain(try await Self.tip(log: log, size: storedSize, connection, logger: logger))
            }
            guard storedSize == batch.baseSize else { return (.conflict(storedSize: storedSize), batch) }
            let leafHashes = batch.entries.map { $0.leafHash.bytea }
            var duplicates: [[UInt8]: Int64] = [:]
            for row in try await connection.query(
                "SELECT leaf_hash, idx FROM log_entry WHERE log = \(log) AND leaf_hash = ANY(\(leafHashes)::bytea[])", logger: logger
            ).collect() {
                let (leafHash, index) = try row.decode((ByteBuffer, Int64).self)
                duplicates[leafHash.bytes] = index
            }
            guard duplicates.isEmpty else { return (.duplicates(duplicates), batch) }
            let records = batch.entries.map(\.record)
            try await connection.query(
                """
                INSERT INTO log_entry (log, idx, leaf_hash, body, kind, version, integrated_time)
                SELECT \(log), * FROM unnest(\(records.map(\.index))::bigint[], \(leafHashes)::bytea[], \(records.map { $0.body.bytea })::bytea[],
                    \(records.map(\.kind))::text[], \(records.map(\.version))::text[], \(records.map(\.integratedTime))::bigint[])
                """, logger: logger)
            let keys = batch.entries.flatMap { entry in Set(entry.indexKeys).map { (entry.record.index, $0) } }
            if !keys.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO log_index (log, idx, key) SELECT \(log), * FROM unnest(\(keys.map(\.0))::bigint[], \(keys.map(\.1))::text[])
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            try await connection.query(
                """
                INSERT INTO merkle_node (log, level, idx, hash)
                SELECT \(log), * FROM unnest(\(batch.nodes.map { Int16(clamping: $0.level) })::smallint[], \(batch.nodes.map(\.index))::bigint[],
                    \(batch.nodes.map { $0.hash.bytea })::bytea[])
                """, logger: logger)
            let checkpoint = batch.checkpoint
            try await connection.query(
                "INSERT INTO checkpoint (log, size, root_hash) VALUES (\(log), \(checkpoint.size), \(checkpoint.rootHash.bytea))", logger: logger)
            let notes = checkpoint.notes.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            try await connection.query(
                """
                INSERT INTO checkpoint_note (log, size, log_id, note)
                SELECT \(log), \(checkpoint.size), * FROM unnest(\(notes.map { $0.key.bytea })::bytea[], \(notes.map(\.value))::text[])
                """, logger: logger)
            let moved = try await connection.query(
                "UPDATE log_tree SET size = \(checkpoint.size) WHERE log = \(log) AND size = \(batch.baseSize) RETURNING size", logger: logger
            ).collect()
            guard moved.count == 1 else {
                throw StoreError(description: "expected the locked tree to stay at size \(batch.baseSize), found it moved; nothing was written")
            }
            return (.committed, batch)
        }
    }
}
