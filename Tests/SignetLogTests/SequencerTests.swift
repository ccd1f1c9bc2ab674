import SignetCore
import SignetLog
import SignetVirtualPlatform
import Testing

@Suite("Log appends: batches over stored nodes, and the sequencer state machine")
struct SequencerTests {
    static func leaf(_ n: Int) -> [UInt8] { Array("entry \(n)".utf8) }

    /// The batch of a commit action, nil for any other action.
    static func commit(_ action: LogSequencer<Int>.Action?) -> LogSequencer<Int>.Batch? {
        if case .commit(let batch)? = action { return batch }
        return nil
    }

    /// The answers of an answer action, nil for any other action.
    static func answers(_ action: LogSequencer<Int>.Action?) -> [(request: Int, result: Result<Int64, LogEntryError>)]? {
        if case .answer(let answers)? = action { return answers }
        return nil
    }

    @Test("a batch computes the same nodes, root and proofs as appending one by one")
    func appendBatch() throws {
        for (start, count) in [(0, 1), (0, 7), (1, 1), (5, 11), (16, 16), (31, 2), (33, 64)] {
            var base = MerkleTree()
            for n in 0..<start { base.append(leafData: Self.leaf(n)) }
            let hashes = (start..<start + count).map { Merkle.leafHash(Self.leaf($0)) }
            let batch = try AppendBatch(appending: hashes, toTreeOf: Int64(start), reader: base)
            var reference = base
            for n in start..<start + count { reference.append(leafData: Self.leaf(n)) }
            #expect(batch.newSize == Int64(start + count))
            #expect(batch.rootHash == (try reference.rootHash(size: reference.size)))
            for (offset, proof) in batch.inclusionProofs.enumerated() {
                #expect(proof == (try reference.inclusionProof(index: Int64(start + offset), size: reference.size)))
            }
            for node in batch.nodes {
                #expect(node.hash == (try reference.node(level: node.level, index: node.index)))
            }
            #expect(batch.nodes.filter { $0.level == 0 }.count == count)
        }
    }

    /// The indices a batch takes when appended to a tree of `size`.
    static func indices(_ batch: LogSequencer<Int>.Batch, after size: Int64) -> [Int64] {
        (0..<Int64(batch.submissions.count)).map { size + $0 }
    }

    @Test("concurrent submissions share a batch; answers wait for the commit")
    func batching() throws {
        var sequencer = LogSequencer<Int>()
        let first = try #require(Self.commit(sequencer.submit(.init(request: 1, body: Self.leaf(1))).first), "expected the first submission to start a commit")
        #expect(first.submissions.count == 1)
        #expect(sequencer.submit(.init(request: 2, body: Self.leaf(2))).isEmpty)
        #expect(sequencer.submit(.init(request: 3, body: Self.leaf(3))).isEmpty)
        #expect(sequencer.submit(.init(request: 4, body: Self.leaf(2))).isEmpty, "a duplicate joins the queued entry")
        let actions = sequencer.batchCommitted(first, indices: [10])
        try #require(actions.count == 2, "expected an answer and the next commit, found \(actions)")
        let answers = try #require(Self.answers(actions[0]))
        let second = try #require(Self.commit(actions[1]))
        #expect(answers.map(\.request) == [1] && (try? answers[0].result.get()) == 10)
        #expect(second.submissions.map(\.request) == [2, 3])
        // Another writer appended meanwhile: the store reports where the entries landed.
        let secondAnswers = try #require(Self.answers(sequencer.batchCommitted(second, indices: [40, 41]).first))
        #expect(Dictionary(uniqueKeysWithValues: secondAnswers.map { ($0.request, try? $0.result.get()) }) == [2: 40, 3: 41, 4: 40])
        #expect(!sequencer.isCommitting)
    }

    @Test("a report about a batch not in flight changes nothing")
    func staleReports() throws {
        var sequencer = LogSequencer<Int>()
        let first = try #require(Self.commit(sequencer.submit(.init(request: 1, body: Self.leaf(1))).first))
        #expect(sequencer.batchCommitted(first, indices: []).isEmpty, "indices must match the submissions")
        #expect(sequencer.batchCommitted(first, indices: [0]).count == 1)
        #expect(sequencer.batchCommitted(first, indices: [0]).isEmpty, "a batch is answered once")
        #expect(sequencer.batchFailed(first, reason: "late").isEmpty)
    }

    @Test("a failed commit appends nothing, fails its requests, and the next batch starts")
    func failure() throws {
        var sequencer = LogSequencer<Int>(maxBatchSize: 2)
        let batch = try #require(Self.commit(sequencer.submit(.init(request: 1, body: Self.leaf(1))).first))
        _ = sequencer.submit(.init(request: 2, body: Self.leaf(2)))
        let actions = sequencer.batchFailed(batch, reason: "disk full")
        try #require(actions.count == 2, "expected failures and the next commit, found \(actions)")
        let answers = try #require(Self.answers(actions[0]))
        let next = try #require(Self.commit(actions[1]))
        #expect(answers.count == 1)
        if case .failure(let error) = answers[0].result { #expect(error.code == .unavailable) } else { Issue.record("expected a failure") }
        #expect(next.submissions.map(\.request) == [2])
    }

    @Test("random interleavings: every request answered once with an index holding its own body")
    func interleavings() {
        var generator = SeededGenerator.forTest("sequencer interleavings")
        for _ in 0..<50 {
            var sequencer = LogSequencer<Int>(maxBatchSize: Int.random(in: 1...5, using: &generator))
            var treeSize: Int64 = 0
            var pendingCommit: LogSequencer<Int>.Batch?
            var answered: [Int: Int64] = [:]
            var bodyOfRequest: [Int: [UInt8]] = [:]
            var bodyAtIndex: [Int64: [UInt8]] = [:]
            func handle(_ actions: [LogSequencer<Int>.Action]) {
                for action in actions {
                    switch action {
                    case .commit(let batch):
                        #expect(Set(batch.submissions.map(\.leafHash)).count == batch.submissions.count, "a batch appends a body once")
                        pendingCommit = batch
                    case .answer(let answers):
                        for answer in answers {
                            #expect(answered[answer.request] == nil, "answered twice")
                            answered[answer.request] = try? answer.result.get()
                        }
                    }
                }
            }
            func commit() {
                guard let batch = pendingCommit else { return }
                pendingCommit = nil
                let indices = Self.indices(batch, after: treeSize)
                for (submission, index) in zip(batch.submissions, indices) { bodyAtIndex[index] = submission.body }
                treeSize += Int64(batch.submissions.count)
                handle(sequencer.batchCommitted(batch, indices: indices))
            }
            for request in 0..<40 {
                let body = Self.leaf(Int.random(in: 0..<25, using: &generator))
                bodyOfRequest[request] = body
                handle(sequencer.submit(.init(request: request, body: body)))
                if Bool.random(using: &generator) { commit() }
            }
            while pendingCommit != nil { commit() }
            #expect(answered.count == 40)
            for (request, index) in answered {
                #expect(bodyAtIndex[index] == bodyOfRequest[request], "request \(request) was answered with another entry's index")
            }
        }
    }
}
