import Foundation
import SignetVirtualPlatform
import Testing

@Suite("signet server --store: a store it cannot use is a clear error at start, and nothing is written")
struct StoreStartTests {
    /// Starts `signet server` on `store`; it must exit 3 (unusable input) with `expected` in its
    /// one error line.
    static func expectRefused(_ store: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        // The server runs to its end on a thread of its own, not on the cooperative pool.
        let result = try await Blocking.onThread {
            try harness.run(
                ["server", "--data", harness.directory.appendingPathComponent("data").path, "--listen", "127.0.0.1:0", "--store", store],
                environment: ["SIGNET_KEY_PASSPHRASE": "store start test"], timeout: 60)
        }
        #expect(result.exitCode == 3, "\(store): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(expected), "\(store): expected \"\(expected)\" in \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("secret-password"), "the password is never printed", sourceLocation: sourceLocation)
    }

    @Test("malformed URLs are refused before anything is opened")
    func malformed() async throws {
        try await Self.expectRefused("postgres://127.0.0.1:5432/signet", "expected a user")
        try await Self.expectRefused("postgres://signet:secret-password@127.0.0.1:5432/", "expected one database name")
        try await Self.expectRefused("postgres://signet@127.0.0.1:5432/signet?sslmode=sometimes", "expected sslmode disable, prefer, require or verify-full")
        try await Self.expectRefused("postgres://signet@127.0.0.1:5432/signet?color=blue", "expected store URL options")
        try await Self.expectRefused("mysql://signet@127.0.0.1/signet", "expected a store URL postgres://")
    }

    @Test("an unreachable server, a database of another schema version, one holding other tables, a read-only one")
    func unusable() async throws {
        let postgres = try await TestPostgres.shared()
        // Nothing listens on the server's port plus one.
        try await Self.expectRefused(
            "postgres://signet:secret-password@127.0.0.1:\(postgres.port + 1)/signet?sslmode=disable", "postgres://signet@127.0.0.1:\(postgres.port + 1)/signet"
        )

        let newer = try await postgres.createDatabase()
        let newerName = Self.database(newer)
        try await postgres.psql("CREATE TABLE signet_schema (version integer NOT NULL); INSERT INTO signet_schema VALUES (99)", database: newerName)
        try await Self.expectRefused(newer, "found version 99")
        #expect(try await postgres.psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", database: newerName).hasPrefix("1"))

        let foreign = try await postgres.createDatabase()
        let foreignName = Self.database(foreign)
        try await postgres.psql("CREATE TABLE invoices (id integer)", database: foreignName)
        try await Self.expectRefused(foreign, "found other tables (invoices)")
        #expect(try await postgres.psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", database: foreignName).hasPrefix("1"))

        let readOnly = try await postgres.createDatabase()
        let readOnlyName = Self.database(readOnly)
        try await postgres.psql("ALTER DATABASE \(readOnlyName) SET default_transaction_read_only = on", database: readOnlyName)
        try await Self.expectRefused(readOnly, "found a read-only database")
        #expect(try await postgres.psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", database: readOnlyName).hasPrefix("0"))
    }

    /// The database name of a test server URL.
    static func database(_ url: String) -> String {
        String(url.split(separator: "/").last?.split(separator: "?").first ?? "")
    }
}
