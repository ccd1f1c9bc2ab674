import SignetCore

/// ``LogStorage`` in this process's memory, with the same compare-and-swap and duplicate rules
/// as the databases: the log tested end to end without one, and a reference for the store
/// contract.
public actor InMemoryLogStorage: LogStorage {
    private struct Tree {
        var entries: [LogEntryRecord] = []
        var indexByLeaf: [[UInt8]: Int64] = [:]
        var nodes: [MerkleNodeID: [UInt8]] = [:]
        var checkpoints: [Int64: CheckpointRecord] = [:]
        var latest: CheckpointRecord?
        var keys: [String: [Int64]] = [:]
    }

    private var trees: [String: Tree] = [:]

    public init() {}

    public func latestCheckpoint(log: String) -> CheckpointRecord? { trees[log]?.latest }

    public func checkpoint(log: String, size: Int64) -> CheckpointRecord? { trees[log]?.checkpoints[size] }

    public func entry(log: String, index: Int64) -> LogEntryRecord? {
        guard let entries = trees[log]?.entries, index >= 0, index < entries.count else { return nil }
        return entries[Int(index)]
    }

    public func entry(log: String, leafHash: [UInt8]) -> LogEntryRecord? {
        trees[log]?.indexByLeaf[leafHash].flatMap { entry(log: log, index: $0) }
    }

    public func entries(log: String, range: Range<Int64>) -> [LogEntryRecord] {
        guard let entries = trees[log]?.entries else { return [] }
        let stored = range.clamped(to: 0..<Int64(entries.count))
        return Array(entries[Int(stored.lowerBound)..<Int(stored.upperBound)])
    }

    public func nodes(log: String, level: Int, range: Range<Int64>) -> [[UInt8]] {
        guard let nodes = trees[log]?.nodes else { return [] }
        var found: [[UInt8]] = []
        for index in range {
            guard let hash = nodes[MerkleNodeID(level: level, index: index)] else { break }
            found.append(hash)
        }
        return found
    }

    public func nodes(log: String, _ ids: Set<MerkleNodeID>) -> [MerkleNodeID: [UInt8]] {
        guard let nodes = trees[log]?.nodes else { return [:] }
        return Dictionary(uniqueKeysWithValues: ids.compactMap { id in nodes[id].map { (id, $0) } })
    }

    public func indexedEntries(log: String, key: String, limit: Int) -> [(index: Int64, leafHash: [UInt8])] {
        guard let tree = trees[log] else { return [] }
        return (tree.keys[key] ?? []).prefix(max(1, limit)).map { ($0, Merkle.leafHash(tree.entries[Int($0)].body)) }
    }

    public func commit(_ batch: PreparedBatch, log: String) throws -> CommitOutcome {
        guard Set(batch.entries.map(\.leafHash)).count == batch.entries.count else {
            throw LogEntryError(.invalidEntry, "expected a batch whose leaves are distinct, found a leaf twice")
        }
        var tree = trees[log] ?? Tree()
        let size = Int64(tree.entries.count)
        guard size == batch.baseSize else { return .conflict(storedSize: size) }
        let duplicates = Dictionary(batch.entries.compactMap { entry in tree.indexByLeaf[entry.leafHash].map { (entry.leafHash, $0) } }) { first, _ in first }
        guard duplicates.isEmpty else { return .duplicates(duplicates) }
        for entry in batch.entries {
            tree.entries.append(entry.record)
            tree.indexByLeaf[entry.leafHash] = entry.record.index
            for key in Set(entry.indexKeys) { tree.keys[key, default: []].append(entry.record.index) }
        }
        for node in batch.nodes { tree.nodes[MerkleNodeID(level: node.level, index: node.index)] = node.hash }
        tree.checkpoints[batch.checkpoint.size] = batch.checkpoint
        tree.latest = batch.checkpoint
        trees[log] = tree
        return .committed
    }
}
