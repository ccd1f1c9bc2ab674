import Foundation
import Logging
import SignetPostgres
import SignetSQLite
import SignetStore

/// `signet admin migrate`: moves an instance's embedded SQLite store into PostgreSQL with
/// ``StoreTransfer``, so replicas can serve it. The keys stay in the data directory, which the
/// replicas share; the tree keeps its entries, indexes, roots and signed checkpoints.
public enum StoreMigration {
    /// Copies the store of `dataDirectory` into the empty PostgreSQL database at `url`, then
    /// checks that every log reads the same from both. Returns the rows copied per table.
    public static func migrate(
        dataDirectory: String, to url: String, environment: [String: String], logger: Logger = Logger(label: "signet.migrate"),
        progress: (String, Int) -> Void
    ) async throws -> [(table: String, rows: Int)] {
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent("signet.sqlite").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreTransfer.TransferError(description: "expected a Signet data directory with a store at \(path), found no such file")
        }
        let location = try PostgresLocation(url: url, environment: environment)
        let source = try SQLiteStore(path: path)
        let target = try await PostgresStore.open(location, logger: logger)
        defer { target.close() }
        return try await StoreTransfer.copy(from: source, to: target, progress: progress)
    }
}
