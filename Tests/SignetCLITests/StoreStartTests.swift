import Foundation
import SignetVirtualPlatform
import Testing

@Suite("signet server --store: a store it cannot use is a clear error at start, and nothing is written")
struct StoreStartTests {
    /// Starts `signet server` on `store`; it must exit 3 (unusable input) with `expected` in its
    /// one error line.
    static func expectRefused(_ store: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let result = try harness.run(
            ["server", "--data", harness.directory.appendingPathComponent("data").path, "--listen", "127.0.0.1:0", "--store", store],
            environment: ["SIGNET_KEY_PASSPHRASE": "store start test"], timeout: 60)
        #expect(result.exitCode == 3, "\(store): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(expected), "\(store): expected \"\(expected)\" in \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("secret-password"), "the password is never printed", sourceLocation: sourceLocation)
    }

    @Test("malformed URLs are refused before anything is opened")
    func malformed() throws {
        try Self.expectRefused("postgres://127.0.0.1:5432/signet", "expected a user")
        try Self.expectRefused("postgres://signet:secret-password@127.0.0.1:5432/", "expected one database name")
        try Self.expectRefused("postgres://signet@127.0.0.1:5432/signet?sslmode=sometimes", "expected sslmode disable, prefer, require or verify-full")
        try Self.expectRefused("postgres://signet@127.0.0.1:5432/signet?color=blue", "expected store URL options")
        try Self.expectRefused("mysql://signet@127.0.0.1/signet", "expected a store URL postgres://")
    }

    @Test("an unreachable server, a database of another schema version, one holding other tables, a read-only one")
    func unusable() throws {
        let postgres = try TestPostgres.shared()
        // Nothing listens on the server's port plus one.
        try Self.expectRefused(
            "postgres://signet:secret-password@127.0.0.1:\(postgres.port + 1)/signet?sslmode=disable", "postgres://signet@127.0.0.1:\(postgres.port + 1)/signet"
        )

        let newer = try postgres.createDatabase()
        let newerName = Self.database(newer)
        try postgres.psql("CREATE TABLE signet_schema (version integer NOT NULL); INSERT INTO signet_schema VALUES (99)", database: newerName)
        try Self.expectRefused(newer, "found version 99")
        #expect(try postgres.psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", database: newerName).hasPrefix("1"))

        let foreign = try postgres.createDatabase()
        let foreignName = Self.database(foreign)
        try postgres.psql("CREATE TABLE invoices (id integer)", database: foreignName)
        try Self.expectRefused(foreign, "found other tables (invoices)")
        #expect(try postgres.psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", database: foreignName).hasPrefix("1"))

        let readOnly = try postgres.createDatabase()
        let readOnlyName = Self.database(readOnly)
        try postgres.psql("ALTER DATABASE \(readOnlyName) SET default_transaction_read_only = on", database: readOnlyName)
        try Self.expectRefused(readOnly, "found a read-only database")
        #expect(try postgres.psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", database: readOnlyName).hasPrefix("0"))
    }

    /// The database name of a test server URL.
    static func database(_ url: String) -> String {
        String(url.split(separator: "/").last?.split(separator: "?").first ?? "")
    }
}
