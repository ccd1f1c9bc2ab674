/// Why a Merkle proof does not verify.
public enum MerkleProofError: Error, Hashable, Sendable, CustomStringConvertible {
    case indexOutOfRange(index: Int64, size: Int64)
    case wrongProofLength(expected: Int, found: Int)
    case rootMismatch(expected: [UInt8], computed: [UInt8])
    case malformedHash(position: Int, length: Int)
    case emptyConsistencyProof
    case nonEmptyProofForEqualSizes
    case sizesOutOfOrder(old: Int64, new: Int64)

    public var description: String {
        switch self {
        case .indexOutOfRange(let index, let size): "leaf index \(index) is not below tree size \(size)"
        case .wrongProofLength(let expected, let found): "expected \(expected) proof hashes, found \(found)"
        case .rootMismatch(let expected, let computed): "expected root hash \(Hex.encode(expected)), computed \(Hex.encode(computed))"
        case .malformedHash(let position, let length): "expected 32-byte hashes, found \(length) bytes at position \(position)"
        case .emptyConsistencyProof: "expected a non-empty consistency proof between different tree sizes, found none"
        case .nonEmptyProofForEqualSizes: "expected an empty consistency proof for equal tree sizes"
        case .sizesOutOfOrder(let old, let new): "expected the old tree size \(old) to be at most the new size \(new)"
        }
    }
}

extension Merkle {
    /// The number of hashes in an inclusion proof for `index` in a tree of `size`.
    /// Callers check 0 ≤ index < size first, so the conversions are exact and `size - 1`
    /// cannot overflow; a shift by 64 is 0 in Swift, never a trap.
    static func inclusionProofLength(index: Int64, size: Int64) -> Int {
        let inner = 64 - (UInt64(index) ^ UInt64(size - 1)).leadingZeroBitCount
        let border = (UInt64(index) >> UInt64(inner)).nonzeroBitCount
        return inner + border
    }

    /// Verifies an inclusion proof (RFC 9162 §2.1.3.2) of `leafHash` at `index` in a tree of
    /// `size` leaves with root `rootHash`.
    public static func verifyInclusion(index: Int64, size: Int64, leafHash: [UInt8], proof: [[UInt8]], rootHash: [UInt8]) throws(MerkleProofError) {
        guard index >= 0, index < size else { throw .indexOutOfRange(index: index, size: size) }
        for (position, hash) in proof.enumerated() where hash.count != 32 {
            throw .malformedHash(position: position, length: hash.count)
        }
        let expectedLength = inclusionProofLength(index: index, size: size)
        guard proof.count == expectedLength else { throw .wrongProofLength(expected: expectedLength, found: proof.count) }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { throw .wrongProofLength(expected: expectedLength, found: proof.count) }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw .wrongProofLength(expected: expectedLength, found: proof.count) }
        guard r == rootHash else { throw .rootMismatch(expected: rootHash, computed: r) }
    }

    /// Verifies a consistency proof (RFC 9162 §2.1.4.2) between a tree of `oldSize` with
    /// `oldRoot` and a tree of `newSize` with `newRoot`.
    public static func verifyConsistency(oldSize: Int64, newSize: Int64, oldRoot: [UInt8], newRoot: [UInt8], proof: [[UInt8]]) throws(MerkleProofError) {
        guard oldSize >= 0, oldSize <= newSize else { throw .sizesOutOfOrder(old: oldSize, new: newSize) }
        for (position, hash) in proof.enumerated() where hash.count != 32 {
            throw .malformedHash(position: position, length: hash.count)
        }
        if oldSize == newSize {
            guard proof.isEmpty else { throw .nonEmptyProofForEqualSizes }
            guard oldRoot == newRoot else { throw .rootMismatch(expected: newRoot, computed: oldRoot) }
            return
        }
        if oldSize == 0 {
            guard proof.isEmpty else { throw .nonEmptyProofForEqualSizes }
            return
        }
        guard !proof.isEmpty else { throw .emptyConsistencyProof }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { throw .wrongProofLength(expected: path.count - 1, found: proof.count) }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw .wrongProofLength(expected: path.count, found: proof.count) }
        guard fr == oldRoot else { throw .rootMismatch(expected: oldRoot, computed: fr) }
        guard sr == newRoot else { throw .rootMismatch(expected: newRoot, computed: sr) }
    }
}
