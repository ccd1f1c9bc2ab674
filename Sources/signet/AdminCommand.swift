import ArgumentParser
import Foundation
import SignetCore
import SignetPKCS11
import SignetServer
import SignetStore

/// `signet admin`: operator tasks on a server's data directory.
struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Operator tasks on a server's data directory.", subcommands: [APIKey.self, Keys.self, Migrate.self])

    /// `signet admin api-key create | revoke | list`.
    struct APIKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "api-key", abstract: "API keys for pipelines without OIDC.", subcommands: [Create.self, Revoke.self, List.self])
    }

    /// `signet admin keys rotate`.
    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys", abstract: "The instance's keys.", subcommands: [Rotate.self])
    }

    /// `signet admin keys rotate --ca | --tsa`: a new generation of the CA's intermediate or
    /// the TSA's key, the old one counting until the overlap ends.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Rotate the CA's intermediate or the TSA's key: the new one counts from now, the old one until the overlap ends; restart the servers.",
            discussion:
                "The trusted root then lists both generations with their windows: export it again (signet trust export) for clients. Every bundle made before keeps verifying; a server not yet restarted signs with the old key, valid until the overlap ends."
        )

        @Option(help: "The server's data directory.") var data = "./signet-data"
        @Flag(help: "Rotate the CA's intermediate.") var ca = false
        @Flag(help: "Rotate the TSA's key.") var tsa = false
        @Option(help: "How long the old key keeps counting: N followed by s, m, h or d (default 1d).") var overlap = "1d"
        @Option(help: "The server's JSON configuration file (its key store and passphrase file).") var config: String?
        @Option(help: "The server's --key-store, if its keys are in a PKCS #11 token.") var keyStore: String?
        @Option(help: "A file holding the key passphrase (owner-only); else SIGNET_KEY_PASSPHRASE.") var keyPassphraseFile: String?

        func validate() throws {
            guard ca != tsa else { throw ValidationError("give --ca or --tsa (one rotation at a time)") }
            _ = try DurationOption.seconds(overlap, option: "--overlap")
        }

        func run() async throws {
            await Signet.exiting {
                let configuration = try config.map { try ServerConfiguration(file: $0) } ?? ServerConfiguration()
                let environment = ProcessInfo.processInfo.environment
                let source: InstanceKeys.Source
                do {
                    if let store = keyStore ?? configuration.keyStore {
                        source = .token(try PKCS11Token(try SigningKeys.uri(store), environment: environment))
                    } else {
                        let (passphrase, _) = try PassphraseSource.resolve(
                            environment: environment, file: keyPassphraseFile ?? configuration.passphraseFile, dataDirectory: URL(fileURLWithPath: data),
                            generateForDevelopment: FileManager.default.fileExists(
                                atPath: URL(fileURLWithPath: data).appendingPathComponent(PassphraseSource.developmentFileName).path))
                        source = .sealed(passphrase: passphrase)
                    }
                } catch {
                    throw CommandFailure.unusable("\(error)")
                }
                let rotation: InstanceKeys.Rotation = ca ? .ca : .tsa
                let material: InstancePublicMaterial
                do {
                    material = try await InstanceKeys.rotate(
                        rotation, directory: URL(fileURLWithPath: data).appendingPathComponent("keys"), source: source,
                        overlapSeconds: try DurationOption.seconds(overlap, option: "--overlap"),
                        now: SystemTimeSource().now())
                } catch {
                    throw CommandFailure.unusable("cannot rotate: \(error)")
                }
                let generations = rotation == .ca ? material.certificateAuthorities : material.timestampAuthorities
                for (index, generation) in generations.enumerated() {
                    print("\(rotation == .ca ? "CA" : "TSA") generation \(index + 1): \(generation.certificate.subject), valid \(generation.validFor)")
                }
                print("restart the servers to sign with the new key; export the trust configuration again for clients (signet trust export)")
                return 0
            }
        }
    }

    /// Where the server keeps its records: the data directory, and its store if that is
    /// PostgreSQL (`--store`, else the `store` of the server's `--config`).
    struct StoreOptions: ParsableArguments {
        @Option(help: "The server's data directory.") var data = "./signet-data"
        @Option(help: "The server's --store, if it uses PostgreSQL: postgres://USER@HOST:PORT/DATABASE.") var store: String?
        @Option(help: "The server's JSON configuration file: its namespaces, and its store when --store is not given.") var config: String?
        @Flag(help: "The server runs with --dev: its namespace default is defined.") var dev = false

        func administration() async throws -> APIKeyAdministration {
            let configured = try config.map { try ServerConfiguration(file: $0) }?.store
            return try await APIKeyAdministration.open(
                dataDirectory: data, store: store ?? configured, environment: ProcessInfo.processInfo.environment,
                actor: "operator \(NSUserName())@\(ProcessInfo.processInfo.hostName)")
        }

        /// The namespaces the server's configuration defines: those its namespaces name, and
        /// `default` for a development server.
        func definedNamespaces() throws -> Set<String> {
            var defined = try config.map { try ServerConfiguration(file: $0) }?.namespaces.declared ?? []
            if dev { defined.insert(DevelopmentIdentityProvider.namespace) }
            return defined
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a key; it is printed once and only its hash is kept.")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The key's namespace.") var namespace: String
        @Option(help: "sign, verify, read, revoke, admin or audit (repeatable).") var scope: [String]
        @Option(help: "Lifetime: N followed by s, m, h or d (default: no expiry).") var expires: String?
        @Option(help: "What the key is for.") var description = ""

        func run() async throws {
            var scopes: Set<AccessScope> = []
            for text in scope {
                guard let value = AccessScope(rawValue: text) else {
                    throw ValidationError(
                        "expected --scope \(AccessScope.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text.prefix(40))\"")
                }
                scopes.insert(value)
            }
            guard !scopes.isEmpty else { throw ValidationError("give at least one --scope") }
            let lifetime = try expires.map { try DurationOption.seconds($0, option: "--expires") }
            await Signet.exiting {
                let (credential, record) = try await storeOptions.administration().create(
                    namespace: namespace, defined: try storeOptions.definedNamespaces(), scopes: scopes, lifetimeSeconds: lifetime, description: description)
                print(credential.text)
                FileHandle.standardError.write(
                    Data(
                        "created API key \(record.id) in namespace \(record.namespace) with scopes \(record.scopes.sorted().map(\.rawValue).joined(separator: ", "))\(record.expiresAt.map { ", expiring \($0)" } ?? ""); it is shown only this once\n"
                            .utf8))
                return SignetExit.verified
            }
        }

    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a key by its id.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The key's id (the 16 hex digits after signet_).") var id: String

        func run() async throws {
            await Signet.exiting {
                guard try await storeOptions.administration().revoke(id: id) else {
                    throw CommandFailure.unusable("no unrevoked API key \(id.prefix(40))")
                }
                print("revoked API key \(id)")
                return SignetExit.verified
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List keys (never their secrets).")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Only this namespace.") var namespace: String?

        func run() async throws {
            await Signet.exiting {
                for key in try await storeOptions.administration().list(namespace: namespace) {
                    let state = key.revokedAt.map { "revoked \($0)" } ?? key.expiresAt.map { "expires \($0)" } ?? "no expiry"
                    print(
                        "\(key.id)  \(key.namespace)  \(key.scopes.sorted().map(\.rawValue).joined(separator: ","))  created \(key.createdAt) by \(key.createdBy)  \(state)  \(key.description)"
                    )
                }
                return SignetExit.verified
            }
        }
    }

    /// `signet admin migrate --from DIR --to postgres://…`.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate", abstract: "Move an instance's embedded store into PostgreSQL: the same tree, the same records.",
            discussion: """
                Stop the server first. The target must be an empty database; a migration never merges, and one that stops part way is \
                run again into a new database. The keys stay in the data directory: afterwards, start every replica with \
                --data DIR --store URL.
                """)

        @Option(help: "The data directory whose store to move.") var from: String
        @Option(help: "The empty target database: postgres://USER@HOST:PORT/DATABASE (password from PGPASSWORD).") var to: String

        func run() async throws {
            await Signet.exiting {
                let copied: [(table: String, rows: Int)]
                do {
                    copied = try await StoreMigration.migrate(dataDirectory: from, to: to, environment: ProcessInfo.processInfo.environment) { table, rows in
                        FileHandle.standardError.write(Data("copied \(rows) rows of \(table)\n".utf8))
                    }
                } catch {
                    throw CommandFailure.unusable("\(error)")
                }
                let entries = copied.first { $0.table == "log_entry" }?.rows ?? 0
                print(
                    "migrated \(entries) log entries and \(copied.map(\.rows).reduce(0, +) - entries) other rows; serve them with: signet server --data \(from) --store URL"
                )
                return SignetExit.verified
            }
        }
    }
}
