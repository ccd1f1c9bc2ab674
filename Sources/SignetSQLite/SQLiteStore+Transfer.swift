import Foundation
import GRDB
import SignetStore

extension SQLiteStore: TransferSource {
    /// The whole store as it is now, for a transfer: every page is read in one read
    /// transaction, so a server still writing cannot tear the copy.
    public func transferSnapshot() throws -> SQLiteTransferSnapshot {
        SQLiteTransferSnapshot(reader: try database.makeSnapshot())
    }

    public func transferRows(_ table: StoreTransfer.Table, after: [StoreTransfer.Value]?, limit: Int) async throws -> [[StoreTransfer.Value]] {
        try await Self.transferRows(database, table, after: after, limit: limit)
    }

    public func transferCount(_ table: StoreTransfer.Table) async throws -> Int {
        try await Self.transferCount(database, table)
    }

    static func transferRows(_ database: some DatabaseReader, _ table: StoreTransfer.Table, after: [StoreTransfer.Value]?, limit: Int) async throws
        -> [[StoreTransfer.Value]]
    {
        let columns = table.columns.joined(separator: ", ")
        let key = table.key.joined(separator: ", ")
        var arguments = StatementArguments()
        var condition = ""
        if let after {
            condition = "WHERE (\(key)) > (\(after.map { _ in "?" }.joined(separator: ", ")))"
            for value in after { arguments += [Self.databaseValue(value)] }
        }
        arguments += [limit]
        let sql = "SELECT \(columns) FROM \(table.name) \(condition) ORDER BY \(key) LIMIT ?"
        return try await database.read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                try (0..<row.count).map { try Self.transferValue(row[$0] as DatabaseValue, table: table.name) }
            }
        }
    }

    static func transferCount(_ database: some DatabaseReader, _ table: StoreTransfer.Table) async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.name)") ?? 0 }
    }

    static func transferValue(_ value: DatabaseValue, table: String) throws -> StoreTransfer.Value {
        switch value.storage {
        case .null: return .null
        case .int64(let integer): return .integer(integer)
        case .string(let text): return .text(text)
        case .blob(let data): return .bytes(Array(data))
        case .double(let double):
            throw StoreTransfer.TransferError(description: "expected integers, text or blobs in table \(table), found the real number \(double)")
        }
    }

    static func databaseValue(_ value: StoreTransfer.Value) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let integer): integer.databaseValue
        case .text(let text): text.databaseValue
        case .bytes(let bytes): Data(bytes).databaseValue
        }
    }
}

/// One read transaction over an SQLite store, as a ``TransferSource``.
public struct SQLiteTransferSnapshot: TransferSource {
    let reader: DatabaseSnapshot

    public func transferRows(_ table: StoreTransfer.Table, after: [StoreTransfer.Value]?, limit: Int) async throws -> [[StoreTransfer.Value]] {
        try await SQLiteStore.transferRows(reader, table, after: after, limit: limit)
    }

    public func transferCount(_ table: StoreTransfer.Table) async throws -> Int {
        try await SQLiteStore.transferCount(reader, table)
    }
}
