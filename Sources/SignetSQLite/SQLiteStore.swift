import Foundation
import GRDB
import SignetCore
import SignetLog

/// Signet's embedded store in SQLite (WAL, `synchronous = FULL`): each log's entries, the
/// perfect-subtree nodes of its Merkle tree and its signed checkpoints; the certificates the CA
/// issued; and the audit trail. A batch of entries,
/// its nodes and the checkpoint that covers them are committed in one transaction, so an entry
/// is acknowledged only once it and its proof survive a crash of the process or the machine.
public final class SQLiteStore: Sendable {
    /// An entry as stored: what a log response is built from.
    public struct StoredEntry: Sendable, Hashable {
        public var index: Int64
        public var body: [UInt8]
        public var kind: String
        public var version: String
        public var integratedTime: Int64
    }

    /// A signed checkpoint as stored.
    public struct StoredCheckpoint: Sendable, Hashable {
        public var size: Int64
        public var rootHash: [UInt8]
        public var note: String
    }

    /// An entry to append.
    public struct NewEntry: Sendable {
        public var body: RekorEntryBody
        public var integratedTime: Int64

        public init(body: RekorEntryBody, integratedTime: Int64) {
            self.body = body
            self.integratedTime = integratedTime
        }
    }

    /// What a committed batch returns: the entries' first index, the batch (with each entry's
    /// inclusion proof) and the checkpoint that covers it.
    public struct CommittedBatch: Sendable {
        public var firstIndex: Int64
        public var batch: AppendBatch
        public var checkpoint: StoredCheckpoint
        public var entries: [StoredEntry]
    }

    let database: DatabasePool

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(10)
        database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: log entries, Merkle nodes, checkpoints") { db in
            try db.execute(sql: """
                CREATE TABLE log_entry (
                    log TEXT NOT NULL,
                    idx INTEGER NOT NULL,
                    leaf_hash BLOB NOT NULL,
                    body BLOB NOT NULL,
                    kind TEXT NOT NULL,
                    version TEXT NOT NULL,
                    integrated_time INTEGER NOT NULL,
                    PRIMARY KEY (log, idx)
                ) WITHOUT ROWID;
                CREATE UNIQUE INDEX log_entry_by_leaf ON log_entry (log, leaf_hash);
                CREATE TABLE merkle_node (
                    log TEXT NOT NULL,
                    level INTEGER NOT NULL,
                    idx INTEGER NOT NULL,
                    hash BLOB NOT NULL,
                    PRIMARY KEY (log, level, idx)
                ) WITHOUT ROWID;
                CREATE TABLE checkpoint (
                    log TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    root_hash BLOB NOT NULL,
                    note TEXT NOT NULL,
                    PRIMARY KEY (log, size)
                ) WITHOUT ROWID;
                """)
        }
        registerRecordMigrations(&migrator)
        return migrator
    }

    /// Reads a log's nodes inside a transaction.
    struct NodeReader: MerkleNodeReader {
        let db: Database
        let log: String

        func node(level: Int, index: Int64) throws -> [UInt8] {
            guard let hash = try Data.fetchOne(db, sql: "SELECT hash FROM merkle_node WHERE log = ? AND level = ? AND idx = ?", arguments: [log, level, index]) else {
                throw MerkleTreeError.missingNode(level: level, index: index)
            }
            return Array(hash)
        }
    }

    /// The latest checkpoint of `log`, if it has any entries.
    public func latestCheckpoint(log: String) throws -> StoredCheckpoint? {
        try database.read { db in try Self.latestCheckpoint(db, log: log) }
    }

    static func latestCheckpoint(_ db: Database, log: String) throws -> StoredCheckpoint? {
        guard let row = try Row.fetchOne(db, sql: "SELECT size, root_hash, note FROM checkpoint WHERE log = ? ORDER BY size DESC LIMIT 1", arguments: [log]) else {
            return nil
        }
        return StoredCheckpoint(size: row["size"], rootHash: Array(row["root_hash"] as Data), note: row["note"])
    }

    /// Appends entries to `log` after those already stored, signs a checkpoint for the new
    /// tree with `signer`, and commits all of it in one transaction. Nothing is written if
    /// anything fails (a body already in the log, a signing error, the disk).
    public func append(_ entries: [NewEntry], to log: String, signer: LogSigner) throws -> CommittedBatch {
        try database.write { db in
            let oldSize = try Self.latestCheckpoint(db, log: log)?.size ?? 0
            let canonical = try entries.map { try $0.body.canonicalBytes() }
            let batch = try AppendBatch(appending: canonical.map(Merkle.leafHash), toTreeOf: oldSize, reader: NodeReader(db: db, log: log))
            var stored: [StoredEntry] = []
            for (offset, entry) in entries.enumerated() {
                let index = oldSize + Int64(offset)
                let (kind, version) = entry.body.kindVersion
                try db.execute(
                    sql: "INSERT INTO log_entry (log, idx, leaf_hash, body, kind, version, integrated_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [log, index, Data(Merkle.leafHash(canonical[offset])), Data(canonical[offset]), kind, version, entry.integratedTime])
                stored.append(StoredEntry(index: index, body: canonical[offset], kind: kind, version: version, integratedTime: entry.integratedTime))
            }
            for node in batch.nodes {
                try db.execute(sql: "INSERT INTO merkle_node (log, level, idx, hash) VALUES (?, ?, ?, ?)", arguments: [log, node.level, node.index, Data(node.hash)])
            }
            let note = try signer.signCheckpoint(size: batch.newSize, rootHash: batch.rootHash).serialized
            try db.execute(sql: "INSERT INTO checkpoint (log, size, root_hash, note) VALUES (?, ?, ?, ?)", arguments: [log, batch.newSize, Data(batch.rootHash), note])
            return CommittedBatch(firstIndex: oldSize, batch: batch, checkpoint: StoredCheckpoint(size: batch.newSize, rootHash: batch.rootHash, note: note), entries: stored)
        }
    }

    /// The entry at `index`, if stored.
    public func entry(log: String, index: Int64) throws -> StoredEntry? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT idx, body, kind, version, integrated_time FROM log_entry WHERE log = ? AND idx = ?", arguments: [log, index]).map(Self.entry)
        }
    }

    /// The entry whose canonical body has `leafHash`, if stored: how duplicates are found.
    public func entry(log: String, leafHash: [UInt8]) throws -> StoredEntry? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT idx, body, kind, version, integrated_time FROM log_entry WHERE log = ? AND leaf_hash = ?", arguments: [log, Data(leafHash)]).map(Self.entry)
        }
    }

    private static func entry(_ row: Row) -> StoredEntry {
        StoredEntry(index: row["idx"], body: Array(row["body"] as Data), kind: row["kind"], version: row["version"], integratedTime: row["integrated_time"])
    }

    /// The audit path of entry `index` in the tree of `size` entries.
    public func inclusionProof(log: String, index: Int64, size: Int64) throws -> [[UInt8]] {
        try database.read { db in try MerkleNodes.inclusionProof(index: index, size: size, NodeReader(db: db, log: log)) }
    }

    /// The consistency proof between two tree sizes.
    public func consistencyProof(log: String, oldSize: Int64, newSize: Int64) throws -> [[UInt8]] {
        try database.read { db in try MerkleNodes.consistencyProof(oldSize: oldSize, newSize: newSize, NodeReader(db: db, log: log)) }
    }

    /// The signed checkpoint for tree `size`, if one was issued.
    public func checkpoint(log: String, size: Int64) throws -> StoredCheckpoint? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT size, root_hash, note FROM checkpoint WHERE log = ? AND size = ?", arguments: [log, size]).map {
                StoredCheckpoint(size: $0["size"], rootHash: Array($0["root_hash"] as Data), note: $0["note"])
            }
        }
    }
}
