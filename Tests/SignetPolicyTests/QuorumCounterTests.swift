import Crypto
import SignetCore
import SignetPolicy
import SignetVerify
import SignetVirtualPlatform
import Testing

/// The counting rules of release quorums, each with a bundle that tries to game them.
@Suite("Release quorums: counting that cannot be gamed")
struct QuorumCounterTests {
    static let platform = try! VirtualPlatform()
    static let issuer = VirtualPlatform.issuer
    static let artifact = Array("app 1.0.0".utf8)
    static let name = try! ArtifactName(parsing: "registry.example.com/acme/app@sha256:" + Hex.encode(sha256(artifact)))
    static let verifier = try! BundleVerifier(trustedRoot: platform.trustedRoot())

    /// engineering (alice, mallory; min 1), security (bob, eve; min 1), release (carol); 2 in all.
    static func quorum(without removed: String? = nil) throws -> QuorumPolicy {
        func members(_ people: [String]) -> JSONValue {
            .array(
                people.filter { $0 != removed }.map {
                    .object(JSONObject([("issuer", .string(issuer)), ("identity", .string("\($0)@acme.test"))]))
                })
        }
        let value = JSONValue.object(
            JSONObject([
                ("total", .integer(2)),
                (
                    "roles",
                    .array([
                        .object(JSONObject([("name", .string("engineering")), ("min", .integer(1)), ("members", members(["alice", "mallory"]))])),
                        .object(JSONObject([("name", .string("security")), ("min", .integer(1)), ("members", members(["bob", "eve"]))])),
                        .object(JSONObject([("name", .string("release")), ("members", members(["carol"]))])),
                    ])
                ),
            ]))
        return try QuorumPolicy(json: value)
    }

    static func request(createdAt: Timestamp? = nil) throws -> ReleaseRequest {
        ReleaseRequest(
            id: String(repeating: "c", count: 32), name: name, environment: "production", policy: "prod", quorum: try quorum(), requesterIssuer: issuer,
            requester: "carol@acme.test", createdAt: createdAt ?? Timestamp(seconds: platform.referenceTime.seconds - 100), breakGlass: false, reason: "")
    }

    /// An approval signed by `who`@acme.test at the platform's reference time.
    static func approval(
        _ who: String, role: String, decision: Approval.Decision = .approve, key: P256.Signing.PrivateKey? = nil, digest: [UInt8]? = nil,
        request: String = String(repeating: "c", count: 32)
    ) async throws -> ArtifactVerifier.Signature {
        var statement = Approval(request: request, role: role, decision: decision, justification: "reviewed").statement(for: name)
        if let digest { statement.subjects = [.init(name: name.nameWithoutDigest, digest: ["sha256": Hex.encode(digest)])] }
        var options = VirtualPlatform.SigningOptions()
        options.leaf.identity = "\(who)@acme.test"
        options.key = key
        let bundle = try await platform.attest(statement, options: options)
        return ArtifactVerifier.Signature(id: "\(who)-\(role)-\(decision.rawValue)-\(Hex.encode(sha256(bundle.json.compactBytes())).prefix(8))", bundle: bundle)
    }

    static func tally(_ approvals: [ArtifactVerifier.Signature], current: QuorumPolicy? = nil, request: ReleaseRequest? = nil) throws -> QuorumCounter.Tally {
        QuorumCounter(verifier: verifier).tally(
            try request ?? Self.request(), current: try current ?? quorum(), approvals: approvals, now: Timestamp(seconds: platform.referenceTime.seconds + 60))
    }

    @Test("two members in their roles meet the quorum; one is not enough")
    func met() async throws {
        let alice = try await Self.approval("alice", role: "engineering")
        let bob = try await Self.approval("bob", role: "security")
        let one = try Self.tally([alice])
        #expect(!one.met && one.missing == ["security: 1 more", "total: 1 more"])
        let two = try Self.tally([alice, bob])
        #expect(two.met && two.counted.map(\.identity) == ["alice@acme.test", "bob@acme.test"], "\(two.refused)")
    }

    @Test("the same person twice counts once")
    func samePersonTwice() async throws {
        let tally = try Self.tally([
            try await Self.approval("alice", role: "engineering"), try await Self.approval("alice", role: "engineering"),
            try await Self.approval("bob", role: "security"),
        ])
        #expect(tally.counted.count == 2 && tally.met)
        #expect(tally.refused.contains { $0.reason.contains("already counted") })
        let alone = try Self.tally([try await Self.approval("alice", role: "engineering"), try await Self.approval("alice", role: "engineering")])
        #expect(!alone.met && alone.counted.count == 1)
    }

    @Test("one person with two identities bound to one key counts once; so does a key reused across identities")
    func oneKeyTwoIdentities() async throws {
        let key = P256.Signing.PrivateKey()
        let sameRole = try Self.tally([
            try await Self.approval("alice", role: "engineering", key: key), try await Self.approval("mallory", role: "engineering", key: key),
        ])
        #expect(sameRole.counted.count == 1 && sameRole.refused.contains { $0.reason.contains("already signed a counted approval") })
        let acrossRoles = try Self.tally([
            try await Self.approval("alice", role: "engineering", key: key), try await Self.approval("bob", role: "security", key: key),
        ])
        #expect(!acrossRoles.met && acrossRoles.counted.count == 1, "\(acrossRoles.refused)")
    }

    @Test("an approval of another digest, of another request, or in a role its signer does not hold counts for nothing")
    func wrongSubject() async throws {
        let alice = try await Self.approval("alice", role: "engineering")
        let otherDigest = try Self.tally([alice, try await Self.approval("bob", role: "security", digest: Array(repeating: 0xCD, count: 32))])
        #expect(!otherDigest.met && otherDigest.refused.contains { $0.reason.contains("does not verify") }, "\(otherDigest.refused)")
        let otherRequest = try Self.tally([alice, try await Self.approval("bob", role: "security", request: String(repeating: "d", count: 32))])
        #expect(!otherRequest.met && otherRequest.refused.isEmpty, "an approval of another request is not this one's")
        let wrongRole = try Self.tally([alice, try await Self.approval("bob", role: "engineering")])
        #expect(!wrongRole.met && wrongRole.refused.contains { $0.reason.contains("nobody the quorum names in role engineering") })
        let noRole = try Self.tally([alice, try await Self.approval("bob", role: "auditors")])
        #expect(!noRole.met && noRole.refused.contains { $0.reason.contains("not a role") })
    }

    @Test("an approval made after the request expired counts for nothing")
    func late() async throws {
        // Opened two hours before the approvals, open for one.
        var request = try Self.request(createdAt: Timestamp(seconds: Self.platform.referenceTime.seconds - 7200))
        request.expiresAt = Timestamp(seconds: Self.platform.referenceTime.seconds - 3600)
        let tally = try Self.tally(
            [try await Self.approval("alice", role: "engineering"), try await Self.approval("bob", role: "security")], request: request)
        #expect(!tally.met && tally.counted.isEmpty && tally.refused.allSatisfy { $0.reason.contains("outside the request's lifetime") })
    }

    @Test("a counted rejection rejects the request")
    func rejection() async throws {
        let tally = try Self.tally([
            try await Self.approval("alice", role: "engineering"), try await Self.approval("bob", role: "security", decision: .reject),
            try await Self.approval("eve", role: "security"),
        ])
        #expect(tally.rejected && !tally.met)
    }

    @Test("a member removed before approving counts for nothing, whatever the request recorded")
    func removedMember() async throws {
        let tally = try Self.tally(
            [try await Self.approval("alice", role: "engineering"), try await Self.approval("bob", role: "security")], current: try Self.quorum(without: "bob"))
        #expect(!tally.met && tally.refused.contains { $0.reason.contains("nobody the quorum names in role security") }, "\(tally.refused)")
    }

    @Test("the requester never approves their own request")
    func selfApproval() async throws {
        let tally = try Self.tally([try await Self.approval("alice", role: "engineering"), try await Self.approval("carol", role: "release")])
        #expect(!tally.met && tally.refused.contains { $0.reason.contains("may not approve their own request") })
    }

    @Test("a policy's quorum reads from YAML: roles, identity and key members, total, lifetime, break glass")
    func quorumInPolicy() throws {
        let key = P256.Signing.PrivateKey()
        let pem = PEM.encode(Array(key.publicKey.derRepresentation), label: "PUBLIC KEY").replacingOccurrences(of: "\n", with: "\\n")
        let yaml = """
            apiVersion: signet/v1
            kind: Policy
            name: prod
            scope: {names: ["registry.example.com/acme/*"], environment: production}
            publishers: [{issuer: "https://idp.acme.example", identity: "ci@acme.example"}]
            quorum:
              total: 2
              requestTTLSeconds: 600
              roles:
                - {name: engineering, min: 1, members: [{issuer: "https://idp.acme.example", identity: "alice@acme.example"}]}
                - {name: release, members: [{publicKey: "\(pem)"}]}
              breakGlass: {min: 1, validitySeconds: 300, members: [{issuer: "https://idp.acme.example", identity: "oncall@acme.example"}]}
            """
        let policy = try PolicyDocument(yamlBytes: Array(yaml.utf8))
        let quorum = try #require(policy.quorum)
        #expect(quorum.total == 2 && quorum.requestTTLSeconds == 600 && quorum.roles.map(\.name) == ["engineering", "release"])
        #expect(quorum.roles[1].members == [QuorumPolicy.Member(publicKey: Array(key.publicKey.derRepresentation))])
        #expect(quorum.breakGlass?.validitySeconds == 300 && quorum.breakGlass?.min == 1)
        #expect(throws: PolicyError.self) { try PolicyDocument(yamlBytes: Array(yaml.replacingOccurrences(of: "total: 2", with: "total: 5").utf8)) }
    }

    @Test("quorum documents are checked: totals the members cannot reach, unknown members, roles twice")
    func quorumDocuments() throws {
        func refusal(_ json: String) -> String? {
            guard let value = try? JSONParser().parse(Array(json.utf8), context: "quorum") else { return "not JSON" }
            do {
                _ = try QuorumPolicy(json: value)
                return nil
            } catch {
                return error.description
            }
        }
        let member = #"{"issuer":"https://idp.example","identity":"a@example.com"}"#
        #expect(refusal(#"{"total":2,"roles":[{"name":"eng","members":[\#(member)]}]}"#)?.contains("at most the number of distinct members") == true)
        #expect(refusal(#"{"total":1,"roles":[{"name":"eng","min":2,"members":[\#(member)]}]}"#)?.contains("at least min") == true)
        #expect(refusal(#"{"total":1,"roles":[{"name":"eng","members":[\#(member)]},{"name":"eng","members":[\#(member)]}]}"#)?.contains("twice") == true)
        #expect(refusal(#"{"total":1,"roles":[{"name":"eng","members":[{"identity":"a"}]}]}"#)?.contains("issuer") == true)
        #expect(refusal(#"{"total":1,"roles":[{"name":"eng","members":[\#(member)]}],"requestTTLSeconds":99999999}"#)?.contains("requestTTLSeconds") == true)
        #expect(refusal(#"{"total":1,"roles":[{"name":"eng","members":[\#(member)]}],"extra":1}"#)?.contains("extra") == true)
    }
}

/// The gate's quorum rule: requests stated by the release authority, for the environment being
/// decided, recounted from the approvals; no exception waives it.
@Suite("Policy engine: release quorums")
struct QuorumGateTests {
    static let platform = QuorumCounterTests.platform
    static let issuer = VirtualPlatform.issuer
    static let authority = PolicyEngine.ReleaseAuthority(identity: "https://signet.test/signet/release", issuer: VirtualPlatform.issuer)
    static let publisher = "ci@acme.test"

    static func policy(total: Int = 2, exception: Bool = false) throws -> PolicyDocument {
        let exceptions =
            exception
            ? #", "exceptions": [{"names": ["registry.example.com/acme/*"], "owner": "sec@acme.test", "reason": "migration", "expiresAt": "2099-01-01T00:00:00Z"}]"#
            : ""
        let json = """
            {"apiVersion": "signet/v1", "kind": "Policy", "name": "prod", "scope": {"names": ["registry.example.com/acme/*"], "environment": "production"},
             "publishers": [{"issuer": "\(issuer)", "identity": "\(publisher)"}]\(exceptions),
             "quorum": {"total": \(total), "roles": [
               {"name": "engineering", "members": [{"issuer": "\(issuer)", "identity": "alice@acme.test"}, {"issuer": "\(issuer)", "identity": "mallory@acme.test"}]},
               {"name": "security", "members": [{"issuer": "\(issuer)", "identity": "bob@acme.test"}]}]}}
            """
        return try PolicyDocument(jsonBytes: Array(json.utf8))
    }

    /// The evidence: a publisher's signature, a request stated for `environment` under the
    /// policy of `total`, and approvals by `approvers`.
    static func evidence(environment: String, recordedTotal: Int = 2, approvers: [(String, String)]) async throws -> Evidence {
        let name = QuorumCounterTests.name
        var options = VirtualPlatform.SigningOptions()
        options.leaf.identity = publisher
        var items = [Evidence.Item(id: "signature", bundle: try await platform.signBlob(QuorumCounterTests.artifact, options: options))]
        let request = ReleaseRequest(
            id: String(repeating: "e", count: 32), name: name, environment: environment, policy: "prod",
            quorum: try #require(try policy(total: recordedTotal).quorum), requesterIssuer: issuer, requester: "carol@acme.test",
            createdAt: Timestamp(seconds: platform.referenceTime.seconds - 100), breakGlass: false, reason: "")
        var authorityOptions = VirtualPlatform.SigningOptions()
        authorityOptions.leaf.identity = authority.identity
        let stated = try await platform.attest(request.statement, options: authorityOptions)
        items.append(Evidence.Item(id: "request", bundle: stated))
        for (who, role) in approvers {
            var approval = try await QuorumCounterTests.approval(who, role: role, request: request.id)
            approval.id = "approval-\(who)"
            items.append(approval)
        }
        return Evidence(name: name, owner: nil, items: items, revocations: [])
    }

    static func decide(_ evidence: Evidence, policy: PolicyDocument) throws -> Decision {
        let engine = PolicyEngine(verifier: ArtifactVerifier(verifier: QuorumCounterTests.verifier), releaseAuthority: authority)
        return engine.decide(environment: "production", policies: [policy], evidence: evidence, now: Timestamp(seconds: platform.referenceTime.seconds + 60))
    }

    @Test("the quorum check: met for this environment; a request for another environment, a tightened total, or an exception do not stand in")
    func gate() async throws {
        let met = try await Self.evidence(environment: "production", approvers: [("alice", "engineering"), ("bob", "security")])
        let admitted = try Self.decide(met, policy: try Self.policy())
        #expect(admitted.allowed && admitted.checks.contains { $0.rule == "quorum" && $0.passed }, "\(admitted.message)")

        let staging = try await Self.evidence(environment: "staging", approvers: [("alice", "engineering"), ("bob", "security")])
        let elsewhere = try Self.decide(staging, policy: try Self.policy())
        #expect(!elsewhere.allowed && elsewhere.checks.contains { $0.rule == "quorum" && !$0.passed && $0.detail.contains("no request for production") })

        let tightened = try Self.decide(met, policy: try Self.policy(total: 3))
        #expect(tightened.checks.contains { $0.rule == "quorum" && !$0.passed && $0.detail.contains("total: 1 more") }, "\(tightened.checks)")

        let none = try await Self.evidence(environment: "production", approvers: [("alice", "engineering")])
        let waived = try Self.decide(none, policy: try Self.policy(exception: true))
        #expect(!waived.allowed && waived.code == .quorumNotMet, "an exception never waives a missing quorum: \(waived.code) \(waived.message)")
    }
}
