import Testing

@testable import SignetCore

@Suite("RFC 6962 / RFC 9162 Merkle proofs")
struct MerkleTests {
    static let tree: MerkleTree = {
        var tree = MerkleTree()
        for index in 0..<70 { tree.append(leafData: Array("leaf \(index)".utf8)) }
        return tree
    }()

    /// RFC 6962 §2.1 written out directly over the leaf hashes: the reference for the node-based
    /// algorithms.
    enum Reference {
        static func mth(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
            if leaves.isEmpty { return Merkle.emptyRoot }
            if leaves.count == 1 { return leaves.first! }
            let k = Merkle.splitPoint(Int64(leaves.count))
            return Merkle.nodeHash(mth(leaves.prefix(Int(k))), mth(leaves.dropFirst(Int(k))))
        }

        static func path(_ m: Int, _ leaves: ArraySlice<[UInt8]>) -> [[UInt8]] {
            if leaves.count <= 1 { return [] }
            let k = Int(Merkle.splitPoint(Int64(leaves.count)))
            if m < k { return path(m, leaves.prefix(k)) + [mth(leaves.dropFirst(k))] }
            return path(m - k, leaves.dropFirst(k)) + [mth(leaves.prefix(k))]
        }

        static func subproof(_ m: Int, _ leaves: ArraySlice<[UInt8]>, _ complete: Bool) -> [[UInt8]] {
            if m == leaves.count { return complete ? [] : [mth(leaves)] }
            let k = Int(Merkle.splitPoint(Int64(leaves.count)))
            if m <= k { return subproof(m, leaves.prefix(k), complete) + [mth(leaves.dropFirst(k))] }
            return subproof(m - k, leaves.dropFirst(k), false) + [mth(leaves.prefix(k))]
        }
    }

    @Test("roots and proofs from stored nodes equal RFC 6962's definitions over the leaves")
    func nodesMatchReference() throws {
        let leaves = Self.tree.leaves
        for size in 1...70 {
            let prefix = leaves.prefix(size)
            #expect(try Self.tree.rootHash(size: Int64(size)) == Reference.mth(prefix))
            for index in 0..<size {
                #expect(try Self.tree.inclusionProof(index: Int64(index), size: Int64(size)) == Reference.path(index, prefix))
            }
            for old in 1..<size {
                #expect(try Self.tree.consistencyProof(oldSize: Int64(old), newSize: Int64(size)) == Reference.subproof(old, prefix, true))
            }
        }
        #expect(throws: MerkleTreeError.self) { try Self.tree.rootHash(size: 71) }
        #expect(throws: MerkleTreeError.self) { try Self.tree.inclusionProof(index: 70, size: 70) }
    }

    @Test("known roots (RFC 6962 test vectors of the certificate-transparency project)")
    func knownRoots() throws {
        #expect(Hex.encode(Merkle.emptyRoot) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var tree = MerkleTree()
        tree.append(leafData: [])
        #expect(Hex.encode(try tree.rootHash(size: 1)) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    }

    @Test("every inclusion proof in trees of 1 to 70 leaves verifies, and a corrupted one does not")
    func inclusion() throws {
        for size in Int64(1)...70 {
            let root = try Self.tree.rootHash(size: size)
            for index in 0..<size {
                let proof = try Self.tree.inclusionProof(index: index, size: size)
                let leaf = Self.tree.leaves[Int(index)]
                try Merkle.verifyInclusion(index: index, size: size, leafHash: leaf, proof: proof, rootHash: root)
                #expect(throws: MerkleProofError.self) {
                    try Merkle.verifyInclusion(index: index, size: size, leafHash: Self.tree.leaves[Int((index + 1) % 70)], proof: proof, rootHash: root)
                }
                if !proof.isEmpty {
                    var corrupted = proof
                    corrupted[corrupted.count - 1][5] ^= 0x40
                    #expect(throws: MerkleProofError.self) {
                        try Merkle.verifyInclusion(index: index, size: size, leafHash: leaf, proof: corrupted, rootHash: root)
                    }
                    #expect(throws: MerkleProofError.self) {
                        try Merkle.verifyInclusion(index: index, size: size, leafHash: leaf, proof: Array(proof.dropLast()), rootHash: root)
                    }
                }
                // A proof does not bind the tree size by itself (for index 0 of 3 it is also a proof
                // for size 4); the verifier binds it by requiring the checkpoint's size.
                if size > 1 {
                    #expect(throws: MerkleProofError.self) {
                        try Merkle.verifyInclusion(index: index ^ 1 < size ? index ^ 1 : index - 1, size: size, leafHash: leaf, proof: proof, rootHash: root)
                    }
                }
            }
            #expect(throws: MerkleProofError.self) {
                try Merkle.verifyInclusion(index: size, size: size, leafHash: Self.tree.leaves[0], proof: [], rootHash: root)
            }
        }
    }

    @Test("every consistency proof between sizes up to 40 verifies, and a wrong root does not")
    func consistency() throws {
        for newSize in Int64(1)...40 {
            for oldSize in Int64(1)...newSize {
                let proof = try Self.tree.consistencyProof(oldSize: oldSize, newSize: newSize)
                let oldRoot = try Self.tree.rootHash(size: oldSize)
                let newRoot = try Self.tree.rootHash(size: newSize)
                try Merkle.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof)
                if oldSize < newSize {
                    #expect(throws: MerkleProofError.self) {
                        try Merkle.verifyConsistency(
                            oldSize: oldSize, newSize: newSize, oldRoot: try Self.tree.rootHash(size: oldSize + 1), newRoot: newRoot, proof: proof)
                    }
                    var corrupted = proof
                    corrupted[0][0] ^= 1
                    #expect(throws: MerkleProofError.self) {
                        try Merkle.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: corrupted)
                    }
                }
            }
        }
    }
}

@Suite("Signed notes and checkpoints")
struct CheckpointTests {
    @Test("a checkpoint note parses into origin, size, root and signatures")
    func parses() throws {
        let root = Base64.encode([UInt8](repeating: 7, count: 32))
        let text = "example.com/log\n12\n\(root)\nTimestamp: 1\n\n\u{2014} example.com/log AAAAAQID\n\u{2014} witness BBBBBAUG\n"
        let note = try SignedNote(parsing: text)
        #expect(note.signatures.map(\.name) == ["example.com/log", "witness"])
        #expect(note.signatures[0].keyHint == [0, 0, 0, 1] && note.signatures[0].signature == [2, 3])
        let checkpoint = try Checkpoint(text: note.text)
        #expect(checkpoint.origin == "example.com/log" && checkpoint.size == 12 && checkpoint.extensions == ["Timestamp: 1"])
        #expect(note.serialized == text)
    }

    @Test(
        "malformed notes and checkpoints are refused",
        arguments: [
            "origin\n1\nAAAA\n", "origin\n1\nAAAA\n\nno dash\n", "origin\n1\nAAAA\n\n\u{2014} name\n", "origin\n1\nAAAA\n\n\u{2014} name AAAA\n",
            "origin\n1\nAAAA\n\n\u{2014} name AAAAAQID", "origin\n1\nAAAA\n\n\u{2014} a b AAAAAQID\n",
        ])
    func badNotes(text: String) {
        #expect(throws: FormatError.self) { try SignedNote(parsing: text) }
    }

    @Test(
        "malformed checkpoint bodies are refused",
        arguments: [
            "\n1\n\(Base64.encode([UInt8](repeating: 0, count: 32)))\n", "o\n01\n\(Base64.encode([UInt8](repeating: 0, count: 32)))\n",
            "o\n-1\n\(Base64.encode([UInt8](repeating: 0, count: 32)))\n", "o\n1\nAAAA\n", "o\n1\n", "o\n1\n\(Base64.encode([UInt8](repeating: 0, count: 32)))",
        ])
    func badCheckpoints(text: String) {
        #expect(throws: FormatError.self) { try Checkpoint(text: text) }
    }
}
