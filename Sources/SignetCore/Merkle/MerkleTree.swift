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

/// An in-memory Merkle tree over leaf hashes that computes roots and RFC 9162 proofs (§2.1.3.1
/// inclusion, §2.1.4.1 consistency). Used by the test platform; the server's log keeps its own
/// persistent tree.
public struct MerkleTree: Sendable {
    public private(set) var leaves: [[UInt8]] = []

    public init() {}

    public var size: Int64 { Int64(leaves.count) }

    /// Appends a leaf by its data; returns its index.
    @discardableResult
    public mutating func append(leafData: [UInt8]) -> Int64 {
        leaves.append(Merkle.leafHash(leafData))
        return Int64(leaves.count - 1)
    }

    /// MTH(D[start..<end]).
    public func rootHash(_ range: Range<Int64>) -> [UInt8] {
        let n = range.count
        if n == 0 { return Merkle.emptyRoot }
        if n == 1 { return leaves[Int(range.lowerBound)] }
        let k = Merkle.splitPoint(Int64(n))
        return Merkle.nodeHash(rootHash(range.lowerBound..<range.lowerBound + k), rootHash(range.lowerBound + k..<range.upperBound))
    }

    public func rootHash(size: Int64) -> [UInt8] { rootHash(0..<size) }

    /// PATH(m, D[0..<size]): the audit path for leaf `index` in the tree of `size` leaves.
    public func inclusionProof(index: Int64, size: Int64) -> [[UInt8]] {
        func path(_ m: Int64, _ range: Range<Int64>) -> [[UInt8]] {
            let n = Int64(range.count)
            if n <= 1 { return [] }
            let k = Merkle.splitPoint(n)
            if m < k {
                return path(m, range.lowerBound..<range.lowerBound + k) + [rootHash(range.lowerBound + k..<range.upperBound)]
            }
            return path(m - k, range.lowerBound + k..<range.upperBound) + [rootHash(range.lowerBound..<range.lowerBound + k)]
        }
        return path(index, 0..<size)
    }

    /// PROOF(m, D[0..<size]): the consistency proof from the tree of `oldSize` leaves.
    public func consistencyProof(oldSize: Int64, newSize: Int64) -> [[UInt8]] {
        func subproof(_ m: Int64, _ range: Range<Int64>, _ complete: Bool) -> [[UInt8]] {
            let n = Int64(range.count)
            if m == n { return complete ? [] : [rootHash(range)] }
            let k = Merkle.splitPoint(n)
            if m <= k {
                return subproof(m, range.lowerBound..<range.lowerBound + k, complete) + [rootHash(range.lowerBound + k..<range.upperBound)]
            }
            return subproof(m - k, range.lowerBound + k..<range.upperBound, false) + [rootHash(range.lowerBound..<range.lowerBound + k)]
        }
        guard oldSize > 0, oldSize < newSize else { return [] }
        return subproof(oldSize, 0..<newSize, true)
    }
}
