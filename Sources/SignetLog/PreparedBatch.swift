import SignetCore

/// The tree a batch is appended to: its size, root and frontier (the perfect subtrees that
/// make it up, ``MerkleNodes/frontier(size:)``). The frontier is all an append needs: every
/// left sibling on a new leaf's audit path is one of its nodes or a node the batch adds.
public struct LogTip: Sendable {
    public var size: Int64
    public var rootHash: [UInt8]
    public var frontier: NodeSet

    public static let empty = LogTip(size: 0, rootHash: Merkle.emptyRoot, frontier: NodeSet())

    public init(size: Int64, rootHash: [UInt8], frontier: NodeSet) {
        self.size = size
        self.rootHash = rootHash
        self.frontier = frontier
    }

    /// The tip of a tree of `size` leaves with root `rootHash`, from stored nodes that must
    /// hold its frontier (``MerkleNodes/frontier(size:)``, the ids to read them by).
    public init(size: Int64, rootHash: [UInt8], storedNodes: [MerkleNodeID: [UInt8]]) throws {
        if let missing = MerkleNodes.frontier(size: size).first(where: { storedNodes[$0] == nil }) {
            throw MerkleTreeError.missingNode(level: missing.level, index: missing.index)
        }
        self.init(size: size, rootHash: rootHash, frontier: NodeSet(storedNodes))
    }
}

/// A batch of entries ready to persist: their indices, the Merkle nodes they complete, the new
/// root and a signed checkpoint note per log key, all computed and signed before any write.
/// ``LogStorage/commit(_:log:)`` persists it only if the stored tree is still `baseSize`.
public struct PreparedBatch: Sendable {
    /// An entry with the index it takes.
    public struct Entry: Sendable {
        public var record: LogEntryRecord
        public var leafHash: [UInt8]
        public var indexKeys: [String]
    }

    /// The tree size the batch appends to.
    public let baseSize: Int64
    public let entries: [Entry]
    /// Every node the batch completes, leaves included.
    public let nodes: [(level: Int, index: Int64, hash: [UInt8])]
    /// The tree after the batch, with one signed note per log key.
    public let checkpoint: CheckpointRecord
    /// For each entry, its audit path in the tree of `checkpoint.size`.
    public let inclusionProofs: [[[UInt8]]]
    /// The tip after the batch, for the next one.
    public let nextTip: LogTip

    /// Computes `entries` appended to `tip` and signs the new checkpoint with each of `signers`.
    public init(appending entries: [NewLogEntry], to tip: LogTip, signers: [LogSigner]) async throws {
        let leafHashes = entries.map(\.leafHash)
        let append = try AppendBatch(appending: leafHashes, toTreeOf: tip.size, reader: tip.frontier)
        var notes: [[UInt8]: String] = [:]
        for signer in signers {
            notes[signer.logID] = try await signer.signCheckpoint(size: append.newSize, rootHash: append.rootHash).serialized
        }
        var added = tip.frontier.nodes
        for node in append.nodes { added[MerkleNodeID(level: node.level, index: node.index)] = node.hash }
        let frontier = MerkleNodes.frontier(size: append.newSize)
        self.baseSize = tip.size
        self.entries = entries.enumerated().map { offset, entry in
            Entry(
                record: LogEntryRecord(
                    index: tip.size + Int64(offset), body: entry.canonicalBody, kind: entry.kind, version: entry.version,
                    integratedTime: entry.integratedTime),
                leafHash: leafHashes[offset], indexKeys: entry.indexKeys)
        }
        self.nodes = append.nodes
        self.checkpoint = CheckpointRecord(size: append.newSize, rootHash: append.rootHash, notes: notes)
        self.inclusionProofs = append.inclusionProofs
        self.nextTip = LogTip(
            size: append.newSize, rootHash: append.rootHash,
            frontier: NodeSet(Dictionary(uniqueKeysWithValues: frontier.compactMap { id in added[id].map { (id, $0) } })))
    }
}
