import Dispatch
import SignetCore
import SignetLog
import SignetStore

/// The transparency log as a running service: the async shell around ``LogSequencer``. It
/// admits nothing itself (callers pass bodies ``EntryAdmission`` accepted), finds duplicates,
/// batches concurrent submissions into one transaction and one checkpoint per log key, and
/// answers each request only after its batch is committed, with the entry's inclusion proof
/// and the signed checkpoint that covers it.
///
/// One Merkle tree serves both APIs: Rekor v1 entries are answered with the v1 key's log ID,
/// checkpoint note and SET; Rekor v2 entries with the v2 key's log ID and note.
public actor TransparencyLogService {
    /// Which API an entry arrived through, and therefore how it is answered.
    public enum API: Sendable {
        case rekorV1
        case rekorV2
    }

    /// A stored entry with its proof against a signed checkpoint.
    public struct Answer: Sendable {
        public var entry: TransparencyLogEntry
        /// Whether the entry was already in the log.
        public var existed: Bool
    }

    /// The single tree's name in the store.
    public static let treeName = "signet"

    nonisolated let store: any LogStore
    public nonisolated let v1: LogSigner
    public nonisolated let v2: LogSigner
    public nonisolated let treeID: Int64
    private var sequencer: LogSequencer<UInt64>
    private var nextRequest: UInt64 = 0
    /// What a waiting request is answered with: its entry as stored, its audit path and the
    /// checkpoint the path leads to.
    private typealias Committed = (record: LogEntryRecord, hashes: [[UInt8]], checkpoint: CheckpointRecord)
    private var waiting: [UInt64: CheckedContinuation<Result<Committed, LogEntryError>, Never>] = [:]
    private var pending: [[UInt8]: NewLogEntry] = [:]
    private let metrics: Metrics
    /// Commits run here, off the concurrency pool: each blocks on fsync.
    private let commitQueue = DispatchQueue(label: "signet.log.commit")

    public init(store: any LogStore, v1: LogSigner, v2: LogSigner, treeID: Int64, maxBatchSize: Int = 1024, metrics: Metrics) throws {
        self.store = store
        self.v1 = v1
        self.v2 = v2
        self.treeID = treeID
        self.metrics = metrics
        let size = try store.latestCheckpoint(log: Self.treeName)?.size ?? 0
        sequencer = LogSequencer(treeSize: size, maxBatchSize: maxBatchSize)
        metrics.setTreeSize(size)
    }

    /// Appends an admitted entry, or finds it if the log already holds it.
    public func append(_ admitted: AdmittedEntry, api: API, now: Timestamp) async throws(LogEntryError) -> Answer {
        let entry: NewLogEntry
        do {
            entry = try NewLogEntry(body: admitted.body, indexKeys: admitted.indexKeys, integratedTime: api == .rekorV1 ? now.seconds : 0)
        } catch {
            throw LogEntryError(.invalidEntry, "the entry has no canonical form: \(error)")
        }
        guard entry.canonicalBody.count <= NewLogEntry.maxCanonicalBytes else {
            throw LogEntryError(
                .invalidEntry,
                "expected an entry whose canonical body fits the log's \(NewLogEntry.maxCanonicalBytes)-byte limit (tlog-tiles entry bundles), found \(entry.canonicalBody.count) bytes"
            )
        }
        let leafHash = entry.leafHash
        // Checked and submitted in one actor turn: a body committed meanwhile is found here,
        // one queued or in flight is found by the sequencer, so no body is appended twice.
        let existing: LogEntryRecord?
        do {
            existing = try store.entry(log: Self.treeName, leafHash: leafHash)
        } catch {
            throw LogEntryError(.unavailable, "the log could not be read: \(error)")
        }
        if let existing {
            return try answerStored(existing, api: api)
        }
        let request = nextRequest
        nextRequest += 1
        // A body already queued keeps the first submitter's log time; every waiter is
        // answered with the entry as stored.
        if pending[leafHash] == nil { pending[leafHash] = entry }
        let result = await withCheckedContinuation { continuation in
            waiting[request] = continuation
            perform(sequencer.submit(.init(request: request, body: entry.canonicalBody)))
        }
        let committed = try result.get()
        return try answer(committed.record, hashes: committed.hashes, checkpoint: committed.checkpoint, api: api, existed: false)
    }

    /// Performs the sequencer's actions; answers carry the proofs of `committed`, the batch
    /// just made durable (answers without one are failures).
    private func perform(_ actions: [LogSequencer<UInt64>.Action], committed: CommittedBatch? = nil) {
        for action in actions {
            switch action {
            case .commit(let batch):
                // The sequencer batches only submissions it was given, each recorded in
                // `pending` when submitted and removed only after its answer.
                let entries = batch.submissions.compactMap { pending[$0.leafHash] }
                guard entries.count == batch.submissions.count else {
                    // Fail closed: a batch whose entries are not all known commits nothing.
                    finish(batch, .failure(LogEntryError(.unavailable, "the batch at \(batch.firstIndex) lost track of an entry; nothing was appended")))
                    continue
                }
                let store = store
                let signers = [v1, v2]
                commitQueue.async {
                    let result = Result { try store.append(entries, to: Self.treeName, signers: signers) }
                    Task { await self.finish(batch, result) }
                }
            case .answer(let answers):
                for (request, result) in answers {
                    let delivered = result.flatMap { index -> Result<Committed, LogEntryError> in
                        guard let committed else { return .failure(LogEntryError(.unavailable, "entry \(index) was answered without its batch")) }
                        let offset = Int(index - committed.firstIndex)
                        return .success((committed.entries[offset], committed.batch.inclusionProofs[offset], committed.checkpoint))
                    }
                    waiting.removeValue(forKey: request)?.resume(returning: delivered)
                }
            }
        }
    }

    private func finish(_ batch: LogSequencer<UInt64>.Batch, _ result: Result<CommittedBatch, any Error>) {
        for submission in batch.submissions { pending[submission.leafHash] = nil }
        switch result {
        case .success(let committed):
            metrics.observeBatch(size: batch.submissions.count, treeSize: committed.checkpoint.size)
            perform(sequencer.batchCommitted(batch), committed: committed)
        case .failure(let error):
            perform(sequencer.batchFailed(batch, reason: "\(error)"))
        }
    }

    /// A stored entry answered against the latest checkpoint, with its audit path.
    private nonisolated func answerStored(_ record: LogEntryRecord, api: API) throws(LogEntryError) -> Answer {
        do {
            guard let checkpoint = try store.latestCheckpoint(log: Self.treeName) else {
                throw LogEntryError(.unavailable, "the log holds entry \(record.index) but no checkpoint")
            }
            let hashes = try store.inclusionProof(log: Self.treeName, index: record.index, size: checkpoint.size)
            return try answer(record, hashes: hashes, checkpoint: checkpoint, api: api, existed: true)
        } catch let error as LogEntryError {
            throw error
        } catch {
            throw LogEntryError(.unavailable, "the log could not be read: \(error)")
        }
    }

    /// Builds the bundle entry for a stored entry: v1 answers carry the v1 log ID, note and a
    /// SET; v2 answers the v2 log ID and note, and no log time.
    nonisolated func answer(_ record: LogEntryRecord, hashes: [[UInt8]], checkpoint: CheckpointRecord, api: API, existed: Bool) throws(LogEntryError) -> Answer
    {
        let signer = api == .rekorV1 ? v1 : v2
        guard let note = checkpoint.notes[signer.logID] else {
            throw LogEntryError(.unavailable, "checkpoint \(checkpoint.size) carries no note of log \(Hex.encode(signer.logID))")
        }
        var set: [UInt8]?
        if api == .rekorV1 {
            do {
                set = try v1.signedEntryTimestamp(body: record.body, integratedTime: record.integratedTime, logIndex: record.index)
            } catch {
                throw LogEntryError(.unavailable, "the log could not sign the entry timestamp: \(error)")
            }
        }
        let entry = TransparencyLogEntry(
            logIndex: record.index, logID: signer.logID, kind: record.kind, version: record.version,
            integratedTime: api == .rekorV1 ? record.integratedTime : 0, signedEntryTimestamp: set,
            inclusionProof: .init(logIndex: record.index, rootHash: checkpoint.rootHash, treeSize: checkpoint.size, hashes: hashes, checkpoint: note),
            canonicalizedBody: record.body)
        return Answer(entry: entry, existed: existed)
    }

    /// The entry at `index`, answered against the latest checkpoint, if stored.
    public nonisolated func lookup(index: Int64, api: API) throws(LogEntryError) -> Answer? {
        try stored(api: api) { try $0.entry(log: Self.treeName, index: index) }
    }

    /// The entry with RFC 6962 leaf hash `leafHash`, answered against the latest checkpoint, if stored.
    public nonisolated func lookup(leafHash: [UInt8], api: API) throws(LogEntryError) -> Answer? {
        try stored(api: api) { try $0.entry(log: Self.treeName, leafHash: leafHash) }
    }

    private nonisolated func stored(api: API, _ find: (any LogStore) throws -> LogEntryRecord?) throws(LogEntryError) -> Answer? {
        let record: LogEntryRecord?
        do {
            record = try find(store)
        } catch {
            throw LogEntryError(.unavailable, "the log could not be read: \(error)")
        }
        return try record.map { record throws(LogEntryError) in try answerStored(record, api: api) }
    }

    /// The latest tree head as `signer`'s note, or a freshly signed empty one before the
    /// first entry. Every stored checkpoint carries a note of each log key.
    public nonisolated func signedTreeHead(_ signer: LogSigner) throws -> (size: Int64, rootHash: [UInt8], note: String) {
        guard let checkpoint = try store.latestCheckpoint(log: Self.treeName) else {
            return (0, Merkle.emptyRoot, try signer.signCheckpoint(size: 0, rootHash: Merkle.emptyRoot).serialized)
        }
        guard let note = checkpoint.notes[signer.logID] else {
            throw LogEntryError(.unavailable, "checkpoint \(checkpoint.size) carries no note of log \(Hex.encode(signer.logID))")
        }
        return (checkpoint.size, checkpoint.rootHash, note)
    }
}
