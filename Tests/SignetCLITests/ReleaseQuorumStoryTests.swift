import AsyncHTTPClient
import Foundation
import NIOCore
import SignetCore
import Testing

/// A release that needs a quorum: the policy, the request, approvals from distinct people in
/// their roles, the gate admitting only once the quorum is met, and break glass.
@Suite("Release quorums: request, approvals, the gate, break glass")
struct ReleaseQuorumStoryTests {
    /// The web UI's page for `name`, as the development identity signed in to it sees it.
    static func artifactPage(_ base: String, name: String) async throws -> String {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let result: Result<String, any Error>
        do {
            let browser = WebSignInTests.Browser(client: client, base: base)
            let path = "/ui/artifact?name=\(WebSignInTests.Browser.encode(name))"
            let (cookie, parameters) = try await WebSignInTests.begin(browser, next: path)
            let callback = try await WebSignInTests.submit(browser, parameters, subject: "developer@signet.localhost")
            let signedIn = try await browser.send(callback, cookies: ["signet_signin": cookie])
            let session = try #require(signedIn.cookies["signet_session"], "no session cookie")
            result = .success(try await browser.send(path, cookies: ["signet_session": session]).body)
        } catch {
            result = .failure(error)
        }
        try await client.shutdown()
        return try result.get()
    }

    static func policy(issuer: String, requestTTLSeconds: Int) -> String {
        func member(_ who: String) -> String { #"{"issuer": "\#(issuer)", "identity": "\#(who)"}"# }
        return """
            {"apiVersion": "signet/v1", "kind": "Policy", "name": "prod", "scope": {"names": ["localhost/files/*"], "environment": "production"},
             "publishers": [{"issuer": "\(issuer)", "identity": "developer@signet.localhost"}],
             "quorum": {"total": 2, "requestTTLSeconds": \(requestTTLSeconds),
               "roles": [{"name": "engineering", "members": [\(member("alice@acme.test"))]},
                         {"name": "security", "members": [\(member("bob@acme.test"))]},
                         {"name": "release", "members": [\(member("carol@acme.test")), \(member("developer@signet.localhost"))]}],
               "breakGlass": {"min": 1, "validitySeconds": 600, "members": [\(member("carol@acme.test"))]}}}
            """
    }

    @Test(
        "2 of 3 roles: one approval is not enough, the requester may not approve, a second person meets it and the gate admits; expired and forged requests write nothing; break glass is alerted"
    )
    func story() async throws {
        try await DevInstance.with { instance in
            let harness = instance.harness
            func token(_ subject: String) throws -> String {
                let minted = try harness.run(
                    ["auth", "dev-token", "--data", instance.data.path, "--server", instance.url, "--subject", subject],
                    environment: ["SIGNET_KEY_PASSPHRASE": ServerProcess.passphrase])
                try #require(minted.exitCode == 0, "\(minted.stderr)")
                return minted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let (alice, bob, carol) = (try token("alice@acme.test"), try token("bob@acme.test"), try token("carol@acme.test"))
            func signed(_ file: String) throws -> String {
                let path = try harness.write(file, Array("release \(file)".utf8))
                let result = try harness.run(
                    ["artifact", "sign", "--file", path, "--certificate-oidc-issuer", instance.issuer, "--source-repository-ref", "refs/heads/main"]
                        + instance.common)
                try #require(result.exitCode == 0, "\(result.stderr)")
                return "localhost/files/\(file)@sha256:\(Hex.encode(sha256(Array("release \(file)".utf8))))"
            }
            func apply(_ ttl: Int) throws {
                let path = try harness.write("policy.json", Array(Self.policy(issuer: instance.issuer, requestTTLSeconds: ttl).utf8))
                let applied = try harness.run(["policy", "apply", path] + instance.common)
                try #require(applied.exitCode == 0, "\(applied.stderr)")
            }
            func gate(_ name: String) throws -> CLIHarness.Result {
                try harness.run(["gate", "check", "--name", name, "--environment", "production"] + instance.common)
            }
            func request(_ name: String, breakGlass: Bool = false) throws -> String {
                let opened = try harness.run(
                    ["release", "request", "--name", name, "--environment", "production"] + (breakGlass ? ["--break-glass", "--reason", "outage"] : [])
                        + instance.common)
                try #require(opened.exitCode == 0, "\(opened.stderr)")
                let line = try #require(opened.stdout.split(separator: "\n").first { $0.hasPrefix("request ") })
                return String(line.dropFirst("request ".count))
            }
            func approve(_ reference: String, as credential: String, role: String) throws -> CLIHarness.Result {
                try harness.run(["release", "approve", reference, "--role", role, "--identity-token", credential] + instance.common)
            }

            let app = try signed("app.bin")
            try apply(86_400)
            let before = try gate(app)
            #expect(before.exitCode == 1 && (before.stdout + before.stderr).contains("quorum-not-met"), "\(before.stdout) \(before.stderr)")
            let reference = try request(app)

            let first = try approve(reference, as: alice, role: "engineering")
            #expect(
                first.exitCode == 0 && first.stdout.contains("verified locally: sha256:") && first.stdout.contains("missing total: 1 more"),
                "\(first.stdout) \(first.stderr)")
            #expect(try gate(app).exitCode == 1, "one approval is not a quorum")
            let page = try await Self.artifactPage(instance.url, name: app)
            #expect(page.contains("Release requests") && page.contains("alice@acme.test") && page.contains("total: 1 more"), "\(page)")
            let own = try approve(reference, as: instance.reader, role: "release")
            #expect(own.exitCode == 4 && own.stderr.contains("may not approve their own request"), "\(own.stderr)")
            let again = try approve(reference, as: alice, role: "engineering")
            #expect(again.exitCode == 4 && again.stderr.contains("already counted"), "\(again.exitCode) \(again.stdout) \(again.stderr)")
            let second = try approve(reference, as: bob, role: "security")
            #expect(second.exitCode == 0 && second.stdout.contains("status approved; quorum met, attested at log index"), "\(second.stdout) \(second.stderr)")
            let after = try gate(app)
            #expect(after.exitCode == 0 && after.stdout.contains("admitted"), "\(after.stdout)")

            // The quorum attestation lists the two approvals counted.
            let client = instance.server.client
            let quorums = try await DurabilityTests.getJSON(
                client,
                "\(instance.url)/api/signet/v1/attestations?name=\(app.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&type=https://signet.dev/quorum/v1",
                credential: instance.reader)
            guard case .object(let quorumAnswer) = quorums, case .array(let attestations)? = quorumAnswer["attestations"] else {
                Issue.record("no attestations answer: \(quorums)")
                return
            }
            #expect(attestations.count == 1)

            // A forged request id: refused, nothing registered.
            let count = { () async throws -> Int in
                let all = try await DurabilityTests.getJSON(
                    client, "\(instance.url)/api/signet/v1/attestations?name=\(app.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                    credential: instance.reader)
                guard case .object(let object) = all, case .array(let list)? = object["attestations"] else { return -1 }
                return list.count
            }
            let registered = try await count()
            let forged = String(reference.dropLast(4)) + "0000"
            var post = HTTPClientRequest(url: "\(instance.url)/api/signet/v1/releases/approvals")
            post.method = .POST
            post.headers.add(name: "Authorization", value: "Bearer \(bob)")
            post.headers.add(name: "Content-Type", value: "application/json")
            let anyBundle = try #require(attestations.first.flatMap { if case .object(let item) = $0 { item["bundle"] } else { nil } })
            post.body = .bytes(ByteBuffer(bytes: JSONValue.object(JSONObject([("request", .string(forged)), ("bundle", anyBundle)])).compactBytes()))
            let refused = try await client.execute(post, timeout: .seconds(30))
            let refusedBody = String(buffer: try await refused.body.collect(upTo: 1 << 20))
            #expect(refused.status == .notFound && refusedBody.contains("unknown-request"), "\(refusedBody)")
            #expect(try await count() == registered, "a refused approval writes nothing")

            // A request whose time ran out cannot be completed.
            try apply(2)
            let late = try signed("late.bin")
            let expiring = try request(late)
            try await Task.sleep(for: .seconds(3))
            let tooLate = try approve(expiring, as: alice, role: "engineering")
            #expect(tooLate.exitCode == 4 && tooLate.stderr.contains("request-expired"), "\(tooLate.stderr)")

            // Break glass: its own approvers, admitted at once, audited and alerted.
            let urgent = try signed("urgent.bin")
            let glass = try request(urgent, breakGlass: true)
            let broken = try approve(glass, as: carol, role: "break-glass")
            #expect(broken.exitCode == 0 && broken.stdout.contains("quorum met"), "\(broken.stdout) \(broken.stderr)")
            let admitted = try gate(urgent)
            #expect(admitted.exitCode == 0, "\(admitted.stdout)")
            let audit = try await DurabilityTests.getJSON(client, "\(instance.url)/api/signet/v1/audit?limit=1000", credential: instance.reader)
            let actions: [String] = {
                guard case .object(let object) = audit, case .array(let events)? = object["events"] else { return [] }
                return events.compactMap { if case .object(let event) = $0, case .string(let action)? = event["action"] { action } else { nil } }
            }()
            for action in ["release.request", "release.approve", "release.quorum-met", "release.break-glass", "alert.raised"] {
                #expect(actions.contains(action), "audit has \(action)")
            }
            let metrics = String(decoding: try await DurabilityTests.get(client, "\(instance.url)/metrics"), as: UTF8.self)
            #expect(metrics.contains("signet_alerts_total{kind=\"break-glass\"} 1"))
        }
    }
}
