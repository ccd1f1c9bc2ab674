import AsyncHTTPClient
import Foundation
import SignetClient
import SignetCore
import SignetPostgres
import SignetSQLite
import SignetServer
import SignetStore
import SignetVirtualPlatform
import Testing

/// `signet admin migrate`: an instance populated on SQLite moves into PostgreSQL with the same
/// tree and records, and everything it handed out still verifies against the migrated server.
@Suite("Migration from SQLite to PostgreSQL", .serialized)
struct MigrationTests {
    @Test("a populated instance moves with the same tree: every old bundle and checkpoint verifies against the migrated log; a non-empty target is refused")
    func migrate() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let data = harness.directory.appendingPathComponent("data")
        let environment = ["SIGNET_KEY_PASSPHRASE": ServerProcess.passphrase]

        // Populate: signatures through both Rekor APIs, registrations by name, a revocation.
        var bundles: [SigstoreBundle] = []
        let names = try (0..<6).map { try ArtifactName(host: "registry.migrate.test", path: "team/app", digest: sha256(Array("build \($0)".utf8))) }
        try await ServerProcess.with(data: data, arguments: ["--dev"]) { server in
            let provider = try DevelopmentIdentityProvider.open(dataDirectory: data, environment: environment, serverURL: server.url)
            let trust = try await SigningClient.trustConfig(server: server.url)
            for (n, api) in [SigningClient.RekorAPI.v1, .v2, .v1].enumerated() {
                let signing = try SigningClient(signingConfig: trust.signingConfig, rekorAPI: api)
                for i in 0..<8 {
                    let token = try provider.mint(subject: "migrant-\(n)-\(i)@signet.localhost", now: SystemTimeSource().now())
                    bundles.append(try await signing.sign(digest: sha256(Array("artifact \(n) \(i)".utf8)), identityToken: token))
                }
            }
            let signing = try SigningClient(signingConfig: trust.signingConfig, rekorAPI: .v1)
            for (i, name) in names.enumerated() {
                let token = try provider.mint(subject: "builder@signet.localhost", now: SystemTimeSource().now())
                let bundle = try await signing.sign(digest: name.digest, identityToken: token, statedProvenance: [.sourceRepositoryRef: "refs/heads/r\(i % 2)"])
                bundles.append(bundle)
                let artifacts = ArtifactClient(server: server.url, credential: token)
                _ = try await artifacts.register(
                    name: name, bundle: bundle, namespace: "default", statedProvenance: [.sourceRepositoryRef: "refs/heads/r\(i % 2)"])
                if i == 4 { _ = try await artifacts.revoke(name: name, sourceRepositoryRef: "refs/heads/r0", reason: "migration test") }
            }
            // An attestation: its payload moves in its own table, by digest.
            let token = try provider.mint(subject: "builder@signet.localhost", now: SystemTimeSource().now())
            let attestation = try await signing.attest(
                statement: InTotoStatement(
                    subjects: [.init(name: names[1].repository, digest: ["sha256": Hex.encode(names[1].digest)])], predicateType: "https://spdx.dev/Document",
                    predicate: .object(JSONObject([("spdxVersion", .string("SPDX-2.3"))]))),
                identityToken: token, statedProvenance: [:])
            bundles.append(attestation)
            _ = try await ArtifactClient(server: server.url, credential: token).register(name: names[1], bundle: attestation, namespace: "default")
        }
        let created = try await Blocking.onThread {
            try harness.run(["admin", "api-key", "create", "--data", data.path, "--dev", "--namespace", "default", "--scope", "sign"])
        }
        try #require(created.exitCode == 0, "\(created.stderr)")

        // What the SQLite store holds: every table's rows, every checkpoint.
        let source = try SQLiteStore(path: data.appendingPathComponent("signet.sqlite").path)
        var sourceRows: [String: [[StoreTransfer.Value]]] = [:]
        for table in StoreTransfer.tables { sourceRows[table.name] = try await source.transferRows(table, after: nil, limit: 100_000) }
        #expect(sourceRows["attestation_payload"]?.count == 1)
        let checkpoints = try #require(sourceRows["checkpoint"])
        #expect(checkpoints.count >= bundles.count, "expected a checkpoint per batch, found \(checkpoints.count)")

        let postgres = try await TestPostgres.shared()
        let url = try await postgres.createDatabase()
        let migrated = try await Blocking.onThread { try harness.run(["admin", "migrate", "--from", data.path, "--to", url], environment: environment) }
        try #require(migrated.exitCode == 0, "\(migrated.stderr)")
        // Every signature's entry and the revocation's statement.
        let entries = try #require(sourceRows["log_entry"]).count
        #expect(entries == bundles.count + 1)
        #expect(migrated.stdout.contains("migrated \(entries) log entries"), "\(migrated.stdout)")

        // Row for row: the target holds exactly what the source held.
        let target = try await PostgresStore.open(try PostgresLocation(url: url, environment: [:]))
        defer { target.close() }
        for table in StoreTransfer.tables {
            // As sets: text keys sort by each engine's collation.
            let rows = try await target.transferRows(table, after: nil, limit: 100_000)
            #expect(
                Set(rows) == Set(sourceRows[table.name] ?? []) && rows.count == sourceRows[table.name]?.count, "table \(table.name) differs after the migration"
            )
        }

        // The operator's tools follow the store: the API key made on SQLite is listed from PostgreSQL.
        let keyID = try #require(created.stdout.split(separator: "_").dropFirst().first.map { String($0.prefix(16)) })
        let listed = try await Blocking.onThread {
            try harness.run(["admin", "api-key", "list", "--data", data.path, "--store", url], environment: environment)
        }
        #expect(listed.exitCode == 0 && listed.stdout.contains(keyID), "\(listed.stdout) \(listed.stderr)")

        // The moved SQLite store is never served or migrated again: that would fork the log.
        let marker = data.appendingPathComponent(StoreMigration.movedMarker)
        #expect(FileManager.default.fileExists(atPath: marker.path))
        let stale = try await Blocking.onThread {
            try harness.run(["server", "--dev", "--data", data.path, "--listen", "127.0.0.1:0"], environment: environment, timeout: 30)
        }
        #expect(stale.exitCode == 3 && stale.stderr.contains(StoreMigration.movedMarker), "\(stale.stderr)")
        let twice = try await Blocking.onThread { try harness.run(["admin", "migrate", "--from", data.path, "--to", url], environment: environment) }
        #expect(twice.exitCode == 3 && twice.stderr.contains("moved to PostgreSQL"), "\(twice.stderr)")

        // Without the marker, migrating into the now non-empty target is refused, and writes nothing.
        try FileManager.default.removeItem(at: marker)
        let again = try await Blocking.onThread { try harness.run(["admin", "migrate", "--from", data.path, "--to", url], environment: environment) }
        #expect(again.exitCode == 3)
        #expect(again.stderr.contains("expected an empty target store, found rows in log_entry"), "\(again.stderr)")
        #expect(try await target.transferCount(StoreTransfer.tables[0]) == entries)

        // The migrated server: the same head; every old bundle's entry at its index and proven in
        // the head; every old checkpoint consistent with the head (the judge's own RFC 9162 code).
        try await ServerProcess.with(data: data, arguments: ["--dev", "--store", url]) { server in
            let (size, root) = try #require(try await Judge.head(of: server), "the migrated server served no tree head")
            let last = try #require(checkpoints.last)
            #expect(.integer(size) == last[1] && .bytes(root) == last[2], "the migrated head differs from the last checkpoint")
            let leaves = try await ReplicaFaultTests.leaves(server, size: size)
            let roots = Judge.prefixRoots(leaves)
            #expect(roots[Int(size)] == root)
            for bundle in bundles {
                let entry = try #require(bundle.tlogEntries.first)
                #expect(leaves[Int(entry.logIndex)] == Merkle.leafHash(entry.canonicalizedBody), "entry \(entry.logIndex) moved")
                if let proof = entry.inclusionProof {
                    #expect(
                        roots[Int(proof.treeSize)] == proof.rootHash,
                        "the checkpoint of size \(proof.treeSize) in a bundle is not a prefix of the migrated tree")
                }
            }
            for checkpoint in checkpoints {
                guard case .integer(let oldSize) = checkpoint[1], case .bytes(let oldRoot) = checkpoint[2] else {
                    Issue.record("a checkpoint row of another shape: \(checkpoint)")
                    continue
                }
                #expect(roots[Int(oldSize)] == oldRoot, "checkpoint \(oldSize) is not a prefix of the migrated tree")
                guard oldSize < size else { continue }
                #expect(try await Judge.serverProvesConsistency(server, from: (oldSize, oldRoot), to: (size, root)), "consistency \(oldSize) → \(size)")
            }
            // The migrated server goes on appending to the same tree, and serves the names.
            let trust = try await SigningClient.trustConfig(server: server.url)
            let provider = try DevelopmentIdentityProvider.open(dataDirectory: data, environment: environment, serverURL: server.url)
            let token = try provider.mint(subject: "after@signet.localhost", now: SystemTimeSource().now())
            let after = try await SigningClient(signingConfig: trust.signingConfig, rekorAPI: .v1).sign(
                digest: sha256(Array("after".utf8)), identityToken: token)
            #expect(after.tlogEntries.first?.logIndex == size)
            let listed = try await ArtifactClient(server: server.url, credential: token).signatures(of: names[4])
            #expect(listed.signatures.count == 1 && listed.revocations.count == 1)
        }

        // A migration that stopped before its last step (no tree sizes) is refused at start.
        _ = try await postgres.psql("DELETE FROM log_tree", database: StoreStartTests.database(url))
        let partial = try await Blocking.onThread {
            try harness.run(["server", "--dev", "--data", data.path, "--listen", "127.0.0.1:0", "--store", url], environment: environment, timeout: 30)
        }
        #expect(partial.exitCode == 3 && partial.stderr.contains("a migration into it did not finish"), "\(partial.stderr)")
    }
}
