import SignetCore
import SignetStore
import Testing

@Suite("Store contract: policies, versioned, on every engine")
struct PolicyContractTests {
    static func record(_ name: String, _ document: String, at seconds: Int64) -> PolicyRecord {
        PolicyRecord(
            name: name, version: 0, digest: "sha256:" + Hex.encode(sha256(Array(document.utf8))), document: Array(document.utf8), appliedBy: "admin@acme",
            appliedAt: Timestamp(seconds: seconds))
    }

    static func event(_ subject: String, at seconds: Int64) -> AuditEvent {
        AuditEvent(time: Timestamp(seconds: seconds), actor: "admin@acme", action: "policy.apply", subject: subject, origin: "127.0.0.1", detail: "")
    }

    @Test("each change is a new version; the same document again writes nothing; the highest version is in force", arguments: StoreEngine.allCases)
    func versions(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            let (first, created) = try await store.apply(Self.record("prod", "{\"v\":1}", at: 100), event: Self.event("prod", at: 100))
            #expect(first.version == 1 && created)
            let again = try await store.apply(Self.record("prod", "{\"v\":1}", at: 101), event: Self.event("prod", at: 101))
            #expect(again.policy == first && !again.created, "the same digest is not a new version")
            let second = try await store.apply(Self.record("prod", "{\"v\":2}", at: 102), event: Self.event("prod", at: 102)).policy
            #expect(second.version == 2 && second.document == Array("{\"v\":2}".utf8))
            let baseline = try await store.apply(Self.record("baseline", "{\"b\":1}", at: 103), event: Self.event("baseline", at: 103)).policy
            #expect(baseline.version == 1)
            let reopened = try await opened.reopen()
            #expect(try await reopened.currentPolicies() == [baseline, second])
            #expect(try await reopened.policyVersions(name: "prod") == [first, second])
            #expect(try await reopened.policyVersions(name: "absent").isEmpty)
            #expect(try await reopened.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 10).map(\.subject) == ["prod", "prod", "baseline"])
        }
    }
}
