import Foundation
import Logging
import SignetPostgres
import SignetSQLite
import SignetStore

/// `signet admin migrate`: moves an instance's embedded SQLite store into PostgreSQL with
/// ``StoreTransfer``, so replicas can serve it. The keys stay in the data directory, which the
/// replicas share; the tree keeps its entries, indexes, roots and signed checkpoints.
public enum StoreMigration {
    /// Copies the store of `dataDirectory` into the empty PostgreSQL database at `url` from one
    /// snapshot, checks that every log reads the same from the target and that the source did
    /// not change meanwhile, then marks the data directory so its SQLite store is never served
    /// again (``movedMarker``). Returns the rows copied per table.
    public static func migrate(
        dataDirectory: String, to url: String, environment: [String: String], logger: Logger = Logger(label: "signet.migrate"),
        progress: (String, Int) -> Void
    ) async throws -> [(table: String, rows: Int)] {
        let directory = URL(fileURLWithPath: dataDirectory)
        let path = directory.appendingPathComponent("signet.sqlite").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreTransfer.TransferError(description: "expected a Signet data directory with a store at \(path), found no such file")
        }
        try refuseMoved(directory)
        let location = try PostgresLocation(url: url, environment: environment)
        let source = try SQLiteStore(path: path)
        let target = try await PostgresStore.open(location, logger: logger)
        defer { target.close() }
        let copied = try await StoreTransfer.copy(from: try source.transferSnapshot(), to: target, progress: progress)
        // Rows written after the snapshot (a server still running) would be missing from the
        // target; every write adds rows, if only an audit event.
        for (table, copy) in zip(StoreTransfer.tables, copied) where try await source.transferCount(table) != copy.rows {
            throw StoreTransfer.TransferError(
                description:
                    "expected the source to hold still during the migration, found \(table.name) changed after its snapshot (a server still running?): stop it, then migrate again into a new, empty database"
            )
        }
        let marker = "this data directory's store was moved to PostgreSQL (\(location)); serve it with signet server --store\n"
        guard FileManager.default.createFile(atPath: directory.appendingPathComponent(movedMarker).path, contents: Data(marker.utf8)) else {
            throw StoreTransfer.TransferError(
                description: "expected to mark \(dataDirectory) as moved, found \(movedMarker) cannot be written there; the migration itself is complete")
        }
        return copied
    }

    /// The file that marks a data directory whose SQLite store was moved to PostgreSQL: the
    /// server and the admin tools refuse to use that store again, which would fork the log.
    public static let movedMarker = "store-moved-to-postgresql"

    /// Throws if `directory`'s SQLite store was moved away.
    static func refuseMoved(_ directory: URL) throws {
        let marker = directory.appendingPathComponent(movedMarker)
        guard let text = try? String(contentsOf: marker, encoding: .utf8) else { return }
        throw StoreTransfer.TransferError(
            description: "expected the data directory's own store, found \(marker.path): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
}
