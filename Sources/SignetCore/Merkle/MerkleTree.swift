/// RFC 6962 §2.1 / RFC 9162 §2.1 Merkle tree hashing over SHA-256.
public enum Merkle {
    /// The hash of a leaf: SHA-256(0x00 ‖ data).
    public static func leafHash(_ data: [UInt8]) -> [UInt8] {
        sha256([0x00] + data)
    }

    /// The hash of an interior node: SHA-256(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var input = [UInt8]()
        input.reserveCapacity(65)
        input.append(0x01)
        input.append(contentsOf: left)
        input.append(contentsOf: right)
        return sha256(input)
    }

    /// The root of an empty tree: SHA-256 of nothing.
    public static let emptyRoot: [UInt8] = sha256([])

    /// The largest power of two strictly less than `n` (n > 1).
    static func splitPoint(_ n: Int64) -> Int64 {
        var k: Int64 = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}

/// Reads the stored hashes of perfect subtrees: the node at `level`, `index` is the root of the
/// 2^level leaves starting at `index << level` (level 0 holds leaf hashes). This is all a log
/// keeps to compute roots and proofs, as in C2SP tlog-tiles.
public protocol MerkleNodeReader {
    func node(level: Int, index: Int64) throws -> [UInt8]
}

/// Why a Merkle computation could not be made.
public enum MerkleTreeError: Error, Hashable, Sendable {
    /// A node the computation needs is not stored.
    case missingNode(level: Int, index: Int64)
    /// The sizes or index are out of range for the tree.
    case outOfRange(String)
}

/// RFC 6962 tree hashes and proofs computed from stored perfect-subtree nodes, in O(log² n)
/// lookups, and the nodes an append completes.
public enum MerkleNodes {
    /// MTH(D[range]) for a range arising in RFC 6962's recursion (its start aligned to the
    /// largest power of two not above its size), from stored nodes.
    public static func rootHash(_ range: Range<Int64>, _ reader: some MerkleNodeReader) throws -> [UInt8] {
        let n = Int64(range.count)
        if n == 0 { return Merkle.emptyRoot }
        if n & (n - 1) == 0 && range.lowerBound % n == 0 {
            let level = n.trailingZeroBitCount
            return try reader.node(level: level, index: range.lowerBound >> level)
        }
        let k = Merkle.splitPoint(n)
        return Merkle.nodeHash(try rootHash(range.lowerBound..<range.lowerBound + k, reader), try rootHash(range.lowerBound + k..<range.upperBound, reader))
    }

    /// PATH(index, D[0..<size]) (RFC 6962 §2.1.1).
    public static func inclusionProof(index: Int64, size: Int64, _ reader: some MerkleNodeReader) throws -> [[UInt8]] {
        guard index >= 0, index < size else { throw MerkleTreeError.outOfRange("leaf index \(index) is not below tree size \(size)") }
        func path(_ m: Int64, _ range: Range<Int64>) throws -> [[UInt8]] {
            let n = Int64(range.count)
            if n <= 1 { return [] }
            let k = Merkle.splitPoint(n)
            if m < k {
                return try path(m, range.lowerBound..<range.lowerBound + k) + [rootHash(range.lowerBound + k..<range.upperBound, reader)]
            }
            return try path(m - k, range.lowerBound + k..<range.upperBound) + [rootHash(range.lowerBound..<range.lowerBound + k, reader)]
        }
        return try path(index, 0..<size)
    }

    /// PROOF(oldSize, D[0..<newSize]) (RFC 6962 §2.1.2); empty when the sizes are equal or the
    /// old tree is empty.
    public static func consistencyProof(oldSize: Int64, newSize: Int64, _ reader: some MerkleNodeReader) throws -> [[UInt8]] {
        guard oldSize >= 0, oldSize <= newSize else { throw MerkleTreeError.outOfRange("old size \(oldSize) is not between 0 and new size \(newSize)") }
        func subproof(_ m: Int64, _ range: Range<Int64>, _ complete: Bool) throws -> [[UInt8]] {
            let n = Int64(range.count)
            if m == n { return complete ? [] : [try rootHash(range, reader)] }
            let k = Merkle.splitPoint(n)
            if m <= k {
                return try subproof(m, range.lowerBound..<range.lowerBound + k, complete) + [rootHash(range.lowerBound + k..<range.upperBound, reader)]
            }
            return try subproof(m - k, range.lowerBound + k..<range.upperBound, false) + [rootHash(range.lowerBound..<range.lowerBound + k, reader)]
        }
        guard oldSize > 0, oldSize < newSize else { return [] }
        return try subproof(oldSize, 0..<newSize, true)
    }

    /// The nodes that appending `leafHash` as leaf `index` completes: the leaf itself, then each
    /// parent whose right child it completes.
    public static func nodesCompleted(appending leafHash: [UInt8], at index: Int64, _ reader: some MerkleNodeReader) throws -> [(
        level: Int, index: Int64, hash: [UInt8]
    )] {
        var nodes = [(level: 0, index: index, hash: leafHash)]
        var level = 0
        var position = index
        var hash = leafHash
        while position & 1 == 1 {
            hash = Merkle.nodeHash(try reader.node(level: level, index: position - 1), hash)
            level += 1
            position >>= 1
            nodes.append((level, position, hash))
        }
        return nodes
    }
}

/// A Merkle tree held in memory as its perfect-subtree nodes: the reference the persistent log
/// tree is checked against, and the test platform's logs.
public struct MerkleTree: Sendable, MerkleNodeReader {
    /// `levels[l][i]` is the node at level `l`, index `i`.
    private var levels: [[[UInt8]]] = [[]]

    public init() {}

    public var size: Int64 { Int64(levels[0].count) }

    /// The leaf hashes, in order.
    public var leaves: [[UInt8]] { levels[0] }

    public func node(level: Int, index: Int64) throws -> [UInt8] {
        guard level < levels.count, index >= 0, index < levels[level].count else { throw MerkleTreeError.missingNode(level: level, index: index) }
        return levels[level][Int(index)]
    }

    /// Appends a leaf by its data; returns its index.
    @discardableResult
    public mutating func append(leafData: [UInt8]) -> Int64 {
        let index = size
        // Every node an append needs is stored by earlier appends, so this cannot fail.
        let completed = try! MerkleNodes.nodesCompleted(appending: Merkle.leafHash(leafData), at: index, self)
        for node in completed {
            if node.level == levels.count { levels.append([]) }
            levels[node.level].append(node.hash)
        }
        return index
    }

    /// The root of the first `size` leaves; throws if the tree is smaller.
    public func rootHash(size: Int64) throws -> [UInt8] {
        guard size <= self.size else { throw MerkleTreeError.outOfRange("size \(size) is beyond the tree's \(self.size) leaves") }
        return try MerkleNodes.rootHash(0..<size, self)
    }

    public func inclusionProof(index: Int64, size: Int64) throws -> [[UInt8]] {
        guard size <= self.size else { throw MerkleTreeError.outOfRange("size \(size) is beyond the tree's \(self.size) leaves") }
        return try MerkleNodes.inclusionProof(index: index, size: size, self)
    }

    public func consistencyProof(oldSize: Int64, newSize: Int64) throws -> [[UInt8]] {
        guard newSize <= size else { throw MerkleTreeError.outOfRange("size \(newSize) is beyond the tree's \(size) leaves") }
        return try MerkleNodes.consistencyProof(oldSize: oldSize, newSize: newSize, self)
    }
}

/// A node of the tree: the root of the 2^`level` leaves starting at `index << level`.
public struct MerkleNodeID: Hashable, Sendable {
    public var level: Int
    public var index: Int64

    public init(level: Int, index: Int64) {
        self.level = level
        self.index = index
    }
}

extension MerkleNodes {
    /// The perfect subtrees that make up a tree of `size` leaves, largest first (one per set
    /// bit of `size`): all a log needs to append to that tree and prove the new leaves.
    public static func frontier(size: Int64) -> [MerkleNodeID] {
        guard size > 0 else { return [] }
        var nodes: [MerkleNodeID] = []
        var start: Int64 = 0
        for level in stride(from: 63 - size.leadingZeroBitCount, through: 0, by: -1) where size & (Int64(1) << level) != 0 {
            nodes.append(MerkleNodeID(level: level, index: start >> level))
            start += Int64(1) << level
        }
        return nodes
    }

    /// The nodes `computation` reads, found by running it over placeholder hashes: which nodes
    /// a root or proof needs depends on the sizes and indices alone, never on the hashes. A
    /// store fetches them in one read, then the computation runs over ``NodeSet``.
    public static func nodesRead<T>(by computation: (any MerkleNodeReader) throws -> T) rethrows -> Set<MerkleNodeID> {
        let recorder = RecordingReader()
        _ = try computation(recorder)
        return recorder.read
    }

    private final class RecordingReader: MerkleNodeReader {
        var read: Set<MerkleNodeID> = []

        func node(level: Int, index: Int64) throws -> [UInt8] {
            read.insert(MerkleNodeID(level: level, index: index))
            return Merkle.emptyRoot
        }
    }
}

/// Nodes already fetched, by position.
public struct NodeSet: MerkleNodeReader, Sendable {
    public var nodes: [MerkleNodeID: [UInt8]]

    public init(_ nodes: [MerkleNodeID: [UInt8]] = [:]) {
        self.nodes = nodes
    }

    public func node(level: Int, index: Int64) throws -> [UInt8] {
        guard let hash = nodes[MerkleNodeID(level: level, index: index)] else { throw MerkleTreeError.missingNode(level: level, index: index) }
        return hash
    }
}
