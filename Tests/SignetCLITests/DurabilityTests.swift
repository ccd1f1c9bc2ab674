import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import SignetCore
import SignetServer
import Synchronization
import Testing

/// A `signet server` process on a data directory, started and killed like an operator (or
/// the kernel) would, with an HTTP client of its own: a client's connection pool backs off
/// after refused connections, so one shared across a restart would wait out its backoff. It
/// listens on port 0; its URL is known once it has announced the port it bound. Shared across
/// tasks only after ``ready()``, which writes `url` once, before any sharing.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    private(set) var url = ""
    let log: URL
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    /// The key passphrase every test server is started with.
    static let passphrase = "durability test"

    init(data: URL, arguments: [String] = []) throws {
        // One log per process: replicas share a data directory, and each must find its own port.
        log = data.deletingLastPathComponent().appendingPathComponent("server-\(UUID().uuidString.prefix(8)).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw ServerError(message: "cannot create the server log \(log.path)") }
        process.executableURL = CLIHarness.binary
        process.arguments = ["server", "--data", data.path, "--listen", "127.0.0.1:0", "--log-level", "warning"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["SIGNET_KEY_PASSPHRASE": Self.passphrase]) { $1 }
        let handle = try FileHandle(forWritingTo: log)
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
    }

    /// Waits until the server has announced its port and `/readyz` answers 200 (60 s at most:
    /// CI starts a score of servers at once on two cores, each deriving its key passphrase).
    func ready() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, process.isRunning {
            if url.isEmpty, let port = ListeningAnnouncement.port(in: output()) { url = "http://127.0.0.1:\(port)" }
            if !url.isEmpty, let response = try? await client.execute(HTTPClientRequest(url: "\(url)/readyz"), timeout: .seconds(2)), response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        // One more look after the deadline: tests that run the CLI block the cooperative
        // threads while it runs, so this loop may not have run at all for a while.
        if process.isRunning, url.isEmpty, let port = ListeningAnnouncement.port(in: output()) { url = "http://127.0.0.1:\(port)" }
        if process.isRunning, !url.isEmpty, let response = try? await client.execute(HTTPClientRequest(url: "\(url)/readyz"), timeout: .seconds(10)),
            response.status == .ok
        {
            return
        }
        throw ServerError(message: "the server did not become ready: \(output())")
    }

    /// What the server wrote to standard output and error so far.
    func output() -> String {
        String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
    }

    func kill(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// Starts a server on `data`, waits until it is ready, runs `body` against it, then stops
    /// it (SIGTERM, if `body` left it running) and ends its client, whatever `body` did.
    static func with<Value>(data: URL, arguments: [String] = [], _ body: (ServerProcess) async throws -> Value) async throws -> Value {
        let server = try ServerProcess(data: data, arguments: arguments)
        let result: Result<Value, any Error>
        do {
            try await server.ready()
            result = .success(try await body(server))
        } catch {
            result = .failure(error)
        }
        if server.process.isRunning { server.kill(SIGTERM) }
        try await server.client.shutdown()
        return try result.get()
    }

    struct ServerError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

@Suite("Durability")
struct DurabilityTests {
    /// Appends an entry; the log's answer if it was a 201, nil if the request failed.
    static func post(_ client: HTTPClient, _ url: String, _ body: [UInt8]) async throws -> TransparencyLogEntry? {
        var request = HTTPClientRequest(url: "\(url)/api/v1/log/entries")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = Array(buffer: try await response.body.collect(upTo: 1 << 20))
        guard response.status == .created else { return nil }
        return try TransparencyLogEntry(rekorV1Response: bytes)
    }

    /// The body of a GET that must answer 200, with `credential` as its bearer if given.
    static func get(_ client: HTTPClient, _ url: String, credential: String? = nil) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        if let credential { request.headers.add(name: "Authorization", value: "Bearer \(credential)") }
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = Array(buffer: try await response.body.collect(upTo: 4 << 20))
        #expect(response.status == .ok, "\(url): \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        return bytes
    }

    static func getJSON(_ client: HTTPClient, _ url: String, credential: String? = nil) async throws -> JSONValue {
        try JSONParser().parse(try await get(client, url, credential: credential), context: url)
    }

    /// The stored entry at `index`, with its proof against the latest checkpoint.
    static func entry(_ client: HTTPClient, _ url: String, index: Int64) async throws -> TransparencyLogEntry {
        try TransparencyLogEntry(rekorV1Response: try await get(client, "\(url)/api/v1/log/entries?logIndex=\(index)"))
    }

    static func hexList(_ values: [JSONValue]) -> [[UInt8]] {
        values.compactMap { value -> [UInt8]? in
            guard case .string(let hex) = value else { return nil }
            return Hex.decode(hex)
        }
    }

    /// Sixteen writers append distinct entries to `server` until `signal` has been sent to it
    /// (once 200 entries were acknowledged, so it is killed under load however busy the
    /// machine) and the process has gone; returns every answer they were given.
    static func appendUnderLoad(_ server: ServerProcess, until signal: Int32) async throws -> [TransparencyLogEntry] {
        let key = P256.Signing.PrivateKey()
        let stop = ManagedAtomicFlag()
        let answered = ManagedAtomicCounter()
        let client = server.client
        let url = server.url
        let pid = server.process.processIdentifier
        return try await withThrowingTaskGroup(of: [TransparencyLogEntry].self) { group in
            for writer in 0..<16 {
                group.addTask {
                    var answers: [TransparencyLogEntry] = []
                    var n = writer
                    while !stop.isSet {
                        let artifact = Array("durable artifact \(n)".utf8)
                        n += 16
                        let body = try RekorEntryBody.hashedRekordV001(
                            .init(
                                hashAlgorithm: .sha256, digest: sha256(artifact), signature: Array(try key.signature(for: artifact).derRepresentation),
                                publicKeyPEM: key.publicKey.pemRepresentation)
                        ).canonicalBytes()
                        if let answer = try? await Self.post(client, url, body) {
                            answers.append(answer)
                            answered.increment()
                        }
                    }
                    return answers
                }
            }
            group.addTask {
                let loaded = ContinuousClock.now + .seconds(30)
                while answered.count < 200 && ContinuousClock.now < loaded { try await Task.sleep(for: .milliseconds(20)) }
                kill(pid, signal)
                // Writing goes on until the process is gone (reaped: kill(pid, 0) fails), so
                // requests arriving during a graceful shutdown are part of the test.
                let gone = ContinuousClock.now + .seconds(30)
                while kill(pid, 0) == 0 && ContinuousClock.now < gone { try await Task.sleep(for: .milliseconds(20)) }
                stop.set()
                return []
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    @Test(
        "after SIGKILL under concurrent load, every acknowledged entry has a valid inclusion proof against a checkpoint consistent with every checkpoint handed out"
    )
    func sigkill() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let data = harness.directory.appendingPathComponent("data")

        let acknowledged = try await ServerProcess.with(data: data) { first in
            let answers = try await Self.appendUnderLoad(first, until: SIGKILL)
            first.process.waitUntilExit()
            #expect(first.process.terminationReason == .uncaughtSignal)
            return answers
        }
        #expect(acknowledged.count > 50, "the load acknowledged only \(acknowledged.count) entries before the kill")

        try await ServerProcess.with(data: data) { second in
            let client = second.client
            let url = second.url
            guard case .object(let head) = try await Self.getJSON(client, "\(url)/api/v1/log"),
                case .number(let sizeText)? = head["treeSize"], let size = Int64(sizeText),
                case .string(let rootText)? = head["rootHash"], let root = Hex.decode(rootText),
                case .string(let signedTreeHead)? = head["signedTreeHead"]
            else {
                Issue.record("no tree head after the restart")
                return
            }
            let maxAcknowledged = acknowledged.map(\.logIndex).max() ?? -1
            #expect(size > maxAcknowledged)
            let note = try SignedNote(parsing: signedTreeHead)
            let publicKeyPEM = String(decoding: try await Self.get(client, "\(url)/api/v1/log/publicKey"), as: UTF8.self)
            #expect(note.isValid(note.signatures[0], key: try VerificationKey(pem: publicKeyPEM, context: "log key")))
            #expect(try Checkpoint(text: note.text).rootHash == root)

            // Every acknowledged entry is there, with a proof to the restarted log's root.
            for acknowledgedEntry in acknowledged {
                let stored = try await Self.entry(client, url, index: acknowledgedEntry.logIndex)
                let leafHash = Merkle.leafHash(acknowledgedEntry.canonicalizedBody)
                #expect(stored.canonicalizedBody == acknowledgedEntry.canonicalizedBody, "entry \(acknowledgedEntry.logIndex) changed")
                let proof = try #require(stored.inclusionProof)
                try Merkle.verifyInclusion(
                    index: acknowledgedEntry.logIndex, size: proof.treeSize, leafHash: leafHash, proof: proof.hashes, rootHash: proof.rootHash)
            }
            // Every checkpoint handed out before the kill is consistent with the current one.
            var checked: Set<Int64> = []
            for handedOut in acknowledged.compactMap(\.inclusionProof) where checked.insert(handedOut.treeSize).inserted {
                guard handedOut.treeSize < size else {
                    #expect(handedOut.rootHash == root)
                    continue
                }
                guard case .object(let proof) = try await Self.getJSON(client, "\(url)/api/v1/log/proof?firstSize=\(handedOut.treeSize)&lastSize=\(size)"),
                    case .array(let hashes)? = proof["hashes"]
                else {
                    Issue.record("no consistency proof from \(handedOut.treeSize)")
                    continue
                }
                try Merkle.verifyConsistency(
                    oldSize: handedOut.treeSize, newSize: size, oldRoot: handedOut.rootHash, newRoot: root, proof: Self.hexList(hashes))
            }
        }
    }

    @Test("SIGTERM under concurrent load: the server exits 0, and every entry it committed was answered to its writer")
    func sigterm() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let data = harness.directory.appendingPathComponent("data")

        let answered = try await ServerProcess.with(data: data) { first in
            // Writing goes on after the signal: requests then are refused or answered, never lost.
            let answers = try await Self.appendUnderLoad(first, until: SIGTERM)
            first.process.waitUntilExit()
            #expect(
                first.process.terminationReason == .exit && first.process.terminationStatus == 0,
                "the server ended with \(first.process.terminationReason == .exit ? "exit" : "signal") \(first.process.terminationStatus)")
            return Set(answers.map { Merkle.leafHash($0.canonicalizedBody) })
        }
        #expect(answered.count > 50, "the load was answered only \(answered.count) times before the signal")

        try await ServerProcess.with(data: data) { second in
            let client = second.client
            let url = second.url
            guard case .object(let head) = try await Self.getJSON(client, "\(url)/api/v1/log"),
                case .number(let sizeText)? = head["treeSize"], let size = Int64(sizeText)
            else {
                Issue.record("no tree head after the restart")
                return
            }
            #expect(size == Int64(answered.count), "the log holds \(size) entries; its writers were answered for \(answered.count)")
            for index in 0..<size {
                let stored = try await Self.entry(client, url, index: index)
                #expect(answered.contains(Merkle.leafHash(stored.canonicalizedBody)), "entry \(index) was committed but its writer was never answered")
            }
        }
    }
}

/// A flag set once, read from many tasks.
final class ManagedAtomicFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

final class ManagedAtomicCounter: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    /// Adds one and returns the new count.
    @discardableResult func increment() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
}
