import AsyncHTTPClient
import Foundation
import NIOCore
import SignetClient
import SignetCore
import SignetServer
import SignetVerify
import Testing

/// Attestations by name end to end over loopback: a pipeline signs a name, then attests to it
/// (SLSA provenance made from its token, an SBOM of 16 MiB), and every reader lists them by
/// type; a signature is never taken for an attestation, nor the reverse.
@Suite("Attestations by name, end to end")
struct AttestationStoryTests {
    @Test("attest SLSA provenance (auto) and a 16 MiB SBOM; list by type; the log entry stays small; kinds never mix; a revoked ref revokes both")
    func story() async throws {
        try await DevInstance.with { dev in
            let (harness, server, url, issuer, common) = (dev.harness, dev.server, dev.url, dev.issuer, dev.common)
            let sha = "3333333333333333333333333333333333333333"
            let token = try dev.token(ref: "refs/tags/v2.0.0", sha: sha)
            let name = ArtifactStoryTests.name("team/app", "app 2.0.0")
            let identity = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v2.0.0"
            let signing = ["--name", name, "--certificate-oidc-issuer", issuer, "--identity-token", token] + common

            let signed = try harness.run(["artifact", "sign", "--source-repository-ref", "refs/tags/v2.0.0"] + signing)
            #expect(signed.exitCode == 0, "\(signed.stderr)")
            let provenance = try harness.run(["artifact", "attest", "--provenance", "auto"] + signing)
            #expect(provenance.exitCode == 0 && provenance.stdout.contains("attested \(name) (slsa-provenance)"), "\(provenance.stderr)")

            // An SBOM of 16 MiB: a CycloneDX document padded with components.
            let component = String(repeating: "x", count: 1000)
            var sbom = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":["
            var index = 0
            while sbom.utf8.count < (16 << 20) - 2_000 {
                sbom += (index == 0 ? "" : ",") + "{\"type\":\"library\",\"name\":\"lib\(index)\",\"description\":\"\(component)\"}"
                index += 1
            }
            sbom += "]}"
            let sbomPath = harness.directory.appendingPathComponent("sbom.json")
            try Data(sbom.utf8).write(to: sbomPath)
            let bundlePath = harness.directory.appendingPathComponent("sbom.sigstore.json").path
            let attested = try harness.run(
                ["artifact", "attest", "--type", "cyclonedx", "--predicate", sbomPath.path, "--bundle", bundlePath] + signing)
            #expect(attested.exitCode == 0 && attested.stdout.contains("attested \(name) (cyclonedx)"), "\(attested.stderr)")
            let sbomBundle = try SigstoreBundle(jsonBytes: Array(try Data(contentsOf: URL(fileURLWithPath: bundlePath))))
            let entryBody = try #require(sbomBundle.tlogEntries.first).canonicalizedBody
            #expect(entryBody.count < 4_096, "the log entry holds digests, not the predicate: \(entryBody.count) bytes")

            let shown = try harness.run(["artifact", "show", name] + common)
            #expect(
                shown.exitCode == 0 && shown.stdout.contains("  signature ") && shown.stdout.contains("attestation slsa-provenance")
                    && shown.stdout.contains("attestation cyclonedx"), "\(shown.stdout) \(shown.stderr)")

            // By type, each bundle whole again and verifying for the name's digest.
            let trust = try dev.trust()
            let engine = try BundleVerifier(trustedRoot: trust.trustedRoot)
            let client = ArtifactClient(server: url, credential: dev.reader)
            let parsedName = try ArtifactName(parsing: name)
            let sboms = try await client.attestations(of: parsedName, type: "cyclonedx")
            #expect(sboms.count == 1)
            for (bundle, _) in sboms {
                let report = engine.verify(bundle, artifact: Artifact(digest: parsedName.digest), policy: .identity(identity, issuer: issuer))
                #expect(report.isVerified, "\(report.result)")
                guard case .dsseEnvelope(let envelope) = bundle.content else {
                    Issue.record("expected a DSSE envelope")
                    continue
                }
                let statement = try InTotoStatement(payload: envelope.payload)
                let expected = try JSONParser().parse(Array(sbom.utf8))
                #expect(statement.predicateType == "https://cyclonedx.org/bom" && statement.predicate == expected)
            }
            let provenances = try await client.attestations(of: parsedName, type: "https://slsa.dev/provenance/v1")
            #expect(provenances.count == 1)
            if case .dsseEnvelope(let envelope)? = provenances.first?.bundle.content,
                case .object(let predicate)? = try InTotoStatement(payload: envelope.payload).predicate,
                case .object(let runDetails)? = predicate["runDetails"], case .object(let builder)? = runDetails["builder"],
                case .object(let definition)? = predicate["buildDefinition"], case .array(let dependencies)? = definition["resolvedDependencies"]
            {
                #expect(builder["id"] == .string(identity))
                #expect(
                    dependencies.first
                        == .object(
                            JSONObject([
                                ("uri", .string("git+https://github.com/acme/app@refs/tags/v2.0.0")),
                                ("digest", .object(JSONObject([("gitCommit", .string(sha))]))),
                            ])))
            } else {
                Issue.record("expected a SLSA v1 predicate with runDetails.builder and resolvedDependencies")
            }
            #expect(try await client.attestations(of: parsedName, type: "spdx").isEmpty)
            let all = try await client.attestations(of: parsedName, type: nil)
            #expect(all.count == 2)
            var badTypeRequest = HTTPClientRequest(url: "\(url)/api/signet/v1/attestations?name=\(name)&type=not%20a%20type")
            badTypeRequest.headers.add(name: "Authorization", value: "Bearer \(dev.reader)")
            let badType = try await server.client.execute(badTypeRequest, timeout: .seconds(10))
            let badTypeText = String(buffer: try await badType.body.collect(upTo: 1 << 20))
            #expect(badType.status == .badRequest && badTypeText.contains("invalid-query"), "\(badTypeText)")

            // Kinds never mix: an attestation is not a signature, nor the reverse.
            let signature = try #require(try await client.signatures(of: parsedName).signatures.first).bundle
            let asAttestation = try await Self.post(server.client, "\(url)/api/signet/v1/attestations", name: name, bundle: signature, token: token)
            #expect(asAttestation.status == 400 && asAttestation.text.contains("invalid-attestation"), "\(asAttestation.text)")
            let provenanceBundle = try #require(provenances.first).bundle
            let asSignature = try await Self.post(server.client, "\(url)/api/signet/v1/signatures", name: name, bundle: provenanceBundle, token: token)
            #expect(asSignature.status == 400 && asSignature.text.contains("signature-invalid"), "\(asSignature.text)")
            // A statement about another digest is refused under this name.
            let signingClient = try SigningClient(signingConfig: trust.signingConfig)
            let other = try await signingClient.attest(
                statement: InTotoStatement(
                    subjects: [.init(name: "registry.example.com/team/app", digest: ["sha256": Hex.encode(sha256(Array("other".utf8)))])],
                    predicateType: "https://spdx.dev/Document", predicate: .object(JSONObject())),
                identityToken: token)
            let misnamed = try await Self.post(server.client, "\(url)/api/signet/v1/attestations", name: name, bundle: other, token: token)
            #expect(misnamed.status == 400 && misnamed.text.contains("artifact-mismatch"), "\(misnamed.text)")
            #expect(try await client.attestations(of: parsedName, type: nil).count == 2, "nothing refused was registered")

            // Revoking the ref revokes the signature and both attestations.
            let revoked = try harness.run(
                [
                    "artifact", "revoke-signature", "--name", name, "--source-repository-ref", "refs/tags/v2.0.0", "--reason", "bad build", "--identity-token",
                    token,
                ]
                    + common)
            #expect(revoked.exitCode == 0 && revoked.stdout.contains("revoked 3 signature"), "\(revoked.stdout) \(revoked.stderr)")
            let afterRevocation = try await client.attestations(of: parsedName, type: nil)
            #expect(afterRevocation.count == 2)
            for (_, summary) in afterRevocation {
                guard case .object(let object) = summary, case .object(let revocation)? = object["revocation"] else {
                    Issue.record("expected a revoked attestation, found \(summary)")
                    continue
                }
                #expect(revocation["reason"] == .string("bad build"))
            }
        }
    }

    static func post(_ client: HTTPClient, _ url: String, name: String, bundle: SigstoreBundle, token: String) async throws -> (status: Int, text: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.body = .bytes(ByteBuffer(bytes: JSONValue.object(JSONObject([("name", .string(name)), ("bundle", bundle.json)])).compactBytes()))
        let response = try await client.execute(request, timeout: .seconds(60))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }
}
