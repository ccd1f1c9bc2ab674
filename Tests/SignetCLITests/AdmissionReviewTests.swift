import AsyncHTTPClient
import Foundation
import NIOCore
import SignetCore
import SignetServer
import SignetVerify
import Testing

/// Kubernetes' admission shapes over the gate, with real review documents: a Pod with two
/// containers and an init container is admitted; a revocation refuses the same review at the
/// next request, naming the image; unknown kinds and versions are refused, never admitted; the
/// gate's verification summary verifies as the gate's own attestation.
@Suite("Kubernetes admission over the gate")
struct AdmissionReviewTests {
    static func pod(_ images: [String], init initImages: [String] = [], kind: String = "Pod", apiVersion: String = "admission.k8s.io/v1") -> String {
        let containers = images.enumerated().map { "{\"name\": \"c\($0.offset)\", \"image\": \"\($0.element)\"}" }.joined(separator: ", ")
        let initContainers = initImages.enumerated().map { "{\"name\": \"i\($0.offset)\", \"image\": \"\($0.element)\"}" }.joined(separator: ", ")
        return """
            {
              "apiVersion": "\(apiVersion)",
              "kind": "AdmissionReview",
              "request": {
                "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
                "kind": {"group": "", "version": "v1", "kind": "\(kind)"},
                "resource": {"group": "", "version": "v1", "resource": "pods"},
                "name": "web", "namespace": "shop", "operation": "CREATE",
                "userInfo": {"username": "admin"},
                "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "shop"},
                           "spec": {"initContainers": [\(initContainers)], "containers": [\(containers)]}},
                "oldObject": null, "dryRun": false
              }
            }
            """
    }

    @Test("a Pod of two containers and an init container: admitted, then refused after a revocation, naming the image; bad reviews never admitted")
    func review() async throws {
        try await DevInstance.with { dev in
            let (harness, server, url, issuer, common) = (dev.harness, dev.server, dev.url, dev.issuer, dev.common)
            let token = try dev.token(ref: "refs/tags/v1.0.0", sha: "1111111111111111111111111111111111111111")
            let images = ["app", "sidecar", "migrate"].map { ArtifactStoryTests.name("team/\($0)", $0) }
            for image in images {
                let signed = try harness.run(
                    [
                        "artifact", "sign", "--name", image, "--source-repository-ref", "refs/tags/v1.0.0", "--certificate-oidc-issuer", issuer,
                        "--identity-token", token,
                    ]
                        + common)
                #expect(signed.exitCode == 0, "\(signed.stderr)")
            }
            let policy = harness.directory.appendingPathComponent("policy.json")
            try Data(
                """
                {"apiVersion": "signet/v1", "kind": "Policy", "name": "production", "scope": {"names": ["registry.example.com/team/*"], "environment": "production"},
                 "publishers": [{"issuer": "\(issuer)", "repository": "https://github.com/acme/app", "refs": ["refs/tags/*"]}]}
                """.utf8
            ).write(to: policy)
            #expect(try harness.run(["policy", "apply", policy.path, "--identity-token", token] + common).exitCode == 0)

            func post(_ path: String, _ body: String) async throws -> (status: Int, object: JSONObject) {
                var request = HTTPClientRequest(url: "\(url)\(path)")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "Authorization", value: "Bearer \(dev.reader)")
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await server.client.execute(request, timeout: .seconds(30))
                let bytes = Array(buffer: try await response.body.collect(upTo: 4 << 20))
                guard case .object(let object) = try JSONParser().parse(bytes, context: "answer") else { throw RawError(message: "not an object") }
                return (Int(response.status.code), object)
            }
            func answer(_ review: String, environment: String = "production") async throws -> (allowed: Bool, message: String) {
                let (status, object) = try await post("/api/signet/v1/admission?environment=\(environment)", review)
                #expect(status == 200 && object["apiVersion"] == .string("admission.k8s.io/v1") && object["kind"] == .string("AdmissionReview"))
                guard case .object(let response)? = object["response"], case .bool(let allowed)? = response["allowed"],
                    case .object(let statusObject)? = response["status"], case .string(let message)? = statusObject["message"]
                else { throw RawError(message: "no response in \(object)") }
                #expect(response["uid"] == .string("705ab4f5-6393-11e8-b7cc-42010a800002"))
                return (allowed, message)
            }

            let admitted = try await answer(Self.pod([images[0], images[1]], init: [images[2]]))
            #expect(admitted.allowed && admitted.message.contains("3 images"), "\(admitted.message)")
            let revoked = try harness.run(
                [
                    "artifact", "revoke-signature", "--name", images[1], "--source-repository-ref", "refs/tags/v1.0.0", "--reason", "bad runner",
                    "--identity-token", token,
                ]
                    + common)
            #expect(revoked.exitCode == 0, "\(revoked.stderr)")
            let refused = try await answer(Self.pod([images[0], images[1]], init: [images[2]]))
            #expect(
                !refused.allowed && refused.message.contains("spec.containers[1] \(images[1]): revoked") && !refused.message.contains(images[0] + ":"),
                "\(refused.message)")
            let tagged = try await answer(Self.pod([images[0], "registry.example.com/team/app:latest"]))
            #expect(!tagged.allowed && tagged.message.contains("registry.example.com/team/app:latest: not-pinned"), "\(tagged.message)")
            let unknownKind = try await answer(Self.pod([images[0]], kind: "Secret"))
            #expect(!unknownKind.allowed && unknownKind.message.contains("expected one of CronJob"), "\(unknownKind.message)")
            let unknownEnvironment = try await answer(Self.pod([images[0]]), environment: "staging")
            #expect(!unknownEnvironment.allowed && unknownEnvironment.message.contains("unknown-environment"), "\(unknownEnvironment.message)")
            let oldVersion = try await post("/api/signet/v1/admission?environment=production", Self.pod([images[0]], apiVersion: "admission.k8s.io/v1beta1"))
            #expect(oldVersion.status == 400 && oldVersion.object["error"] == .string("invalid-request"))
            let noEnvironment = try await post("/api/signet/v1/admission", Self.pod([images[0]]))
            #expect(noEnvironment.status == 400 && noEnvironment.object["error"] == .string("invalid-query"))

            // ImageReview: the same decisions.
            let imageReview = { (image: String) in
                """
                {"apiVersion": "imagepolicy.k8s.io/v1alpha1", "kind": "ImageReview", "spec": {"containers": [{"image": "\(image)"}], "namespace": "shop"}}
                """
            }
            let allowedImage = try await post("/api/signet/v1/imagereview?environment=production", imageReview(images[0]))
            #expect(
                allowedImage.status == 200 && allowedImage.object["status"].flatMap { if case .object(let o) = $0 { o["allowed"] } else { nil } } == .bool(true)
            )
            let refusedImage = try await post("/api/signet/v1/imagereview?environment=production", imageReview(images[1]))
            guard case .object(let refusedStatus)? = refusedImage.object["status"], case .string(let reason)? = refusedStatus["reason"] else {
                throw RawError(message: "no status in \(refusedImage.object)")
            }
            #expect(refusedStatus["allowed"] == .bool(false) && reason.contains("revoked"), "\(reason)")

            // The gate's verification summary: the gate's own DSSE attestation about the digest.
            let decided = try await post(
                "/api/signet/v1/admit", "{\"name\": \"\(images[0])\", \"environment\": \"production\", \"vsa\": true}")
            let vsa = try SigstoreBundle(json: try #require(decided.object["vsa"]))
            let trust = try dev.trust()
            let name = try ArtifactName(parsing: images[0])
            let report = try BundleVerifier(trustedRoot: trust.trustedRoot).verify(
                vsa, artifact: Artifact(digest: name.digest), policy: .identity("\(url)/signet/gate", issuer: url))
            #expect(report.isVerified, "\(report.result)")
            guard case .dsseEnvelope(let envelope) = vsa.content, case .object(let predicate)? = try InTotoStatement(payload: envelope.payload).predicate,
                case .object(let policyObject)? = predicate["policy"], case .object(let digest)? = policyObject["digest"],
                case .string(let policyDigest)? = decided.object["policyDigest"]
            else { throw RawError(message: "not a VSA: \(decided.object)") }
            #expect(predicate["verificationResult"] == .string("PASSED") && digest["sha256"] == .string(String(policyDigest.dropFirst("sha256:".count))))
        }
    }
}
