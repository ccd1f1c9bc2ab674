import Foundation
import SignetCore

/// A small deterministic generator (SplitMix64) for randomised tests: seeded, so a failing run
/// can be replayed with the seed it printed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    /// A generator for the test `name`, seeded from `SIGNET_TEST_SEED` (decimal or 0x-hex) when
    /// set, else from the system's generator; the seed is printed, so any run can be replayed.
    public static func forTest(_ name: String) -> SeededGenerator {
        let given = ProcessInfo.processInfo.environment["SIGNET_TEST_SEED"].flatMap { text in
            text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        }
        let seed = given ?? UInt64.random(in: .min ... .max)
        print("\(name): seed 0x\(String(seed, radix: 16)) (replay with SIGNET_TEST_SEED=0x\(String(seed, radix: 16)))")
        return SeededGenerator(state: seed)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Optional views of enum cases, so a test unwraps with `try #require(…)` and fails, rather
/// than returning early and passing, when the case is not the one it expects.
extension JSONValue {
    /// The members, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }
}

extension SigstoreBundle.Content {
    /// The message signature, if the bundle signs a message.
    public var messageSignatureValue: SigstoreBundle.MessageSignature? {
        if case .messageSignature(let message) = self { return message }
        return nil
    }

    /// The envelope, if the bundle carries a DSSE envelope.
    public var dsseEnvelopeValue: DSSEEnvelope? {
        if case .dsseEnvelope(let envelope) = self { return envelope }
        return nil
    }
}

/// Bridges between blocking and async code in tests without starving the cooperative pool
/// (two threads on a two-core machine): blocking work never runs on it.
public enum Blocking {
    /// Runs blocking work (a process to its end, a server's start) on a thread of its own and
    /// awaits its result, so the pool's threads go on serving other tests meanwhile.
    public static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// Runs async work to completion from synchronous code: for test fixtures that are `static
    /// let`s (bundles, leaves) now that signing is async. The work runs on a dedicated serial
    /// queue, not the cooperative pool, so the caller blocking a pool thread cannot starve it.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: executor) {
            box.result = await Result { try await body() }
            done.signal()
        }
        done.wait()
        guard let result = box.result else { throw FormatError(.invalidValue, at: "fixture", "expected the fixture's work to finish") }
        return try result.get()
    }

    private static let executor = QueueExecutor(queue: DispatchQueue(label: "signet.test.blocking"))

    /// An executor for a test that generates heavy load (many concurrent flows, each with its
    /// own signatures and JSON): its tasks run on dispatch's threads, not on the cooperative
    /// pool every other test shares, so the load cannot starve their readiness checks. Use with
    /// `withTaskExecutorPreference`.
    public static let loadExecutor: any TaskExecutor = QueueExecutor(queue: DispatchQueue(label: "signet.test.load", attributes: .concurrent))

    private final class ResultBox<T: Sendable>: @unchecked Sendable {
        // Written once by the task before the semaphore is signalled, read after the wait.
        var result: Result<T, any Error>?
    }

    private final class QueueExecutor: TaskExecutor {
        let queue: DispatchQueue

        init(queue: DispatchQueue) {
            self.queue = queue
        }

        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }
}

extension Result where Failure == any Error {
    /// The result of async `body`.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}

/// OpenSSL, an independent implementation that tests check Signet's formats against. A machine
/// without it fails those tests, loudly (CI installs it).
public enum OpenSSL {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "expected openssl at /usr/bin/openssl or /bin/openssl (CI installs it), found none" }
    }

    /// Runs `openssl` with `arguments`; its exit status and its standard output and error together.
    public static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let openssl = ["/usr/bin/openssl", "/bin/openssl"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}
