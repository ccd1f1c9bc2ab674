import ArgumentParser
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import SignetClient
import SignetCore
import SignetServer

/// `signet-bench sign`: complete keyless signing flows over loopback at rising concurrency.
/// Each flow mints a development token, makes an ephemeral P-256 key and CSR, gets a
/// certificate with its SCT, signs a digest, and appends a Rekor v1 entry, waiting for its
/// inclusion proof. The crypto ceiling (the flows/s the same signatures and verifications
/// allow on all cores, with no HTTP, JSON or storage) is measured in the same run.
struct SignBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Drive complete signing flows (token, CSR, certificate with SCT, signature, log append with proof) against a server."
    )

    @Option(help: "A running `signet server --dev` (default: start one on a fresh data directory).") var server: String?
    @Option(help: "That server's data directory (for development tokens).") var data: String?
    @Option(parsing: .upToNextOption, help: "Concurrency levels (in-flight flows).") var concurrency: [Int] = [1, 8, 32, 64, 128]
    @Option(help: "Seconds per level.") var seconds: Double = 10
    @Option(help: "Seconds of warm-up before the first level.") var warmup: Double = 3
    @OptionGroup var signet: SignetBinary

    func run() async throws {
        let started: BenchServer?
        let url: String
        let dataDirectory: URL
        if let server {
            guard let data else { throw ValidationError("--server needs --data (the server's data directory, for development tokens)") }
            try await BenchServer.waitReady(server)
            (started, url, dataDirectory) = (nil, server, URL(fileURLWithPath: data))
        } else {
            let benchServer = try BenchServer(signet: try signet.executable())
            do { try await benchServer.ready() } catch {
                benchServer.terminate()
                throw error
            }
            (started, url, dataDirectory) = (benchServer, benchServer.url, URL(fileURLWithPath: benchServer.data))
        }
        defer { started?.terminate() }
        let provider = try DevelopmentIdentityProvider.open(dataDirectory: dataDirectory, environment: ProcessInfo.processInfo.environment, serverURL: url)
        let trust = try await SigningClient.trustConfig(server: url)
        guard let address = URLComponents(string: url), address.scheme == "http", let host = address.host, let port = address.port else {
            throw ValidationError("expected --server as http://HOST:PORT (the benchmark drives loopback), found \(url)")
        }
        // One kept-alive connection per in-flight flow, each with its own client.
        var connections: [KeepAliveConnection] = []
        do {
            var clients: [SigningClient] = []
            for _ in 0..<max(concurrency.max() ?? 1, 8) {
                let connection = try await KeepAliveConnection.connect(host: host, port: port)
                connections.append(connection)
                // The flow of the goal: certificate and log entry with its proof; the SET is the signed time.
                clients.append(try SigningClient(signingConfig: trust.signingConfig, rekorAPI: .v1, timestamps: false, http: connection, timeout: .seconds(30)))
            }
            try await measure(clients: clients, provider: provider, serverPID: started?.process.processIdentifier)
        } catch {
            for connection in connections { await connection.close() }
            throw error
        }
        for connection in connections { await connection.close() }
    }

    private func measure(clients: [SigningClient], provider: DevelopmentIdentityProvider, serverPID: Int32?) async throws {
        _ = try await level(clients: clients, provider: provider, concurrency: 8, seconds: warmup)
        let ceiling = Self.cryptoCeiling()
        print(
            String(
                format:
                    "crypto ceiling: %.0f flows/s (%d cores; per flow: a P-256 key generation, 3 P-256 signatures by the client, 3 by the server, 3 P-256 verifications)",
                ceiling, ProcessInfo.processInfo.activeProcessorCount))
        print("concurrency  flows/s  p50 ms  p99 ms  errors  ratio  server CPU ms/flow  client CPU ms/flow")
        for level in concurrency {
            let serverBefore = serverPID.flatMap(ProcessCPUTime.of(pid:))
            let clientBefore = ProcessCPUTime.ofSelf()
            let result = try await self.level(clients: clients, provider: provider, concurrency: level, seconds: seconds)
            let flows = max(1, result.rate * result.wall)
            let serverCPU = serverBefore.flatMap { before in serverPID.flatMap(ProcessCPUTime.of(pid:)).map { ($0 - before) / flows * 1000 } }
            let clientCPU = (ProcessCPUTime.ofSelf() - clientBefore) / flows * 1000
            let serverColumn = serverCPU.map { String(format: "%18.2f", $0) } ?? String(repeating: " ", count: 17) + "-"
            print(
                String(
                    format: "%11d  %7.0f  %6.1f  %6.1f  %6d  %5.2f  ", level, result.rate, result.p50 * 1000, result.p99 * 1000, result.errors,
                    result.rate / ceiling)
                    + serverColumn + String(format: "  %18.2f", clientCPU))
        }
    }

    struct LevelResult {
        var rate: Double
        var wall: Double
        var p50: Double
        var p99: Double
        var errors: Int
    }

    /// Runs `concurrency` flows at a time for `seconds`.
    private func level(clients: [SigningClient], provider: DevelopmentIdentityProvider, concurrency: Int, seconds: Double) async throws -> LevelResult {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let start = ContinuousClock.now
        let (latencies, errors) = await withTaskGroup(of: ([Double], Int).self) { group in
            for worker in 0..<concurrency {
                let client = clients[worker]
                group.addTask {
                    var latencies: [Double] = []
                    var errors = 0
                    var n = 0
                    while ContinuousClock.now < deadline {
                        let begin = ContinuousClock.now
                        do {
                            let token = try provider.mint(subject: "bench-\(worker)@signet.localhost", now: SystemTimeSource().now())
                            let digest = sha256(Array("bench \(worker) \(n) \(UUID())".utf8))
                            _ = try await client.sign(digest: digest, identityToken: token)
                            latencies.append((ContinuousClock.now - begin).inSeconds)
                        } catch {
                            errors += 1
                            if errors == 1 { FileHandle.standardError.write(Data("bench: a flow failed: \(error)\n".utf8)) }
                        }
                        n += 1
                    }
                    return (latencies, errors)
                }
            }
            var all: [Double] = []
            var errors = 0
            for await (latencies, failed) in group {
                all += latencies
                errors += failed
            }
            return (all.sorted(), errors)
        }
        let wall = (ContinuousClock.now - start).inSeconds
        return LevelResult(rate: Double(latencies.count) / wall, wall: wall, p50: latencies.percentile(0.5), p99: latencies.percentile(0.99), errors: errors)
    }

    /// The flows/s the flow's public-key operations alone allow on every core: a key
    /// generation, 6 P-256 signatures (the client's token, CSR and artifact signature; the
    /// server's certificate, SCT and SET; the batch's checkpoint signatures amortized away) and
    /// 3 verifications (token, CSR, entry).
    static func cryptoCeiling() -> Double {
        let key = P256.Signing.PrivateKey()
        let message = Array("ceiling".utf8)
        let signature = try! key.signature(for: message)
        return roundsPerSecondOnAllCores {
            _ = SigningClient.ephemeralKey()
            // A fresh in-process key over fixed bytes: no input reaches it.
            for _ in 0..<6 { _ = try! key.signature(for: message) }
            for _ in 0..<3 { _ = key.publicKey.isValidSignature(signature, for: message) }
        }
    }
}
