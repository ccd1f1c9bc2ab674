import Logging
import NIOCore
import PostgresNIO
import SignetCore
import SignetLog
import SignetStore
import Synchronization

/// Signet's store in PostgreSQL, for several replicas over one database: the same contract as
/// the embedded SQLite store (``Store``), through a connection pool.
///
/// The log's one write is a compare-and-swap under a row lock: the commit locks the tree's row
/// in `log_tree` (`SELECT … FOR UPDATE`), writes only if the stored size is the batch's base,
/// and moves the size; `log_entry (log, leaf_hash)` is unique. So any number of replicas may
/// prepare batches concurrently, exactly one per tree size commits, and an entry is stored at
/// one index only. Registrations and revocations of one name are serialised by a transaction
/// advisory lock on the name, so the namespace check and the revocation rule hold across
/// replicas as they do in SQLite's single writer.
public final class PostgresStore: Store {
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>
    public let location: PostgresLocation

    /// Why the store cannot be used; the reason names what was expected and what was found.
    public struct StoreError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    private init(client: PostgresClient, location: PostgresLocation, logger: Logger) {
        self.client = client
        self.location = location
        self.logger = logger
        running = Task { await client.run() }
    }

    deinit {
        running.cancel()
    }

    /// Connects to the database at `location`, refuses one that is read-only, belongs to
    /// something else or has a newer schema, and brings the schema up to date: once, however
    /// many replicas start together.
    public static func open(_ location: PostgresLocation, logger: Logger = Logger(label: "signet.postgres")) async throws -> PostgresStore {
        let store = PostgresStore(
            client: PostgresClient(configuration: try location.clientConfiguration(), backgroundLogger: logger), location: location, logger: logger)
        do {
            _ = try await store.withDeadline(seconds: 20, "connect to \(location)") {
                try await store.client.query("SELECT 1", logger: logger)
            }
            try await PostgresSchema.migrate(store)
        } catch {
            store.running.cancel()
            if let error = error as? StoreError { throw error }
            throw StoreError(description: "cannot use the PostgreSQL store \(location): \(Self.describe(error))")
        }
        return store
    }

    /// Stops the connection pool.
    public func close() {
        running.cancel()
    }

    /// Runs `body`, failing if it has not finished after `seconds`.
    ///
    /// The answer comes at the deadline even if `body` ignores its cancellation (a pooled
    /// connection whose server vanished mid-query can): `body` runs in a task of its own, which
    /// is cancelled and left to end by itself, so one wedged call never holds its caller, or a
    /// log batch and every append waiting on it, or a graceful shutdown.
    func withDeadline<T: Sendable>(seconds: Int, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await SignetCore.withDeadline(.seconds(seconds), timeout: StoreError(description: "could not \(what) within \(seconds) s"), body)
    }

    /// The server's message for a PostgreSQL error, or the error itself.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
            }
            // No server message: a connection that failed or was closed. The code says which.
            return "the connection failed (\(error.code))"
        }
        if let error = error as? PostgresTransactionError {
            return [error.closureError, error.commitError, error.beginError].compactMap { $0.map(describe) }.first ?? "\(error)"
        }
        return "\(error)"
    }

    /// How long one store call may take, the wait for a pooled connection included: a pool that
    /// cannot reach the database fails the call (the request answers `unavailable` and may be
    /// retried) instead of holding it. Leases and queries end on cancellation.
    static let callDeadlineSeconds = 30

    /// Runs `body` in one transaction (BEGIN … COMMIT; ROLLBACK if it throws), within
    /// ``callDeadlineSeconds``. A transaction cut off by the deadline may still commit after its
    /// caller has failed (even after a retry began); the caller answers it as a failure, and
    /// what makes that safe is in the writes themselves: the log's compare-and-swap and unique
    /// leaf hash, the certificate serial and the signature id as primary keys.
    /// With `keepingClosureErrors`, a database error the body met is rethrown as the
    /// `PostgresTransactionError` it came in, for a caller that tells some apart.
    func transaction<T: Sendable>(keepingClosureErrors: Bool = false, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let client = client
        let logger = logger
        do {
            return try await withDeadline(seconds: Self.callDeadlineSeconds, "finish a transaction") {
                try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            }
        } catch let error as PostgresTransactionError where keepingClosureErrors && error.closureError is PSQLError {
            throw error
        } catch let error as PostgresTransactionError {
            // The closure's own errors (a namespace conflict) come back as they were thrown.
            if let closureError = error.closureError, !(closureError is PSQLError) { throw closureError }
            throw StoreError(description: "the PostgreSQL transaction failed: \(Self.describe(error))")
        }
    }

    /// Runs `query` on a pooled connection and collects its rows, within `seconds`.
    func rows(_ query: PostgresQuery, within seconds: Int = callDeadlineSeconds) async throws -> [PostgresRow] {
        let client = client
        let logger = logger
        do {
            return try await withDeadline(seconds: seconds, "run a query") { try await client.query(query, logger: logger).collect() }
        } catch let error as PSQLError {
            throw StoreError(description: "the PostgreSQL query failed: \(Self.describe(error))")
        }
    }
}

extension PostgresStore {
    /// Takes a transaction-scoped advisory lock on `key`, waiting up to
    /// ``advisoryLockWaitSeconds`` (longer than the session's `lock_timeout`, which bounds the
    /// log's row lock: a registration waits its turn behind another of the same name rather
    /// than fail). The rows are read, so a failed wait is the error reported, not the aborted
    /// transaction behind it.
    static func advisoryLock(_ key: String, _ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SET LOCAL lock_timeout = '\(unescaped: String(advisoryLockWaitSeconds))s'", logger: logger).collect()
        _ = try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))", logger: logger).collect()
    }

    /// How long a transaction waits for another's advisory lock on the same key.
    static let advisoryLockWaitSeconds = 10
}

extension [UInt8] {
    /// The bytes as a `bytea` value (a `[UInt8]` would bind as `"char"[]`).
    var bytea: ByteBuffer { ByteBuffer(bytes: self) }
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}
