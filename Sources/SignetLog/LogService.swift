import SignetCore

/// The transparency log as a running service: the async shell around ``LogSequencer`` over a
/// ``LogStorage``. It admits nothing itself (callers pass bodies ``EntryAdmission`` accepted),
/// finds duplicates, batches concurrent submissions into one commit and one checkpoint per log
/// key, and answers each request only after its batch is durable, with the entry's inclusion
/// proof and the signed checkpoint that covers it.
///
/// Several services (replicas) may share one storage: each prepares and signs its batch on the
/// tip it knows, and the storage's compare-and-swap lets one commit per tree size. A service
/// whose commit meets a conflict reads the new tip and prepares again; one that meets leaves
/// already stored answers those with the stored entries. So no entry is appended twice or
/// answered with two indices, and the tree never forks.
///
/// One Merkle tree serves both APIs: Rekor v1 entries are answered with the v1 key's log ID,
/// checkpoint note and SET; Rekor v2 entries with the v2 key's log ID and note.
public actor LogService {
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

    /// The single tree's name in the storage.
    public static let treeName = "signet"
    /// How many times a batch is prepared again after other writers moved the tree, before
    /// its requests fail (retryable).
    public static let maxCommitAttempts = 32

    public nonisolated let storage: any LogStorage
    public nonisolated let v1: LogSigner
    public nonisolated let v2: LogSigner
    public nonisolated let treeID: Int64
    private let observeBatch: @Sendable (_ entries: Int, _ treeSize: Int64) -> Void
    private var sequencer: LogSequencer<UInt64>
    private var nextRequest: UInt64 = 0
    /// The tip the next batch is prepared on; nil until read, and after a failed commit.
    private var tip: LogTip?
    /// What a waiting request is answered with: its entry as stored, its audit path and the
    /// checkpoint the path leads to.
    private struct Delivery: Sendable {
        var record: LogEntryRecord
        var hashes: [[UInt8]]
        var checkpoint: CheckpointRecord
        var existed: Bool
    }
    private var waiting: [UInt64: CheckedContinuation<Result<Delivery, LogEntryError>, Never>] = [:]
    private var pending: [[UInt8]: NewLogEntry] = [:]

    /// - Parameter observeBatch: told of each committed batch (its entries and the new tree
    ///   size), for metrics.
    public init(
        storage: any LogStorage, v1: LogSigner, v2: LogSigner, treeID: Int64, maxBatchSize: Int = 1024,
        observeBatch: @escaping @Sendable (_ entries: Int, _ treeSize: Int64) -> Void = { _, _ in }
    ) {
        self.storage = storage
        self.v1 = v1
        self.v2 = v2
        self.treeID = treeID
        self.observeBatch = observeBatch
        sequencer = LogSequencer(maxBatchSize: maxBatchSize)
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
        // A body committed before is found here; one committed while this read was in flight,
        // or queued, or in a batch in flight, is found by the sequencer or by the storage's
        // duplicate check: either way it is answered with the one stored index.
        if pending[leafHash] == nil, let existing = try await readLog({ try await $0.entry(log: Self.treeName, leafHash: leafHash) }) {
            return try await answerStored(existing, api: api)
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
        let delivery = try result.get()
        return try await answer(delivery.record, hashes: delivery.hashes, checkpoint: delivery.checkpoint, api: api, existed: delivery.existed)
    }

    /// Performs the sequencer's actions; answers are looked up in `deliveries` by index
    /// (answers without one are failures).
    private func perform(_ actions: [LogSequencer<UInt64>.Action], deliveries: [Int64: Delivery] = [:]) {
        for action in actions {
            switch action {
            case .commit(let batch):
                Task { await self.commit(batch) }
            case .answer(let answers):
                for (request, result) in answers {
                    let delivered = result.flatMap { index -> Result<Delivery, LogEntryError> in
                        guard let delivery = deliveries[index] else {
                            return .failure(LogEntryError(.unavailable, "entry \(index) was answered without its batch"))
                        }
                        return .success(delivery)
                    }
                    waiting.removeValue(forKey: request)?.resume(returning: delivered)
                }
            }
        }
    }

    /// Commits `batch`: prepares and signs it on the current tip, asks the storage to persist
    /// it, and on a conflict or duplicates prepares what is left again on the new tip.
    private func commit(_ batch: LogSequencer<UInt64>.Batch) async {
        // The sequencer batches only submissions it was given, each recorded in `pending`
        // when submitted and removed only after its answer.
        let entries = batch.submissions.compactMap { pending[$0.leafHash] }
        guard entries.count == batch.submissions.count else {
            // Fail closed: a batch whose entries are not all known commits nothing.
            return finish(batch, .failure(LogEntryError(.unavailable, "a batch lost track of an entry; nothing was appended")))
        }
        var remaining = entries
        var deliveries: [[UInt8]: Delivery] = [:]
        do {
            for _ in 0..<Self.maxCommitAttempts {
                let base: LogTip
                if let tip {
                    base = tip
                } else {
                    base = try await storage.tip(log: Self.treeName)
                }
                let signers = [v1, v2]
                let appending = remaining
                let (outcome, prepared) = try await storage.commit(
                    try await PreparedBatch(appending: appending, to: base, signers: signers), log: Self.treeName,
                    preparingAgain: { tip in try await PreparedBatch(appending: appending, to: tip, signers: signers) })
                switch outcome {
                case .committed:
                    tip = prepared.nextTip
                    for (offset, entry) in prepared.entries.enumerated() {
                        deliveries[entry.leafHash] = Delivery(
                            record: entry.record, hashes: prepared.inclusionProofs[offset], checkpoint: prepared.checkpoint, existed: false)
                    }
                    observeBatch(prepared.entries.count, prepared.checkpoint.size)
                    return finish(batch, .success(deliveries))
                case .conflict:
                    tip = nil
                case .duplicates(let stored):
                    tip = nil
                    for leafHash in stored.keys {
                        guard let record = try await storage.entry(log: Self.treeName, leafHash: leafHash) else {
                            throw LogEntryError(.unavailable, "the storage reported leaf \(Hex.encode(leafHash)) stored but has no such entry")
                        }
                        let delivery = try await storedDelivery(record)
                        deliveries[leafHash] = delivery
                    }
                    remaining.removeAll { stored[$0.leafHash] != nil }
                    if remaining.isEmpty { return finish(batch, .success(deliveries)) }
                }
            }
            throw LogEntryError(.unavailable, "other writers moved the tree \(Self.maxCommitAttempts) times while this batch was prepared; retry")
        } catch {
            tip = nil
            finish(batch, .failure(error as? LogEntryError ?? LogEntryError(.unavailable, "\(error)")))
        }
    }

    private func finish(_ batch: LogSequencer<UInt64>.Batch, _ result: Result<[[UInt8]: Delivery], LogEntryError>) {
        for submission in batch.submissions { pending[submission.leafHash] = nil }
        switch result {
        case .success(let deliveries):
            let indices = batch.submissions.map { deliveries[$0.leafHash]?.record.index ?? -1 }
            let byIndex = Dictionary(deliveries.values.map { ($0.record.index, $0) }) { first, _ in first }
            perform(sequencer.batchCommitted(batch, indices: indices), deliveries: byIndex)
        case .failure(let error):
            perform(sequencer.batchFailed(batch, reason: error.reason))
        }
    }

    /// A stored entry with its audit path against the latest checkpoint.
    private nonisolated func storedDelivery(_ record: LogEntryRecord) async throws -> Delivery {
        guard let checkpoint = try await storage.latestCheckpoint(log: Self.treeName) else {
            throw LogEntryError(.unavailable, "the log holds entry \(record.index) but no checkpoint")
        }
        let hashes = try await storage.inclusionProof(log: Self.treeName, index: record.index, size: checkpoint.size)
        return Delivery(record: record, hashes: hashes, checkpoint: checkpoint, existed: true)
    }

    /// A stored entry answered against the latest checkpoint, with its audit path.
    private nonisolated func answerStored(_ record: LogEntryRecord, api: API) async throws(LogEntryError) -> Answer {
        let delivery = try await readLog { _ in try await self.storedDelivery(record) }
        return try await answer(delivery.record, hashes: delivery.hashes, checkpoint: delivery.checkpoint, api: api, existed: true)
    }

    /// Builds the bundle entry for a stored entry: v1 answers carry the v1 log ID, note and a
    /// SET; v2 answers the v2 log ID and note, and no log time.
    private nonisolated func answer(
        _ record: LogEntryRecord, hashes: [[UInt8]], checkpoint: CheckpointRecord, api: API, existed: Bool
    ) async throws(LogEntryError) -> Answer {
        let signer = api == .rekorV1 ? v1 : v2
        guard let note = checkpoint.notes[signer.logID] else {
            throw LogEntryError(.unavailable, "checkpoint \(checkpoint.size) carries no note of log \(Hex.encode(signer.logID))")
        }
        var set: [UInt8]?
        if api == .rekorV1 {
            do {
                set = try await v1.signedEntryTimestamp(body: record.body, integratedTime: record.integratedTime, logIndex: record.index)
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
    public nonisolated func lookup(index: Int64, api: API) async throws(LogEntryError) -> Answer? {
        guard let record = try await readLog({ try await $0.entry(log: Self.treeName, index: index) }) else { return nil }
        return try await answerStored(record, api: api)
    }

    /// The entry with RFC 6962 leaf hash `leafHash`, answered against the latest checkpoint, if stored.
    public nonisolated func lookup(leafHash: [UInt8], api: API) async throws(LogEntryError) -> Answer? {
        guard let record = try await readLog({ try await $0.entry(log: Self.treeName, leafHash: leafHash) }) else { return nil }
        return try await answerStored(record, api: api)
    }

    /// The latest tree head as `signer`'s note, or a freshly signed empty one before the
    /// first entry. Every stored checkpoint carries a note of each log key.
    public nonisolated func signedTreeHead(_ signer: LogSigner) async throws(LogEntryError) -> (size: Int64, rootHash: [UInt8], note: String) {
        guard let checkpoint = try await readLog({ try await $0.latestCheckpoint(log: Self.treeName) }) else {
            do {
                return (0, Merkle.emptyRoot, try await signer.signCheckpoint(size: 0, rootHash: Merkle.emptyRoot).serialized)
            } catch {
                throw LogEntryError(.unavailable, "the log could not sign its empty checkpoint: \(error)")
            }
        }
        guard let note = checkpoint.notes[signer.logID] else {
            throw LogEntryError(.unavailable, "checkpoint \(checkpoint.size) carries no note of log \(Hex.encode(signer.logID))")
        }
        return (checkpoint.size, checkpoint.rootHash, note)
    }

    /// The size of the latest checkpoint.
    public nonisolated func treeSize() async throws(LogEntryError) -> Int64 {
        try await readLog { try await $0.latestCheckpoint(log: Self.treeName)?.size ?? 0 }
    }

    /// Runs a read, reporting a storage failure as ``LogEntryError/Code/unavailable``.
    private nonisolated func readLog<T: Sendable>(_ read: (any LogStorage) async throws -> T) async throws(LogEntryError) -> T {
        do {
            return try await read(storage)
        } catch let error as LogEntryError {
            throw error
        } catch {
            throw LogEntryError(.unavailable, "the log could not be read: \(error)")
        }
    }
}
