import NIOCore
import PostgresNIO
import SignetStore

extension PostgresStore: TransferTarget {
    public func nonEmptyTables() async throws -> [String] {
        var occupied: [String] = []
        for table in StoreTransfer.tables.map(\.name) + ["log_tree"] {
            let rows = try await rows(PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM \(table))"))
            if try rows.first?.decode(Bool.self) == true { occupied.append(table) }
        }
        return occupied
    }

    public func insertTransferRows(_ rows: [[StoreTransfer.Value]], into table: StoreTransfer.Table) async throws {
        guard !rows.isEmpty else { return }
        var bindings = PostgresBindings(capacity: rows.count * table.columns.count)
        var tuples: [String] = []
        for row in rows {
            guard row.count == table.columns.count else {
                throw StoreTransfer.TransferError(description: "expected \(table.columns.count) columns in a row of \(table.name), found \(row.count)")
            }
            var placeholders: [String] = []
            for value in row {
                Self.bind(value, into: &bindings)
                placeholders.append("$\(bindings.count)")
            }
            tuples.append("(\(placeholders.joined(separator: ", ")))")
        }
        let query = PostgresQuery(
            unsafeSQL: "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))", binds: bindings)
        let logger = logger
        try await transaction { connection in try await connection.query(query, logger: logger) }
    }

    /// Each log's size (from its latest checkpoint) where the commit's compare-and-swap reads
    /// it, and the audit trail's sequence past the copied ids.
    public func finishTransfer() async throws {
        let logger = logger
        try await transaction { connection in
            try await connection.query("INSERT INTO log_tree (log, size) SELECT log, max(size) FROM checkpoint GROUP BY log", logger: logger)
            try await connection.query(
                "SELECT setval(pg_get_serial_sequence('audit_event', 'id'), COALESCE(max(id), 0) + 1, false) FROM audit_event", logger: logger)
        }
    }
}

extension PostgresStore: TransferSource {
    public func transferRows(_ table: StoreTransfer.Table, after: [StoreTransfer.Value]?, limit: Int) async throws -> [[StoreTransfer.Value]] {
        var bindings = PostgresBindings()
        var condition = ""
        if let after {
            for value in after { Self.bind(value, into: &bindings) }
            condition = "WHERE (\(table.key.joined(separator: ", "))) > (\((1...after.count).map { "$\($0)" }.joined(separator: ", ")))"
        }
        bindings.append(Int64(limit))
        let sql =
            "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) \(condition) ORDER BY \(table.key.joined(separator: ", ")) LIMIT $\(bindings.count)"
        return try await rows(PostgresQuery(unsafeSQL: sql, binds: bindings)).map { row in
            try row.map { cell in
                guard cell.bytes != nil else { return .null }
                switch cell.dataType {
                case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
                case .text, .varchar: return .text(try cell.decode(String.self))
                case .bytea: return .bytes(try cell.decode(ByteBuffer.self).bytes)
                default:
                    throw StoreTransfer.TransferError(
                        description: "expected integers, text or bytes in \(table.name).\(cell.columnName), found type \(cell.dataType)")
                }
            }
        }
    }

    public func transferCount(_ table: StoreTransfer.Table) async throws -> Int {
        try await rows(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table.name)")).first?.decode(Int.self) ?? 0
    }

    static func bind(_ value: StoreTransfer.Value, into bindings: inout PostgresBindings) {
        switch value {
        case .null: bindings.appendNull()
        case .integer(let integer): bindings.append(integer)
        case .text(let text): bindings.append(text)
        case .bytes(let bytes): bindings.append(ByteBuffer(bytes: bytes))
        }
    }
}
