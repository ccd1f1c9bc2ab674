import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import SignetClient
import SignetCore
import SignetPostgres
import SignetSQLite
import SignetServer
import SignetStore
import SignetVirtualPlatform
import Synchronization
import Testing
import X509

/// Several `signet server` replicas over one PostgreSQL database (and, for comparison, one
/// server on the embedded SQLite store), under load and under faults, judged from the outside:
/// the judge reads the final tree's leaves through the tile API and recomputes every root
/// itself (RFC 9162 §2.1, its own code), trusting no proof the servers compute, and reads the
/// records back through the store itself once the servers have stopped.
@Suite("Replicas over PostgreSQL", .serialized)
struct ReplicaFaultTests {
    /// The one URL clients reach the replicas at (as behind a load balancer): it names the log's
    /// checkpoints and the development identity provider, so every replica must share it.
    static let publicURL = "http://signet-replicas.test"

    enum Engine: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case postgres, sqlite
        var testDescription: String { rawValue }
    }

    /// The replicas' slots: a slot's process is replaced when it is killed and restarted.
    final class Replicas: Sendable {
        let slots: Mutex<[ServerProcess]>
        let data: URL
        let store: String?
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        private let turn = Mutex(0)

        init(count: Int, data: URL, store: String?) async throws {
            self.data = data
            self.store = store
            var started: [ServerProcess] = []
            for _ in 0..<count {
                let server = try ServerProcess(data: data, arguments: Self.arguments(store))
                try await server.ready()
                started.append(server)
            }
            slots = Mutex(started)
        }

        static func arguments(_ store: String?) -> [String] {
            (store.map { ["--store", $0] } ?? []) + ["--dev", "--public-url", ReplicaFaultTests.publicURL]
        }

        var count: Int { slots.withLock { $0.count } }

        func server(_ slot: Int) -> ServerProcess { slots.withLock { $0[slot % $0.count] } }

        /// SIGKILLs the replica in `slot` and starts a new one on the same data and store.
        func restart(_ slot: Int) async throws {
            let old = server(slot)
            old.kill(SIGKILL)
            try await old.client.shutdown()
            let new = try ServerProcess(data: data, arguments: Self.arguments(store))
            try await new.ready()
            slots.withLock { $0[slot] = new }
        }

        /// SIGTERMs every replica and waits for each to exit: within the server's bounded
        /// graceful shutdown, whatever the faults left behind. One still running is recorded and
        /// SIGKILLed.
        func stopAll() async throws {
            let servers = slots.withLock { $0 }
            for server in servers where server.process.isRunning { Foundation.kill(server.process.processIdentifier, SIGTERM) }
            let deadline = ContinuousClock.now + .seconds(SignetServer.gracefulShutdownSeconds + 20)
            for server in servers {
                while server.process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                if server.process.isRunning {
                    Issue.record("a replica did not exit after SIGTERM: \(server.output().suffix(2_000))")
                    server.kill(SIGKILL)
                } else if server.process.terminationReason != .exit || server.process.terminationStatus != 0 {
                    Issue.record("a replica ended with status \(server.process.terminationStatus) after SIGTERM: \(server.output().suffix(2_000))")
                }
                try await server.client.shutdown()
            }
            try await client.shutdown()
        }

        /// The next replica in turn, as a round-robin load balancer in front of them would pick.
        func next() -> ServerProcess {
            let slot = turn.withLock { turn in
                turn += 1
                return turn
            }
            return server(slot)
        }
    }

    /// A load balancer in front of the replicas: every request to ``publicURL`` goes to the next
    /// replica in turn, so one signing flow's certificate, log entry, timestamp and registration
    /// are usually served by different replicas.
    struct LoadBalancer: HTTPTransport {
        let replicas: Replicas

        func send(
            _ method: HTTPMethod, url: String, headers: [(name: String, value: String)], body: [UInt8]?, timeout: TimeAmount, maxAnswerBytes: Int
        ) async throws -> (status: UInt, body: [UInt8]) {
            let target = url.hasPrefix(ReplicaFaultTests.publicURL) ? replicas.next().url + url.dropFirst(ReplicaFaultTests.publicURL.count) : url
            return try await replicas.client.send(method, url: target, headers: headers, body: body, timeout: .seconds(10), maxAnswerBytes: maxAnswerBytes)
        }
    }

    /// What a client was told: a log entry (index, body, the tree it was proven in), a
    /// certificate (its serial), a registration of a signature under a name, or a revocation.
    enum Acknowledgement: Sendable {
        case entry(TransparencyLogEntry)
        case certificate(serial: String)
        case registration(name: ArtifactName, id: String)
        case revocation(name: ArtifactName, ref: String)
    }

    /// One keyless flow over raw requests: a token from the shared development provider, a
    /// certificate for a fresh key from one replica, the signature logged through another.
    static func keylessFlow(_ replicas: Replicas, _ provider: DevelopmentIdentityProvider, n: Int) async throws -> [Acknowledgement] {
        let key = P256.Signing.PrivateKey()
        let subject = "replica-\(n)@signet.localhost"
        let token = try provider.mint(subject: subject, now: SystemTimeSource().now())
        let proof = Array(try key.signature(for: Array(subject.utf8)).derRepresentation)
        let request = JSONValue.object(
            JSONObject([
                ("credentials", .object(JSONObject([("oidcIdentityToken", .string(token))]))),
                (
                    "publicKeyRequest",
                    .object(
                        JSONObject([
                            ("publicKey", .object(JSONObject([("algorithm", .string("ECDSA")), ("content", .string(key.publicKey.pemRepresentation))]))),
                            ("proofOfPossession", .string(Base64.encode(proof))),
                        ]))
                ),
            ]))
        var acknowledged: [Acknowledgement] = []
        let caServer = replicas.server(n)
        guard let certificateResponse = try? await Self.post(caServer.client, "\(caServer.url)/api/v2/signingCert", request.compactBytes()),
            certificateResponse.status == 200,
            case .object(let object) = try JSONParser().parse(certificateResponse.body, context: "signingCert"),
            case .object(let embedded)? = object["signedCertificateEmbeddedSct"], case .object(let chain)? = embedded["chain"],
            case .array(let certificates)? = chain["certificates"], case .string(let leafPEM)? = certificates.first
        else { return acknowledged }
        let leafDER = try PEM.decodeAll(leafPEM, context: "leaf")[0].der
        acknowledged.append(.certificate(serial: Hex.encode(Array(try Certificate(derEncoded: leafDER).serialNumber.bytes))))
        let artifact = Array("replica artifact \(n)".utf8)
        let body = try RekorEntryBody.hashedRekordV001(
            .init(
                hashAlgorithm: .sha256, digest: sha256(artifact), signature: Array(try key.signature(for: artifact).derRepresentation),
                publicKeyPEM: PEM.encode(leafDER, label: "CERTIFICATE"))
        ).canonicalBytes()
        let logServer = replicas.server(n + 1)
        if let answer = try? await DurabilityTests.post(logServer.client, logServer.url, body) { acknowledged.append(.entry(answer)) }
        return acknowledged
    }

    /// One flow by name through the load balancer, as `signet artifact sign` makes it: sign
    /// (certificate with a stated ref, log entry, timestamp), register under a digest-pinned
    /// name; every fourth also revokes the name's signatures from that ref. What was
    /// acknowledged before a step failed is kept.
    static func artifactFlow(
        _ balancer: LoadBalancer, signing: SigningClient, _ provider: DevelopmentIdentityProvider, n: Int, into acknowledged: inout [Acknowledgement]
    ) async throws {
        let token = try provider.mint(subject: "builder-\(n)@signet.localhost", now: SystemTimeSource().now())
        let name = try ArtifactName(host: "registry.replicas.test", path: "team/app-\(n)", digest: sha256(Array("artifact by name \(n)".utf8)))
        let ref = "refs/heads/build-\(n)"
        let bundle = try await signing.sign(digest: name.digest, identityToken: token, statedProvenance: [.sourceRepositoryRef: ref])
        acknowledged += bundle.tlogEntries.map { .entry($0) }
        let artifacts = ArtifactClient(server: publicURL, credential: token, http: balancer, timeout: .seconds(10))
        let registration = try await artifacts.register(name: name, bundle: bundle, namespace: "default", statedProvenance: [.sourceRepositoryRef: ref])
        acknowledged.append(.registration(name: name, id: registration.id))
        if n % 4 == 0 {
            _ = try await artifacts.revoke(name: name, sourceRepositoryRef: ref, reason: "replica fault test")
            acknowledged.append(.revocation(name: name, ref: ref))
        }
    }

    static func post(_ client: HTTPClient, _ url: String, _ body: [UInt8]) async throws -> (status: UInt, body: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        return (response.status.code, Array(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    static func progress(_ line: String) {
        FileHandle.standardError.write(Data("replica faults: \(line)\n".utf8))
    }

    @Test(
        "replicas under load, SIGKILLed, SIGSTOPped past the timeouts and through a database restart: nothing acknowledged is lost, the tree never forks",
        arguments: Engine.allCases)
    func faults(engine: Engine) async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let postgres = engine == .postgres ? try await TestPostgres.shared() : nil
        let store = try await postgres?.createDatabase()
        let data = harness.directory.appendingPathComponent("data")
        let replicas = try await Replicas(count: engine == .postgres ? 3 : 1, data: data, store: store)
        let provider = try DevelopmentIdentityProvider.open(
            dataDirectory: data, environment: ["SIGNET_KEY_PASSPHRASE": ServerProcess.passphrase], serverURL: Self.publicURL)
        let balancer = LoadBalancer(replicas: replicas)
        let trust = try await SigningClient.trustConfig(server: Self.publicURL, http: balancer)
        let signing = try SigningClient(signingConfig: trust.signingConfig, rekorAPI: .v1, http: balancer, timeout: .seconds(10))
        let stop = ManagedAtomicFlag()
        let answered = ManagedAtomicCounter()
        let failures = ManagedAtomicCounter()
        let acknowledged: [Acknowledgement]
        do {
            // The load runs on threads of its own: on the cooperative pool it would starve the
            // other suites' servers' readiness checks.
            acknowledged = try await withTaskExecutorPreference(Blocking.loadExecutor) {
                try await withThrowingTaskGroup(of: [Acknowledgement].self) { group in
                    for worker in 0..<12 {
                        group.addTask {
                            var acknowledged: [Acknowledgement] = []
                            var n = worker
                            while !stop.isSet {
                                // Workers 0 to 3 sign by name through the balancer; the others make
                                // raw keyless flows, certificate and log entry from two replicas.
                                var flow: [Acknowledgement] = []
                                var completed = true
                                do {
                                    if worker < 4 {
                                        try await Self.artifactFlow(balancer, signing: signing, provider, n: n, into: &flow)
                                    } else {
                                        flow = try await Self.keylessFlow(replicas, provider, n: n)
                                        completed = flow.count == 2
                                    }
                                } catch {
                                    // Expected while a replica is down or paused; shown for the record.
                                    if failures.increment() <= 5 { Self.progress("a flow failed: \(error)") }
                                    completed = false
                                }
                                acknowledged += flow
                                if !completed {
                                    // A replica down or paused: back off instead of spinning.
                                    try await Task.sleep(for: .milliseconds(20))
                                } else {
                                    answered.increment()
                                }
                                n += 12
                            }
                            return acknowledged
                        }
                    }
                    group.addTask {
                        // Each fault must be recovered from: the replicas acknowledge `more` flows
                        // within a minute of it.
                        func waitForProgress(_ more: Int, then step: String) async throws {
                            let target = answered.count + more
                            let deadline = ContinuousClock.now + .seconds(60)
                            while answered.count < target && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                            Self.progress("\(answered.count) flows acknowledged; \(step)")
                            if answered.count < target {
                                Issue.record("no recovery: \(answered.count) of \(target) flows acknowledged a minute before \(step)")
                            }
                        }
                        let last = replicas.count - 1
                        try await waitForProgress(40, then: "SIGKILL replica 0")
                        for (slot, next) in [(0, "SIGKILL replica \(last)"), (last, "SIGKILL replica 0"), (0, "SIGSTOP replica \(min(1, last))")] {
                            try await replicas.restart(slot)
                            try await waitForProgress(30, then: next)
                        }
                        // Paused past lock_timeout (1 s), idle_in_transaction_session_timeout (3 s)
                        // and statement_timeout (30 s): the others go on, and it acknowledges
                        // nothing it did not commit.
                        let paused = replicas.server(min(1, last)).process.processIdentifier
                        kill(paused, SIGSTOP)
                        try await Task.sleep(for: .seconds(32))
                        try await waitForProgress(engine == .postgres ? 20 : 0, then: "SIGCONT")
                        kill(paused, SIGCONT)
                        if let postgres {
                            try await waitForProgress(20, then: "restart PostgreSQL")
                            try await postgres.restart()
                        }
                        try await waitForProgress(40, then: "stop the load")
                        stop.set()
                        return []
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
        } catch {
            try await replicas.stopAll()
            throw error
        }
        // Judged while the replicas run; they are stopped whatever the judge finds.
        let judged: Result<Void, any Error>
        do {
            try await withTaskExecutorPreference(Blocking.loadExecutor) { try await Self.judge(acknowledged, replicas: replicas, engine: engine) }
            judged = .success(())
        } catch {
            judged = .failure(error)
        }
        try await replicas.stopAll()
        try judged.get()

        // Every acknowledged certificate, registration and revocation is stored.
        let records: any Store = try await {
            if let store { return try await PostgresStore.open(try PostgresLocation(url: store, environment: [:])) }
            return try SQLiteStore(path: data.appendingPathComponent("signet.sqlite").path)
        }()
        for acknowledgement in acknowledged {
            switch acknowledgement {
            case .entry: break
            case .certificate(let serial):
                #expect(try await records.certificate(serial: serial) != nil, "certificate \(serial) was acknowledged but not recorded")
            case .registration(let name, let id):
                #expect(try await records.signatures(name: name).contains { $0.id == id }, "registration \(id) of \(name) was acknowledged but not recorded")
            case .revocation(let name, let ref):
                #expect(
                    try await records.revocations(name: name).contains { $0.statement.sourceRepositoryRef == ref },
                    "revocation of \(name) from \(ref) was acknowledged but not recorded")
            }
        }
        (records as? PostgresStore)?.close()
    }

    /// The judge: every replica alive and agreeing on one head; the final tree's leaves from
    /// the tiles and every prefix root recomputed; each acknowledged entry at its index and
    /// proven in a prefix; the servers' consistency proofs checked with the judge's own code.
    static func judge(_ acknowledged: [Acknowledgement], replicas: Replicas, engine: Engine) async throws {
        let entries = acknowledged.compactMap { if case .entry(let entry) = $0 { entry } else { nil } }
        Self.progress("\(engine): \(acknowledged.count) acknowledgements, \(entries.count) log entries")
        #expect(entries.count > 100, "only \(entries.count) entries were acknowledged")
        #expect(acknowledged.contains { if case .revocation = $0 { true } else { false } }, "no revocation was acknowledged")

        // Every replica lived through the faults it was not dealt.
        for slot in 0..<replicas.count where !replicas.server(slot).process.isRunning {
            let server = replicas.server(slot)
            Issue.record("replica \(slot) exited with status \(server.process.terminationStatus): \(server.output().suffix(4_000))")
        }
        // Every replica serves one final checkpoint.
        var heads: [(size: Int64, root: [UInt8])] = []
        for slot in 0..<replicas.count {
            let server = replicas.server(slot)
            guard let head = try await Judge.head(of: server) else {
                Issue.record("replica \(slot) served no tree head")
                continue
            }
            heads.append(head)
        }
        let final = try #require(heads.first)
        #expect(heads.allSatisfy { $0.size == final.size && $0.root == final.root }, "replicas disagree: \(heads.map(\.size))")

        // The judge: the final tree's leaves from the tiles, every prefix root recomputed.
        let server = replicas.server(0)
        let leaves = try await Self.leaves(server, size: final.size)
        let roots = Judge.prefixRoots(leaves)
        #expect(roots[Int(final.size)] == final.root, "the recomputed root differs from the served one")
        #expect(Set(leaves).count == leaves.count, "a leaf appears twice")
        var handedOut: Set<Int64> = []
        for entry in entries {
            let proof = try #require(entry.inclusionProof)
            guard entry.logIndex < final.size, proof.treeSize <= final.size else {
                Issue.record("entry \(entry.logIndex), proven in a tree of \(proof.treeSize), lies beyond the final tree of \(final.size): it was lost")
                continue
            }
            #expect(leaves[Int(entry.logIndex)] == Merkle.leafHash(entry.canonicalizedBody), "entry \(entry.logIndex) is not the acknowledged body")
            #expect(roots[Int(proof.treeSize)] == proof.rootHash, "the checkpoint of size \(proof.treeSize) handed out is not a prefix of the final tree")
            #expect(
                Judge.verifyInclusion(index: entry.logIndex, size: proof.treeSize, leaf: leaves[Int(entry.logIndex)], path: proof.hashes, root: proof.rootHash))
            handedOut.insert(proof.treeSize)
        }
        // The servers' own consistency proofs from checkpoints handed out to the final one,
        // checked by the judge (RFC 9162 §2.1.4.2), from every replica in turn.
        for (offset, size) in handedOut.sorted().enumerated() where size < final.size && offset % max(1, handedOut.count / 50) == 0 {
            #expect(
                try await Judge.serverProvesConsistency(replicas.server(offset), from: (size, roots[Int(size)]), to: final),
                "consistency \(size) → \(final.size)")
        }
    }

    /// The leaf hashes of the first `size` entries, from the level-0 tiles
    /// (c2sp.org/tlog-tiles: full tiles of 256 hashes, then a partial one).
    static func leaves(_ server: ServerProcess, size: Int64) async throws -> [[UInt8]] {
        var leaves: [[UInt8]] = []
        var tile: Int64 = 0
        while Int64(leaves.count) < size {
            let remaining = size - tile * 256
            let path = Judge.tilePath(tile) + (remaining < 256 ? ".p/\(remaining)" : "")
            let bytes = try await DurabilityTests.get(server.client, "\(server.url)/api/v2/tile/0/\(path)")
            try #require(bytes.count == 32 * Int(min(remaining, 256)), "tile \(path) has \(bytes.count) bytes")
            for offset in stride(from: 0, to: bytes.count, by: 32) { leaves.append(Array(bytes[offset..<offset + 32])) }
            tile += 1
        }
        return leaves
    }
}

/// RFC 9162 computed independently of Signet's Merkle code.
enum Judge {
    static func hash(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
    static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] { hash([1] + left + right) }

    /// MTH of every prefix: `roots[n]` is the root of the first n leaves, from a running
    /// stack of perfect subtrees (the largest on the left).
    static func prefixRoots(_ leaves: [[UInt8]]) -> [[UInt8]] {
        var roots = [hash([])]
        var stack: [(size: Int, hash: [UInt8])] = []
        for leaf in leaves {
            stack.append((1, leaf))
            while stack.count >= 2 && stack[stack.count - 1].size == stack[stack.count - 2].size {
                let right = stack.removeLast()
                let left = stack.removeLast()
                stack.append((left.size * 2, node(left.hash, right.hash)))
            }
            var root = stack[stack.count - 1].hash
            for subtree in stack.dropLast().reversed() { root = node(subtree.hash, root) }
            roots.append(root)
        }
        return roots
    }

    /// RFC 9162 §2.1.3.2: the audit path of leaf `index` leads to `root` in a tree of `size`.
    static func verifyInclusion(index: Int64, size: Int64, leaf: [UInt8], path: [[UInt8]], root: [UInt8]) -> Bool {
        guard index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in path {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// RFC 9162 §2.1.4.2: `path` proves the tree of `first` leaves (`firstRoot`) is a prefix of
    /// the tree of `second` leaves (`secondRoot`).
    static func verifyConsistency(first: Int64, second: Int64, firstRoot: [UInt8], secondRoot: [UInt8], path: [[UInt8]]) -> Bool {
        guard first > 0, first < second else { return first == second && firstRoot == secondRoot && path.isEmpty }
        var proof = path
        if first & (first - 1) == 0 { proof.insert(firstRoot, at: 0) }  // a power of two: the first root starts the path
        guard !proof.isEmpty else { return false }
        var fn = first - 1
        var sn = second - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = proof[0]
        var sr = proof[0]
        for c in proof.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = node(c, fr)
                sr = node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && fr == firstRoot && sr == secondRoot
    }

    /// The tree head `server` serves (`GET /api/v1/log`), or nil if it serves none.
    static func head(of server: ServerProcess) async throws -> (size: Int64, root: [UInt8])? {
        guard case .object(let head) = try await DurabilityTests.getJSON(server.client, "\(server.url)/api/v1/log"),
            case .number(let sizeText)? = head["treeSize"], let size = Int64(sizeText),
            case .string(let rootText)? = head["rootHash"], let root = Hex.decode(rootText)
        else { return nil }
        return (size, root)
    }

    /// Whether the consistency proof `server` gives between two of its trees verifies with the
    /// judge's own code (``verifyConsistency(first:second:firstRoot:secondRoot:path:)``).
    static func serverProvesConsistency(_ server: ServerProcess, from old: (size: Int64, root: [UInt8]), to new: (size: Int64, root: [UInt8]))
        async throws -> Bool
    {
        guard
            case .object(let answer) = try await DurabilityTests.getJSON(
                server.client, "\(server.url)/api/v1/log/proof?firstSize=\(old.size)&lastSize=\(new.size)"),
            case .array(let values)? = answer["hashes"]
        else { return false }
        let path = values.compactMap { if case .string(let text) = $0 { Hex.decode(text) } else { nil } }
        return path.count == values.count && verifyConsistency(first: old.size, second: new.size, firstRoot: old.root, secondRoot: new.root, path: path)
    }

    /// A tile index as a tlog-tiles path: three-digit groups, all but the last prefixed `x`.
    static func tilePath(_ index: Int64) -> String {
        var groups: [String] = []
        var rest = index
        repeat {
            groups.insert(String(format: "%03d", rest % 1000), at: 0)
            rest /= 1000
        } while rest > 0
        return groups.enumerated().map { $0.offset < groups.count - 1 ? "x" + $0.element : $0.element }.joined(separator: "/")
    }
}
