import SignetCore
import SignetLog

/// Moves an instance from one store to another (`signet admin migrate`): every table, row for
/// row, keys included, so the target holds the same tree (the same entries at the same
/// indexes, the same nodes, roots and signed checkpoints) and the same records. Both engines
/// keep the same tables and columns; each reads and writes them as its own types.
///
/// The target must be empty: a transfer never merges. Rows go in pages, each committed on its
/// own, and the engine's own bookkeeping (PostgreSQL's tree sizes and sequences) is written last,
/// after every row: a transfer that stops part way leaves a target that is not empty and that
/// PostgreSQL refuses to open (checkpoints without their tree size), so it is run again into a
/// new database.
public enum StoreTransfer {
    /// One table: its columns in the order rows carry them, and the primary key rows are read
    /// in.
    public struct Table: Sendable {
        public let name: String
        public let columns: [String]
        public let key: [String]
        /// The most rows a page of this table holds, for tables of large values.
        let maxPageRows: Int

        init(_ name: String, _ columns: [String], key: [String], maxPageRows: Int = .max) {
            self.name = name
            self.columns = columns
            self.key = key
            self.maxPageRows = maxPageRows
        }

        /// Where each key column sits in a row.
        var keyPositions: [Int] { key.compactMap { columns.firstIndex(of: $0) } }
    }

    /// One column value as both engines store it.
    public enum Value: Sendable, Hashable {
        case null
        case integer(Int64)
        case text(String)
        case bytes([UInt8])
    }

    /// Every table, referenced ones before those that reference them.
    public static let tables: [Table] = [
        Table("log_entry", ["log", "idx", "leaf_hash", "body", "kind", "version", "integrated_time"], key: ["log", "idx"]),
        Table("merkle_node", ["log", "level", "idx", "hash"], key: ["log", "level", "idx"]),
        Table("checkpoint", ["log", "size", "root_hash"], key: ["log", "size"]),
        Table("checkpoint_note", ["log", "size", "log_id", "note"], key: ["log", "size", "log_id"]),
        Table("log_index", ["log", "key", "idx"], key: ["log", "key", "idx"]),
        Table("issued_certificate", ["serial", "identity", "issuer", "provenance", "issued_at", "der"], key: ["serial"]),
        Table("audit_event", ["id", "time", "actor", "action", "subject", "origin", "detail", "namespace"], key: ["id"]),
        Table("deployment", ["environment", "name", "namespace", "signature_id", "source", "actor", "first_seen", "last_seen"], key: ["environment", "name"]),
        Table("revocation", ["id", "namespace", "name", "source_ref", "reason", "actor", "time", "log_index", "statement", "bundle"], key: ["id"]),
        Table(
            "signature",
            [
                "id", "namespace", "name", "repository", "identity", "issuer", "source_repository", "source_ref", "provenance", "log_index",
                "signed_at", "certificate_serial", "bundle", "revocation_id", "predicate_type", "payload_digest",
            ], key: ["id"]),
        // Payloads of up to tens of MiB each: a few per page.
        Table("attestation_payload", ["digest", "payload"], key: ["digest"], maxPageRows: 4),
        Table("policy", ["name", "version", "digest", "document", "applied_by", "applied_at"], key: ["name", "version"]),
        Table(
            "api_key", ["id", "namespace", "scopes", "secret_hash", "description", "created_by", "created_at", "expires_at", "revoked_at"], key: ["id"]),
    ]

    /// Why a transfer stopped; the reason says what was expected and what was found.
    public struct TransferError: Error, CustomStringConvertible, Sendable {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Copies every row of `source` into `target`, which must be empty, then checks that each
    /// log's latest checkpoint and entries read the same from the target. Returns the rows
    /// copied per table; `progress` hears each table's count as it completes. `source` should
    /// be a snapshot (``TransferSource`` of one read transaction), so a writer cannot tear it.
    public static func copy(
        from source: some TransferSource, to target: some TransferTarget & LogStorage, pageSize requested: Int = 500,
        progress: (String, Int) -> Void = { _, _ in }
    ) async throws -> [(table: String, rows: Int)] {
        // PostgreSQL takes at most 32,767 parameters in a statement; the widest table has 16 columns.
        let pageSize = min(max(requested, 1), 2_000)
        let occupied = try await target.nonEmptyTables()
        guard occupied.isEmpty else {
            throw TransferError(
                description: "expected an empty target store, found rows in \(occupied.joined(separator: ", ")); migrate into a new, empty database")
        }
        var copied: [(table: String, rows: Int)] = []
        var latest: [String: (size: Int64, root: [UInt8])] = [:]
        for table in tables {
            var after: [Value]?
            var count = 0
            let tablePageSize = min(pageSize, table.maxPageRows)
            while true {
                let rows = try await source.transferRows(table, after: after, limit: tablePageSize)
                guard let last = rows.last else { break }
                try await target.insertTransferRows(rows, into: table)
                if table.name == "checkpoint" {
                    for row in rows {
                        if case .text(let log) = row[0], case .integer(let size) = row[1], case .bytes(let root) = row[2], size >= latest[log]?.size ?? 0 {
                            latest[log] = (size, root)
                        }
                    }
                }
                count += rows.count
                after = table.keyPositions.map { last[$0] }
                if rows.count < tablePageSize { break }
            }
            let stored = try await source.transferCount(table)
            guard stored == count else {
                throw TransferError(description: "expected \(stored) rows of \(table.name) from the source, found \(count) copied")
            }
            copied.append((table.name, count))
            progress(table.name, count)
        }
        try await target.finishTransfer()
        for (log, checkpoint) in latest.sorted(by: { $0.key < $1.key }) {
            // The tip is the latest checkpoint with its frontier nodes, all read back.
            let tip = try await target.tip(log: log)
            let lastEntry = checkpoint.size > 0 ? try await target.entry(log: log, index: checkpoint.size - 1) : nil
            guard tip.size == checkpoint.size, tip.rootHash == checkpoint.root, checkpoint.size == 0 || lastEntry != nil else {
                throw TransferError(
                    description:
                        "expected log \(log) to read as size \(checkpoint.size) with its root from the target, found size \(tip.size) and its entries \(lastEntry == nil ? "incomplete" : "present")"
                )
            }
        }
        return copied
    }
}

/// A store an instance can be copied out of (``StoreTransfer``).
public protocol TransferSource: Sendable {
    /// Up to `limit` rows of `table`, each with the table's columns in order, whose primary key
    /// follows `after` (from the first row when nil), in key order.
    func transferRows(_ table: StoreTransfer.Table, after: [StoreTransfer.Value]?, limit: Int) async throws -> [[StoreTransfer.Value]]
    /// How many rows `table` holds.
    func transferCount(_ table: StoreTransfer.Table) async throws -> Int
}

/// A store an instance can be copied into (``StoreTransfer``).
public protocol TransferTarget: Sendable {
    /// The tables that hold any row.
    func nonEmptyTables() async throws -> [String]
    /// Stores `rows` (each with the table's columns in order) in one transaction.
    func insertTransferRows(_ rows: [[StoreTransfer.Value]], into table: StoreTransfer.Table) async throws
    /// Writes what the engine keeps beside the rows, once every row is in.
    func finishTransfer() async throws
}
