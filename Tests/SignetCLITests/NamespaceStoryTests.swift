import AsyncHTTPClient
import Foundation
import NIOCore
import SignetCore
import Testing
import X509

/// Names and namespaces that cannot be gamed, end to end over loopback: namespaces own name
/// patterns in the server's configuration, names are one name in every host spelling, a
/// refused signing leaves the log as it was, and a revoked ref stays revoked for every reader.
@Suite("Namespaces own their names, end to end")
struct NamespaceStoryTests {
    static let configuration = """
        {"unownedNames":"refuse","namespaces":[
          {"name":"team-a","names":["registry.example.com/team-a"],"signers":[]},
          {"name":"team-b","names":["registry.example.com/team-b"],"signers":[]}]}
        """

    static func name(_ path: String, _ content: String) -> String {
        "registry.example.com/\(path)@sha256:\(Hex.encode(sha256(Array(content.utf8))))"
    }

    /// The log's size, from its Rekor v1 info.
    static func logSize(_ server: ServerProcess) async throws -> Int64 {
        let info = try await DurabilityTests.getJSON(server.client, "\(server.url)/api/v1/log")
        guard case .object(let object) = info, case .number(let text)? = object["treeSize"], let size = Int64(text) else {
            throw RawError(message: "expected a treeSize in the log info, found \(String(decoding: info.compactBytes(), as: UTF8.self))")
        }
        return size
    }

    @Test(
        "squats, wrong namespaces, issuer mismatches and unowned names are refused before anything is logged; host spellings are one name; a revoked ref stays revoked"
    )
    func story() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let data = harness.directory.appendingPathComponent("data")
        let config = try harness.write("config.json", Array(Self.configuration.utf8))
        try await ServerProcess.with(data: data, arguments: ["--dev", "--config", config]) { server in
            let url = server.url
            let trust = harness.directory.appendingPathComponent("trust.json").path
            #expect(try harness.run(["trust", "export", "--data", data.path, "--url", url, "--output", trust]).exitCode == 0)
            let common = ["--trust-config", trust, "--server", url]
            func createKey(_ namespace: String, _ scopes: [String]) throws -> String {
                let created = try harness.run(
                    ["admin", "api-key", "create", "--data", data.path, "--config", config, "--namespace", namespace] + scopes.flatMap { ["--scope", $0] })
                #expect(created.exitCode == 0, "\(created.stderr)")
                return created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let keyA = try createKey("team-a", ["sign", "revoke", "verify"])
            let keyB = try createKey("team-b", ["sign", "revoke"])
            func sign(_ name: String, _ key: String, issuer: String? = nil, ref: String = "refs/heads/main", extra: [String] = []) throws -> CLIHarness.Result {
                try harness.run(
                    ["artifact", "sign", "--name", name, "--source-repository-ref", ref, "--certificate-oidc-issuer", issuer ?? url, "--api-key", key] + common
                        + extra)
            }
            func verify(_ name: String, _ extra: [String] = []) throws -> CLIHarness.Result {
                // API keys' signatures: any key of the server in the owning namespace will do.
                try harness.run(["artifact", "verify", "--name", name, "--certificate-oidc-issuer", url, "--any-signer", "--api-key", keyA] + common + extra)
            }

            let app = Self.name("team-a/app", "app 1")
            let before = try await Self.logSize(server)
            // Team B squatting on team A's name, before A ever signed it.
            let squat = try sign(app, keyB)
            #expect(squat.exitCode == 4 && squat.stderr.contains("namespace-denied") && squat.stderr.contains("team-a"), "\(squat.stderr)")
            // A name no namespace owns.
            let unowned = try sign(Self.name("elsewhere/app", "x"), keyA)
            #expect(unowned.exitCode == 4 && unowned.stderr.contains("name-unowned"), "\(unowned.stderr)")
            // The issuer the signer asks for is not the credential's.
            let wrongIssuer = try sign(app, keyA, issuer: "https://token.actions.githubusercontent.com")
            #expect(wrongIssuer.exitCode == 2 && wrongIssuer.stderr.contains("issuer-mismatch"), "\(wrongIssuer.stderr)")
            // Asking for another namespace than the name's owner.
            let otherNamespace = try sign(app, keyA, extra: ["--namespace", "team-b"])
            #expect(otherNamespace.exitCode == 4 && otherNamespace.stderr.contains("namespace-denied"), "\(otherNamespace.stderr)")
            #expect(try await Self.logSize(server) == before, "refused signings left log entries")

            // Host case and default ports are one name.
            let shouted = "REGISTRY.Example.COM:443/team-a/app@sha256:\(Hex.encode(sha256(Array("app 1".utf8))))"
            let signed = try sign(shouted, keyA, extra: ["--bundle", harness.directory.appendingPathComponent("app.sigstore.json").path])
            #expect(signed.exitCode == 0 && signed.stdout.contains("signed \(app)") && signed.stdout.contains("namespace team-a"), "\(signed.stderr)")
            #expect(try verify(app).exitCode == 0)
            #expect(try verify(shouted).exitCode == 0)
            // B can neither sign the name now nor revoke it.
            #expect(try sign(app, keyB).stderr.contains("namespace-denied"))
            let crossRevoke = try harness.run(
                ["artifact", "revoke-signature", "--name", app, "--source-repository-ref", "refs/heads/main", "--api-key", keyB] + common)
            #expect(crossRevoke.exitCode == 4 && crossRevoke.stderr.contains("namespace-denied"), "\(crossRevoke.stderr)")

            // Revoke the ref; revoking it again makes no second revocation.
            let revoked = try harness.run(
                ["artifact", "revoke-signature", "--name", app, "--source-repository-ref", "refs/heads/main", "--reason", "leaked runner", "--api-key", keyA]
                    + common)
            #expect(revoked.exitCode == 0, "\(revoked.stderr)")
            let logAfterRevocation = try await Self.logSize(server)
            let again = try harness.run(
                ["artifact", "revoke-signature", "--name", app, "--source-repository-ref", "refs/heads/main", "--reason", "again", "--api-key", keyA] + common)
            #expect(again.exitCode == 0, "\(again.stderr)")
            #expect(try await Self.logSize(server) == logAfterRevocation, "a second revocation of the same ref was logged")
            let artifact = try await DurabilityTests.getJSON(
                server.client, "\(url)/api/signet/v1/artifact?name=\(app.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                credential: keyA)
            guard case .object(let object) = artifact, case .array(let revocations)? = object["revocations"] else {
                throw RawError(message: "expected revocations in \(String(decoding: artifact.compactBytes(), as: UTF8.self))")
            }
            #expect(revocations.count == 1)

            // Signing the revoked name from the revoked ref is refused before anything is logged.
            let afterRevocation = try sign(app, keyA)
            #expect(
                afterRevocation.exitCode == 4 && afterRevocation.stderr.contains("revoked") && afterRevocation.stderr.contains("leaked runner"),
                "\(afterRevocation.stderr)")
            #expect(try await Self.logSize(server) == logAfterRevocation)
            // Every reader agrees the signature is revoked: verification, the list API's status
            // filters and the CLI list (the web UI, which reads the same store rows, in
            // WebUITests and .ci/browser).
            let verified = try verify(app)
            #expect(verified.exitCode == 1 && verified.stderr.contains("revoked"), "\(verified.stderr)")
            func listed(_ status: String) async throws -> [String] {
                let page = try await DurabilityTests.getJSON(server.client, "\(url)/api/signet/v1/artifacts?status=\(status)", credential: keyA)
                return try ArtifactStoryTests.names(String(decoding: page.compactBytes(), as: UTF8.self))
            }
            #expect(try await listed("revoked") == [app])
            #expect(try await listed("active").isEmpty)
            let list = try harness.run(["artifact", "list", "--status", "revoked", "--api-key", keyA] + common)
            #expect(list.exitCode == 0 && list.stdout.contains(app), "\(list.stdout) \(list.stderr)")
            let activeList = try harness.run(["artifact", "list", "--status", "active", "--api-key", keyA] + common)
            #expect(activeList.exitCode == 0 && !activeList.stdout.contains(app), "\(activeList.stdout)")
            // Another ref of the same name still signs and verifies.
            let release = try sign(app, keyA, ref: "refs/heads/release")
            #expect(release.exitCode == 0, "\(release.stderr)")
            // An API key's ref is stated: recorded beside the signature, never in its certificate.
            let listing = try await DurabilityTests.getJSON(
                server.client, "\(url)/api/signet/v1/artifact?name=\(app.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                credential: keyA)
            guard case .object(let listed) = listing, case .array(let signatures)? = listed["signatures"],
                let released = signatures.first(where: { signature in
                    guard case .object(let object) = signature, case .object(let stated)? = object["statedProvenance"] else { return false }
                    return stated["sourceRepositoryRef"] == .string("refs/heads/release")
                }),
                case .object(let releasedObject) = released, let bundleJSON = releasedObject["bundle"]
            else {
                throw RawError(message: "expected a signature stating refs/heads/release in \(String(decoding: listing.compactBytes(), as: UTF8.self))")
            }
            #expect(releasedObject["provenance"] == .object(JSONObject()))
            let leaf = try #require(try SigstoreBundle(json: bundleJSON).signer.leafCertificate)
            let certificate = try Certificate(derEncoded: leaf)
            for field in FulcioExtension.allCases where field != .issuer && field != .issuerV1 {
                #expect(try field.value(in: certificate) == nil, "a stated \(field.fieldName) must never be in a certificate")
            }
            // An API key's ref is stated, not attested: it meets a constraint only when asked.
            let attestedOnly = try verify(app, ["--source-repository-ref", "refs/heads/release"])
            #expect(
                attestedOnly.exitCode == 2 && attestedOnly.stderr.contains("provenance-mismatch") && attestedOnly.stderr.contains("sourceRepositoryRef"),
                "\(attestedOnly.stderr)")
            let stated = try verify(app, ["--source-repository-ref", "refs/heads/release", "--accept-stated-provenance"])
            #expect(stated.exitCode == 0, "\(stated.stderr)")
            let wrongStated = try verify(app, ["--source-repository-ref", "refs/heads/other", "--accept-stated-provenance"])
            #expect(
                wrongStated.exitCode == 2 && wrongStated.stderr.contains("stated by the signer") && wrongStated.stderr.contains("refs/heads/release"),
                "\(wrongStated.stderr)")
        }
    }
}
