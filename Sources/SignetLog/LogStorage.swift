import SignetCore

/// The log's persistent state, as ``LogService`` needs it: entries, the perfect-subtree nodes
/// of the Merkle tree (RFC 6962 §2.1) and the signed checkpoints. Implemented by SignetSQLite,
/// SignetPostgres and ``InMemoryLogStorage``.
///
/// The one write, ``commit(_:log:)``, only persists what ``PreparedBatch`` computed and signed
/// beforehand, and it is a compare-and-swap on the tree size: any number of writers (replicas)
/// may prepare batches concurrently, and exactly one of those built on the stored size commits.
/// So the tree never forks, and a slow signer never holds the store's write lock.
public protocol LogStorage: Sendable {
    /// The latest checkpoint of `log`, if it has any entries.
    func latestCheckpoint(log: String) async throws -> CheckpointRecord?
    /// The checkpoint for tree `size`, if one was issued.
    func checkpoint(log: String, size: Int64) async throws -> CheckpointRecord?
    /// The entry at `index`, if stored.
    func entry(log: String, index: Int64) async throws -> LogEntryRecord?
    /// The entry whose canonical body has the RFC 6962 leaf hash `leafHash`, if stored.
    func entry(log: String, leafHash: [UInt8]) async throws -> LogEntryRecord?
    /// The entries with indices in `range` that are stored, in order.
    func entries(log: String, range: Range<Int64>) async throws -> [LogEntryRecord]
    /// The hashes of the nodes at `level` with indices in `range` that are stored, in order.
    func nodes(log: String, level: Int, range: Range<Int64>) async throws -> [[UInt8]]
    /// The stored nodes among `ids`, in one read.
    func nodes(log: String, _ ids: Set<MerkleNodeID>) async throws -> [MerkleNodeID: [UInt8]]
    /// The entries stored under search key `key` (index and leaf hash), oldest first.
    func indexedEntries(log: String, key: String, limit: Int) async throws -> [(index: Int64, leafHash: [UInt8])]
    /// Persists `batch` atomically (entries, index keys, nodes, checkpoint and its notes), or
    /// nothing: ``CommitOutcome/conflict(storedSize:)`` when the stored size is not
    /// `batch.baseSize`, ``CommitOutcome/duplicates(_:)`` when a leaf of the batch is already
    /// stored. Returns only once what it wrote is durable.
    func commit(_ batch: PreparedBatch, log: String) async throws -> CommitOutcome
    /// ``commit(_:log:)``, except that when the stored size is not `batch.baseSize`, a store
    /// that can hold its lock across an await prepares the batch again on the stored tip with
    /// `prepareAgain`, once, under that lock, and commits that one: a writer that lost a race
    /// to another replica cannot lose the next, so none starves. Signing under the lock happens
    /// only then. Returns the outcome and the batch it concerns. (By default: no second
    /// preparation, the conflict is answered.)
    func commit(_ batch: PreparedBatch, log: String, preparingAgain prepareAgain: @escaping @Sendable (LogTip) async throws -> PreparedBatch)
        async throws -> (outcome: CommitOutcome, batch: PreparedBatch)
}

/// What ``LogStorage/commit(_:log:)`` did.
public enum CommitOutcome: Sendable, Hashable {
    /// The batch is durable.
    case committed
    /// Another writer moved the tree: the stored size is `storedSize`, not the batch's base.
    /// Nothing was written; the batch must be prepared again on the new tree.
    case conflict(storedSize: Int64)
    /// These leaves of the batch are already stored, at these indices. Nothing was written;
    /// their requests are answered with the stored entries, and the rest prepared again.
    case duplicates([[UInt8]: Int64])
}

extension LogStorage {
    /// MTH of the first `size` leaves (RFC 6962 §2.1), from stored nodes.
    public func rootHash(log: String, size: Int64) async throws -> [UInt8] {
        try await compute(log: log) { try MerkleNodes.rootHash(0..<size, $0) }
    }

    /// The audit path of entry `index` in the tree of `size` leaves (RFC 6962 §2.1.1).
    public func inclusionProof(log: String, index: Int64, size: Int64) async throws -> [[UInt8]] {
        try await compute(log: log) { try MerkleNodes.inclusionProof(index: index, size: size, $0) }
    }

    /// The consistency proof between two tree sizes (RFC 6962 §2.1.2).
    public func consistencyProof(log: String, oldSize: Int64, newSize: Int64) async throws -> [[UInt8]] {
        try await compute(log: log) { try MerkleNodes.consistencyProof(oldSize: oldSize, newSize: newSize, $0) }
    }

    public func commit(_ batch: PreparedBatch, log: String, preparingAgain prepareAgain: @escaping @Sendable (LogTip) async throws -> PreparedBatch)
        async throws -> (outcome: CommitOutcome, batch: PreparedBatch)
    {
        (try await commit(batch, log: log), batch)
    }

    /// The tip of `log` a batch is prepared on: its latest checkpoint and the frontier nodes.
    public func tip(log: String) async throws -> LogTip {
        guard let checkpoint = try await latestCheckpoint(log: log) else { return LogTip.empty }
        let frontier = try await nodes(log: log, Set(MerkleNodes.frontier(size: checkpoint.size)))
        return try LogTip(size: checkpoint.size, rootHash: checkpoint.rootHash, storedNodes: frontier)
    }

    /// One pure computation over the nodes it needs, fetched in one read: the same proofs on
    /// every engine.
    private func compute<T>(log: String, _ computation: (any MerkleNodeReader) throws -> T) async throws -> T {
        let ids = try MerkleNodes.nodesRead(by: computation)
        return try computation(NodeSet(try await nodes(log: log, ids)))
    }
}
