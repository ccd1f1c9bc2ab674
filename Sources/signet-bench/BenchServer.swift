import AsyncHTTPClient
import Foundation
import SignetServer

/// A `signet server --dev` started for a benchmark on a port the server takes itself
/// (`--listen 127.0.0.1:0`) and announces on standard error: on a fresh data directory it
/// removes when it ends, or on a shared one (replicas) with `arguments` such as `--store`.
final class BenchServer {
    let process = Process()
    let data: String
    private let ownsData: Bool
    private let log: URL
    private(set) var url = ""

    init(signet: URL, data shared: String? = nil, arguments: [String] = []) throws {
        data = shared ?? FileManager.default.temporaryDirectory.appendingPathComponent("signet-bench-\(UUID().uuidString)").path
        ownsData = shared == nil
        log = FileManager.default.temporaryDirectory.appendingPathComponent("signet-bench-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw BenchFailure("expected to create the server log \(log.path), found it cannot be created")
        }
        process.executableURL = signet
        process.arguments = ["server", "--dev", "--data", data, "--listen", "127.0.0.1:0", "--log-level", "warning"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    /// Waits for the server's announced port, then until `/readyz` answers 200.
    func ready() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, process.isRunning {
            if let port = ListeningAnnouncement.port(in: output()) {
                url = "http://127.0.0.1:\(port)"
                try await Self.waitReady(url)
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchFailure("expected the benchmark's server to announce its port within 30 s, found: \(output().suffix(2_000))")
    }

    /// Waits until the server at `url` answers `/readyz` with 200 (30 s at most).
    static func waitReady(_ url: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "\(url)/readyz"), timeout: .seconds(2)), response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchFailure("expected the server at \(url) to become ready within 30 s, found it not ready")
    }

    func terminate() {
        process.terminate()
        process.waitUntilExit()
        if ownsData { try? FileManager.default.removeItem(atPath: data) }
        try? FileManager.default.removeItem(at: log)
    }

    private func output() -> String {
        String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
    }
}
