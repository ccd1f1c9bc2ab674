import SignetCore
import SignetStore
import Testing

@Suite("Store contract: signatures by artifact name, revocations and API keys on every engine")
struct ArtifactContractTests {
    static func name(_ n: Int, path: String = "team/app") -> ArtifactName {
        try! ArtifactName(host: "registry.example.com", path: path, digest: sha256(Array("artifact \(n)".utf8)))
    }

    static func signature(
        _ id: String, _ name: ArtifactName, ref: String, repository: String = "https://github.com/acme/app", at seconds: Int64, namespace: String = "acme"
    ) -> SignatureRecord {
        SignatureRecord(
            id: id, namespace: namespace, name: name, identity: "https://github.com/acme/app/.github/workflows/release.yml@\(ref)",
            issuer: "https://token.actions.githubusercontent.com",
            provenance: [.sourceRepositoryURI: repository, .sourceRepositoryRef: ref, .sourceRepositoryDigest: "abc123", .runnerEnvironment: "github-hosted"],
            logIndex: seconds, signedAt: Timestamp(seconds: seconds), certificateSerial: "0a\(id)", bundle: Array("{\"bundle\":\"\(id)\"}".utf8))
    }

    static func event(_ action: String, _ subject: String, at seconds: Int64) -> AuditEvent {
        AuditEvent(time: Timestamp(seconds: seconds), actor: "ci@acme", action: action, subject: subject, origin: "127.0.0.1", detail: "")
    }

    @Test("register, find by name and by ref, revoke one name's ref: exactly the right signatures, persisted across a reopen", arguments: StoreEngine.allCases)
    func story(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            let first = Self.signature("s1", Self.name(1), ref: "refs/tags/v1.0.0", at: 100)
            let second = Self.signature("s2", Self.name(2, path: "team/worker"), ref: "refs/tags/v1.0.0", at: 101)
            let third = Self.signature("s3", Self.name(3), ref: "refs/tags/v1.0.1", at: 102)
            let again = Self.signature("s4", Self.name(1), ref: "refs/tags/v1.0.0", repository: "https://github.com/acme/fork", at: 103)
            for record in [first, second, third, again] {
                #expect(try await store.register(record, event: Self.event("signature.register", record.id, at: record.signedAt.seconds)) == record)
            }
            // A second registration of the same signature changes nothing and audits nothing.
            var altered = first
            altered.namespace = "other"
            #expect(try await store.register(altered, event: Self.event("signature.register", "s1", at: 200)) == first)
            #expect(try await store.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 100).count == 4)

            #expect(try await store.signatures(name: Self.name(1)).map(\.id) == ["s1", "s4"])
            #expect(try await store.signatures(name: Self.name(9)).isEmpty)
            #expect(
                try await store.signatures(SignatureFilter(sourceRepositoryRef: "refs/tags/v1.0.0"), after: nil, limit: 10).map(\.id) == ["s4", "s2", "s1"])
            #expect(
                try await store.signatures(
                    SignatureFilter(sourceRepository: "https://github.com/acme/app", sourceRepositoryRef: "refs/tags/v1.0.0"), after: nil, limit: 10
                ).map(\.id) == [
                    "s2", "s1",
                ])
            #expect(try await store.signatures(SignatureFilter(sourceRepositoryRef: "refs/tags/v1.0.0"), after: nil, limit: 1).map(\.id) == ["s4"])

            let revocation = RevocationStatement(
                id: "r1", namespace: "acme", name: Self.name(1), sourceRepositoryRef: "refs/tags/v1.0.0", reason: "compromised runner", actor: "security@acme",
                time: Timestamp(seconds: 300), logIndex: 7)
            #expect(try await store.revoke(RevocationRecord(revocation), event: Self.event("signature.revoke", "r1", at: 300)) == ["s1", "s4"])
            let later = RevocationStatement(
                id: "r2", namespace: "acme", name: Self.name(1), sourceRepositoryRef: "refs/tags/v1.0.0", reason: "again", actor: "security@acme",
                time: Timestamp(seconds: 301), logIndex: 8)
            #expect(
                try await store.revoke(RevocationRecord(later), event: Self.event("signature.revoke", "r2", at: 301)).isEmpty,
                "a signature keeps its first revocation")

            let reopened = try await opened.reopen()
            let byName = try await reopened.signatures(name: Self.name(1))
            #expect(byName.map { $0.revocation?.id } == ["r1", "r1"])
            #expect(byName.first?.revocation == revocation)
            #expect(try await reopened.signatures(name: Self.name(2, path: "team/worker")).first?.revocation == nil)
            #expect(try await reopened.signatures(name: Self.name(3)).first?.revocation == nil)
            #expect(try await reopened.signatures(name: Self.name(3)).first == third)
            #expect(try await reopened.revocations(since: Timestamp(seconds: 0), limit: 10).map(\.statement) == [revocation, later])
            #expect(try await reopened.revocations(since: Timestamp(seconds: 301), limit: 10).map(\.statement.id) == ["r2"])
            #expect(
                try await reopened.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 100).map(\.action).filter { $0 == "signature.revoke" }
                    .count == 2)
        }
    }

    @Test(
        "an attestation keeps its predicate type, and its payload once under its digest, in the registration's transaction",
        arguments: StoreEngine.allCases)
    func attestations(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            let name = Self.name(1)
            let payload = Array("{\"_type\":\"https://in-toto.io/Statement/v1\"}".utf8) + [UInt8](repeating: 0x20, count: 300_000)
            let digest = Hex.encode(sha256(payload))
            var first = Self.signature("a1", name, ref: "refs/tags/v1.0.0", at: 100)
            first.attestation = SignatureRecord.Attestation(predicateType: "https://slsa.dev/provenance/v1", payloadDigest: digest)
            var second = Self.signature("a2", name, ref: "refs/tags/v1.0.0", at: 101)
            second.attestation = SignatureRecord.Attestation(predicateType: "https://cyclonedx.org/bom", payloadDigest: digest)
            let plain = Self.signature("s1", name, ref: "refs/tags/v1.0.0", at: 102)
            #expect(try await store.register(first, attestationPayload: payload, event: Self.event("attestation.register", "a1", at: 100)) == first)
            #expect(try await store.register(second, attestationPayload: payload, event: Self.event("attestation.register", "a2", at: 101)) == second)
            #expect(try await store.register(plain, event: Self.event("signature.register", "s1", at: 102)) == plain)
            let reopened = try await opened.reopen()
            let read = try await reopened.signatures(name: name)
            #expect(read.map(\.id) == ["a1", "a2", "s1"])
            #expect(read.map(\.attestation?.predicateType) == ["https://slsa.dev/provenance/v1", "https://cyclonedx.org/bom", nil])
            #expect(try await reopened.attestationPayload(digest: digest) == payload)
            #expect(try await reopened.attestationPayload(digest: Hex.encode(sha256([1]))) == nil)
            let listed = try await reopened.signatures(SignatureFilter(), after: nil, limit: 10)
            #expect(listed.map(\.attestation?.predicateType) == [nil, "https://cyclonedx.org/bom", "https://slsa.dev/provenance/v1"])
        }
    }

    @Test(
        "stated provenance is kept apart from attested provenance, and a stated ref is traced and revoked like an attested one", arguments: StoreEngine.allCases
    )
    func statedProvenance(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            let name = Self.name(1)
            // An API key's signature: nothing attested, the ref and repository stated.
            let keyed = SignatureRecord(
                id: "k1", namespace: "acme", name: name, identity: "https://signet.example/api-keys/0123456789abcdef", issuer: "https://signet.example",
                provenance: [:], statedProvenance: [.sourceRepositoryRef: "refs/heads/main", .sourceRepositoryURI: "https://git.example/acme/app"],
                logIndex: 1, signedAt: Timestamp(seconds: 100), certificateSerial: "0ak1", bundle: Array("{}".utf8))
            // A token's signature with one value stated beyond what it attests.
            var mixed = Self.signature("t1", Self.name(2), ref: "refs/heads/main", at: 101)
            mixed.statedProvenance = [.buildConfigDigest: "feed"]
            for record in [keyed, mixed] {
                #expect(try await store.register(record, event: Self.event("signature.register", record.id, at: record.signedAt.seconds)) == record)
            }
            let reopened = try await opened.reopen()
            let read = try #require(try await reopened.signatures(name: name).first)
            #expect(read == keyed && read.provenance.isEmpty && read.sourceRepositoryRef == "refs/heads/main")
            #expect(try await reopened.signatures(name: Self.name(2)).first == mixed)
            #expect(try await reopened.signatures(SignatureFilter(sourceRepositoryRef: "refs/heads/main"), after: nil, limit: 10).map(\.id) == ["t1", "k1"])
            #expect(
                try await reopened.signatures(
                    SignatureFilter(sourceRepository: "https://git.example/acme/app", sourceRepositoryRef: "refs/heads/main"), after: nil, limit: 10
                ).map(\.id)
                    == ["k1"])
            let revocation = RevocationStatement(
                id: "r1", namespace: "acme", name: name, sourceRepositoryRef: "refs/heads/main", reason: "leaked key", actor: "security@acme",
                time: Timestamp(seconds: 200), logIndex: 9)
            #expect(try await reopened.revoke(RevocationRecord(revocation), event: Self.event("signature.revoke", "r1", at: 200)) == ["k1"])
            #expect(try await reopened.signatures(name: name).first?.revocation == revocation)
        }
    }

    @Test(
        "the evidence stamp moves with every change a gate decision reads (a signature of the name, any revocation, a policy change) and with nothing else",
        arguments: StoreEngine.allCases)
    func evidenceStamp(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            let (name, other) = (Self.name(1), Self.name(2))
            let empty = try await store.evidenceStamp(name: name)
            _ = try await store.register(Self.signature("s1", name, ref: "refs/tags/v1", at: 100), event: Self.event("signature.register", "s1", at: 100))
            let signed = try await store.evidenceStamp(name: name)
            #expect(signed.signatures == empty.signatures + 1 && signed.epoch == empty.epoch)
            // Another name's signature, a read and a repeated registration leave the stamp alone.
            _ = try await store.register(Self.signature("s2", other, ref: "refs/tags/v1", at: 101), event: Self.event("signature.register", "s2", at: 101))
            _ = try await store.register(Self.signature("s1", name, ref: "refs/tags/v1", at: 100), event: Self.event("signature.register", "s1", at: 102))
            _ = try await store.signatures(name: name)
            #expect(try await store.evidenceStamp(name: name) == signed)
            // A revocation of another name moves every name's epoch: revocations are read by rule.
            let revocation = RevocationStatement(
                id: "r1", namespace: "acme", name: other, sourceRepositoryRef: "refs/tags/v1", reason: "bad", actor: "security@acme",
                time: Timestamp(seconds: 200))
            _ = try await store.revoke(RevocationRecord(revocation), event: Self.event("signature.revoke", "r1", at: 200))
            let revoked = try await store.evidenceStamp(name: name)
            #expect(revoked.epoch > signed.epoch && revoked.signatures == signed.signatures)
            // A new policy version moves it; the same document again does not.
            _ = try await store.apply(PolicyContractTests.record("prod", "{\"v\":1}", at: 300), event: PolicyContractTests.event("prod", at: 300))
            let applied = try await store.evidenceStamp(name: name)
            #expect(applied.epoch > revoked.epoch)
            _ = try await store.apply(PolicyContractTests.record("prod", "{\"v\":1}", at: 301), event: PolicyContractTests.event("prod", at: 301))
            #expect(try await opened.reopen().evidenceStamp(name: name) == applied, "the stamp persists and an unchanged policy does not move it")
        }
    }

    @Test("a signature registered after its name and ref were revoked is recorded as revoked, and every reader agrees", arguments: StoreEngine.allCases)
    func registeredAfterRevocation(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            let name = Self.name(1)
            _ = try await store.register(Self.signature("s1", name, ref: "refs/heads/main", at: 100), event: Self.event("signature.register", "s1", at: 100))
            let revocation = RevocationStatement(
                id: "r1", namespace: "acme", name: name, sourceRepositoryRef: "refs/heads/main", reason: "bad ref", actor: "security@acme",
                time: Timestamp(seconds: 200))
            #expect(try await store.revoke(RevocationRecord(revocation), event: Self.event("signature.revoke", "r1", at: 200)) == ["s1"])
            let late = try await store.register(
                Self.signature("s2", name, ref: "refs/heads/main", at: 300), event: Self.event("signature.register", "s2", at: 300))
            #expect(late.revocation == revocation, "the answer says the new signature is revoked")
            let other = try await store.register(
                Self.signature("s3", name, ref: "refs/heads/release", at: 301), event: Self.event("signature.register", "s3", at: 301))
            #expect(other.revocation == nil, "another ref is not covered")
            #expect(try await store.signatures(name: name).map { $0.revocation?.id } == ["r1", "r1", nil])
            var revoked = SignatureFilter()
            revoked.status = .revoked
            var active = SignatureFilter()
            active.status = .active
            #expect(try await store.signatures(revoked, after: nil, limit: 10).map(\.id).sorted() == ["s1", "s2"])
            #expect(try await store.signatures(active, after: nil, limit: 10).map(\.id) == ["s3"])
            // The stored status is the one rule's answer for each signature.
            for record in try await store.signatures(name: name) {
                #expect(record.revocation?.id == RevocationStatement.covering([revocation], name: name, sourceRepositoryRef: record.sourceRepositoryRef)?.id)
            }
        }
    }

    @Test(
        "a name belongs to one namespace: a registration into another is refused in the same transaction, also when concurrent", arguments: StoreEngine.allCases
    )
    func namespaceConflict(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            _ = try await store.register(
                Self.signature("s1", Self.name(1), ref: "refs/heads/main", at: 100, namespace: "team-a"), event: Self.event("signature.register", "s1", at: 100)
            )
            await #expect(throws: NamespaceConflict(name: Self.name(1), owner: "team-a", requested: "team-b")) {
                try await store.register(
                    Self.signature("s2", Self.name(1), ref: "refs/heads/main", at: 101, namespace: "team-b"),
                    event: Self.event("signature.register", "s2", at: 101))
            }
            // Concurrent first registrations of fresh names, from two namespaces, many rounds:
            // each name ends in exactly one namespace.
            let rounds = 40
            try await withThrowingTaskGroup(of: Void.self) { group in
                for round in 0..<rounds {
                    for namespace in ["team-a", "team-b"] {
                        group.addTask {
                            let record = Self.signature(
                                "\(namespace)-\(round)", Self.name(1000 + round), ref: "refs/heads/main", at: Int64(round), namespace: namespace)
                            do {
                                _ = try await store.register(record, event: Self.event("signature.register", record.id, at: Int64(round)))
                            } catch is NamespaceConflict {}
                        }
                    }
                }
                try await group.waitForAll()
            }
            for round in 0..<rounds {
                let namespaces = await Set(try store.signatures(name: Self.name(1000 + round)).map(\.namespace))
                #expect(namespaces.count == 1, "round \(round): \(namespaces)")
            }
        }
    }

    @Test("quotes and SQL fragments in every field are stored and read back verbatim", arguments: StoreEngine.allCases)
    func hostileText(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            let hostile = "x'); DROP TABLE signature; -- \"quoted\" \\ %_"
            var record = Self.signature(hostile, Self.name(1), ref: hostile, repository: hostile, at: 5, namespace: hostile)
            record.identity = hostile
            record.issuer = hostile
            record.certificateSerial = hostile
            record.provenance[.buildConfigURI] = hostile
            let stored = try await store.register(record, event: Self.event(hostile, hostile, at: 5))
            #expect(stored == record)
            #expect(try await store.signatures(name: Self.name(1)) == [record])
            var listed = record
            listed.bundle = []
            #expect(
                try await store.signatures(SignatureFilter(sourceRepository: hostile, sourceRepositoryRef: hostile), after: nil, limit: 5) == [listed],
                "listings carry no bundles")
            #expect(
                try await store.signatures(
                    SignatureFilter(namespaces: [hostile], sourceRepository: hostile, sourceRepositoryRef: hostile), after: nil, limit: 5)
                    == [
                        listed
                    ])
            #expect(try await store.signatures(SignatureFilter(sourceRepositoryRef: "%"), after: nil, limit: 5).isEmpty)
        }
    }

    @Test("listings filter by namespace, repository prefix, source, ref, time and status, newest first, in pages", arguments: StoreEngine.allCases)
    func listings(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            let records = [
                Self.signature("s1", Self.name(1), ref: "refs/tags/v1", at: 10),
                Self.signature("s2", Self.name(2, path: "team/worker"), ref: "refs/tags/v1", at: 20),
                Self.signature(
                    "s3", Self.name(3, path: "other/app"), ref: "refs/tags/v2", repository: "https://github.com/acme/other", at: 30, namespace: "other"),
                Self.signature("s4", Self.name(4, path: "teams/x"), ref: "refs/tags/v2", at: 40),
            ]
            for record in records { _ = try await store.register(record, event: Self.event("signature.register", record.id, at: record.signedAt.seconds)) }
            _ = try await store.revoke(
                RevocationRecord(
                    RevocationStatement(
                        id: "r1", namespace: "acme", name: Self.name(1), sourceRepositoryRef: "refs/tags/v1", reason: "bad", actor: "sec",
                        time: Timestamp(seconds: 50), logIndex: 9),
                    signedStatement: Array("statement".utf8), bundle: Array("bundle".utf8)), event: Self.event("signature.revoke", "r1", at: 50))
            func ids(_ filter: SignatureFilter, after: String? = nil, limit: Int = 10) async throws -> [String] {
                try await store.signatures(filter, after: after, limit: limit).map(\.id)
            }
            #expect(try await ids(SignatureFilter()) == ["s4", "s3", "s2", "s1"])
            #expect(try await ids(SignatureFilter(namespaces: ["acme"])) == ["s4", "s2", "s1"])
            #expect(try await ids(SignatureFilter(namespaces: ["acme", "other", "nobody"])) == ["s4", "s3", "s2", "s1"])
            #expect(try await ids(SignatureFilter(namespaces: [])).isEmpty, "an empty selection selects nothing")
            #expect(
                try await ids(SignatureFilter(repositoryPrefix: "registry.example.com/team/")) == ["s2", "s1"],
                "a prefix ends at a path boundary: teams/ is not team/")
            #expect(try await ids(SignatureFilter(repositoryPrefix: "registry.example.com/team/app")) == ["s1"])
            #expect(try await ids(SignatureFilter(sourceRepository: "https://github.com/acme/other")) == ["s3"])
            #expect(try await ids(SignatureFilter(sourceRepositoryRef: "refs/tags/v2")) == ["s4", "s3"])
            #expect(try await ids(SignatureFilter(since: Timestamp(seconds: 20))) == ["s4", "s3", "s2"])
            #expect(try await ids(SignatureFilter(status: .revoked)) == ["s1"])
            #expect(try await ids(SignatureFilter(status: .active)) == ["s4", "s3", "s2"])
            #expect(try await ids(SignatureFilter(), limit: 2) == ["s4", "s3"])
            #expect(try await ids(SignatureFilter(), after: "s3", limit: 2) == ["s2", "s1"])
            #expect(try await store.namespace(of: Self.name(3, path: "other/app")) == "other")
            #expect(try await store.namespace(of: Self.name(9)) == nil)
            let revocations = try await store.revocations(name: Self.name(1))
            #expect(
                revocations.map(\.statement.id) == ["r1"] && revocations[0].signedStatement == Array("statement".utf8)
                    && revocations[0].bundle == Array("bundle".utf8))
            #expect(try await store.revocations(name: Self.name(2, path: "team/worker")).isEmpty)
        }
    }

    @Test("API keys: created with an audit event, found by id, revoked once, listed by namespace", arguments: StoreEngine.allCases)
    func apiKeys(engine: StoreEngine) async throws {
        try await engine.withStore { opened in
            let store = opened.store
            let key = APIKeyRecord(
                id: "0123456789abcdef", namespace: "team-a", scopes: [.sign, .revoke], secretHash: Array(repeating: 7, count: 32), description: "ci 'quoted'",
                createdBy: "operator", createdAt: Timestamp(seconds: 100), expiresAt: Timestamp(seconds: 200))
            try await store.create(key, event: Self.event("api-key.create", key.id, at: 100))
            #expect(try await store.apiKey(id: key.id) == key)
            #expect(try await store.apiKey(id: "ffffffffffffffff") == nil)
            #expect(try await store.revokeAPIKey(id: key.id, at: Timestamp(seconds: 150), event: Self.event("api-key.revoke", key.id, at: 150)))
            #expect(try await store.revokeAPIKey(id: key.id, at: Timestamp(seconds: 160), event: Self.event("api-key.revoke", key.id, at: 160)) == false)
            #expect(try await store.apiKey(id: key.id)?.revokedAt == Timestamp(seconds: 150))
            #expect(try await store.apiKeys(namespace: "team-a").map(\.id) == [key.id])
            #expect(try await store.apiKeys(namespace: "team-b").isEmpty)
            #expect(
                try await store.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 10).map(\.action) == ["api-key.create", "api-key.revoke"])
        }
    }
}
