import Foundation
import GRDB
import SignetCore
import SignetLog
import SignetStore

/// Signet's embedded store in SQLite (WAL, `synchronous = FULL`): each log's entries, the
/// perfect-subtree nodes of its Merkle tree and its signed checkpoints; the certificates the CA
/// issued; the signatures registered by name; and the audit trail. A batch of entries, its
/// nodes and the checkpoint that covers them are committed in one transaction, so an entry is
/// acknowledged only once it and its proof survive a crash of the process or the machine.
/// Every call goes through GRDB's async API: reads run concurrently on the pool's readers,
/// writes one at a time on its writer, and no caller's thread waits on either.
public final class SQLiteStore: Store {
    let database: DatabasePool

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(10)
        database = try DatabasePool(path: path, configuration: configuration)
        if try database.read({ try Self.migrator.hasBeenSuperseded($0) }) {
            throw StoreTransfer.TransferError(
                description: "expected a store this version of Signet can read at \(path), found one a newer Signet has migrated")
        }
        try Self.migrator.migrate(database)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: log entries, Merkle nodes, checkpoints") { db in
            try db.execute(
                sql: """
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
                        PRIMARY KEY (log, size)
                    ) WITHOUT ROWID;
                    CREATE TABLE checkpoint_note (
                        log TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        log_id BLOB NOT NULL,
                        note TEXT NOT NULL,
                        PRIMARY KEY (log, size, log_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE log_index (
                        log TEXT NOT NULL,
                        key TEXT NOT NULL,
                        idx INTEGER NOT NULL,
                        PRIMARY KEY (log, key, idx)
                    ) WITHOUT ROWID;
                    """)
        }
        registerRecordMigrations(&migrator)
        registerArtifactMigrations(&migrator)
        registerWebSessionMigrations(&migrator)
        registerDeploymentMigrations(&migrator)
        return migrator
    }

    public func latestCheckpoint(log: String) async throws -> CheckpointRecord? {
        try await database.read { db in try Self.checkpoint(db, log: log, size: nil) }
    }

    public func checkpoint(log: String, size: Int64) async throws -> CheckpointRecord? {
        try await database.read { db in try Self.checkpoint(db, log: log, size: size) }
    }

    /// The checkpoint of tree `size`, or the latest with `nil`, with its notes.
    static func checkpoint(_ db: Database, log: String, size: Int64?) throws -> CheckpointRecord? {
        let row =
            if let size {
                try Row.fetchOne(try db.cachedStatement(sql: "SELECT size, root_hash FROM checkpoint WHERE log = ? AND size = ?"), arguments: [log, size])
            } else {
                try Row.fetchOne(
                    try db.cachedStatement(sql: "SELECT size, root_hash FROM checkpoint WHERE log = ? ORDER BY size DESC LIMIT 1"), arguments: [log])
            }
        guard let row else { return nil }
        let treeSize: Int64 = try row.decode(forColumn: "size")
        var notes: [[UInt8]: String] = [:]
        for note in try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT log_id, note FROM checkpoint_note WHERE log = ? AND size = ?"), arguments: [log, treeSize])
        {
            notes[Array(try note.decode(Data.self, forColumn: "log_id"))] = try note.decode(forColumn: "note")
        }
        return CheckpointRecord(size: treeSize, rootHash: Array(try row.decode(Data.self, forColumn: "root_hash")), notes: notes)
    }

    public func commit(_ batch: PreparedBatch, log: String) async throws -> CommitOutcome {
        try await database.write { db in
            let storedSize = try Self.checkpoint(db, log: log, size: nil)?.size ?? 0
            guard storedSize == batch.baseSize else { return .conflict(storedSize: storedSize) }
            let findLeaf = try db.cachedStatement(sql: "SELECT idx FROM log_entry WHERE log = ? AND leaf_hash = ?")
            var duplicates: [[UInt8]: Int64] = [:]
            for entry in batch.entries {
                if let index = try Int64.fetchOne(findLeaf, arguments: [log, Data(entry.leafHash)]) { duplicates[entry.leafHash] = index }
            }
            guard duplicates.isEmpty else { return .duplicates(duplicates) }
            let insertEntry = try db.cachedStatement(
                sql: "INSERT INTO log_entry (log, idx, leaf_hash, body, kind, version, integrated_time) VALUES (?, ?, ?, ?, ?, ?, ?)")
            let insertKey = try db.cachedStatement(sql: "INSERT OR IGNORE INTO log_index (log, key, idx) VALUES (?, ?, ?)")
            for entry in batch.entries {
                let record = entry.record
                try insertEntry.execute(arguments: [
                    log, record.index, Data(entry.leafHash), Data(record.body), record.kind, record.version, record.integratedTime,
                ])
                for key in entry.indexKeys { try insertKey.execute(arguments: [log, key, record.index]) }
            }
            let insertNode = try db.cachedStatement(sql: "INSERT INTO merkle_node (log, level, idx, hash) VALUES (?, ?, ?, ?)")
            for node in batch.nodes {
                try insertNode.execute(arguments: [log, node.level, node.index, Data(node.hash)])
            }
            let checkpoint = batch.checkpoint
            try db.cachedStatement(sql: "INSERT INTO checkpoint (log, size, root_hash) VALUES (?, ?, ?)").execute(arguments: [
                log, checkpoint.size, Data(checkpoint.rootHash),
            ])
            let insertNote = try db.cachedStatement(sql: "INSERT INTO checkpoint_note (log, size, log_id, note) VALUES (?, ?, ?, ?)")
            for (logID, note) in checkpoint.notes {
                try insertNote.execute(arguments: [log, checkpoint.size, Data(logID), note])
            }
            return .committed
        }
    }

    public func entry(log: String, index: Int64) async throws -> LogEntryRecord? {
        try await database.read { db in
            try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT idx, body, kind, version, integrated_time FROM log_entry WHERE log = ? AND idx = ?"),
                arguments: [log, index]
            ).map(Self.entry)
        }
    }

    public func entry(log: String, leafHash: [UInt8]) async throws -> LogEntryRecord? {
        try await database.read { db in
            try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT idx, body, kind, version, integrated_time FROM log_entry WHERE log = ? AND leaf_hash = ?"),
                arguments: [log, Data(leafHash)]
            ).map(Self.entry)
        }
    }

    public func entries(log: String, range: Range<Int64>) async throws -> [LogEntryRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT idx, body, kind, version, integrated_time FROM log_entry WHERE log = ? AND idx >= ? AND idx < ? ORDER BY idx",
                arguments: [log, range.lowerBound, range.upperBound]
            ).map(Self.entry)
        }
    }

    private static func entry(_ row: Row) throws -> LogEntryRecord {
        try LogEntryRecord(
            index: row.decode(forColumn: "idx"), body: Array(row.decode(Data.self, forColumn: "body")), kind: row.decode(forColumn: "kind"),
            version: row.decode(forColumn: "version"), integratedTime: row.decode(forColumn: "integrated_time"))
    }

    public func nodes(log: String, level: Int, range: Range<Int64>) async throws -> [[UInt8]] {
        try await database.read { db in
            try Data.fetchAll(
                db, sql: "SELECT hash FROM merkle_node WHERE log = ? AND level = ? AND idx >= ? AND idx < ? ORDER BY idx",
                arguments: [log, level, range.lowerBound, range.upperBound]
            ).map { Array($0) }
        }
    }

    public func indexedEntries(log: String, key: String, limit: Int) async throws -> [(index: Int64, leafHash: [UInt8])] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT log_index.idx, log_entry.leaf_hash FROM log_index JOIN log_entry ON log_entry.log = log_index.log AND log_entry.idx = log_index.idx
                    WHERE log_index.log = ? AND log_index.key = ? ORDER BY log_index.idx LIMIT ?
                    """, arguments: [log, key, max(1, min(limit, 1000))]
            ).map { ($0[0], Array($0[1] as Data)) }
        }
    }

    public func nodes(log: String, _ ids: Set<MerkleNodeID>) async throws -> [MerkleNodeID: [UInt8]] {
        try await database.read { db in
            let select = try db.cachedStatement(sql: "SELECT hash FROM merkle_node WHERE log = ? AND level = ? AND idx = ?")
            var found: [MerkleNodeID: [UInt8]] = [:]
            for id in ids {
                if let hash = try Data.fetchOne(select, arguments: [log, id.level, id.index]) { found[id] = Array(hash) }
            }
            return found
        }
    }
}
