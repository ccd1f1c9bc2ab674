import Foundation
import SignetCore
import SignetPostgres
import SignetSQLite
import SignetStore
import SignetVirtualPlatform
import Testing

/// The engines every store contract test runs on: the embedded SQLite store and a real
/// PostgreSQL server the tests start themselves.
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// A store under test, and how to open it again (a restart, or another replica).
    struct Opened: Sendable {
        let store: any Store
        let reopen: @Sendable () async throws -> any Store
    }

    /// Runs `body` with a new, empty store of this engine, removed afterwards.
    func withStore(_ body: (Opened) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-sqlite-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("signet.sqlite").path
            try await body(Opened(store: try SQLiteStore(path: path), reopen: { try SQLiteStore(path: path) }))
        case .postgres:
            let url = try await TestPostgres.shared().createDatabase()
            let location = try PostgresLocation(url: url)
            let store = try await PostgresStore.open(location)
            defer { store.close() }
            try await body(Opened(store: store, reopen: { try await PostgresStore.open(location) }))
        }
    }
}
