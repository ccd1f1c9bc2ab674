import SignetCore
import SignetLog
import SignetVirtualPlatform
import Testing

@Suite("The log service over a storage port: batches, duplicates, and writers that race on one tree")
struct LogServiceTests {
    static let v1 = try! LogSigner(signer: SoftwareSigner.generate(.ecdsaP256SHA256), hostName: "log.signet.test", style: .rekorV1(treeID: 7))
    static let v2 = try! LogSigner(signer: SoftwareSigner.generate(.ed25519), hostName: "log.signet.test", style: .rekorV2)

    static func service(_ storage: any LogStorage, maxBatchSize: Int = 1024) -> LogService {
        LogService(storage: storage, v1: v1, v2: v2, treeID: 7, maxBatchSize: maxBatchSize)
    }

    /// A distinct admitted hashedrekord entry for `n`.
    static func admitted(_ n: Int) -> AdmittedEntry {
        let digest = sha256(Array("artifact \(n)".utf8))
        var index = EntryIndex()
        index.add(digest: digest, algorithm: .sha256)
        return AdmittedEntry(
            body: .hashedRekordV001(.init(hashAlgorithm: .sha256, digest: digest, signature: [0x30, UInt8(n % 256)], publicKeyPEM: "key \(n)")),
            index: index)
    }

    /// Checks an answer as a client would: the note is the log's signature over the tree head,
    /// and the entry's audit path leads to that head's root.
    static func expectVerifiable(_ answer: LogService.Answer, api: LogService.API, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let proof = try #require(answer.entry.inclusionProof, sourceLocation: sourceLocation)
        let signer = api == .rekorV1 ? v1 : v2
        let note = try SignedNote(parsing: try #require(proof.checkpoint, sourceLocation: sourceLocation))
        let checkpoint = try Checkpoint(text: note.text)
        #expect(checkpoint.size == proof.treeSize && checkpoint.rootHash == proof.rootHash, sourceLocation: sourceLocation)
        #expect(note.isValid(note.signatures[0], key: try VerificationKey(spki: signer.signer.publicKeySPKI)), sourceLocation: sourceLocation)
        try Merkle.verifyInclusion(
            index: answer.entry.logIndex, size: proof.treeSize, leafHash: Merkle.leafHash(answer.entry.canonicalizedBody), proof: proof.hashes,
            rootHash: proof.rootHash)
        #expect((answer.entry.signedEntryTimestamp != nil) == (api == .rekorV1), sourceLocation: sourceLocation)
    }

    @Test("concurrent appends share batches; each answer verifies; a body sent again gets its first index")
    func appends() async throws {
        let storage = InMemoryLogStorage()
        let log = Self.service(storage, maxBatchSize: 8)
        let now = Timestamp(seconds: 1_768_478_400)
        let answers = try await withThrowingTaskGroup(of: (Int, LogService.Answer).self) { group in
            for n in 0..<60 {
                group.addTask { (n, try await log.append(Self.admitted(n % 40), api: n.isMultiple(of: 2) ? .rekorV1 : .rekorV2, now: now)) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(try await log.treeSize() == 40)
        for (n, answer) in answers {
            try Self.expectVerifiable(answer, api: n.isMultiple(of: 2) ? .rekorV1 : .rekorV2)
            #expect(answer.entry.logIndex == answers[n % 40]?.entry.logIndex, "request \(n) and request \(n % 40) carry the same body")
        }
        #expect(Set(answers.values.map(\.entry.logIndex)) == Set(0..<40))
        let again = try await log.append(Self.admitted(3), api: .rekorV2, now: now)
        #expect(again.existed && again.entry.logIndex == answers[3]?.entry.logIndex)
        try Self.expectVerifiable(again, api: .rekorV2)
        let found = try #require(try await log.lookup(index: 5, api: .rekorV1))
        try Self.expectVerifiable(found, api: .rekorV1)
        let key = EntryIndex.digestKey(sha256(Array("artifact 7".utf8)), algorithm: .sha256)
        #expect(await storage.indexedEntries(log: LogService.treeName, key: key, limit: 10).map(\.index) == [answers[7]?.entry.logIndex])
    }

    @Test("three services on one storage never fork the tree: one index per body, every checkpoint consistent with the last")
    func racingWriters() async throws {
        var generator = SeededGenerator.forTest("racing log writers")
        let storage = InMemoryLogStorage()
        let services = (0..<3).map { _ in Self.service(storage, maxBatchSize: 4) }
        let now = Timestamp(seconds: 1_768_478_400)
        let plan = (0..<150).map { _ in (service: Int.random(in: 0..<3, using: &generator), body: Int.random(in: 0..<100, using: &generator)) }
        let answers = try await withThrowingTaskGroup(of: (body: Int, answer: LogService.Answer).self) { group in
            for step in plan {
                group.addTask { (step.body, try await services[step.service].append(Self.admitted(step.body), api: .rekorV2, now: now)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let final = try #require(await storage.latestCheckpoint(log: LogService.treeName))
        #expect(final.size == Int64(Set(plan.map(\.body)).count), "every distinct body appended once")
        var indexOfBody: [Int: Int64] = [:]
        for (body, answer) in answers {
            try Self.expectVerifiable(answer, api: .rekorV2)
            if let index = indexOfBody[body] { #expect(index == answer.entry.logIndex, "body \(body) answered with two indices") }
            indexOfBody[body] = answer.entry.logIndex
            let stored = try #require(await storage.entry(log: LogService.treeName, index: answer.entry.logIndex))
            #expect(stored.body == answer.entry.canonicalizedBody)
            let proof = try #require(answer.entry.inclusionProof)
            try Merkle.verifyConsistency(
                oldSize: proof.treeSize, newSize: final.size, oldRoot: proof.rootHash, newRoot: final.rootHash,
                proof: try await storage.consistencyProof(log: LogService.treeName, oldSize: proof.treeSize, newSize: final.size))
        }
    }

    @Test("a storage that fails a commit: the batch's requests fail as retryable, nothing is appended, the next append works")
    func failedCommit() async throws {
        let storage = FailingStorage()
        let log = Self.service(storage)
        let now = Timestamp(seconds: 1_768_478_400)
        _ = try await log.append(Self.admitted(1), api: .rekorV2, now: now)
        await storage.failNext()
        await #expect { try await log.append(Self.admitted(2), api: .rekorV2, now: now) } throws: { ($0 as? LogEntryError)?.code == .unavailable }
        #expect(try await log.treeSize() == 1)
        let retried = try await log.append(Self.admitted(2), api: .rekorV2, now: now)
        #expect(retried.entry.logIndex == 1 && !retried.existed)
        try Self.expectVerifiable(retried, api: .rekorV2)
    }

    /// In-memory storage whose next commit fails, as a database that went away would.
    actor FailingStorage: LogStorage {
        let base = InMemoryLogStorage()
        var failing = false

        func failNext() { failing = true }

        func latestCheckpoint(log: String) async throws -> CheckpointRecord? { await base.latestCheckpoint(log: log) }
        func checkpoint(log: String, size: Int64) async throws -> CheckpointRecord? { await base.checkpoint(log: log, size: size) }
        func entry(log: String, index: Int64) async throws -> LogEntryRecord? { await base.entry(log: log, index: index) }
        func entry(log: String, leafHash: [UInt8]) async throws -> LogEntryRecord? { await base.entry(log: log, leafHash: leafHash) }
        func entries(log: String, range: Range<Int64>) async throws -> [LogEntryRecord] { await base.entries(log: log, range: range) }
        func nodes(log: String, level: Int, range: Range<Int64>) async throws -> [[UInt8]] { await base.nodes(log: log, level: level, range: range) }
        func nodes(log: String, _ ids: Set<MerkleNodeID>) async throws -> [MerkleNodeID: [UInt8]] { await base.nodes(log: log, ids) }
        func indexedEntries(log: String, key: String, limit: Int) async throws -> [(index: Int64, leafHash: [UInt8])] {
            await base.indexedEntries(log: log, key: key, limit: limit)
        }
        func commit(_ batch: PreparedBatch, log: String) async throws -> CommitOutcome {
            if failing {
                failing = false
                throw LogEntryError(.unavailable, "the database went away")
            }
            return try await base.commit(batch, log: log)
        }
    }
}
