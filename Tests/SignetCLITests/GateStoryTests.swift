import AsyncHTTPClient
import Foundation
import NIOCore
import SignetCore
import SignetPolicy
import SignetSQLite
import SignetServer
import SignetStore
import Testing

/// The deploy gate end to end over loopback: two pipelines sign and attest with GitHub-shaped
/// development tokens, a policy for production requires SLSA provenance and a CycloneDX SBOM
/// from the right workflow on a tag, and the gate decides by `POST /api/signet/v1/admit`,
/// `signet gate check`, `signet policy test`, `POST /api/signet/v1/verify:batch` and `signet
/// verify --manifest` alike: each failure refused with its own code, the fixed evidence
/// admitted, a revocation or a policy change effective at the next request.
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

    /// ``policy(issuer:mode:exceptions:names:)`` without exceptions, in YAML.
    static func yamlPolicy(issuer: String, mode: String) -> String {
        """
        apiVersion: signet/v1
        kind: Policy
        name: production
        mode: \(mode)  # what failing means
        scope:
          names: [registry.example.com/team/*]
          environment: production
        publishers:
        - issuer: \(issuer)
          repository: https://github.com/acme/app
          workflow: .github/workflows/release.yml
          refs: [refs/tags/*]
        require:
        - type: slsa-provenance
        - type: cyclonedx
          conditions:
          - "none(predicate.components, it.name matches 'log4j-core*')"
        """
    }

    /// Registers the attestation bundle at `path` under `name` by writing to the instance's
    /// store directly, as only a write around the server could: what the gate must refuse.
    static func forge(bundleAt path: String, under name: String, data: URL) async throws {
        var bundle = try SigstoreBundle(jsonBytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        guard case .dsseEnvelope(var envelope) = bundle.content else { throw RawError(message: "\(path) holds no attestation") }
        let payload = envelope.payload
        let statement = try InTotoStatement(payload: payload, parser: JSONParser())
        envelope.payload = []
        bundle.content = .dsseEnvelope(envelope)
        let store = try SQLiteStore(path: data.appendingPathComponent("signet.sqlite").path)
        let artifact = try ArtifactName(parsing: name)
        let record = SignatureRecord(
            id: Hex.encode(secureRandomBytes(32)), namespace: try await store.namespace(of: artifact) ?? "default", name: artifact, identity: "forged",
            issuer: "forged", provenance: [:], logIndex: bundle.tlogEntries.first?.logIndex ?? 0, signedAt: Timestamp(.now), certificateSerial: "00",
            bundle: bundle.json.compactBytes(),
            attestation: .init(predicateType: statement.predicateType, payloadDigest: Hex.encode(sha256(payload))))
        let event = AuditEvent(time: Timestamp(.now), actor: "forged", action: "signature.register", subject: record.id, origin: "test", detail: "forged")
        _ = try await store.register(record, attestationPayload: payload, event: event)
    }

    @Test("admitted with the evidence; each missing or wrong piece refused with its code on the API, gate check, policy test and batch")
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
            #expect(
                applied.exitCode == 0 && applied.stdout.contains("policy production version 1 sha256:") && applied.stdout.contains("logged at index"),
                "\(applied.stderr)")
            // The policy is in the transparency log, found by its digest.
            let policyDigest = try PolicyDocument(jsonBytes: Array(try Data(contentsOf: URL(fileURLWithPath: policyPath)))).digestText
            var retrieve = HTTPClientRequest(url: "\(url)/api/v1/index/retrieve")
            retrieve.method = .POST
            retrieve.headers.add(name: "Content-Type", value: "application/json")
            retrieve.body = .bytes(ByteBuffer(bytes: JSONValue.object(JSONObject([("hash", .string(policyDigest))])).compactBytes()))
            let found = try await server.client.execute(retrieve, timeout: .seconds(30))
            let uuids = String(buffer: try await found.body.collect(upTo: 1 << 20))
            #expect(found.status == .ok && uuids.hasPrefix("[\"") && uuids.count > 10, "the policy's log entry: \(uuids)")
            #expect(try run(["policy", "list"]).stdout.contains("production  v1  production"))

            // Every path must agree on every case: the gate API, `gate check`, `policy test`,
            // batch verification (`verify:batch`, `signet verify --manifest`), the offline gate
            // (`gate export`, then `gate check --offline`), and the admission webhook (a Pod
            // running the subject).
            func post(_ path: String, _ body: JSONObject) async throws -> JSONObject {
                var request = HTTPClientRequest(url: "\(url)/api/signet/v1/\(path)")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "Authorization", value: "Bearer \(dev.reader)")
                request.body = .bytes(ByteBuffer(bytes: JSONValue.object(body).compactBytes()))
                let response = try await server.client.execute(request, timeout: .seconds(30))
                let bytes = Array(buffer: try await response.body.collect(upTo: 1 << 20))
                #expect(response.status == .ok, "\(String(decoding: bytes, as: UTF8.self))")
                guard case .object(let object) = try JSONParser().parse(bytes, context: path) else { throw RawError(message: "not an object") }
                return object
            }
            func decide(_ subject: String, environment: String = "production") async throws -> (
                api: JSONObject, check: CLIHarness.Result, test: CLIHarness.Result, batch: JSONObject, manifest: CLIHarness.Result,
                offline: CLIHarness.Result, admission: JSONObject
            ) {
                let api = try await post("admit", JSONObject([("image", .string(subject)), ("environment", .string(environment))]))
                let check = try run(["gate", "check", "--name", subject, "--environment", environment])
                let test =
                    subject.contains("@sha256:")
                    ? try run(["policy", "test", currentPolicy, "--name", subject, "--environment", environment]) : check
                let batch = try await post(
                    "verify:batch", JSONObject([("environment", .string(environment)), ("subjects", .array([.string(subject), .string(app)]))]))
                let manifestPath = try file("manifest.json", #"[{"name": "\#(subject)"}]"#)
                let manifest = try run(["verify", "--manifest", manifestPath, "--environment", environment, "--format", "json"])
                let exportPath = harness.directory.appendingPathComponent("gate.json").path
                let exported = try run(["gate", "export", "--environment", "production", "--name", subject, "--output", exportPath, "--identity-token", v1])
                #expect(exported.exitCode == 0 && exported.stdout.contains("exported 1 verdict for production"), "\(exported.stdout) \(exported.stderr)")
                let offline = try run(["gate", "check", "--offline", exportPath, "--name", subject, "--environment", environment])
                var review = HTTPClientRequest(url: "\(url)/api/signet/v1/admission?environment=\(environment)")
                review.method = .POST
                review.headers.add(name: "Content-Type", value: "application/json")
                review.headers.add(name: "Authorization", value: "Bearer \(dev.reader)")
                review.body = .bytes(ByteBuffer(bytes: Array(AdmissionReviewTests.pod([subject]).utf8)))
                let reviewed = try await server.client.execute(review, timeout: .seconds(30))
                let reviewBytes = Array(buffer: try await reviewed.body.collect(upTo: 1 << 20))
                guard case .object(let reviewObject) = try JSONParser().parse(reviewBytes, context: "review"),
                    case .object(let admission)? = reviewObject["response"]
                else { throw RawError(message: "no admission response: \(String(decoding: reviewBytes, as: UTF8.self))") }
                return (api, check, test, batch, manifest, offline, admission)
            }
            /// The first batch result, and the batch's counts.
            func batchResult(_ batch: JSONObject) -> JSONObject? {
                guard case .array(let results)? = batch["results"], results.count == 2, case .object(let first) = results[0] else { return nil }
                return first
            }
            func manifestEntry(_ result: CLIHarness.Result) throws -> JSONObject? {
                guard case .object(let report) = try JSONParser().parse(Array(result.stdout.utf8), context: "report"),
                    case .array(let entries)? = report["entries"], entries.count == 1, case .object(let entry) = entries[0]
                else { return nil }
                return entry
            }
            var currentPolicy = policyPath
            func expectAdmitted(_ subject: String, _ code: String = "admitted", _ label: String) async throws {
                let (api, check, test, batch, manifest, offline, admission) = try await decide(subject)
                #expect(api["allowed"] == .bool(true) && api["code"] == .string(code), "\(label): \(api)")
                #expect(check.exitCode == 0 && check.stdout.contains(code), "\(label): gate check: \(check.stdout) \(check.stderr)")
                #expect(test.exitCode == 0 && test.stdout.contains(code), "\(label): policy test: \(test.stdout) \(test.stderr)")
                let result = batchResult(batch)
                #expect(result?["allowed"] == .bool(true) && result?["code"] == .string(code), "\(label): verify:batch: \(batch)")
                let entry = try manifestEntry(manifest)
                #expect(
                    manifest.exitCode == 0 && entry?["passed"] == .bool(true) && entry?["code"] == .string(code),
                    "\(label): verify --manifest: \(manifest.stdout) \(manifest.stderr)")
                #expect(offline.exitCode == 0 && offline.stdout.contains(code), "\(label): gate check --offline: \(offline.stdout) \(offline.stderr)")
                #expect(admission["allowed"] == .bool(true), "\(label): admission: \(admission)")
            }
            func expectRefused(_ subject: String, _ code: String, _ label: String, environment: String = "production") async throws {
                let (api, check, test, batch, manifest, offline, admission) = try await decide(subject, environment: environment)
                #expect(api["allowed"] == .bool(false) && api["code"] == .string(code), "\(label): \(api)")
                #expect(check.exitCode == 1 && check.stderr.contains(code), "\(label): gate check: \(check.stdout) \(check.stderr)")
                #expect(test.exitCode == 1 && test.stderr.contains(code), "\(label): policy test: \(test.stdout) \(test.stderr)")
                let result = batchResult(batch)
                #expect(result?["allowed"] == .bool(false) && result?["code"] == .string(code), "\(label): verify:batch: \(batch)")
                let entry = try manifestEntry(manifest)
                #expect(
                    manifest.exitCode == 1 && entry?["passed"] == .bool(false) && entry?["code"] == .string(code),
                    "\(label): verify --manifest: \(manifest.stdout) \(manifest.stderr)")
                #expect(offline.exitCode == 1 && offline.stderr.contains(code), "\(label): gate check --offline: \(offline.stdout) \(offline.stderr)")
                let refusal: String? = {
                    guard case .object(let status)? = admission["status"], case .string(let message)? = status["message"] else { return nil }
                    return message
                }()
                #expect(
                    admission["allowed"] == .bool(false) && refusal?.contains(code) == true && refusal?.contains(subject) == true,
                    "\(label): admission: \(admission)")
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
            // An attestation about another digest, put under the name by a write that went
            // around the server (a forged row): the subject is read from the signed statement.
            let wrongSubject = ArtifactStoryTests.name("team/wrong-subject", "ws")
            try sign(wrongSubject, v1)
            try attest(wrongSubject, v1, ["--provenance", "auto"])
            let elsewhereBundle = harness.directory.appendingPathComponent("elsewhere.sigstore.json").path
            try attest(ArtifactStoryTests.name("team/elsewhere", "el"), v1, ["--type", "cyclonedx", "--predicate", cleanSBOM, "--bundle", elsewhereBundle])
            try await Self.forge(bundleAt: elsewhereBundle, under: wrongSubject, data: dev.data)
            try await expectRefused(wrongSubject, "attestation-subject-mismatch", "an attestation about another digest")
            // An attestation whose ref is revoked, beside a signature whose ref is not.
            let v2 = try dev.token(ref: "refs/tags/v2.0.0", sha: "4444444444444444444444444444444444444444")
            let attestationRevoked = ArtifactStoryTests.name("team/attestation-revoked", "ar")
            try sign(attestationRevoked, v1)
            try attest(attestationRevoked, v2, ["--provenance", "auto"])
            try attest(attestationRevoked, v1, ["--type", "cyclonedx", "--predicate", cleanSBOM])
            try await expectAdmitted(attestationRevoked, "admitted", "before its provenance's ref is revoked")
            let revokedRef = try run([
                "artifact", "revoke-signature", "--name", attestationRevoked, "--source-repository-ref", "refs/tags/v2.0.0", "--reason", "bad builder",
                "--identity-token", v1,
            ])
            #expect(revokedRef.exitCode == 0, "\(revokedRef.stderr)")
            try await expectRefused(attestationRevoked, "attestation-revoked", "revoked attestation")
            try await expectRefused("registry.example.com/team/app:1.0.0", "not-pinned", "an image by tag")
            try await expectRefused(app, "unknown-environment", "an unknown environment", environment: "staging")
            try await expectRefused(ArtifactStoryTests.name("elsewhere/app", "e"), "no-policy", "a name no policy matches")

            // A release manifest: every entry decided, none stopping the others, each with its code.
            let release = try file(
                "release.json",
                #"{"entries": [{"name": "\#(app)"}, {"name": "\#(unattested)"}, {"name": "registry.example.com/team/app:1.0.0"}, {"name": "not a name@sha256:00"}, {"file": "app.tar"}, 7, {"name": "\#(sidecar)"}]}"#
            )
            let report = try run(["verify", "--manifest", release, "--environment", "production", "--format", "json"])
            #expect(report.exitCode == 1, "\(report.stderr)")
            let reportObject = try JSONParser().parse(Array(report.stdout.utf8), context: "report")
            guard case .object(let reportMembers) = reportObject, case .array(let entries)? = reportMembers["entries"] else {
                throw RawError(message: "verify --manifest: no entries in \(report.stdout)")
            }
            let codes = entries.compactMap { entry -> String? in
                guard case .object(let members) = entry, case .string(let code)? = members["code"] else { return nil }
                return code
            }
            #expect(
                codes == ["admitted", "attestation-missing", "not-pinned", "invalid-name", "unusable-input", "unusable-input", "admitted"],
                "\(report.stdout)")
            #expect(reportMembers["passed"] == .integer(2) && reportMembers["failed"] == .integer(5))
            let junit = try run(["verify", "--manifest", release, "--environment", "production", "--format", "junit"])
            #expect(
                junit.exitCode == 1 && junit.stdout.contains(#"<testsuites name="signet verify" tests="7" failures="5">"#)
                    && junit.stdout.contains(#"<failure type="attestation-missing""#), "\(junit.stdout)")
            let sarif = try run(["verify", "--manifest", release, "--environment", "production", "--format", "sarif"])
            guard case .object(let sarifLog) = try JSONParser().parse(Array(sarif.stdout.utf8), context: "sarif"), case .array(let runs)? = sarifLog["runs"],
                case .object(let sarifRun)? = runs.first, case .array(let findings)? = sarifRun["results"]
            else { throw RawError(message: "verify --manifest --format sarif: \(sarif.stdout)") }
            #expect(sarif.exitCode == 1 && sarifLog["version"] == .string("2.1.0") && findings.count == 5, "\(sarif.stdout)")
            // A Kubernetes manifest in YAML: every workload image collected, a Service skipped.
            let deployment = try file(
                "deploy.yaml",
                """
                apiVersion: v1
                kind: Service
                metadata: {name: app}
                spec:
                  ports: [{port: 80}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app  # the release
                spec:
                  template:
                    spec:
                      initContainers:
                      - name: migrate
                        image: "\(unattested)"
                      containers:
                      - name: app
                        image: \(app)
                      - name: sidecar
                        image: '\(sidecar)'
                """)
            let rollout = try run(["verify", "--manifest", deployment, "--environment", "production"])
            #expect(rollout.exitCode == 1, "\(rollout.stderr)")
            #expect(
                rollout.stdout.contains("FAIL Deployment/app spec.template.spec.initContainers[0]: \(unattested): attestation-missing")
                    && rollout.stdout.contains("ok   Deployment/app spec.template.spec.containers[0]: \(app): admitted")
                    && rollout.stdout.contains("3 entries: 2 passed, 1 failed"), "\(rollout.stdout)")
            // An unreadable manifest is the run's failure, not an admission.
            let garbage = try file("garbage.json", "{\"entries\": [")
            let unreadable = try run(["verify", "--manifest", garbage, "--environment", "production"])
            #expect(unreadable.exitCode == 3 && unreadable.stderr.contains("expected JSON"), "\(unreadable.stderr)")

            // The offline gate: a subject it holds no verdict on is refused; a forged verdict
            // (the export's bytes changed) does not verify, and nothing is admitted.
            let gatePath = harness.directory.appendingPathComponent("all.json").path
            let exportedAll = try run(["gate", "export", "--environment", "production", "--output", gatePath, "--identity-token", v1])
            #expect(exportedAll.exitCode == 0 && exportedAll.stdout.contains("for production"), "\(exportedAll.stdout) \(exportedAll.stderr)")
            let elsewhere = try run([
                "gate", "check", "--offline", gatePath, "--name", ArtifactStoryTests.name("team/never", "n"), "--environment", "production",
            ])
            #expect(elsewhere.exitCode == 1 && elsewhere.stderr.contains("not-exported"), "\(elsewhere.stderr)")
            let signedGate = try JSONParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: gatePath))), context: "gate")
            guard case .object(var gateMembers) = signedGate, case .string(let exportText)? = gateMembers["export"],
                let exportBytes = Base64.decode(exportText)
            else { throw RawError(message: "gate export without its bytes") }
            let forgedText = String(decoding: exportBytes, as: UTF8.self).replacingOccurrences(
                of: #""allowed":false,"code":"attestation-missing""#, with: #""allowed":true,"code":"admitted""#)
            #expect(forgedText != String(decoding: exportBytes, as: UTF8.self), "the export holds the refusal to forge")
            gateMembers["export"] = .string(Base64.encode(Array(forgedText.utf8)))
            let forgedPath = try file("forged.json", String(decoding: JSONValue.object(gateMembers).compactBytes(), as: UTF8.self))
            let forged = try run(["gate", "check", "--offline", forgedPath, "--name", unattested, "--environment", "production"])
            #expect(forged.exitCode == 1 && forged.stderr.contains("signature"), "\(forged.stdout) \(forged.stderr)")

            // Admission is a lookup: asked again with nothing changed, the gate reuses its
            // decision (the metrics count a cache hit); a revocation is still seen at the next
            // request, since every lookup first reads the store's evidence stamp.
            func cacheHits() async throws -> Int {
                let response = try await server.client.execute(HTTPClientRequest(url: "\(url)/metrics"), timeout: .seconds(30))
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                let line = text.split(separator: "\n").first { $0.hasPrefix("signet_gate_decision_seconds_count{cache=\"hit\"}") }
                return Int(line?.split(separator: " ").last ?? "") ?? -1
            }
            let hitsBefore = try await cacheHits()
            let again = try await post("admit", JSONObject([("image", .string(sidecar)), ("environment", .string("production"))]))
            #expect(again["code"] == .string("admitted"))
            #expect(try await cacheHits() == hitsBefore + 1, "the second decision on an unchanged name is a lookup")

            // Revocation: refused at the next request.
            let revoked = try run([
                "artifact", "revoke-signature", "--name", sidecar, "--source-repository-ref", "refs/tags/v1.0.0", "--reason", "bad runner", "--identity-token",
                v1,
            ])
            #expect(revoked.exitCode == 0, "\(revoked.stderr)")
            try await expectRefused(sidecar, "revoked", "revoked signature")

            // A policy change applies at the next request; warn mode admits with a warning.
            // A YAML policy is the same document as its JSON twin: one digest.
            currentPolicy = try file("warn.yaml", Self.yamlPolicy(issuer: issuer, mode: "warn"))
            let twin = try file("warn.json", Self.policy(issuer: issuer, mode: "warn"))
            let twinDigest = try PolicyDocument(jsonBytes: Array(try Data(contentsOf: URL(fileURLWithPath: twin))))
            #expect(try PolicyDocument(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: currentPolicy)))).digestText == twinDigest.digestText)
            #expect(try run(["policy", "apply", currentPolicy, "--identity-token", v1]).stdout.contains("version 2"))
            // `policy diff`: no change against its JSON twin; the enforcing original differs in its mode.
            let same = try run(["policy", "diff", twin])
            #expect(same.exitCode == 0 && same.stdout.contains("no change"), "\(same.stdout) \(same.stderr)")
            let differs = try run(["policy", "diff", policyPath])
            #expect(
                differs.exitCode == 1 && differs.stdout.contains(#"~ mode: "warn" → "enforce""#) && differs.stdout.split(separator: "\n").count == 2,
                "\(differs.stdout) \(differs.stderr)")
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
