import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import SignetClient
import SignetCore
import SignetSQLite
import SignetServer
import SignetStore
import SignetVerify

/// `signet-bench artifacts`: the deploy gate's and the security team's queries on a large
/// store. A fresh `signet server --dev` gets real signatures (complete keyless flows,
/// registered under their names) and then enough imported signature rows (each with a real
/// bundle's bytes and an audit event) to reach `--signatures`; then verification by name
/// (`POST /api/signet/v1/verify`) and trace by ref (`GET /api/signet/v1/trace`) are timed over
/// loopback, and the engine's own verification time for one signature is measured beside them;
/// then the deploy gate's admissions on the same store.
struct ArtifactsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "artifacts",
        abstract: "Time verify-by-name and trace-by-ref on a store of --signatures signatures."
    )

    @Option(help: "Signatures in the store.") var signatures = 1_000_000
    @Option(help: "Of those, names signed by complete keyless flows (the names verified).") var signed = 200
    @Option(help: "Distinct source refs among the imported signatures (trace-by-ref returns signatures / refs each).") var refs = 10_000
    @Option(help: "Requests per measurement.") var requests = 2_000
    @OptionGroup var signet: SignetBinary

    func validate() throws {
        guard signed > 0, signatures >= signed, refs > 0, requests > 0 else {
            throw ValidationError(
                "expected --signed > 0, --signatures ≥ --signed, --refs > 0 and --requests > 0, found \(signed), \(signatures), \(refs), \(requests)")
        }
    }

    func run() async throws {
        let server = try BenchServer(signet: try signet.executable())
        defer { server.terminate() }
        try await server.ready()
        let provider = try DevelopmentIdentityProvider.open(
            dataDirectory: URL(fileURLWithPath: server.data), environment: ProcessInfo.processInfo.environment, serverURL: server.url)
        let trust = try await SigningClient.trustConfig(server: server.url)
        let client = try SigningClient(signingConfig: trust.signingConfig)

        print("signet-bench artifacts: \(signed) names signed by complete flows, \(signatures - signed) imported signatures over \(refs) refs")
        var start = ContinuousClock.now
        let url = server.url
        let names = try await withThrowingTaskGroup(of: [(ArtifactName, [UInt8])].self) { group in
            var names: [(ArtifactName, [UInt8])] = []
            for worker in 0..<16 {
                group.addTask {
                    var made: [(ArtifactName, [UInt8])] = []
                    for index in stride(from: worker, to: signed, by: 16) {
                        let token = try provider.mint(
                            subject: "repo:bench/app:ref:refs/tags/r\(index)", claims: Self.claims(index: index), audience: "sigstore", lifetime: 600,
                            now: SystemTimeSource().now())
                        let name = try ArtifactName(host: "bench.example.com", path: "signed/app\(index)", digest: sha256(Array("signed \(index)".utf8)))
                        let bundle = try await client.sign(digest: name.digest, identityToken: token, statedProvenance: [:])
                        _ = try await ArtifactClient(server: url, credential: token).register(name: name, bundle: bundle, namespace: nil)
                        made.append((name, bundle.json.compactBytes()))
                    }
                    return made
                }
            }
            for try await made in group { names += made }
            return names
        }
        print(String(format: "signed and registered %d names in %.1f s", names.count, (ContinuousClock.now - start).inSeconds))

        start = ContinuousClock.now
        let store = try SQLiteStore(path: URL(fileURLWithPath: server.data).appendingPathComponent("signet.sqlite").path)
        let template = names[0].1
        let now = SystemTimeSource().now().seconds
        let filler = signatures - signed
        var next = 0
        while next < filler {
            let batch = (next..<min(filler, next + 10_000)).map { n -> (signature: SignatureRecord, event: AuditEvent) in
                let org = n % 1_000
                let ref = "refs/tags/v\(n % refs)"
                let id = Hex.encode(sha256(Array("imported \(n)".utf8)))
                let name = try! ArtifactName(host: "registry.example.com", path: "org\(org)/app\(n % 37)", digest: sha256(Array("imported artifact \(n)".utf8)))
                let record = SignatureRecord(
                    id: id, namespace: "default", name: name, identity: "https://github.com/org\(org)/app/.github/workflows/release.yml@\(ref)",
                    issuer: "https://token.actions.githubusercontent.com",
                    provenance: [
                        .sourceRepositoryURI: "https://github.com/org\(org)/app", .sourceRepositoryRef: ref, .sourceRepositoryDigest: String(id.prefix(40)),
                        .runnerEnvironment: "github-hosted", .buildConfigURI: "https://github.com/org\(org)/app/.github/workflows/release.yml@\(ref)",
                    ],
                    logIndex: Int64(n), signedAt: Timestamp(seconds: now - Int64(filler - n)), certificateSerial: String(id.suffix(40)), bundle: template)
                return (
                    record,
                    AuditEvent(
                        time: record.signedAt, actor: record.identity, action: "signature.register", subject: id, origin: "import",
                        detail: "\(name) in namespace default")
                )
            }
            try await store.register(batch: batch)
            next += batch.count
        }
        let size =
            (try? FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: server.data).appendingPathComponent("signet.sqlite").path)[.size] as? Int)
            ?? 0
        print(String(format: "imported %d signatures in %.0f s; the store is %.1f GB", filler, (ContinuousClock.now - start).inSeconds, Double(size) / 1e9))

        let verifier = ArtifactVerifier(verifier: try BundleVerifier(trustedRoot: trust.trustedRoot))
        let issuer = provider.issuer
        // Reads need a credential: the development identity reads (and asks the gate about)
        // its namespace, where every signature here is.
        let reader = try provider.mint(audience: "sigstore", lifetime: 3600, now: SystemTimeSource().now())
        let engine = try Self.engineTime(verifier: verifier, name: names[0].0, bundle: names[0].1, issuer: issuer)
        print(String(format: "engine alone (one signature through BundleVerifier and the revocation check, in process): %.2f ms median", engine * 1000))
        print("query                 concurrency  requests/s  p50 ms  p99 ms  goal p99  p99/goal")
        for concurrency in [1, 8] {
            let verify = try await Self.measure(requests: requests, concurrency: concurrency) { _ in
                let name = names.randomElement()!.0
                // The question a deploy gate asks: this issuer, and the publisher's repository.
                let body = JSONValue.object(
                    JSONObject([
                        ("name", .string(name.description)), ("issuer", .string(issuer)),
                        ("provenance", .object(JSONObject([("sourceRepositoryURI", .string("https://github.com/bench/app"))]))),
                    ])
                ).compactBytes()
                var request = HTTPClientRequest(url: "\(url)/api/signet/v1/verify")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "Authorization", value: "Bearer \(reader)")
                request.body = .bytes(ByteBuffer(bytes: body))
                let answer = try await Self.send(request)
                guard answer.contains(Array("\"verified\":true".utf8)) else {
                    throw ValidationError("\(name) did not verify: \(String(decoding: answer.prefix(300), as: UTF8.self))")
                }
            }
            print(
                String(
                    format: "verify-by-name        %11d  %10.0f  %6.2f  %6.2f  %8.0f  %8.2f", concurrency, verify.rate, verify.p50 * 1000, verify.p99 * 1000,
                    10.0, verify.p99 * 1000 / 10))
            let trace = try await Self.measure(requests: requests, concurrency: concurrency) { _ in
                let ref = "refs/tags/v\(Int.random(in: 0..<refs))"
                var request = HTTPClientRequest(
                    url: "\(url)/api/signet/v1/trace?sourceRepositoryRef=\(ref.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ref)")
                request.headers.add(name: "Authorization", value: "Bearer \(reader)")
                let answer = try await Self.send(request)
                guard answer.count > 1_000 else { throw ValidationError("the trace of \(ref) is empty") }
            }
            print(
                String(
                    format: "trace-by-ref          %11d  %10.0f  %6.2f  %6.2f  %8.0f  %8.2f", concurrency, trace.rate, trace.p50 * 1000, trace.p99 * 1000, 50.0,
                    trace.p99 * 1000 / 50))
        }
        try await gate(names: names.map(\.0), url: url, provider: provider, credential: reader)
    }

    /// The deploy gate on the same store: a policy for `production` trusting the signed names'
    /// publisher, then `POST /api/signet/v1/admit` for random signed names at concurrency 1
    /// and 8 (each name's first decision made by the engine, the rest reused while the
    /// evidence is unchanged), and the server's own in-process decision times from /metrics.
    func gate(names: [ArtifactName], url: String, provider: DevelopmentIdentityProvider, credential: String) async throws {
        let admin = try provider.mint(
            subject: "repo:bench/app:ref:refs/tags/r0", claims: Self.claims(index: 0), audience: "sigstore", lifetime: 600, now: SystemTimeSource().now())
        let policy = """
            {"apiVersion": "signet/v1", "kind": "Policy", "name": "bench", "scope": {"names": ["bench.example.com/signed/*"], "environment": "production"},
             "publishers": [{"issuer": "\(provider.issuer)", "repository": "https://github.com/bench/app", "refs": ["refs/tags/*"]}]}
            """
        var apply = HTTPClientRequest(url: "\(url)/api/signet/v1/policies")
        apply.method = .POST
        apply.headers.add(name: "Content-Type", value: "application/json")
        apply.headers.add(name: "Authorization", value: "Bearer \(admin)")
        apply.body = .bytes(ByteBuffer(bytes: Array(policy.utf8)))
        let applied = try await HTTPClient.shared.execute(apply, timeout: .seconds(30))
        guard applied.status == .created else { throw ValidationError("the bench policy was not applied: \(applied.status.code)") }
        // Each name's first decision after the policy change is the engine's (the policy
        // applied before any admission, so no decision was kept to make anew): one pass over
        // the names, timed on its own; after it, admission is a lookup until evidence changes.
        let first = try await Self.measure(requests: names.count, concurrency: 1) { index in
            try await Self.admit(names[index], url: url, credential: credential)
        }
        print(
            String(
                format: "admit, first decision  %10d  %10.0f  %6.2f  %6.2f  %8@  %8@", 1, first.rate, first.p50 * 1000, first.p99 * 1000, "—", "—"))
        var decisions: [(Int, String, DecisionHistogram)] = []
        for concurrency in [1, 8] {
            let before = String(decoding: try await Self.send(HTTPClientRequest(url: "\(url)/metrics")), as: UTF8.self)
            let admit = try await Self.measure(requests: requests, concurrency: concurrency) { _ in
                // Never empty: validate() requires --signed > 0, and every signed name is here.
                try await Self.admit(names.randomElement()!, url: url, credential: credential)
            }
            print(
                String(
                    format: "admit                 %11d  %10.0f  %6.2f  %6.2f  %8.0f  %8.2f", concurrency, admit.rate, admit.p50 * 1000, admit.p99 * 1000, 5.0,
                    admit.p99 * 1000 / 5))
            let after = String(decoding: try await Self.send(HTTPClientRequest(url: "\(url)/metrics")), as: UTF8.self)
            for cache in ["hit", "miss"] {
                decisions.append((concurrency, cache, DecisionHistogram(after, cache: cache, since: before)))
            }
        }
        for (concurrency, cache, histogram) in decisions where histogram.count > 0 {
            print(
                String(
                    format: "in-process decisions at concurrency %d (cache %@): %d, mean %.1f µs, p50 ≤ %.0f µs, p99 ≤ %.0f µs (histogram buckets)%@",
                    concurrency, cache, histogram.count, histogram.mean * 1e6, histogram.p50Bound * 1e6, histogram.p99Bound * 1e6,
                    cache == "hit" ? "; goal ≤ 100 µs" : ""))
        }
    }

    /// Asks the gate whether `name` may run in production; anything but an admission fails.
    static func admit(_ name: ArtifactName, url: String, credential: String) async throws {
        let body = JSONValue.object(JSONObject([("name", .string(name.description)), ("environment", .string("production"))])).compactBytes()
        var request = HTTPClientRequest(url: "\(url)/api/signet/v1/admit")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(credential)")
        request.body = .bytes(ByteBuffer(bytes: body))
        let answer = try await send(request)
        guard answer.contains(Array("\"allowed\":true".utf8)) else {
            throw ValidationError("\(name) was not admitted: \(String(decoding: answer.prefix(300), as: UTF8.self))")
        }
    }

    /// `signet_gate_decision_seconds` for one cache outcome, between two exposition texts.
    struct DecisionHistogram {
        var count = 0
        var mean = Double.nan
        /// The smallest bucket bounds at or below which half and 99 % of the decisions fall.
        var p50Bound = Double.nan
        var p99Bound = Double.nan

        /// The decisions observed in `text` since `earlier`.
        init(_ text: String, cache: String, since earlier: String) {
            let now = Self.read(text, cache: cache)
            let before = Self.read(earlier, cache: cache)
            count = now.count - before.count
            guard count > 0, now.buckets.count == before.buckets.count else { return }
            mean = (now.sum - before.sum) / Double(count)
            let observed = zip(now.buckets, before.buckets).map { (bound: $0.bound, count: $0.count - $1.count) }
            p50Bound = observed.first { $0.count >= 0.5 * Double(count) }?.bound ?? .infinity
            p99Bound = observed.first { $0.count >= 0.99 * Double(count) }?.bound ?? .infinity
        }

        private static func read(_ text: String, cache: String) -> (buckets: [(bound: Double, count: Double)], sum: Double, count: Int) {
            let prefix = "signet_gate_decision_seconds_bucket{cache=\"\(cache)\",le=\""
            var buckets: [(bound: Double, count: Double)] = []
            var sum = 0.0
            var count = 0
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard fields.count == 2, let value = Double(fields[1]) else { continue }
                if line.hasPrefix(prefix), let bound = Double(line.dropFirst(prefix.count).prefix { $0 != "\"" }) {
                    buckets.append((bound, value))
                } else if fields[0] == "signet_gate_decision_seconds_sum{cache=\"\(cache)\"}" {
                    sum = value
                } else if fields[0] == "signet_gate_decision_seconds_count{cache=\"\(cache)\"}" {
                    count = Int(value)
                }
            }
            return (buckets, sum, count)
        }
    }

    static func claims(index: Int) -> [(String, String)] {
        let ref = "refs/tags/r\(index)"
        return [
            ("repository", "bench/app"), ("repository_owner", "bench"), ("ref", ref), ("sha", String(repeating: "a", count: 40)), ("event_name", "push"),
            ("workflow", "release"), ("job_workflow_ref", "bench/app/.github/workflows/release.yml@\(ref)"), ("runner_environment", "github-hosted"),
        ]
    }

    static func send(_ request: HTTPClientRequest) async throws -> [UInt8] {
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = Array(buffer: try await response.body.collect(upTo: 16 << 20))
        guard response.status == .ok else { throw ValidationError("\(request.url) answered \(response.status.code)") }
        return bytes
    }

    /// The median time the engine takes for one of the names, in process.
    static func engineTime(verifier: ArtifactVerifier, name: ArtifactName, bundle: [UInt8], issuer: String) throws -> Double {
        let parsed = try SigstoreBundle(jsonBytes: bundle)
        var times: [Double] = []
        for _ in 0..<200 {
            let start = ContinuousClock.now
            let report = verifier.verify(
                name: name, signatures: [.init(id: "x", bundle: parsed)], revocations: [],
                policy: VerificationPolicy(signer: .certificate(identity: .any, issuer: issuer)))
            times.append((ContinuousClock.now - start).inSeconds)
            guard report.verified != nil else { throw ValidationError("the engine did not verify \(name)") }
        }
        return times.sorted()[times.count / 2]
    }

    /// Runs `requests` calls of `body` at `concurrency`; the rate and the latency percentiles.
    static func measure(requests: Int, concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> (
        rate: Double, p50: Double, p99: Double
    ) {
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var times: [Double] = []
                    for n in stride(from: worker, to: requests, by: concurrency) {
                        let begin = ContinuousClock.now
                        try await body(n)
                        times.append((ContinuousClock.now - begin).inSeconds)
                    }
                    return times
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }.sorted()
        }
        let wall = (ContinuousClock.now - start).inSeconds
        return (Double(latencies.count) / wall, latencies.percentile(0.5), latencies.percentile(0.99))
    }
}
