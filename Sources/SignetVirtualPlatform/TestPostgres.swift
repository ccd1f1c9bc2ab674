import Foundation

/// A real PostgreSQL server for tests, started by the test process itself from the Debian
/// `postgresql` package: `initdb` into a temporary directory (as the `postgres` user when
/// running as root, which `initdb` refuses), trust authentication on loopback, a free port.
/// One server per test process, stopped when the process exits; each test takes a database of
/// its own. A machine without PostgreSQL fails the tests that need it, loudly.
public final class TestPostgres: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: Int
    public let directory: URL
    let binaries: URL

    /// The server of this process, started on first use (on a thread of its own: `initdb`
    /// takes seconds, and the cooperative pool must go on serving other tests).
    public static func shared() async throws -> TestPostgres {
        try await started.value
    }

    private static let started = Task { try await Blocking.onThread { try TestPostgres() } }

    private init() throws {
        binaries = try Self.findBinaries()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        try Self.run(
            binaries.appendingPathComponent("initdb").path,
            ["-D", directory.appendingPathComponent("data").path, "-A", "trust", "-U", "signet", "--no-sync", "-E", "UTF8"], asPostgres: true)
        var lastError: (any Error)?
        for _ in 0..<5 {
            let candidate = Int.random(in: 20_000...60_000)
            do {
                try Self.run(
                    binaries.appendingPathComponent("pg_ctl").path, Self.startArguments(directory, port: candidate, binaries: binaries), asPostgres: true)
                port = candidate
                Self.stopAtExit(pgctl: binaries.appendingPathComponent("pg_ctl").path, directory: directory)
                return
            } catch {
                lastError = error
            }
        }
        throw lastError ?? Failure(description: "PostgreSQL did not start")
    }

    /// Where the server's programs are: Debian's versioned directory (newest first), or a
    /// directory on the PATH holding all of them.
    private static func findBinaries() throws -> URL {
        var candidates: [URL] = []
        let debian = URL(fileURLWithPath: "/usr/lib/postgresql")
        for version in ((try? FileManager.default.contentsOfDirectory(atPath: debian.path)) ?? []).sorted().reversed() {
            candidates.append(debian.appendingPathComponent(version).appendingPathComponent("bin"))
        }
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        for candidate in candidates
        where ["initdb", "pg_ctl", "createdb", "psql"].allSatisfy({ FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent($0).path) }) {
            return candidate
        }
        throw Failure(
            description:
                "expected PostgreSQL's initdb, pg_ctl, createdb and psql under /usr/lib/postgresql/*/bin (Debian's postgresql package) or on the PATH, found none"
        )
    }

    private static func startArguments(_ directory: URL, port: Int, binaries: URL) -> [String] {
        [
            "-D", directory.appendingPathComponent("data").path, "-l", directory.appendingPathComponent("server.log").path, "-w", "-t", "60",
            "-o",
            "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200 -c shared_buffers=32MB -c client_connection_check_interval=1s",
            "start",
        ]
    }

    /// A new empty database; its `postgres://` URL.
    public func createDatabase() async throws -> String {
        let name = "signet_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        let createdb = binaries.appendingPathComponent("createdb").path
        let port = port
        _ = try await Blocking.onThread { try Self.run(createdb, ["-h", "127.0.0.1", "-p", "\(port)", "-U", "signet", name], asPostgres: false) }
        return url(database: name)
    }

    /// The URL of `database` on this server.
    public func url(database: String) -> String {
        "postgres://signet@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Runs SQL through `psql` against `database`; its output.
    @discardableResult
    public func psql(_ sql: String, database: String) async throws -> String {
        let psql = binaries.appendingPathComponent("psql").path
        let port = port
        return try await Blocking.onThread {
            try Self.run(psql, ["-h", "127.0.0.1", "-p", "\(port)", "-U", "signet", "-d", database, "-tAc", sql], asPostgres: false)
        }
    }

    /// Stops the server at once (as a crash would) and starts it again on the same port.
    public func restart() async throws {
        let pgctl = binaries.appendingPathComponent("pg_ctl").path
        let (directory, port, binaries) = (directory, port, binaries)
        try await Blocking.onThread {
            try Self.run(pgctl, ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"], asPostgres: true)
            try Self.run(pgctl, Self.startArguments(directory, port: port, binaries: binaries), asPostgres: true)
        }
    }

    /// Runs a command to its end (with `posix_spawn` and `waitpid`: Foundation's `Process`
    /// can miss the exit of a child whose grandchild, the server, lives on), its output in a
    /// file; throws with the output when it fails.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool) throws -> String {
        let command = asPostgres && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("signet-pg-output-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(command[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self)
        // A normal exit has no signal number in the low 7 bits and its code in the next 8.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw Failure(
                description: "\(URL(fileURLWithPath: executable).lastPathComponent) \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }

    nonisolated(unsafe) private static var stopCommand: (pgctl: String, directory: URL)?

    /// Stops the server and removes its files when the test process exits, so no server
    /// outlives its tests.
    private static func stopAtExit(pgctl: String, directory: URL) {
        stopCommand = (pgctl, directory)
        atexit {
            guard let command = TestPostgres.stopCommand else { return }
            _ = try? TestPostgres.run(
                command.pgctl, ["-D", command.directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"], asPostgres: true)
            try? FileManager.default.removeItem(at: command.directory)
        }
    }
}
