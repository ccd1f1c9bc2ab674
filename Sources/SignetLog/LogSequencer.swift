import SignetCore

/// The append sequencer of a transparency log, as a state machine (no IO): submissions queue
/// while a batch is being committed; each commit takes everything queued (up to
/// `maxBatchSize`), so concurrent submissions share one transaction and one checkpoint; an
/// answer is released only when its batch is durable. The sequencer assigns no indices: the
/// store decides them when the batch commits (another replica may have appended meanwhile),
/// and the shell reports them back.
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

    /// A batch of distinct bodies to append; the shell commits it and reports back.
    public struct Batch: Sendable {
        /// Counts the batches this sequencer started.
        public var number: Int
        public var submissions: [Submission]
    }

    public enum Action: Sendable {
        /// Commit this batch (entries, nodes and a new signed checkpoint in one transaction),
        /// then call ``batchCommitted(_:indices:)`` or ``batchFailed(_:reason:)``.
        case commit(Batch)
        /// Answer these requests: each with its entry's index, or why it was not appended.
        case answer([(request: Request, result: Result<Int64, LogEntryError>)])
    }

    public let maxBatchSize: Int
    private var queued: [Submission] = []
    private var inFlight: Batch?
    private var batchesStarted = 0
    /// For each entry queued or in flight, by leaf hash, the requests waiting on it.
    private var waiting: [[UInt8]: [Request]] = [:]

    public init(maxBatchSize: Int = 1024) {
        self.maxBatchSize = max(1, maxBatchSize)
    }

    /// Whether a batch is being committed.
    public var isCommitting: Bool { inFlight != nil }

    /// Queues an entry whose leaf the store does not already hold (the shell answers those with
    /// the stored entry). A body already queued or in flight is not appended twice: the request
    /// is answered with the same index.
    public mutating func submit(_ submission: Submission) -> [Action] {
        if var requests = waiting[submission.leafHash] {
            requests.append(submission.request)
            waiting[submission.leafHash] = requests
            return []
        }
        waiting[submission.leafHash] = [submission.request]
        queued.append(submission)
        return startBatchIfIdle()
    }

    /// The in-flight batch is durable, its submissions at `indices` (in order; an entry some
    /// other writer had appended keeps that writer's index): answer its requests and start the
    /// next batch. A batch that is not the one in flight changes nothing.
    public mutating func batchCommitted(_ batch: Batch, indices: [Int64]) -> [Action] {
        guard inFlight?.number == batch.number, indices.count == batch.submissions.count else { return [] }
        inFlight = nil
        var answers: [(request: Request, result: Result<Int64, LogEntryError>)] = []
        for (submission, index) in zip(batch.submissions, indices) {
            for request in waiting.removeValue(forKey: submission.leafHash) ?? [] {
                answers.append((request, .success(index)))
            }
        }
        return [.answer(answers)] + startBatchIfIdle()
    }

    /// The in-flight batch could not be committed: nothing of it is in the log; its requests
    /// fail, and the next batch starts. A batch that is not the one in flight changes nothing.
    public mutating func batchFailed(_ batch: Batch, reason: String) -> [Action] {
        guard inFlight?.number == batch.number else { return [] }
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
        let batch = Batch(number: batchesStarted, submissions: Array(queued.prefix(count)))
        batchesStarted += 1
        queued.removeFirst(count)
        inFlight = batch
        return [.commit(batch)]
    }
}
