import Crypto
import Foundation
import SignetCore
import SignetServer
import SignetVirtualPlatform
import Testing

@Suite("signet verify: exit codes and output")
struct CLIVerifyTests {
    @Test("verified, verification failed, policy mismatch and unusable input have distinct exit codes")
    func exitCodes() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let files = try await SignedFiles(in: harness)
        let verified = try harness.run(files.verifyArguments())
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("Verified"))

        let tampered = try harness.write("tampered.bin", Array("release artifacT\n".utf8))
        let failed = try harness.run(files.verifyArguments(artifact: tampered))
        #expect(failed.exitCode == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains("artifact-mismatch"))

        let mismatch = try harness.run(files.verifyArguments(identity: "https://github.com/someone/else"))
        #expect(mismatch.exitCode == 2)
        #expect(mismatch.stdout.contains("identity-mismatch"))

        let missing = try harness.run(files.verifyArguments(bundle: "/nonexistent/bundle.json"))
        #expect(missing.exitCode == 3)
        #expect(missing.stderr.contains("no such readable file"))

        let usage = try harness.run(["verify", files.artifact, "--bundle", files.bundle])
        #expect(usage.exitCode == 64)
    }

    @Test("--output json lists every check with its result")
    func jsonOutput() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let files = try await SignedFiles(in: harness)
        let result = try harness.run(files.verifyArguments() + ["--output", "json"])
        #expect(result.exitCode == 0)
        guard case .object(let report) = try JSONParser().parse(Array(result.stdout.utf8)) else {
            Issue.record("expected a JSON object, found \(result.stdout)")
            return
        }
        #expect(report["verified"] == .bool(true))
        guard case .array(let checks)? = report["checks"] else {
            Issue.record("expected a checks array")
            return
        }
        let names = checks.compactMap { check -> String? in
            guard case .object(let object) = check, case .string(let name)? = object["name"], object["passed"] == .bool(true) else { return nil }
            return name
        }
        #expect(names == ["bundle", "trusted-time", "certificate-chain", "sct", "identity", "transparency-log", "signature", "entry-consistency"])

        let failed = try harness.run(files.verifyArguments(identity: "nobody@example.com") + ["--output", "json"])
        #expect(failed.exitCode == 2)
        guard case .object(let failure) = try JSONParser().parse(Array(failed.stdout.utf8)), case .object(let error)? = failure["error"] else {
            Issue.record("expected a JSON error object, found \(failed.stdout)")
            return
        }
        #expect(error["code"] == .string("identity-mismatch"))
    }

    @Test("verify-bundle speaks the conformance protocol, by path and by digest")
    func verifyBundle() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let files = try await SignedFiles(in: harness, options: .v2WithTimestamp())
        let digest = "sha256:" + Hex.encode(sha256(Array("release artifact\n".utf8)))
        for target in [files.artifact, digest] {
            let result = try harness.run([
                "verify-bundle", "--bundle", files.bundle, "--certificate-identity", SignedFiles.identity,
                "--certificate-oidc-issuer", VirtualPlatform.issuer, "--trusted-root", files.trustedRoot, target,
            ])
            #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        }
    }

    @Test("verification opens no network socket")
    func noNetwork() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let files = try await SignedFiles(in: harness, options: .v2WithTimestamp())
        let trace = harness.directory.appendingPathComponent("strace.log").path
        guard let strace = ["/usr/bin/strace", "/bin/strace"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("strace is required for this test (CI installs it); it was not found")
            return
        }
        let result = try harness.run(
            ["-f", "-e", "trace=socket,connect", "-o", trace, CLIHarness.binary.path] + files.verifyArguments(), executable: URL(fileURLWithPath: strace))
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        let calls = try String(contentsOfFile: trace, encoding: .utf8)
        let network = calls.split(separator: "\n").filter {
            $0.contains("AF_INET") || $0.contains("AF_INET6") || $0.contains("AF_NETLINK") || ($0.contains("connect(") && !$0.contains("AF_UNIX"))
        }
        #expect(network.isEmpty, "network system calls during verification: \(network)")
        #expect(calls.contains("+++ exited with 0 +++"), "strace must have traced the process: \(calls)")
    }
}

@Suite("signet verify: hostile input gets a one-line error, never a crash or a hang")
struct CLIHostileInputTests {
    static let cases: [(String, [UInt8])] = [
        ("truncated", Array("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{".utf8)),
        ("not JSON", Array("this is not json".utf8)),
        ("empty", []),
        ("wrong types", Array(#"{"mediaType":3,"verificationMaterial":[],"messageSignature":"x"}"#.utf8)),
        (
            "bad base64",
            Array(
                #"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"certificate":{"rawBytes":"!!!!"},"tlogEntries":[]},"messageSignature":{"signature":"AAAA"}}"#
                    .utf8)
        ),
        (
            "huge number",
            Array(
                #"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{},"tlogEntries":[{"logIndex":"99999999999999999999999999","logId":{"keyId":"AA=="},"kindVersion":{"kind":"hashedrekord","version":"0.0.1"},"canonicalizedBody":"e30="}]},"messageSignature":{"signature":"AAAA"}}"#
                    .utf8)
        ),
        ("1000-deep nesting", Array(String(repeating: "[", count: 1000).utf8) + Array(String(repeating: "]", count: 1000).utf8)),
        ("100000-deep nesting", Array(String(repeating: "{\"a\":", count: 100_000).utf8)),
        ("invalid UTF-8", [0x22, 0xFF, 0xFE, 0x22]),
    ]

    @Test("malformed bundles", arguments: 0..<cases.count)
    func malformedBundle(index: Int) async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let files = try await SignedFiles(in: harness)
        let (name, bytes) = Self.cases[index]
        let path = try harness.write("bad.json", bytes)
        let result = try harness.run(files.verifyArguments(bundle: path), timeout: 20)
        #expect(!result.terminatedBySignal, "\(name): crashed")
        #expect(result.exitCode == 3, "\(name): \(result.stdout)\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(name): expected one error line, found \(result.stderr)")
    }

    @Test("a 100 MB bundle is refused before it is read")
    func hugeBundle() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let files = try await SignedFiles(in: harness)
        let path = harness.directory.appendingPathComponent("huge.json").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 100_000_000)
        try handle.close()
        let result = try harness.run(files.verifyArguments(bundle: path), timeout: 20)
        #expect(result.exitCode == 3)
        #expect(result.stderr.contains("expected at most"), "\(result.stderr)")
    }

    @Test("an empty SEQUENCE (MAA=) or a truncated key, given with --key or in the trusted root, exits 3 with one error line")
    func emptyAndTruncatedKeys() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let files = try await SignedFiles(in: harness)
        let realKey = Array(P256.Signing.PrivateKey().publicKey.derRepresentation)
        var keys: [[UInt8]] = [[0x30, 0x00], [0x30, 0x02, 0x30, 0x00], []]
        for length in stride(from: 1, to: realKey.count, by: 11) { keys.append(Array(realKey.prefix(length))) }
        for (n, der) in keys.enumerated() {
            let keyFile = try harness.write("key\(n).pem", Array(PEM.encode(der, label: "PUBLIC KEY").utf8))
            let result = try harness.run(
                ["verify", files.artifact, "--bundle", files.bundle, "--key", keyFile, "--trusted-root", files.trustedRoot], timeout: 20)
            #expect(!result.terminatedBySignal && result.exitCode == 3, "key \(n): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "key \(n): \(result.stderr)")
        }
        // The same keys inside the trusted root, as a transparency log's key.
        let root = try String(contentsOfFile: files.trustedRoot, encoding: .utf8)
        guard let range = root.range(of: #""rawBytes":""#) else { throw RawError(message: "expected a rawBytes key in the trusted root") }
        let end = try #require(root[range.upperBound...].firstIndex(of: "\""))
        for (n, der) in keys.enumerated() {
            let broken = root.replacingCharacters(in: range.upperBound..<end, with: Base64.encode(der))
            var arguments = files.verifyArguments()
            arguments[arguments.count - 1] = try harness.write("root\(n).json", Array(broken.utf8))
            let result = try harness.run(arguments, timeout: 20)
            #expect(!result.terminatedBySignal && result.exitCode == 3, "root key \(n): \(result.stderr)")
        }
    }

    @Test("missing artifact, directory as artifact, malformed digest, malformed trusted root")
    func otherInputs() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let files = try await SignedFiles(in: harness)
        for artifact in ["/nonexistent/file", harness.directory.path, "sha256:abc"] {
            let result = try harness.run(files.verifyArguments(artifact: artifact))
            #expect(result.exitCode == 3, "\(artifact): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
        let badRoot = try harness.write(
            "bad_root.json", Array(#"{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","tlogs":[{"baseUrl":"x"}]}"#.utf8))
        var arguments = files.verifyArguments()
        arguments[arguments.count - 1] = badRoot
        let result = try harness.run(arguments)
        #expect(result.exitCode == 3)
        #expect(result.stderr.contains("trustedRoot.tlogs[0]"), "\(result.stderr)")
    }
}

@Suite("signet trust export")
struct CLITrustExportTests {
    @Test("writes a ClientTrustConfig from the data directory without the passphrase; a missing instance is one error line")
    func export() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let data = harness.directory.appendingPathComponent("data")
        _ = try await InstanceKeys.loadOrCreate(
            directory: data.appendingPathComponent("keys"),
            source: .sealed(passphrase: Array("p".utf8), parameters: SealedKey.Parameters(logN: 10, r: 8, p: 1)),
            organization: "Acme")
        let result = try harness.run(["trust", "export", "--data", data.path, "--url", "https://signet.acme.test", "--organization", "Acme"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let config = try ClientTrustConfig(jsonBytes: Array(result.stdout.utf8))
        #expect(config.trustedRoot.tlogs.count == 2 && config.trustedRoot.timestampAuthorities.count == 1)
        #expect(config.signingConfig.caURLs.map(\.url) == ["https://signet.acme.test"])

        let missing = try harness.run(["trust", "export", "--data", harness.directory.appendingPathComponent("nothing").path])
        #expect(missing.exitCode == 3)
        #expect(missing.stderr.split(separator: "\n").count == 1 && missing.stderr.hasPrefix("error: "))
    }
}
