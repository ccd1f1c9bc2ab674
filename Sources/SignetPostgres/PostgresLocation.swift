import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL store is: a `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` URL (also
/// `postgresql://`), with options in the query:
///
/// - `sslmode`: `disable`; `prefer` (the default: TLS with certificate and host name checks when
///   the server offers it); `require` or `verify-full` (TLS with those checks, or no connection).
/// - `sslrootcert`: a PEM file of the CAs the server's certificate must chain to (default: the
///   system's).
/// - `pool`: the most connections this process opens (default 20).
///
/// The password may come from the `PGPASSWORD` environment variable instead of the URL; it is
/// never printed (``description`` shows the URL without it).
public struct PostgresLocation: Sendable, CustomStringConvertible {
    /// Why a store URL is unusable.
    public struct LocationError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode
    public var rootCertificateFile: String?
    public var maximumConnections: Int

    /// How the connection uses TLS.
    public enum TLSMode: String, Sendable {
        case disable
        case prefer
        case require
    }

    /// Whether `text` names a PostgreSQL store (rather than a path).
    private static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard text.utf8.count <= 4096 else {
            throw LocationError(description: "expected a store URL of at most 4096 bytes, found \(text.utf8.count)")
        }
        guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
            throw LocationError(description: "expected a store URL postgres://USER@HOST:PORT/DATABASE, found \"\(Self.redacted(text))\"")
        }
        guard let host = components.host, !host.isEmpty else {
            throw LocationError(description: "expected a host in the store URL postgres://USER@HOST:PORT/DATABASE, found none")
        }
        guard let user = components.user, !user.isEmpty else {
            throw LocationError(description: "expected a user in the store URL postgres://USER@HOST:PORT/DATABASE, found none")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw LocationError(description: "expected one database name in the store URL postgres://USER@HOST:PORT/DATABASE, found \"\(components.path)\"")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw LocationError(description: "expected a port from 1 to 65535 in the store URL, found \(port)")
        }
        self.host = host
        self.port = port
        self.user = user
        self.password = components.password ?? environment["PGPASSWORD"]
        self.database = database
        self.tlsMode = .prefer
        self.rootCertificateFile = nil
        self.maximumConnections = 20
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                switch value {
                case "disable": tlsMode = .disable
                case "prefer": tlsMode = .prefer
                case "require", "verify-full": tlsMode = .require
                default:
                    throw LocationError(description: "expected sslmode disable, prefer, require or verify-full, found \"\(value.prefix(40))\"")
                }
            case "sslrootcert":
                guard !value.isEmpty else { throw LocationError(description: "expected a PEM file after sslrootcert=, found nothing") }
                rootCertificateFile = value
            case "pool":
                guard let size = Int(value), (1...1000).contains(size) else {
                    throw LocationError(description: "expected pool=N with N from 1 to 1000, found \"\(value.prefix(40))\"")
                }
                maximumConnections = size
            default:
                throw LocationError(description: "expected store URL options sslmode, sslrootcert or pool, found \"\(item.name.prefix(40))\"")
            }
        }
    }

    /// The URL without its password.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (tlsMode == .prefer ? "" : "?sslmode=\(tlsMode.rawValue)")
    }

    /// `text` with any password between `:` and `@` replaced, for error messages.
    static func redacted(_ text: String) -> String {
        let preview = String(text.prefix(200))
        guard let at = preview.lastIndex(of: "@"), let scheme = preview.range(of: "://"),
            let colon = preview[scheme.upperBound..<at].firstIndex(of: ":")
        else { return preview }
        return preview[..<colon] + ":***" + preview[at...]
    }

    /// The client configuration: the pool size, TLS, and per-session timeouts. `lock_timeout`
    /// bounds how long a writer waits for the log's row lock; a session idle inside a
    /// transaction (a paused or partitioned replica holding that lock) is ended by the server,
    /// and its late COMMIT fails, so it acknowledges nothing.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch tlsMode {
        case .disable:
            tls = .disable
        case .prefer, .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let rootCertificateFile {
                configuration.trustRoots = .file(rootCertificateFile)
            }
            tls = tlsMode == .prefer ? .prefer(configuration) : .require(configuration)
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = [
            ("application_name", "signet"),
            ("lock_timeout", "1s"),
            ("idle_in_transaction_session_timeout", "3s"),
            ("statement_timeout", "30s"),
        ]
        return configuration
    }
}
