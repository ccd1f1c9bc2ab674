import AsyncHTTPClient
import Foundation
import SignetCore
import Testing

/// Compliance answers over a story: two environments the gate guards (staging trusts the
/// publisher; production also requires SLSA provenance, waived for one artifact by an
/// exception), one place without a gate, and a revocation after deployment. Every query
/// returns exactly the right rows, and every row's log entry is proven included as an
/// auditor would check it: the entry read back from the log, its leaf hash recomputed, the
/// inclusion proof verified against the root the signed checkpoint names.
@Suite("Compliance queries, end to end")
struct ComplianceStoryTests {
    static func policy(_ environment: String, issuer: String, requireProvenance: Bool, exception: String = "") -> String {
        """
        {"apiVersion": "signet/v1", "kind": "Policy", "name": "\(environment)",
         "scope": {"names": ["registry.example.com/team/*"], "environment": "\(environment)"},
         "publishers": [{"issuer": "\(issuer)", "repository": "https://github.com/acme/app"}]\(requireProvenance ? #", "require": [{"type": "slsa-provenance"}]"# : "")\(exception)}
        """
    }

    @Test(
        "inventory, missing attestation, revoked and running, built from a ref, signed by an identity, expiring exceptions: exact rows, each proven in the log")
    func story() async throws {
        try await DevInstance.with { dev in
            let (harness, issuer, common) = (dev.harness, dev.issuer, dev.common)
            let v1 = try dev.token(ref: "refs/tags/v1.0.0", sha: "1111111111111111111111111111111111111111")
            let v2 = try dev.token(ref: "refs/tags/v2.0.0", sha: "2222222222222222222222222222222222222222")
            let v3 = try dev.token(ref: "refs/tags/v3.0.0", sha: "3333333333333333333333333333333333333333")
            func run(_ arguments: [String]) throws -> CLIHarness.Result { try harness.run(arguments + common) }
            func file(_ name: String, _ text: String) throws -> String {
                try harness.write(name, Array(text.utf8))
            }
            func sign(_ name: String, _ token: String, _ ref: String) throws {
                let signed = try run([
                    "artifact", "sign", "--name", name, "--source-repository-ref", ref, "--certificate-oidc-issuer", issuer, "--identity-token", token,
                ])
                #expect(signed.exitCode == 0, "\(signed.stderr)")
            }
            let (appA, appB, appC, appD) = (
                ArtifactStoryTests.name("team/a", "a"), ArtifactStoryTests.name("team/b", "b"), ArtifactStoryTests.name("team/c", "c"),
                ArtifactStoryTests.name("team/d", "d")
            )
            try sign(appA, v1, "refs/tags/v1.0.0")
            let attested = try run(["artifact", "attest", "--name", appA, "--certificate-oidc-issuer", issuer, "--identity-token", v1, "--provenance", "auto"])
            #expect(attested.exitCode == 0, "\(attested.stderr)")
            try sign(appB, v1, "refs/tags/v1.0.0")
            try sign(appC, v2, "refs/tags/v2.0.0")
            try sign(appD, v3, "refs/tags/v3.0.0")

            // Production waives provenance for B until three days from now.
            let waiverEnd = Timestamp(seconds: Timestamp(.now).seconds + 3 * 86_400)
            let exception =
                #", "exceptions": [{"digest": "\#(appB.split(separator: "@")[1])", "owner": "release@acme", "reason": "provenance tool down", "expiresAt": "\#(waiverEnd.rfc3339)"}]"#
            for (environment, provenance, waiver) in [("staging", false, ""), ("production", true, exception)] {
                let path = try file("\(environment).json", Self.policy(environment, issuer: issuer, requireProvenance: provenance, exception: waiver))
                let applied = try run(["policy", "apply", path, "--identity-token", v1])
                #expect(applied.exitCode == 0, "\(applied.stderr)")
            }
            for (name, environment, admitted) in [
                (appA, "staging", true), (appB, "staging", true), (appC, "staging", true), (appA, "production", true), (appB, "production", true),
                (appC, "production", false),
            ] {
                let decided = try run(["gate", "check", "--name", name, "--environment", environment])
                #expect(decided.exitCode == (admitted ? 0 : 1), "\(name) in \(environment): \(decided.stdout) \(decided.stderr)")
            }
            #expect(try run(["deploy", "record", "--name", appD, "--environment", "edge"]).exitCode == 0)
            // C's ref is revoked after it went to staging.
            let revoked = try run([
                "artifact", "revoke-signature", "--name", appC, "--source-repository-ref", "refs/tags/v2.0.0", "--reason", "bad base image", "--identity-token",
                v2,
            ])
            #expect(revoked.exitCode == 0, "\(revoked.stderr)")

            func rows(_ arguments: [String]) async throws -> [JSONObject] {
                let answer = try run(["compliance"] + arguments)
                #expect([0, 1].contains(answer.exitCode), "\(arguments): \(answer.stderr)")
                guard case .object(let object) = try JSONParser().parse(Array(answer.stdout.utf8), context: "compliance"),
                    case .array(let items)? = object["rows"]
                else { throw RawError(message: "\(arguments): no rows in \(answer.stdout)") }
                #expect(answer.exitCode == (items.isEmpty ? 0 : 1), "\(arguments): exit \(answer.exitCode) for \(items.count) rows")
                let found = items.compactMap { if case .object(let row) = $0 { row } else { nil } }
                for row in found { try await Self.proven(row, dev: dev) }
                return found
            }
            func pairs(_ rows: [JSONObject], _ first: String, _ second: String) -> Set<String> {
                func text(_ value: JSONValue?) -> String { if case .string(let text)? = value { text } else { "?" } }
                return Set(rows.map { "\(text($0[first])) \(text($0[second]))" })
            }

            let inventory = try await rows(["inventory"])
            #expect(
                pairs(inventory, "environment", "name") == [
                    "staging \(appA)", "staging \(appB)", "staging \(appC)", "production \(appA)", "production \(appB)", "edge \(appD)",
                ], "\(inventory)")
            #expect(inventory.filter { $0["source"] == .string("record") }.count == 1)
            #expect(
                pairs(try await rows(["inventory", "--environment", "production"]), "environment", "name") == ["production \(appA)", "production \(appB)"])

            let missingInProduction = try await rows(["missing-attestation", "--environment", "production", "--type", "slsa-provenance"])
            #expect(pairs(missingInProduction, "environment", "name") == ["production \(appB)"], "\(missingInProduction)")
            #expect(
                pairs(try await rows(["missing-attestation", "--environment", "staging", "--type", "slsa-provenance"]), "environment", "name") == [
                    "staging \(appB)", "staging \(appC)",
                ])

            let revokedRunning = try await rows(["revoked-running"])
            #expect(pairs(revokedRunning, "environment", "name") == ["staging \(appC)"], "\(revokedRunning)")
            #expect(revokedRunning.first?["reason"] == .string("bad base image"))

            let builtFromV1 = try await rows(["built-from", "--source-repository-ref", "refs/tags/v1.0.0"])
            #expect(pairs(builtFromV1, "name", "kind") == ["\(appA) signature", "\(appA) attestation https://slsa.dev/provenance/v1", "\(appB) signature"])
            #expect(builtFromV1.allSatisfy { $0["runningIn"] == .string("production staging") }, "\(builtFromV1)")

            let identityOfV2 = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v2.0.0"
            let signedByV2 = try await rows(["signed-by", "--identity", identityOfV2])
            #expect(pairs(signedByV2, "name", "runningIn") == ["\(appC) staging"], "\(signedByV2)")

            let expiring = try await rows(["expiring-exceptions", "--within", "7d"])
            #expect(expiring.count == 1 && expiring.first?["policy"] == .string("production") && expiring.first?["reason"] == .string("provenance tool down"))
            #expect(try await rows(["expiring-exceptions", "--within", "1d"]).isEmpty)

            // The same answer as CSV: a header and one line per row, proof columns included.
            let csv = try run(["compliance", "revoked-running", "--format", "csv"])
            let lines = csv.stdout.split(separator: "\r\n")
            #expect(
                csv.exitCode == 1 && lines.count == 2 && lines[0].hasSuffix("logIndex,leafHash,treeSize,rootHash") && lines[1].contains(appC), "\(csv.stdout)")
            // Auditing needs the audit scope.
            let reader = try harness.run(["compliance", "inventory", "--api-key", "signet_0123456789abcdef_" + String(repeating: "A", count: 43)] + common)
            #expect(reader.exitCode == 4 && reader.stderr.contains("unknown-api-key"), "\(reader.stderr)")
        }
    }

    /// Checks a row's proof as an auditor would: the entry at its log index read back from the
    /// log, its RFC 6962 leaf hash recomputed, the inclusion proof verified against the root
    /// the signed checkpoint names.
    static func proven(_ row: JSONObject, dev: DevInstance) async throws {
        guard case .number(let indexText)? = row["logIndex"], let index = Int64(indexText), case .object(let proof)? = row["proof"],
            case .string(let leafHex)? = proof["leafHash"], case .number(let sizeText)? = proof["treeSize"], let size = Int64(sizeText),
            case .string(let rootHex)? = proof["rootHash"], case .array(let hashes)? = proof["hashes"], case .string(let checkpoint)? = proof["checkpoint"]
        else { throw RawError(message: "a row without its log index and proof: \(row)") }
        let entry = try await DurabilityTests.entry(dev.server.client, dev.url, index: index)
        #expect(Hex.encode(Merkle.leafHash(entry.canonicalizedBody)) == leafHex, "the row's leaf hash is not the logged entry's")
        let path = try hashes.map { value in
            guard case .string(let hex) = value, let bytes = Hex.decode(hex) else { throw RawError(message: "a malformed proof hash") }
            return bytes
        }
        let root = try #require(Hex.decode(rootHex))
        try Merkle.verifyInclusion(index: index, size: size, leafHash: try #require(Hex.decode(leafHex)), proof: path, rootHash: root)
        let lines = checkpoint.split(separator: "\n")
        #expect(lines.count > 3 && lines[1] == Substring(String(size)) && lines[2] == Substring(Base64.encode(root)), "\(checkpoint)")
    }
}
