import SignetCore

/// The append sequencer of a transparency log, as a state machine (no IO): submissions queue
/// while a batch is being committed; each commit takes everything queued (up to
/// `maxBatchSize`), so concurrent submissions share one transaction and one checkpoint; an
/// answer is released only when its batch is durable. A thin async shell performs the
/// actions: it commits batches to the store and delivers answers.
public struct LogSequencer<Request: Hashable & Sendable>: Sendable {
    /// An admitted entry waiting to be appended.
    public struct Submission: Sendable {
        public var request: Request
        public var body: [UInt8]
        public var leafHash: [UInt8]

        public init(request: Request, body: [UInt8]) {
            self.request = request
            self.body = body
            self.leafHash = Merkle.leafHash(body)
        }
    }

    /// A batch to append after `firstIndex - 1`; the shell commits it and reports back.
    public struct Batch: Sendable {
        public var firstIndex: Int64
        public var submissions: [Submission]
    }

    public enum Action: Sendable {
        /// Commit this batch (entries, nodes and a new signed checkpoint in one transaction),
        /// then call ``batchCommitted(_:)`` or ``batchFailed(_:reason:)``.
        case commit(Batch)
        /// Answer these requests: each with its entry's index, or why it was not appended.
        case answer([(request: Request, result: Result<Int64, LogEntryError>)])
    }

    public private(set) var treeSize: Int64
    public let maxBatchSize: Int
    private var queued: [Submission] = []
    private var inFlight: Batch?
    /// For each entry queued or in flight, by leaf hash, the requests waiting on it.
    private var waiting: [[UInt8]: [Request]] = [:]

    public init(treeSize: Int64, maxBatchSize: Int = 1024) {
        self.treeSize = treeSize
        self.maxBatchSize = max(1, maxBatchSize)
    }

    /// Whether a batch is being committed.
    public var isCommitting: Bool { inFlight != nil }

    /// Queues an entry whose leaf the store does not already hold (the shell answers those with
    /// the stored entry). A body already queued or in flight is not appended twice: the request
    /// is answered with the same index.
    public mutating func submit(_ submission: Submission) -> [Action] {
        if waiting[submission.leafHash] != nil {
            waiting[submission.leafHash]!.append(submission.request)
            return []
        }
        waiting[submission.leafHash] = [submission.request]
        queued.append(submission)
        return startBatchIfIdle()
    }

    /// The in-flight batch is durable: answer its requests and start the next batch.
    public mutating func batchCommitted(_ batch: Batch) -> [Action] {
        precondition(inFlight?.firstIndex == batch.firstIndex, "a committed batch must be the one in flight")
        inFlight = nil
        treeSize = batch.firstIndex + Int64(batch.submissions.count)
        var answers: [(request: Request, result: Result<Int64, LogEntryError>)] = []
        for (offset, submission) in batch.submissions.enumerated() {
            for request in waiting.removeValue(forKey: submission.leafHash) ?? [] {
                answers.append((request, .success(batch.firstIndex + Int64(offset))))
            }
        }
        return [.answer(answers)] + startBatchIfIdle()
    }

    /// The in-flight batch could not be committed: nothing of it is in the log; its requests
    /// fail, and the next batch starts.
    public mutating func batchFailed(_ batch: Batch, reason: String) -> [Action] {
        precondition(inFlight?.firstIndex == batch.firstIndex, "a failed batch must be the one in flight")
        inFlight = nil
        var answers: [(request: Request, result: Result<Int64, LogEntryError>)] = []
        for submission in batch.submissions {
            for request in waiting.removeValue(forKey: submission.leafHash) ?? [] {
                answers.append((request, .failure(LogEntryError(.unavailable, "the log could not commit the entry: \(reason)"))))
            }
        }
        return [.answer(answers)] + startBatchIfIdle()
    }

    private mutating func startBatchIfIdle() -> [Action] {
        guard inFlight == nil, !queued.isEmpty else { return [] }
        let count = min(queued.count, maxBatchSize)
        let batch = Batch(firstIndex: treeSize, submissions: Array(queued.prefix(count)))
        queued.removeFirst(count)
        inFlight = batch
        return [.commit(batch)]
    }
}
