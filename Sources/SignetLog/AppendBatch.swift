import SignetCore

/// The result of appending leaves to a tree whose nodes a reader holds, computed without
/// writing: the nodes to store, the new root, and each new leaf's inclusion proof. A log
/// commits `nodes` and its entries in one transaction, then answers with the proofs.
public struct AppendBatch: Sendable {
    public let oldSize: Int64
    public let newSize: Int64
    public let rootHash: [UInt8]
    /// Every node the batch completes, leaves included.
    public let nodes: [(level: Int, index: Int64, hash: [UInt8])]
    /// For the leaf at `oldSize + i`, its audit path in the tree of `newSize`.
    public let inclusionProofs: [[[UInt8]]]

    /// Appends `leafHashes` after the `oldSize` leaves `reader` holds.
    public init(appending leafHashes: [[UInt8]], toTreeOf oldSize: Int64, reader: some MerkleNodeReader) throws {
        let (newSize, overflow) = oldSize.addingReportingOverflow(Int64(leafHashes.count))
        guard oldSize >= 0, !overflow else {
            throw MerkleTreeError.outOfRange("expected a tree size of 0 up to Int64.max - \(leafHashes.count), found \(oldSize)")
        }
        var overlay = Overlay(base: reader)
        var nodes: [(level: Int, index: Int64, hash: [UInt8])] = []
        for (offset, leafHash) in leafHashes.enumerated() {
            for node in try MerkleNodes.nodesCompleted(appending: leafHash, at: oldSize + Int64(offset), overlay) {
                overlay.added[MerkleNodeID(level: node.level, index: node.index)] = node.hash
                nodes.append(node)
            }
        }
        self.oldSize = oldSize
        self.newSize = newSize
        self.rootHash = try MerkleNodes.rootHash(0..<newSize, overlay)
        self.nodes = nodes
        self.inclusionProofs = try (oldSize..<newSize).map { try MerkleNodes.inclusionProof(index: $0, size: newSize, overlay) }
    }

    /// Nodes added by the batch over the stored ones.
    private struct Overlay<Base: MerkleNodeReader>: MerkleNodeReader {
        let base: Base
        var added: [MerkleNodeID: [UInt8]] = [:]

        func node(level: Int, index: Int64) throws -> [UInt8] {
            if let hash = added[MerkleNodeID(level: level, index: index)] { return hash }
            return try base.node(level: level, index: index)
        }
    }
}
