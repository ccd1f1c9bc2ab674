import SignetCore
import SignetLog
import SignetStore
import SignetVirtualPlatform
import Testing

@Suite("Store contract: the log (appends, compare-and-swap, duplicates, proofs, checkpoints) on every engine")
struct LogContractTests {
    static let signer = try! LogSigner(signer: SoftwareSigner.generate(.ecdsaP256SHA256), hostName: "rekor.signet.test", style: .rekorV1(treeID: 1))

    static func body(_ n: Int) -> RekorEntryBody {
        .hashedRekordV001(
            .init(hashAlgorithm: .sha256, digest: sha256(Array("artifact \(n)".utf8)), signature: [0x30, UInt8(n % 256)], publicKeyPEM: "key \(n)"))
    }

    static func entry(_ n: Int) -> NewLogEntry {
        try! NewLogEntry(body: body(n), indexKeys: [], integratedTime: 1_768_478_400 + Int64(n))
    }

    /// Prepares `entries` on the stored tip and commits them, expecting no conflict.
    static func append(_ entries: [NewLogEntry], to log: String, _ storage: any LogStorage, signers: [LogSigner] = [signer]) async throws -> PreparedBatch {
        let batch = try await PreparedBatch(appending: entries, to: try await storage.tip(log: log), signers: signers)
        let outcome = try await storage.commit(batch, log: log)
        try #require(outcome == .committed, "expected the batch to commit, found \(outcome)")
        return batch
    }

    /// Checks a committed batch the way a client checks its answer: the checkpoint is signed by
    /// the log and each entry's proof leads to its root.
    static func expectVerifiable(_ committed: PreparedBatch, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let note = try SignedNote(parsing: try #require(committed.checkpoint.notes[signer.logID]))
        let checkpoint = try Checkpoint(text: note.text)
        #expect(checkpoint.size == committed.checkpoint.size && checkpoint.rootHash == committed.checkpoint.rootHash, sourceLocation: sourceLocation)
        #expect(note.isValid(note.signatures[0], key: try VerificationKey(spki: signer.signer.publicKeySPKI)), sourceLocation: sourceLocation)
        for (offset, entry) in committed.entries.enumerated() {
            try Merkle.verifyInclusion(
                index: entry.record.index, size: checkpoint.size, leafHash: Merkle.leafHash(entry.record.body), proof: committed.inclusionProofs[offset],
                rootHash: checkpoint.rootHash)
        }
    }

    @Test("batches commit with verifiable proofs; state and consistency survive reopening", arguments: StoreEngine.allCases)
    func persistence(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            var checkpoints: [CheckpointRecord] = []
            do {
                let store = opened.store
                #expect(try await store.latestCheckpoint(log: "v1") == nil)
                for range in [0..<1, 1..<8, 8..<9, 9..<30] {
                    let committed = try await Self.append(range.map(Self.entry), to: "v1", store)
                    #expect(committed.baseSize == Int64(range.lowerBound))
                    try Self.expectVerifiable(committed)
                    checkpoints.append(committed.checkpoint)
                }
            }
            let reopened = try await opened.reopen()
            #expect(try await reopened.latestCheckpoint(log: "v1") == checkpoints.last)
            let more = try await Self.append((30..<45).map(Self.entry), to: "v1", reopened)
            try Self.expectVerifiable(more)
            for old in checkpoints {
                let proof = try await reopened.consistencyProof(log: "v1", oldSize: old.size, newSize: more.checkpoint.size)
                try Merkle.verifyConsistency(
                    oldSize: old.size, newSize: more.checkpoint.size, oldRoot: old.rootHash, newRoot: more.checkpoint.rootHash, proof: proof)
            }
            for index in Int64(0)..<45 {
                let entry = try #require(try await reopened.entry(log: "v1", index: index))
                let proof = try await reopened.inclusionProof(log: "v1", index: index, size: 45)
                try Merkle.verifyInclusion(index: index, size: 45, leafHash: Merkle.leafHash(entry.body), proof: proof, rootHash: more.checkpoint.rootHash)
                #expect(try await reopened.entry(log: "v1", leafHash: Merkle.leafHash(entry.body))?.index == index)
            }
            #expect(try await reopened.checkpoint(log: "v1", size: checkpoints[1].size) == checkpoints[1])
        }
    }

    @Test("a batch on a stale tip or with a stored leaf writes nothing and says why", arguments: StoreEngine.allCases)
    func compareAndSwap(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            let first = try await Self.append((0..<5).map(Self.entry), to: "v1", store)
            let stale = try await PreparedBatch(appending: [Self.entry(5)], to: LogTip.empty, signers: [Self.signer])
            #expect(try await store.commit(stale, log: "v1") == .conflict(storedSize: 5))
            let duplicate = try await PreparedBatch(appending: [Self.entry(5), Self.entry(2)], to: try await store.tip(log: "v1"), signers: [Self.signer])
            #expect(try await store.commit(duplicate, log: "v1") == .duplicates([Self.entry(2).leafHash: 2]))
            #expect(try await store.latestCheckpoint(log: "v1") == first.checkpoint)
            #expect(try await store.entry(log: "v1", index: 5) == nil)
            let next = try await Self.append([Self.entry(5)], to: "v1", store)
            #expect(next.baseSize == 5)
            try Self.expectVerifiable(next)
        }
    }

    @Test("logs in one store are independent trees", arguments: StoreEngine.allCases)
    func separateLogs(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            let v2Signer = try LogSigner(signer: SoftwareSigner.generate(.ed25519), hostName: "log.signet.test", style: .rekorV2)
            _ = try await Self.append((0..<3).map(Self.entry), to: "v1", store)
            let other = try await Self.append([Self.entry(0)], to: "v2", store, signers: [v2Signer])
            #expect(other.baseSize == 0 && other.checkpoint.size == 1)
            #expect(other.checkpoint.notes.keys.sorted { $0.lexicographicallyPrecedes($1) } == [v2Signer.logID])
            #expect(try await store.latestCheckpoint(log: "v1")?.size == 3)
        }
    }
}

@Suite("Store contract: issued certificates and the audit trail on every engine")
struct RecordContractTests {
    @Test("certificates are found by identity, newest first; audit events come back in order; both survive reopening", arguments: StoreEngine.allCases)
    func records(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            do {
                let store = opened.store
                for n in 0..<3 {
                    try await store.record([
                        (
                            IssuedCertificate(
                                serial: String(format: "%02x", n), identity: n < 2 ? "dev@acme.test" : "ci@acme.test", issuer: "https://idp.acme.test",
                                provenance: ["1.3.6.1.4.1.57264.1.14": "refs/tags/v\(n)"], issuedAt: Timestamp(seconds: 100 + Int64(n)), der: [UInt8(n)]),
                            AuditEvent(
                                time: Timestamp(seconds: 100 + Int64(n)), actor: "dev@acme.test", action: "certificate.issue",
                                subject: String(format: "%02x", n), origin: "127.0.0.1", detail: "")
                        )
                    ])
                }
                await #expect(throws: (any Error).self) {
                    // A batch with one duplicate serial writes none of its certificates.
                    try await store.record([
                        (
                            IssuedCertificate(serial: "ff", identity: "x", issuer: "y", provenance: [:], issuedAt: Timestamp(seconds: 1), der: []),
                            AuditEvent(time: Timestamp(seconds: 1), actor: "x", action: "certificate.issue", subject: "ff", origin: "local", detail: "new")
                        ),
                        (
                            IssuedCertificate(serial: "00", identity: "x", issuer: "y", provenance: [:], issuedAt: Timestamp(seconds: 1), der: []),
                            AuditEvent(
                                time: Timestamp(seconds: 1), actor: "x", action: "certificate.issue", subject: "00", origin: "local", detail: "duplicate")
                        ),
                    ])
                }
                try await store.record(events: [
                    AuditEvent(
                        time: Timestamp(seconds: 10), actor: "dev@acme.test", action: "sign", subject: "app@sha256:…", origin: "127.0.0.1",
                        detail: "'); DROP TABLE audit_event; --")
                ])
                try await store.record(events: [
                    AuditEvent(
                        time: Timestamp(seconds: 20), actor: "admin", action: "revoke", subject: "refs/tags/v1", origin: "10.0.0.1", detail: "bad ref",
                        namespace: "acme")
                ])
            }
            let store = opened.store
            let issued = try await store.certificates(identity: "dev@acme.test", limit: 10)
            #expect(issued.map(\.serial) == ["01", "00"])
            #expect(issued[0].provenance == ["1.3.6.1.4.1.57264.1.14": "refs/tags/v1"])
            #expect(try await store.certificate(serial: "02")?.identity == "ci@acme.test")
            #expect(try await store.certificate(serial: "ff") == nil)
            // The failed duplicate wrote neither the certificate nor its audit event.
            let events = try await store.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 100)
            #expect(events.map(\.action) == ["sign", "revoke", "certificate.issue", "certificate.issue", "certificate.issue"])
            #expect(events[0].detail == "'); DROP TABLE audit_event; --")
            #expect(
                try await store.auditEvents(since: Timestamp(seconds: 15), namespaces: nil, limit: 100).map(\.action) == [
                    "revoke", "certificate.issue", "certificate.issue", "certificate.issue",
                ])
            // A namespace's trail holds its events only, never the instance's.
            #expect(events[1].namespace == "acme" && events[0].namespace == nil)
            #expect(try await store.auditEvents(since: Timestamp(seconds: 0), namespaces: ["acme"], limit: 100).map(\.subject) == ["refs/tags/v1"])
            #expect(try await store.auditEvents(since: Timestamp(seconds: 0), namespaces: ["other"], limit: 100).isEmpty)
            #expect(try await store.auditEvents(since: Timestamp(seconds: 0), namespaces: [], limit: 100).isEmpty)
            #expect(try await store.latestAuditEvents(namespaces: ["acme", "other"], limit: 10).map(\.action) == ["revoke"])
            #expect(try await store.latestAuditEvents(namespaces: nil, limit: 2).map(\.action) == ["revoke", "sign"])
        }
    }
}

@Suite("Store contract: writers racing on one store")
struct RacingWritersContractTests {
    @Test(
        "three log services over three connections to one store: one index per body, every answer consistent with the final tree",
        arguments: StoreEngine.allCases)
    func racingServices(engine: StoreEngine) async throws {
        var generator = SeededGenerator.forTest("racing writers on \(engine.rawValue)")
        try await engine.withStore { opened in
            let stores = [opened.store, try await opened.reopen(), try await opened.reopen()]
            let v2 = try LogSigner(signer: SoftwareSigner.generate(.ed25519), hostName: "log.signet.test", style: .rekorV2)
            let services = stores.map { LogService(storage: $0, v1: LogContractTests.signer, v2: v2, treeID: 1, maxBatchSize: 8) }
            let plan = (0..<120).map { _ in (service: Int.random(in: 0..<3, using: &generator), body: Int.random(in: 0..<80, using: &generator)) }
            let now = Timestamp(seconds: 1_768_478_400)
            let answers = try await withThrowingTaskGroup(of: (Int, TransparencyLogEntry).self) { group in
                for step in plan {
                    group.addTask {
                        var index = EntryIndex()
                        index.add(digest: sha256(Array("artifact \(step.body)".utf8)), algorithm: .sha256)
                        let admitted = AdmittedEntry(body: LogContractTests.body(step.body), index: index)
                        return (step.body, try await services[step.service].append(admitted, api: .rekorV2, now: now).entry)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let final = try #require(try await opened.store.latestCheckpoint(log: LogService.treeName))
            #expect(final.size == Int64(Set(plan.map(\.body)).count), "every distinct body appended once")
            var indexOfBody: [Int: Int64] = [:]
            for (body, entry) in answers {
                if let index = indexOfBody[body] { #expect(index == entry.logIndex, "body \(body) answered with two indices") }
                indexOfBody[body] = entry.logIndex
                let proof = try #require(entry.inclusionProof)
                try Merkle.verifyInclusion(
                    index: entry.logIndex, size: proof.treeSize, leafHash: Merkle.leafHash(entry.canonicalizedBody), proof: proof.hashes,
                    rootHash: proof.rootHash)
                try Merkle.verifyConsistency(
                    oldSize: proof.treeSize, newSize: final.size, oldRoot: proof.rootHash, newRoot: final.rootHash,
                    proof: try await opened.store.consistencyProof(log: LogService.treeName, oldSize: proof.treeSize, newSize: final.size))
            }
        }
    }
}
