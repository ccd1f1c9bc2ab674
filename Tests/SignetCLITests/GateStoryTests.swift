import AsyncHTTPClient
import Foundation
import NIOCore
import SignetCore
import SignetServer
import Testing

/// The deploy gate end to end over loopback: two pipelines sign and attest with GitHub-shaped
/// development tokens, a policy for production requires SLSA provenance and a CycloneDX SBOM
/// from the right workflow on a tag, and the gate decides by `POST /api/signet/v1/admit`,
/// `signet gate check` and `signet policy test` alike: each failure refused with its own code,
/// the fixed evidence admitted, a revocation or a policy change effective at the next request.
@Suite("The deploy gate, end to end")
struct GateStoryTests {
    static func policy(issuer: String, mode: String = "enforce", exceptions: String = "", names: String = "registry.example.com/team/*") -> String {
        """
        {
          "apiVersion": "signet/v1",
          "kind": "Policy",
          "name": "production",
          "mode": "\(mode)",
          "scope": {"names": ["\(names)"], "environment": "production"},
          "publishers": [
            {"issuer": "\(issuer)", "repository": "https://github.com/acme/app", "workflow": ".github/workflows/release.yml", "refs": ["refs/tags/*"]}
          ],
          "require": [
            {"type": "slsa-provenance"},
            {"type": "cyclonedx", "conditions": ["none(predicate.components, it.name matches 'log4j-core*')"]}
          ]\(exceptions)
        }
        """
    }

    @Test("admitted with the evidence; each missing or wrong piece refused with its code on the API, gate check and policy test")
    func story() async throws {
        try await DevInstance.with { dev in
            let (harness, server, url, issuer, common) = (dev.harness, dev.server, dev.url, dev.issuer, dev.common)
            let v1 = try dev.token(ref: "refs/tags/v1.0.0", sha: "1111111111111111111111111111111111111111")
            let main = try dev.token(ref: "refs/heads/main", sha: "2222222222222222222222222222222222222222")
            let mallory = try dev.token(repository: "mallory/app", ref: "refs/tags/v1.0.0", sha: "3333333333333333333333333333333333333333")

            func file(_ name: String, _ text: String) throws -> String {
                let path = harness.directory.appendingPathComponent(name).path
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                return path
            }
            let cleanSBOM = try file("clean.json", #"{"bomFormat": "CycloneDX", "components": [{"name": "swift-nio"}]}"#)
            let log4jSBOM = try file("log4j.json", #"{"bomFormat": "CycloneDX", "components": [{"name": "log4j-core-2.14.1"}]}"#)
            let spdx = try file("spdx.json", #"{"spdxVersion": "SPDX-2.3"}"#)
            let lying = try file(
                "lying.json",
                #"{"buildDefinition": {"buildType": "x", "externalParameters": {"workflow": {"ref": "refs/tags/v9.9.9", "repository": "https://github.com/acme/app", "path": ".github/workflows/release.yml"}}}, "runDetails": {"builder": {"id": "x"}}}"#
            )
            func run(_ arguments: [String]) throws -> CLIHarness.Result { try harness.run(arguments + common) }
            func sign(_ name: String, _ token: String, ref: String = "refs/tags/v1.0.0") throws {
                let result = try run([
                    "artifact", "sign", "--name", name, "--source-repository-ref", ref, "--certificate-oidc-issuer", issuer, "--identity-token", token,
                ])
                #expect(result.exitCode == 0, "\(result.stderr)")
            }
            func attest(_ name: String, _ token: String, _ arguments: [String]) throws {
                let result = try run(["artifact", "attest", "--name", name, "--certificate-oidc-issuer", issuer, "--identity-token", token] + arguments)
                #expect(result.exitCode == 0, "\(result.stderr)")
            }
            func complete(_ name: String, token: String = v1, ref: String = "refs/tags/v1.0.0") throws {
                try sign(name, token, ref: ref)
                try attest(name, token, ["--provenance", "auto"])
                try attest(name, token, ["--type", "cyclonedx", "--predicate", cleanSBOM])
            }
            let app = ArtifactStoryTests.name("team/app", "app")
            let sidecar = ArtifactStoryTests.name("team/sidecar", "sidecar")
            try complete(app)
            try complete(sidecar)

            let policyPath = try file("production.json", Self.policy(issuer: issuer))
            let applied = try run(["policy", "apply", policyPath, "--identity-token", v1])
            #expect(applied.exitCode == 0 && applied.stdout.contains("policy production version 1 sha256:"), "\(applied.stderr)")
            #expect(try run(["policy", "list"]).stdout.contains("production  v1  production"))

            // The three paths must agree on every case.
            func decide(_ subject: String, environment: String = "production") async throws -> (
                api: JSONObject, check: CLIHarness.Result, test: CLIHarness.Result
            ) {
                var request = HTTPClientRequest(url: "\(url)/api/signet/v1/admit")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(
                    ByteBuffer(bytes: JSONValue.object(JSONObject([("image", .string(subject)), ("environment", .string(environment))])).compactBytes()))
                let response = try await server.client.execute(request, timeout: .seconds(30))
                let bytes = Array(buffer: try await response.body.collect(upTo: 1 << 20))
                #expect(response.status == .ok, "\(String(decoding: bytes, as: UTF8.self))")
                guard case .object(let object) = try JSONParser().parse(bytes, context: "admit") else { throw RawError(message: "not an object") }
                let check = try run(["gate", "check", "--name", subject, "--environment", environment])
                let test =
                    subject.contains("@sha256:")
                    ? try run(["policy", "test", currentPolicy, "--name", subject, "--environment", environment]) : check
                return (object, check, test)
            }
            var currentPolicy = policyPath
            func expectAdmitted(_ subject: String, _ code: String = "admitted", _ label: String) async throws {
                let (api, check, test) = try await decide(subject)
                #expect(api["allowed"] == .bool(true) && api["code"] == .string(code), "\(label): \(api)")
                #expect(check.exitCode == 0 && check.stdout.contains(code), "\(label): gate check: \(check.stdout) \(check.stderr)")
                #expect(test.exitCode == 0 && test.stdout.contains(code), "\(label): policy test: \(test.stdout) \(test.stderr)")
            }
            func expectRefused(_ subject: String, _ code: String, _ label: String, environment: String = "production") async throws {
                let (api, check, test) = try await decide(subject, environment: environment)
                #expect(api["allowed"] == .bool(false) && api["code"] == .string(code), "\(label): \(api)")
                #expect(check.exitCode == 1 && check.stderr.contains(code), "\(label): gate check: \(check.stdout) \(check.stderr)")
                #expect(test.exitCode == 1 && test.stderr.contains(code), "\(label): policy test: \(test.stdout) \(test.stderr)")
            }

            try await expectAdmitted(app, "admitted", "complete evidence")
            try await expectAdmitted(sidecar, "admitted", "the second pipeline")

            // The negative matrix, each with the evidence fixed afterwards where it can be.
            let unattested = ArtifactStoryTests.name("team/unattested", "u")
            try sign(unattested, v1)
            try await expectRefused(unattested, "attestation-missing", "attestation absent")
            let wrongType = ArtifactStoryTests.name("team/wrong-type", "w")
            try sign(wrongType, v1)
            try attest(wrongType, v1, ["--type", "spdx", "--predicate", spdx])
            try await expectRefused(wrongType, "attestation-wrong-type", "wrong type")
            let fromBranch = ArtifactStoryTests.name("team/branch", "b")
            try complete(fromBranch, token: main, ref: "refs/heads/main")
            try await expectRefused(fromBranch, "untrusted-publisher", "a branch, not a tag")
            let wrongSigner = ArtifactStoryTests.name("team/wrong-signer", "s")
            try sign(wrongSigner, v1)
            try attest(wrongSigner, mallory, ["--provenance", "auto"])
            try attest(wrongSigner, v1, ["--type", "cyclonedx", "--predicate", cleanSBOM])
            try await expectRefused(wrongSigner, "attestation-untrusted-signer", "type right, signer wrong")
            try attest(wrongSigner, v1, ["--provenance", "auto"])
            try await expectAdmitted(wrongSigner, "admitted", "wrong signer, then the right one")
            let contradicted = ArtifactStoryTests.name("team/contradicted", "c")
            try sign(contradicted, v1)
            try attest(contradicted, v1, ["--type", "slsa-provenance", "--predicate", lying])
            try attest(contradicted, v1, ["--type", "cyclonedx", "--predicate", cleanSBOM])
            try await expectRefused(contradicted, "attestation-contradicts-certificate", "predicate contradicting the certificate")
            let vulnerable = ArtifactStoryTests.name("team/vulnerable", "v")
            try sign(vulnerable, v1)
            try attest(vulnerable, v1, ["--provenance", "auto"])
            try attest(vulnerable, v1, ["--type", "cyclonedx", "--predicate", log4jSBOM])
            try await expectRefused(vulnerable, "attestation-condition-failed", "predicate failing a condition")
            try await expectRefused("registry.example.com/team/app:1.0.0", "not-pinned", "an image by tag")
            try await expectRefused(app, "unknown-environment", "an unknown environment", environment: "staging")
            try await expectRefused(ArtifactStoryTests.name("elsewhere/app", "e"), "no-policy", "a name no policy matches")

            // Revocation: refused at the next request.
            let revoked = try run([
                "artifact", "revoke-signature", "--name", sidecar, "--source-repository-ref", "refs/tags/v1.0.0", "--reason", "bad runner", "--identity-token",
                v1,
            ])
            #expect(revoked.exitCode == 0, "\(revoked.stderr)")
            try await expectRefused(sidecar, "revoked", "revoked signature")

            // A policy change applies at the next request; warn mode admits with a warning.
            currentPolicy = try file("warn.json", Self.policy(issuer: issuer, mode: "warn"))
            #expect(try run(["policy", "apply", currentPolicy, "--identity-token", v1]).stdout.contains("version 2"))
            try await expectAdmitted(unattested, "admitted-with-warnings", "warn mode")
            // An exception admits until it expires; an expired one refuses with its own code.
            let soon = Timestamp(seconds: Timestamp(.now).seconds + 600)
            let exception = { (time: Timestamp) in
                ", \"exceptions\": [{\"names\": [\"registry.example.com/team/unattested\"], \"owner\": \"alice@acme\", \"reason\": \"SBOM tool down\", \"expiresAt\": \"\(time.rfc3339)\"}]"
            }
            currentPolicy = try file("excepted.json", Self.policy(issuer: issuer, exceptions: exception(soon)))
            #expect(try run(["policy", "apply", currentPolicy, "--identity-token", v1]).exitCode == 0)
            try await expectAdmitted(unattested, "admitted-by-exception", "a live exception")
            currentPolicy = try file("expired.json", Self.policy(issuer: issuer, exceptions: exception(Timestamp(seconds: 1_700_000_000))))
            #expect(try run(["policy", "apply", currentPolicy, "--identity-token", v1]).exitCode == 0)
            try await expectRefused(unattested, "exception-expired", "an expired exception")

            // Bad input: a malformed policy names its line and changes nothing.
            let broken = try file("broken.json", Self.policy(issuer: issuer).replacingOccurrences(of: "\"mode\": \"enforce\"", with: "\"mode\": \"strict\""))
            let refused = try run(["policy", "apply", broken, "--identity-token", v1])
            #expect(refused.exitCode == 3 && refused.stderr.contains("line 5") && refused.stderr.contains("enforce, warn or audit"), "\(refused.stderr)")
            #expect(try run(["policy", "list"]).stdout.contains("production  v4"))
        }
    }
}
