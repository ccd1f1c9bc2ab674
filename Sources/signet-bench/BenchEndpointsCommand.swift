import ArgumentParser
import Crypto
import Foundation
import SignetCore
import SignetServer
import SignetVirtualPlatform

/// `signet-bench endpoints`: the two write endpoints under an independent load generator. wrk
/// replays requests generated beforehand over kept-alive loopback connections against one or
/// more `signet server --dev` replicas this command starts (on SQLite, or on the PostgreSQL
/// database `--store` names), and each endpoint's rate is set against its crypto ceiling,
/// measured in the same run on every core.
struct EndpointsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoints",
        abstract: "Load POST /api/v2/signingCert and POST /api/v1/log/entries with wrk against their crypto ceilings.",
        discussion: """
            Needs wrk on PATH (Debian's wrk). Certificate requests (a development token, a P-256 key and its proof of \
            possession) are replayed in turn; log entries (hashedrekord, a P-256 public key, a fresh digest each) are each \
            sent once, so the log appends every one: --entries must exceed what the run can take, and a run that wraps \
            around is reported as failed. With --replicas N every replica gets its own wrk with 1/N of the connections; \
            latencies are the worst replica's.
            """
    )

    @Option(help: "postgres://USER@HOST:PORT/DATABASE (an empty database) for the replicas; default SQLite in a fresh data directory.")
    var store: String?
    @Flag(help: "Start a throwaway PostgreSQL (Debian's postgresql, initdb as the postgres user on a loopback port) for the replicas.")
    var postgres = false
    @Option(help: "Server processes over the one store (more than one needs --store).") var replicas = 1
    @Option(help: "Seconds per endpoint.") var seconds = 10
    @Option(help: "Kept-alive connections in all.") var connections = 32
    @Option(help: "Log entries generated beforehand.") var entries = 150_000
    @Option(help: "The wrk executable.") var wrk = "wrk"
    @OptionGroup var signet: SignetBinary

    /// The URL every replica names in its checkpoints and development tokens.
    static let publicURL = "http://signet-bench.test"

    func validate() throws {
        guard store == nil || !postgres else { throw ValidationError("expected --store URL or --postgres, found both") }
        guard replicas >= 1, replicas == 1 || store != nil || postgres else {
            throw ValidationError("expected --replicas 1, or more with --store postgres://… or --postgres")
        }
        guard (1...600).contains(seconds), connections >= replicas, entries >= 1_000 else {
            throw ValidationError("expected --seconds 1 to 600, --connections of at least one per replica and --entries of at least 1000")
        }
    }

    func run() async throws {
        let executable = try signet.executable()
        let store = postgres ? try await TestPostgres.shared().createDatabase() : store
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("signet-bench-\(UUID().uuidString)")
        let work = data.appendingPathExtension("requests")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        var servers: [BenchServer] = []
        defer {
            for server in servers { server.terminate() }
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: work)
        }
        for _ in 0..<replicas {
            let server = try BenchServer(
                signet: executable, data: data.path, arguments: (store.map { ["--store", $0] } ?? []) + ["--public-url", Self.publicURL])
            servers.append(server)
            try await server.ready()
        }
        let provider = try DevelopmentIdentityProvider.open(dataDirectory: data, environment: ProcessInfo.processInfo.environment, serverURL: Self.publicURL)

        let script = work.appendingPathComponent("replay.lua")
        try Data(Self.replayScript.utf8).write(to: script)
        let threads = max(1, 2 / replicas)
        let certificateFile = work.appendingPathComponent("signing-cert.jsonl")
        try Self.write(try Self.certificateRequests(provider: provider, count: 512), to: certificateFile)
        let entryFiles = (0..<replicas).map { work.appendingPathComponent("log-entries-\($0).jsonl") }
        let generated = try await Self.logEntries(count: entries)
        for (replica, file) in entryFiles.enumerated() {
            try Self.write(stride(from: replica, to: generated.count, by: replicas).map { generated[$0] }, to: file)
        }

        print(
            "store: \(store == nil ? "SQLite" : "PostgreSQL"), \(replicas) replica\(replicas == 1 ? "" : "s"), \(connections) connections, \(seconds) s per endpoint"
        )
        // Warm-up: certificate requests replay, so they can be spent on it.
        _ = try await load(servers, path: "/api/v2/signingCert", files: servers.map { _ in certificateFile }, script: script, threads: threads, seconds: 2)
        print("endpoint               requests/s  ceiling/s  ratio  p50 ms  p99 ms  errors  server CPU ms/request")
        for endpoint in Endpoint.allCases {
            let ceiling = endpoint.ceiling()
            let before = servers.compactMap { ProcessCPUTime.of(pid: $0.process.processIdentifier) }.reduce(0, +)
            let files = endpoint == .signingCert ? servers.map { _ in certificateFile } : entryFiles
            let result = try await load(servers, path: endpoint.path, files: files, script: script, threads: threads, seconds: seconds)
            let after = servers.compactMap { ProcessCPUTime.of(pid: $0.process.processIdentifier) }.reduce(0, +)
            if endpoint == .logEntries && result.wrapped > 0 {
                throw BenchFailure("expected every log entry to be new, found wrk replayed the \(entries) generated ones: run again with more --entries")
            }
            print(
                endpoint.path.padding(toLength: 21, withPad: " ", startingAt: 0)
                    + String(
                        format: "  %10.0f  %9.0f  %5.2f  %6.1f  %6.1f  %6d  %21.3f", result.rate, ceiling, result.rate / ceiling, result.p50 * 1000,
                        result.p99 * 1000, result.errors, (after - before) / Double(max(1, result.requests)) * 1000))
        }
    }

    /// The endpoints, in the order they are loaded.
    enum Endpoint: CaseIterable {
        case signingCert, logEntries

        var path: String {
            switch self {
            case .signingCert: "/api/v2/signingCert"
            case .logEntries: "/api/v1/log/entries"
            }
        }

        /// Requests per second the endpoint's public-key work alone allows on every core: for a
        /// certificate, the token's ES256 and the proof of possession's verification and the
        /// leaf's and SCT's signatures; for a log entry, its signature's verification and the
        /// SET (checkpoint signatures are per batch, amortised away).
        func ceiling() -> Double {
            let key = P256.Signing.PrivateKey()
            let message = Array("ceiling".utf8)
            guard let signature = try? key.signature(for: message) else { return .nan }
            let (verifies, signs) = self == .signingCert ? (2, 2) : (1, 1)
            return roundsPerSecondOnAllCores {
                for _ in 0..<verifies { _ = key.publicKey.isValidSignature(signature, for: message) }
                for _ in 0..<signs { _ = try? key.signature(for: message) }
            }
        }
    }

    /// What the wrk processes of one load reported together.
    struct LoadResult {
        var requests = 0
        var rate = 0.0
        var p50 = 0.0
        var p99 = 0.0
        var errors = 0
        var wrapped = 0
    }

    /// Runs one wrk per server at once, each replaying its own file, and adds up their reports.
    private func load(_ servers: [BenchServer], path: String, files: [URL], script: URL, threads: Int, seconds: Int) async throws -> LoadResult {
        let perServer = connections / servers.count
        let runs = try zip(servers, files).map { server, file in
            try WrkRun(
                wrk: wrk,
                arguments: [
                    "-t", "\(threads)", "-c", "\(max(threads, perServer))", "-d", "\(seconds)s", "--timeout", "30s", "--latency", "-s", script.path,
                    server.url + path, "--", path,
                    file.path, "\(threads)",
                ])
        }
        var total = LoadResult()
        defer { for run in runs { run.stop() } }
        for run in runs {
            let report = try await run.report()
            total.requests += report.requests
            total.rate += report.rate
            total.p50 = max(total.p50, report.p50)
            total.p99 = max(total.p99, report.p99)
            total.errors += report.errors
            total.wrapped += report.wrapped
        }
        return total
    }

    /// Certificate requests for `count` fresh P-256 keys, each with its development token and
    /// proof of possession (a signature over the token's subject).
    static func certificateRequests(provider: DevelopmentIdentityProvider, count: Int) throws -> [[UInt8]] {
        try (0..<count).map { n in
            let key = P256.Signing.PrivateKey()
            let subject = "bench-\(n)@signet.localhost"
            let token = try provider.mint(subject: subject, now: SystemTimeSource().now())
            let proof = Array(try key.signature(for: Array(subject.utf8)).derRepresentation)
            let publicKey = JSONObject([("algorithm", .string("ECDSA")), ("content", .string(key.publicKey.pemRepresentation))])
            return JSONValue.object(
                JSONObject([
                    ("credentials", .object(JSONObject([("oidcIdentityToken", .string(token))]))),
                    ("publicKeyRequest", .object(JSONObject([("publicKey", .object(publicKey)), ("proofOfPossession", .string(Base64.encode(proof)))]))),
                ])
            ).compactBytes()
        }
    }

    /// `count` hashedrekord entries over distinct digests, signed by one P-256 key, generated
    /// on every core.
    static func logEntries(count: Int) async throws -> [[UInt8]] {
        let key = P256.Signing.PrivateKey()
        let publicKeyPEM = key.publicKey.pemRepresentation
        let run = UUID().uuidString
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return try await withThrowingTaskGroup(of: (Int, [[UInt8]]).self) { group in
            for core in 0..<cores {
                group.addTask {
                    let bodies = try stride(from: core, to: count, by: cores).map { n in
                        let artifact = Array("signet-bench entry \(run) \(n)".utf8)
                        return try RekorEntryBody.hashedRekordV001(
                            .init(
                                hashAlgorithm: .sha256, digest: sha256(artifact), signature: Array(try key.signature(for: artifact).derRepresentation),
                                publicKeyPEM: publicKeyPEM)
                        ).canonicalBytes()
                    }
                    return (core, bodies)
                }
            }
            var parts = [[[UInt8]]](repeating: [], count: cores)
            for try await (core, bodies) in group { parts[core] = bodies }
            return parts.flatMap { $0 }
        }
    }

    /// One request body per line.
    static func write(_ bodies: [[UInt8]], to file: URL) throws {
        var bytes: [UInt8] = []
        for body in bodies {
            guard !body.contains(UInt8(ascii: "\n")) else { throw BenchFailure("expected one-line JSON request bodies, found a line break in one") }
            bytes += body
            bytes.append(UInt8(ascii: "\n"))
        }
        try Data(bytes).write(to: file)
    }

    /// wrk's script: each thread loads the file of bodies and posts every `threads`-th one from
    /// its own offset, so no two threads send the same body; it counts the times it started
    /// over after running out.
    static let replayScript = """
        local all = {}
        local next_id = 0
        function setup(thread)
          thread:set("id", next_id)
          next_id = next_id + 1
          table.insert(all, thread)
        end
        function init(args)
          path = args[1]
          stride = tonumber(args[3])
          bodies = {}
          for line in io.lines(args[2]) do bodies[#bodies + 1] = line end
          index = id + 1
          wrapped = 0
          headers = { ["Content-Type"] = "application/json" }
        end
        function request()
          if index > #bodies then
            index = id + 1
            wrapped = wrapped + 1
          end
          local body = bodies[index]
          index = index + stride
          return wrk.format("POST", path, headers, body)
        end
        function done(summary, latency, requests)
          local wrapped_total = 0
          for _, thread in ipairs(all) do wrapped_total = wrapped_total + thread:get("wrapped") end
          io.write(string.format("signet-wrapped %d\\n", wrapped_total))
        end
        """
}

/// One wrk process and what it reported.
final class WrkRun: @unchecked Sendable {
    private let process = Process()
    private let output: URL

    init(wrk: String, arguments: [String]) throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("signet-bench-wrk-\(UUID().uuidString).txt")
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw BenchFailure("expected to create \(output.path), found it cannot be")
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [wrk] + arguments
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// Ends wrk if it still runs (another run failed), and removes its output.
    func stop() {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: output)
    }

    /// Waits for wrk to end and reads its report.
    func report() async throws -> EndpointsBenchCommand.LoadResult {
        while process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        let text = String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self)
        try? FileManager.default.removeItem(at: output)
        guard process.terminationStatus == 0 else {
            throw BenchFailure("expected wrk to run, found exit status \(process.terminationStatus): \(text.suffix(1_000))")
        }
        return try Self.parse(text)
    }

    /// Reads wrk's summary: requests, rate, the 50th and 99th latency percentiles, socket
    /// errors and non-2xx/3xx answers, and the replay script's wrap count.
    static func parse(_ text: String) throws -> EndpointsBenchCommand.LoadResult {
        var result = EndpointsBenchCommand.LoadResult()
        var found = Set<String>()
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if fields.count >= 3, fields[1] == "requests", fields[2] == "in", let count = Int(fields[0]) {
                result.requests = count
                found.insert("requests")
            } else if fields.first == "Requests/sec:", fields.count == 2, let rate = Double(fields[1]) {
                result.rate = rate
                found.insert("rate")
            } else if fields.count == 2, fields[0] == "50%" || fields[0] == "99%", let seconds = duration(fields[1]) {
                if fields[0] == "50%" { result.p50 = seconds } else { result.p99 = seconds }
                found.insert(fields[0])
            } else if line.hasPrefix("Socket errors:") {
                result.errors += line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.reduce(0, +)
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let count = fields.last.flatMap({ Int($0) }) {
                result.errors += count
            } else if fields.count == 2, fields[0] == "signet-wrapped", let count = Int(fields[1]) {
                result.wrapped = count
                found.insert("wrapped")
            }
        }
        guard found.isSuperset(of: ["requests", "rate", "50%", "99%", "wrapped"]) else {
            throw BenchFailure("expected wrk's summary with --latency and the replay script's count, found: \(text.suffix(1_000))")
        }
        return result
    }

    /// A wrk duration (`850.00us`, `12.34ms`, `1.02s`, `2.00m`) in seconds.
    static func duration(_ text: String) -> Double? {
        for (unit, scale) in [("us", 1e-6), ("ms", 1e-3), ("s", 1.0), ("m", 60.0)] where text.hasSuffix(unit) {
            if let value = Double(text.dropLast(unit.count)) { return value * scale }
        }
        return nil
    }
}
