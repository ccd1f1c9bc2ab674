import AsyncHTTPClient
import Foundation
import NIOCore
import SignetCore
import SignetServer
import Testing

/// The artifact workflow end to end over loopback, as a pipeline, a deploy gate and a security
/// team run it: `signet server --dev` and the `signet` CLI, tokens shaped like GitHub Actions'
/// from the development identity provider.
@Suite("Artifacts by name, end to end")
struct ArtifactStoryTests {
    /// A GitHub-Actions-shaped development token for a build of `repository` at `ref`.
    static func token(_ harness: CLIHarness, data: String, server: String, repository: String = "acme/app", ref: String, sha: String) throws -> String {
        let workflow = "\(repository)/.github/workflows/release.yml@\(ref)"
        let claims = [
            "repository=\(repository)", "repository_owner=acme", "ref=\(ref)", "sha=\(sha)", "event_name=push", "workflow=release",
            "job_workflow_ref=\(workflow)", "workflow_ref=\(workflow)", "runner_environment=github-hosted", "run_id=42",
        ]
        let result = try harness.run(
            ["auth", "dev-token", "--data", data, "--server", server, "--subject", "repo:\(repository):ref:\(ref)"] + claims.flatMap { ["--claim", $0] },
            environment: ["SIGNET_KEY_PASSPHRASE": ServerProcess.passphrase])
        #expect(result.exitCode == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func name(_ path: String, _ content: String) -> String {
        "registry.example.com/\(path)@sha256:\(Hex.encode(sha256(Array(content.utf8))))"
    }

    @Test("sign from two refs, refuse a tag, verify with and against provenance, revoke one ref, trace both ways, keep API keys in their namespace")
    func story() async throws {
        // Two namespaces besides the development one, for API keys; no rule grants them to
        // a token, so only their keys act in them.
        let namespaces = #"{"namespaces":[{"name":"team-a","signers":[]},{"name":"team-b","signers":[]}]}"#
        try await DevInstance.with(configuration: namespaces) { dev in
            let (harness, data, server, url, issuer, trust, common) = (dev.harness, dev.data, dev.server, dev.url, dev.issuer, dev.trustPath, dev.common)
            let v100 = try dev.token(ref: "refs/tags/v1.0.0", sha: "1111111111111111111111111111111111111111")
            let v101 = try dev.token(ref: "refs/tags/v1.0.1", sha: "2222222222222222222222222222222222222222")
            let app = Self.name("team/app", "app 1.0.0")
            let worker = Self.name("team/worker", "worker 1.0.0")
            let app101 = Self.name("team/app", "app 1.0.1")

            func sign(_ name: String, ref: String, token: String, extra: [String] = []) throws -> CLIHarness.Result {
                try harness.run(
                    ["artifact", "sign", "--name", name, "--source-repository-ref", ref, "--certificate-oidc-issuer", issuer, "--identity-token", token]
                        + common + extra)
            }
            for (name, ref, token) in [(app, "refs/tags/v1.0.0", v100), (worker, "refs/tags/v1.0.0", v100), (app101, "refs/tags/v1.0.1", v101)] {
                let signed = try sign(name, ref: ref, token: token, extra: ["--source-repository", "https://github.com/acme/app"])
                #expect(signed.exitCode == 0, "\(signed.stderr)")
                #expect(signed.stdout.contains("signed \(name)") && signed.stdout.contains("log index") && signed.stdout.contains("/ui/artifact?name="))
            }

            // A tag is refused before anything is signed, saying what to pass instead.
            let tagged = try sign("registry.example.com/team/app:1.0.0", ref: "refs/tags/v1.0.0", token: v100)
            #expect(tagged.exitCode == 3 && tagged.stderr.contains("a tag can be moved") && tagged.stderr.contains("@sha256:"), "\(tagged.stderr)")
            // A flag that contradicts the token's claim is refused by the CA.
            let contradicted = try sign(Self.name("team/app", "other"), ref: "refs/tags/v9.9.9", token: v100)
            #expect(
                contradicted.exitCode == 4 && contradicted.stderr.contains("provenance-conflict") && contradicted.stderr.contains("refs/tags/v1.0.0"),
                "\(contradicted.stderr)")

            // The publisher: the repository the token attests.
            let publisher = ["--source-repository", "https://github.com/acme/app"]
            func verify(_ name: String, _ extra: [String] = []) throws -> CLIHarness.Result {
                try harness.run(["artifact", "verify", "--name", name, "--certificate-oidc-issuer", issuer] + publisher + common + extra)
            }
            for name in [app, worker, app101] {
                let verified = try verify(name, ["--source-repository-ref", name == app101 ? "refs/tags/v1.0.1" : "refs/tags/v1.0.0"])
                #expect(verified.exitCode == 0 && verified.stdout.contains("verified \(name)"), "\(verified.stderr)")
            }
            let mismatch = try verify(app, ["--source-repository-digest", "3333333333333333333333333333333333333333"])
            #expect(
                mismatch.exitCode == 2 && mismatch.stderr.contains("provenance-mismatch") && mismatch.stderr.contains("sourceRepositoryDigest"),
                "\(mismatch.stderr)")
            // An issuer alone admits anyone it serves: refused unless any signer is asked for.
            let unconstrained = try harness.run(["artifact", "verify", "--name", app, "--certificate-oidc-issuer", issuer] + common)
            #expect(unconstrained.exitCode == 3 && unconstrained.stderr.contains("signer-unconstrained"), "\(unconstrained.stderr)")
            let refOnly = try harness.run(
                ["artifact", "verify", "--name", app, "--certificate-oidc-issuer", issuer, "--source-repository-ref", "refs/tags/v1.0.0"] + common)
            #expect(refOnly.exitCode == 3 && refOnly.stderr.contains("signer-unconstrained"), "\(refOnly.stderr)")
            let anySigner = try harness.run(["artifact", "verify", "--name", app, "--certificate-oidc-issuer", issuer, "--any-signer"] + common)
            #expect(anySigner.exitCode == 0, "\(anySigner.stderr)")
            let unsigned = try verify(Self.name("team/app", "never signed"))
            #expect(unsigned.exitCode == 5 && unsigned.stderr.contains("no signature for"), "\(unsigned.stderr)")

            // Revoke v1.0.0 for both names built from it.
            for name in [app, worker] {
                let revoked = try harness.run(
                    [
                        "artifact", "revoke-signature", "--name", name, "--source-repository-ref", "refs/tags/v1.0.0", "--reason", "compromised runner",
                        "--identity-token", v100,
                    ] + common)
                #expect(revoked.exitCode == 0 && revoked.stdout.contains("revoked 1 signature of \(name)"), "\(revoked.stderr)")
            }
            for name in [app, worker] {
                let failed = try verify(name)
                #expect(
                    failed.exitCode == 1 && failed.stderr.contains("revoked") && failed.stderr.contains("compromised runner")
                        && failed.stderr.contains("https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0"), "\(failed.stderr)")
            }
            #expect(try verify(app101).exitCode == 0)

            // The deploy gate's API: the server verifies by name with its own trust, and audits it.
            func verifyOnServer(_ name: String, _ provenance: [(String, JSONValue)] = []) async throws -> JSONObject {
                var request = HTTPClientRequest(url: "\(url)/api/signet/v1/verify")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "Authorization", value: "Bearer \(dev.reader)")
                request.body = .bytes(
                    ByteBuffer(
                        bytes: JSONValue.object(
                            JSONObject([
                                ("name", .string(name)), ("issuer", .string(issuer)),
                                ("provenance", .object(JSONObject([("sourceRepositoryURI", .string("https://github.com/acme/app"))] + provenance))),
                            ])
                        ).compactBytes()))
                let response = try await server.client.execute(request, timeout: .seconds(30))
                let bytes = Array(buffer: try await response.body.collect(upTo: 1 << 20))
                #expect(response.status == .ok, "\(String(decoding: bytes, as: UTF8.self))")
                guard case .object(let object) = try JSONParser().parse(bytes, context: "verify") else { return JSONObject() }
                return object
            }
            let passed = try await verifyOnServer(app101, [("sourceRepositoryRef", .string("refs/tags/v1.0.1"))])
            #expect(passed["verified"] == .bool(true) && passed["code"] == .string("verified"))
            let revokedOnServer = try await verifyOnServer(app)
            #expect(revokedOnServer["verified"] == .bool(false) && revokedOnServer["code"] == .string("revoked"))
            guard case .string(let reason)? = revokedOnServer["message"] else {
                Issue.record("no message")
                return
            }
            #expect(reason.contains("compromised runner"), "\(reason)")
            let mismatched = try await verifyOnServer(app101, [("sourceRepositoryDigest", .string("3333333333333333333333333333333333333333"))])
            #expect(mismatched["verified"] == .bool(false) && mismatched["code"] == .string("provenance-mismatch"))
            // The server refuses an unconstrained question as the CLI does, and audits nothing.
            var unconstrainedRequest = HTTPClientRequest(url: "\(url)/api/signet/v1/verify")
            unconstrainedRequest.method = .POST
            unconstrainedRequest.headers.add(name: "Content-Type", value: "application/json")
            unconstrainedRequest.headers.add(name: "Authorization", value: "Bearer \(dev.reader)")
            unconstrainedRequest.body = .bytes(
                ByteBuffer(bytes: JSONValue.object(JSONObject([("name", .string(app101)), ("issuer", .string(issuer))])).compactBytes()))
            let unconstrainedAnswer = try await server.client.execute(unconstrainedRequest, timeout: .seconds(30))
            let unconstrainedBody = String(buffer: try await unconstrainedAnswer.body.collect(upTo: 1 << 20))
            #expect(unconstrainedAnswer.status == .badRequest && unconstrainedBody.contains("signer-unconstrained"), "\(unconstrainedBody)")
            let nothing = try await verifyOnServer(Self.name("team/app", "never signed"))
            #expect(nothing["verified"] == .bool(false) && nothing["code"] == .string("no-signature"))
            let audit = try JSONParser().parse(
                try await DurabilityTests.get(server.client, "\(url)/api/signet/v1/audit?limit=1000", credential: dev.reader), context: "audit")
            guard case .object(let auditObject) = audit, case .array(let events)? = auditObject["events"] else {
                Issue.record("no audit events")
                return
            }
            let verifications = events.filter { if case .object(let event) = $0 { event["action"] == .string("artifact.verify") } else { false } }
            // The question about a name no namespace owns is the instance's, not the namespace
            // default's: the development identity audits default only (team-a and team-b are
            // declared too), so it sees the three about its own names.
            #expect(verifications.count == 3)

            // Code to cloud and cloud to code.
            let byRef = try harness.run(["trace", "--source-repository-ref", "refs/tags/v1.0.0", "--json"] + common)
            let byRefNames = try Self.names(byRef.stdout)
            #expect(byRef.exitCode == 0 && byRefNames.sorted() == [app, worker].sorted(), "\(byRef.stdout) \(byRef.stderr)")
            let byName = try harness.run(["trace", "--name", app101] + common)
            #expect(
                byName.exitCode == 0 && byName.stdout.contains("commit 2222222222222222222222222222222222222222")
                    && byName.stdout.contains("ref refs/tags/v1.0.1")
                    && byName.stdout.contains("repository https://github.com/acme/app") && byName.stdout.contains("runner github-hosted")
                    && byName.stdout.contains("log index"), "\(byName.stdout)")

            // Offline: a bundle and a signed revocation snapshot.
            let snapshot = harness.directory.appendingPathComponent("revocations.json").path
            #expect(try harness.run(["revocations", "export", "--output", snapshot, "--identity-token", v100] + common).exitCode == 0)
            let bundle = harness.directory.appendingPathComponent("app101.sigstore.json").path
            #expect(try sign(app101, ref: "refs/tags/v1.0.1", token: v101, extra: ["--bundle", bundle]).exitCode == 0)
            let offline = try harness.run(
                [
                    "artifact", "verify", "--offline", "--name", app101, "--certificate-oidc-issuer", issuer, "--bundle", bundle, "--revocations", snapshot,
                    "--trust-config", trust,
                ] + publisher)
            #expect(offline.exitCode == 0, "\(offline.stderr)")

            // API keys stay in their namespace, and only a namespace the configuration defines
            // gets one.
            let config = harness.directory.appendingPathComponent("config.json").path
            func createKey(_ namespace: String, _ scopes: [String], _ extra: [String] = []) throws -> String {
                let created = try harness.run(
                    ["admin", "api-key", "create", "--data", data.path, "--config", config, "--namespace", namespace] + scopes.flatMap { ["--scope", $0] }
                        + extra)
                #expect(created.exitCode == 0, "\(created.stderr)")
                return created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            for undefined in [["--config", config, "--namespace", "team-c"], ["--namespace", "team-a"]] {
                let refused = try harness.run(["admin", "api-key", "create", "--data", data.path, "--scope", "sign"] + undefined)
                #expect(
                    refused.exitCode == 3 && refused.stderr.contains("expected a namespace the server's configuration defines")
                        && refused.stdout.isEmpty, "\(refused.stderr)")
            }
            let devKey = try harness.run(["admin", "api-key", "create", "--data", data.path, "--dev", "--namespace", "default", "--scope", "read"])
            #expect(devKey.exitCode == 0 && devKey.stdout.hasPrefix("signet_"), "\(devKey.stderr)")
            let keyA = try createKey("team-a", ["sign", "revoke"])
            let keyB = try createKey("team-b", ["sign", "revoke", "read"])
            func keySign(_ name: String, _ key: String) throws -> CLIHarness.Result {
                try harness.run(
                    ["artifact", "sign", "--name", name, "--source-repository-ref", "refs/heads/main", "--certificate-oidc-issuer", url, "--api-key", key]
                        + common)
            }
            let inB = Self.name("team-b/svc", "b 1")
            let signedB = try keySign(inB, keyB)
            #expect(signedB.exitCode == 0 && signedB.stdout.contains("namespace team-b"), "\(signedB.stderr)")
            let crossSign = try keySign(inB, keyA)
            #expect(crossSign.exitCode == 4 && crossSign.stderr.contains("namespace-conflict"), "\(crossSign.stderr)")
            let crossRevoke = try harness.run(
                ["artifact", "revoke-signature", "--name", inB, "--source-repository-ref", "refs/heads/main", "--api-key", keyA] + common)
            #expect(crossRevoke.exitCode == 4 && crossRevoke.stderr.contains("namespace-denied"), "\(crossRevoke.stderr)")
            #expect(try verify(inB, ["--api-key", keyB]).exitCode == 2, "a key's certificate names the server as issuer")
            #expect(
                try harness.run(["artifact", "verify", "--name", inB, "--certificate-oidc-issuer", url, "--any-signer", "--api-key", keyB] + common).exitCode
                    == 0)
            // The development identity reads its own namespace, not team-b's; team-a's key reads nothing.
            let foreign = try harness.run(["artifact", "verify", "--name", inB, "--certificate-oidc-issuer", url, "--any-signer"] + common)
            #expect(foreign.exitCode == 4 && foreign.stderr.contains("namespace-denied"), "\(foreign.stderr)")
            let unreadable = try harness.run(["artifact", "show", inB, "--api-key", keyA] + common)
            #expect(unreadable.exitCode == 4 && unreadable.stderr.contains("namespace-denied"), "\(unreadable.stderr)")

            // A revoked key and an expired key are refused.
            let revokedKey = try createKey("team-a", ["sign"])
            let keyID = String(revokedKey.dropFirst(APIKeyCredential.prefix.count).prefix(16))
            #expect(try harness.run(["admin", "api-key", "revoke", "--data", data.path, keyID]).exitCode == 0)
            let afterRevoke = try keySign(Self.name("team-a/svc", "a 1"), revokedKey)
            #expect(afterRevoke.exitCode == 4 && afterRevoke.stderr.contains("api-key-revoked"), "\(afterRevoke.stderr)")
            let expiring = try createKey("team-a", ["sign"], ["--expires", "1s"])
            // A sleep about time itself: the key must outlive its 1 s lifetime (polling by
            // signing would register signatures while it is still valid).
            try await Task.sleep(for: .seconds(2))
            let afterExpiry = try keySign(Self.name("team-a/svc", "a 2"), expiring)
            #expect(afterExpiry.exitCode == 4 && afterExpiry.stderr.contains("api-key-expired"), "\(afterExpiry.stderr)")
            let signedA = try keySign(Self.name("team-a/svc", "a 3"), keyA)
            #expect(signedA.exitCode == 0 && signedA.stdout.contains("namespace team-a"), "\(signedA.stderr)")
        }
    }

    /// The names in a trace's JSON.
    static func names(_ json: String) throws -> [String] {
        guard case .object(let object) = try JSONParser().parse(Array(json.utf8), context: "trace"), case .array(let signatures)? = object["signatures"] else {
            return []
        }
        return signatures.compactMap { value -> String? in
            guard case .object(let signature) = value, case .string(let name)? = signature["name"] else { return nil }
            return name
        }
    }
}
