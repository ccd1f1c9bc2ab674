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
/// after refused connections, so one shared across a restart would wait out its backoff.
final class ServerProcess {
    let process = Process()
    let url: String
    let log: URL
    let client = HTTPClient(eventLoopGroupProvider: .singleton)

    init(data: URL, port: Int) throws {
        url = "http://127.0.0.1:\(port)"
        log = data.appendingPathExtension("log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = CLIHarness.binary
        process.arguments = ["server", "--data", data.path, "--listen", "127.0.0.1:\(port)", "--log-level", "warning"]
        process.environment = ProcessInfo.processInfo.environment.merging(["SIGNET_KEY_PASSPHRASE": "durability test"]) { $1 }
        let handle = try FileHandle(forWritingTo: log)
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
    }

    /// Waits until `/readyz` answers 200.
    func ready() async throws {
        for _ in 0..<300 {
            if let response = try? await client.execute(HTTPClientRequest(url: "\(url)/readyz"), timeout: .seconds(2)), response.status == .ok { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerError(message: "the server did not become ready: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")
    }

    func kill(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// Starts a server on `data`, waits until it is ready, runs `body` against it, then stops
    /// it (SIGTERM, if `body` left it running) and ends its client, whatever `body` did.
    static func with<Value>(data: URL, port: Int, _ body: (ServerProcess) async throws -> Value) async throws -> Value {
        let server = try ServerProcess(data: data, port: port)
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
    /// What a client was told: an entry's index and leaf hash, and the checkpoint it came with.
    struct Acknowledged: Sendable {
        var index: Int64
        var leafHash: [UInt8]
        var treeSize: Int64
        var rootHash: [UInt8]
    }

    static func post(_ client: HTTPClient, _ url: String, _ body: [UInt8]) async throws -> JSONValue? {
        var request = HTTPClientRequest(url: "\(url)/api/v1/log/entries")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = Array(buffer: try await response.body.collect(upTo: 1 << 20))
        guard response.status == .created else { return nil }
        return try JSONParser().parse(bytes, context: "response")
    }

    static func get(_ client: HTTPClient, _ url: String) async throws -> JSONValue {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let bytes = Array(buffer: try await response.body.collect(upTo: 4 << 20))
        #expect(response.status == .ok, "\(url): \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        return try JSONParser().parse(bytes, context: url)
    }

    static func hexList(_ values: [JSONValue]) -> [[UInt8]] {
        values.compactMap { value -> [UInt8]? in
            guard case .string(let hex) = value else { return nil }
            return Hex.decode(hex)
        }
    }

    static func entryRequest(_ key: P256.Signing.PrivateKey, _ n: Int) throws -> [UInt8] {
        let artifact = Array("durable artifact \(n)".utf8)
        return JSONValue.object(JSONObject([
            ("apiVersion", .string("0.0.1")), ("kind", .string("hashedrekord")),
            ("spec", .object(JSONObject([
                ("signature", .object(JSONObject([
                    ("content", .string(Base64.encode(Array(try key.signature(for: artifact).derRepresentation)))),
                    ("publicKey", .object(JSONObject([("content", .string(Base64.encode(Array(key.publicKey.pemRepresentation.utf8))))]))),
                ]))),
                ("data", .object(JSONObject([("hash", .object(JSONObject([("algorithm", .string("sha256")), ("value", .string(Hex.encode(sha256(artifact))))])))]))),
            ]))),
        ])).compactBytes()
    }

    @Test("after SIGKILL under concurrent load, every acknowledged entry has a valid inclusion proof against a checkpoint consistent with every checkpoint handed out")
    func sigkill() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let data = harness.directory.appendingPathComponent("data")
        let port = try LoopbackPort.free()

        let key = P256.Signing.PrivateKey()
        let stop = ManagedAtomicFlag()
        let acknowledged = try await ServerProcess.with(data: data, port: port) { first in
            let client = first.client
            let url = first.url
            let pid = first.process.processIdentifier
            // Sixteen writers append until the kill; each keeps what it was told.
            let acknowledged = try await withThrowingTaskGroup(of: [Acknowledged].self) { group in
                for writer in 0..<16 {
                    group.addTask {
                        var mine: [Acknowledged] = []
                        var n = writer
                        while !stop.isSet {
                            let body = try Self.entryRequest(key, n)
                            n += 16
                            guard let answer = try? await Self.post(client, url, body), case .object(let map) = answer,
                                  case .object(let entry) = map.members[0].value, case .number(let index)? = entry["logIndex"],
                                  case .string(let bodyText)? = entry["body"], let canonical = Base64.decode(bodyText),
                                  case .object(let verification)? = entry["verification"], case .object(let proof)? = verification["inclusionProof"],
                                  case .number(let size)? = proof["treeSize"], case .string(let root)? = proof["rootHash"] else { continue }
                            mine.append(Acknowledged(index: Int64(index)!, leafHash: Merkle.leafHash(canonical), treeSize: Int64(size)!, rootHash: Hex.decode(root)!))
                        }
                        return mine
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(1500))
                    kill(pid, SIGKILL)
                    stop.set()
                    return []
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            first.process.waitUntilExit()
            #expect(first.process.terminationReason == .uncaughtSignal)
            return acknowledged
        }
        #expect(acknowledged.count > 50, "the load acknowledged only \(acknowledged.count) entries before the kill")

        try await ServerProcess.with(data: data, port: port) { second in
            let client = second.client
            let url = second.url
            guard case .object(let head) = try await Self.get(client, "\(url)/api/v1/log"),
                  case .number(let sizeText)? = head["treeSize"], let size = Int64(sizeText),
                  case .string(let rootText)? = head["rootHash"], let root = Hex.decode(rootText),
                  case .string(let signedTreeHead)? = head["signedTreeHead"] else {
                Issue.record("no tree head after the restart")
                return
            }
            let maxAcknowledged = acknowledged.map(\.index).max() ?? -1
            #expect(size > maxAcknowledged)
            let note = try SignedNote(parsing: signedTreeHead)
            let publicKeyPEM = String(decoding: Array(buffer: try await client.execute(HTTPClientRequest(url: "\(url)/api/v1/log/publicKey"), timeout: .seconds(5)).body.collect(upTo: 1 << 16)), as: UTF8.self)
            #expect(note.isValid(note.signatures[0], key: try VerificationKey(pem: publicKeyPEM, context: "log key")))
            #expect(try Checkpoint(text: note.text).rootHash == root)

            // Every acknowledged entry is there, with a proof to the restarted log's root.
            for entry in acknowledged {
                guard case .object(let map) = try await Self.get(client, "\(url)/api/v1/log/entries?logIndex=\(entry.index)"),
                      case .object(let stored) = map.members[0].value, case .string(let bodyText)? = stored["body"], let body = Base64.decode(bodyText),
                      case .object(let verification)? = stored["verification"], case .object(let proof)? = verification["inclusionProof"],
                      case .array(let hashes)? = proof["hashes"], case .number(let proofSize)? = proof["treeSize"], case .string(let proofRoot)? = proof["rootHash"] else {
                    Issue.record("entry \(entry.index) is missing after the restart")
                    continue
                }
                #expect(Merkle.leafHash(body) == entry.leafHash, "entry \(entry.index) changed")
                let path = Self.hexList(hashes)
                try Merkle.verifyInclusion(index: entry.index, size: Int64(proofSize)!, leafHash: entry.leafHash, proof: path, rootHash: Hex.decode(proofRoot)!)
            }
            // Every checkpoint handed out before the kill is consistent with the current one.
            var checked: Set<Int64> = []
            for entry in acknowledged where checked.insert(entry.treeSize).inserted {
                guard entry.treeSize < size else {
                    #expect(entry.rootHash == root)
                    continue
                }
                guard case .object(let proof) = try await Self.get(client, "\(url)/api/v1/log/proof?firstSize=\(entry.treeSize)&lastSize=\(size)"),
                      case .array(let hashes)? = proof["hashes"] else {
                    Issue.record("no consistency proof from \(entry.treeSize)")
                    continue
                }
                try Merkle.verifyConsistency(oldSize: entry.treeSize, newSize: size, oldRoot: entry.rootHash, newRoot: root,
                                             proof: Self.hexList(hashes))
            }
        }
    }
}

extension DurabilityTests {
    @Test("SIGTERM under concurrent load: the server exits 0, and every entry it committed was answered to its writer")
    func sigterm() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let data = harness.directory.appendingPathComponent("data")
        let port = try LoopbackPort.free()

        let key = P256.Signing.PrivateKey()
        let stop = ManagedAtomicFlag()
        let answered = try await ServerProcess.with(data: data, port: port) { first in
            let client = first.client
            let url = first.url
            let pid = first.process.processIdentifier
            // Sixteen writers append until the signal; each keeps the leaf hashes it was answered.
            let answered = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
                for writer in 0..<16 {
                    group.addTask {
                        var mine: [[UInt8]] = []
                        var n = writer
                        while !stop.isSet {
                            let body = try Self.entryRequest(key, n)
                            n += 16
                            guard let answer = try? await Self.post(client, url, body), case .object(let map) = answer,
                                  case .object(let entry) = map.members[0].value, case .string(let bodyText)? = entry["body"],
                                  let canonical = Base64.decode(bodyText) else { continue }
                            mine.append(Merkle.leafHash(canonical))
                        }
                        return mine
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(1500))
                    kill(pid, SIGTERM)
                    // Keep writing a little longer: requests after the signal are refused or answered, never lost.
                    try await Task.sleep(for: .milliseconds(300))
                    stop.set()
                    return []
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            first.process.waitUntilExit()
            #expect(first.process.terminationReason == .exit && first.process.terminationStatus == 0,
                    "the server ended with \(first.process.terminationReason == .exit ? "exit" : "signal") \(first.process.terminationStatus)")
            return answered
        }
        #expect(answered.count > 50, "the load was answered only \(answered.count) times before the signal")

        try await ServerProcess.with(data: data, port: port) { second in
            let client = second.client
            let url = second.url
            guard case .object(let head) = try await Self.get(client, "\(url)/api/v1/log"),
                  case .number(let sizeText)? = head["treeSize"], let size = Int64(sizeText) else {
                Issue.record("no tree head after the restart")
                return
            }
            let answeredSet = Set(answered)
            #expect(size == Int64(answeredSet.count), "the log holds \(size) entries; its writers were answered for \(answeredSet.count)")
            for index in 0..<size {
                guard case .object(let map) = try await Self.get(client, "\(url)/api/v1/log/entries?logIndex=\(index)"),
                      case .object(let stored) = map.members[0].value, case .string(let bodyText)? = stored["body"], let body = Base64.decode(bodyText) else {
                    Issue.record("entry \(index) is unreadable after the restart")
                    continue
                }
                #expect(answeredSet.contains(Merkle.leafHash(body)), "entry \(index) was committed but its writer was never answered")
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
