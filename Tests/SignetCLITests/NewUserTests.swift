import Foundation
import SignetCore
import SignetServer
import Testing

/// What a new user trips over, each answered by the product: the version, the stored trust
/// used by every command and named in every verification, and plain messages for a URL
/// without a scheme and a port already in use.
@Suite("The rough edges a new user hits")
struct NewUserTests {
    @Test("signet --version prints this build's version")
    func version() throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let result = try harness.run(["--version"])
        #expect(result.exitCode == 0 && result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.13.0", "\(result.stdout) \(result.stderr)")
    }

    @Test("after signet trust init, verify uses the stored trust and says so; a URL without a scheme and a port in use are explained")
    func storedTrustAndMessages() async throws {
        try await DevInstance.with { dev in
            let harness = dev.harness
            // A URL without a scheme is refused with what to give, before anything is asked.
            for arguments in [
                ["trust", "init", "--server", "127.0.0.1:1"], ["gate", "check", "--server", "localhost:8080", "--name", "x", "--environment", "e"],
            ] {
                let refused = try harness.run(arguments)
                #expect(refused.exitCode == 3 && refused.stderr.contains("add http:// or https://"), "\(arguments): \(refused.stderr)")
            }

            let stored = try harness.run(["trust", "init", "--server", dev.url])
            #expect(stored.exitCode == 0 && stored.stdout.contains("stored "), "\(stored.stderr)")
            let token = try harness.run(
                ["auth", "dev-token", "--data", dev.data.path, "--server", dev.url], environment: ["SIGNET_KEY_PASSPHRASE": ServerProcess.passphrase]
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let file = try harness.write("hello.txt", Array("hello\n".utf8))
            // No --trust-config: signing and verifying both use the stored trust.
            let signed = try harness.run(["sign", file, "--identity-token", token])
            #expect(signed.exitCode == 0, "\(signed.stderr)")
            let verified = try harness.run([
                "verify", file, "--bundle", file + ".sigstore.json", "--certificate-identity", "developer@signet.localhost", "--certificate-oidc-issuer",
                dev.issuer,
            ])
            #expect(verified.exitCode == 0, "\(verified.stdout) \(verified.stderr)")
            let configPath = harness.directory.appendingPathComponent("config/signet/trust-config.json").path
            #expect(
                verified.stdout.hasPrefix("trust: the trust configuration \(configPath) (stored by `signet trust init`)"),
                "\(verified.stdout)")
            // Named explicitly, the public-good root is used, and said to be.
            let publicGood = try harness.run([
                "verify", file, "--bundle", file + ".sigstore.json", "--certificate-identity", "developer@signet.localhost", "--certificate-oidc-issuer",
                dev.issuer, "--staging", "--format", "json",
            ])
            #expect(
                publicGood.exitCode == 1 && publicGood.stdout.contains(#""trust":"Sigstore's public-good staging root (built in)""#), "\(publicGood.stdout)")

            // A second server on the first one's port says so, and what to do.
            let port = try #require(URLComponents(string: dev.url)?.port)
            let second = try harness.run(
                ["server", "--dev", "--data", harness.directory.appendingPathComponent("second").path, "--listen", "127.0.0.1:\(port)"],
                environment: ["SIGNET_KEY_PASSPHRASE": ServerProcess.passphrase], timeout: 120)
            #expect(
                second.exitCode == 3 && second.stderr.contains("cannot listen on 127.0.0.1:\(port)") && second.stderr.contains("--listen"), "\(second.stderr)")
        }
    }
}
