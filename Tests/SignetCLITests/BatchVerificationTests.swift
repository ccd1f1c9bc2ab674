import Foundation
import SignetCore
import SignetServer
import Testing

/// `signet verify --manifest` on files with bundles: every entry verified on every core against
/// the identity asked for, none stopping the others, each outcome with its own code.
@Suite("Batch verification of files and digests with their bundles")
struct BatchVerificationTests {
    @Test("a sha256sum manifest and a JSON manifest: verified, changed file, missing bundle, wrong signer, each reported")
    func manifests() async throws {
        try await DevInstance.with { dev in
            let harness = dev.harness
            let token = try harness.run(
                ["auth", "dev-token", "--data", dev.data.path, "--server", dev.url], environment: ["SIGNET_KEY_PASSPHRASE": ServerProcess.passphrase]
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let release = harness.directory.appendingPathComponent("release")
            try FileManager.default.createDirectory(at: release, withIntermediateDirectories: true)
            func write(_ name: String, _ text: String) throws -> String {
                let path = release.appendingPathComponent(name).path
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                return path
            }
            var sums = ""
            for name in ["app.tar", "worker.tar", "docs.tar"] {
                let path = try write(name, "\(name) contents\n")
                sums += "\(Hex.encode(sha256(Array("\(name) contents\n".utf8))))  \(name)\n"
                if name != "docs.tar" {
                    let signed = try harness.run(["sign", path, "--trust-config", dev.trustPath, "--identity-token", token])
                    #expect(signed.exitCode == 0, "\(signed.stderr)")
                }
            }
            // Changed after signing: the listed digest no longer matches the file.
            _ = try write("worker.tar", "worker.tar contents, changed\n")
            let sumsPath = try write("SHA256SUMS", sums)
            let identity = ["--trust-config", dev.trustPath, "--certificate-identity", "developer@signet.localhost", "--certificate-oidc-issuer", dev.issuer]

            let report = try harness.run(["verify", "--manifest", sumsPath, "--format", "json"] + identity)
            #expect(report.exitCode == 1, "\(report.stderr)")
            guard case .object(let object) = try JSONParser().parse(Array(report.stdout.utf8), context: "report"),
                case .array(let entries)? = object["entries"]
            else { throw RawError(message: "no report: \(report.stdout) \(report.stderr)") }
            let outcomes = entries.compactMap { entry -> String? in
                guard case .object(let members) = entry, case .string(let label)? = members["entry"], case .string(let code)? = members["code"],
                    case .number(let line)? = members["line"]
                else { return nil }
                return "\(line) \(label) \(code)"
            }
            #expect(outcomes == ["1 app.tar verified", "2 worker.tar artifact-mismatch", "3 docs.tar unusable-input"], "\(report.stdout)")

            // The same files from JSON, by file and by digest, with the wrong signer asked for.
            let appDigest = "sha256:" + Hex.encode(sha256(Array("app.tar contents\n".utf8)))
            let json = try write("release.json", #"[{"file": "app.tar"}, {"digest": "\#(appDigest)", "bundle": "app.tar.sigstore.json"}]"#)
            let verified = try harness.run(["verify", "--manifest", json] + identity)
            #expect(verified.exitCode == 0 && verified.stdout.contains("2 entries: 2 passed, 0 failed"), "\(verified.stdout) \(verified.stderr)")
            let wrongSigner = try harness.run(
                [
                    "verify", "--manifest", json, "--trust-config", dev.trustPath, "--certificate-identity", "mallory@example.com", "--certificate-oidc-issuer",
                    dev.issuer,
                ])
            #expect(
                wrongSigner.exitCode == 1 && wrongSigner.stdout.contains("FAIL app.tar: identity-mismatch")
                    && wrongSigner.stdout.contains("2 entries: 0 passed, 2 failed"), "\(wrongSigner.stdout) \(wrongSigner.stderr)")

            // Options that cannot go together are refused before anything is read.
            let mixed = try harness.run(["verify", "--manifest", json, "--environment", "production"] + identity)
            #expect(mixed.exitCode == 64, "\(mixed.stderr)")
            let empty = try write("empty.json", "[]")
            let none = try harness.run(["verify", "--manifest", empty] + identity)
            #expect(none.exitCode == 3 && none.stderr.contains("expected at least one entry"), "\(none.stderr)")
        }
    }
}
