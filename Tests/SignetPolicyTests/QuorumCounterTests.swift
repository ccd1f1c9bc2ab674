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
    static let name = try! ArtifactName(parsing: "registry.example.com/acme/app@sha256:" + String(repeating: "ab", count: 32))
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
