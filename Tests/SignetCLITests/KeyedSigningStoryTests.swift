import Foundation
import SignetCore
import SignetVirtualPlatform
import Testing

/// Keyed signing: a key file or an HSM key instead of a short-lived certificate, and
/// certificates from the organisation's own PKI; each still logged and timestamped.
@Suite("Keyed signing: key files, HSM keys, and the organisation's own PKI")
struct KeyedSigningStoryTests {
    static let passphrase = ["SIGNET_SIGNING_KEY_PASSPHRASE": "release passphrase"]

    @Test("a generated key signs and attests (Rekor v1 and v2); verify --key passes with it only; a wrong passphrase or a bad key writes nothing")
    func keyFile() async throws {
        try await DevInstance.with { instance in
            let harness = instance.harness
            let prefix = harness.directory.appendingPathComponent("release").path
            let generated = try harness.run(["key", "generate", "--output", prefix], environment: Self.passphrase)
            try #require(generated.exitCode == 0, "\(generated.stderr)")
            let key = try String(contentsOfFile: prefix + ".key", encoding: .utf8)
            #expect(key.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
            let mode = try FileManager.default.attributesOfItem(atPath: prefix + ".key")[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(try harness.run(["key", "generate", "--output", prefix], environment: Self.passphrase).exitCode == 3, "never overwrites a key")

            let artifact = try harness.write("release.tar", Array("the release".utf8))
            for rekor in ["1", "2"] {
                let bundle = harness.directory.appendingPathComponent("release-\(rekor).sigstore.json").path
                let signed = try harness.run(
                    ["sign", artifact, "--key", prefix + ".key", "--bundle", bundle, "--rekor-version", rekor, "--trust-config", instance.trustPath],
                    environment: Self.passphrase)
                try #require(signed.exitCode == 0, "\(signed.stderr)")
                #expect(signed.stdout.contains("with key sha256:"))
                let verified = try harness.run(["verify", artifact, "--bundle", bundle, "--key", prefix + ".pub", "--trust-config", instance.trustPath])
                #expect(verified.exitCode == 0, "\(verified.stdout) \(verified.stderr)")
                let json = try String(contentsOfFile: bundle, encoding: .utf8)
                #expect(json.contains("\"publicKey\"") && json.contains("rfc3161Timestamps"), "a keyed bundle names its key by a hint and is timestamped")
            }
            let bundle = harness.directory.appendingPathComponent("release-1.sigstore.json").path
            let other = harness.directory.appendingPathComponent("other").path
            #expect(try harness.run(["key", "generate", "--output", other], environment: Self.passphrase).exitCode == 0)
            let wrongKey = try harness.run(["verify", artifact, "--bundle", bundle, "--key", other + ".pub", "--trust-config", instance.trustPath])
            #expect(wrongKey.exitCode == 1, "\(wrongKey.stdout)")
            let asIdentity = try harness.run(
                [
                    "verify", artifact, "--bundle", bundle, "--certificate-identity", "developer@signet.localhost", "--certificate-oidc-issuer",
                    instance.issuer, "--trust-config", instance.trustPath,
                ])
            #expect(asIdentity.exitCode == 2, "a keyed bundle is not a certificate identity's: \(asIdentity.stdout)")

            let predicate = try harness.write("predicate.json", Array(#"{"buildType":"https://example.com/build"}"#.utf8))
            let attestation = harness.directory.appendingPathComponent("attestation.sigstore.json").path
            let attested = try harness.run(
                [
                    "attest", artifact, "--key", prefix + ".key", "--predicate", predicate, "--predicate-type", "https://slsa.dev/provenance/v1",
                    "--bundle", attestation, "--trust-config", instance.trustPath,
                ], environment: Self.passphrase)
            try #require(attested.exitCode == 0, "\(attested.stderr)")
            #expect(
                try harness.run(["verify", artifact, "--bundle", attestation, "--key", prefix + ".pub", "--trust-config", instance.trustPath]).exitCode == 0)

            let refused = harness.directory.appendingPathComponent("refused.sigstore.json").path
            let wrongPassphrase = try harness.run(
                ["sign", artifact, "--key", prefix + ".key", "--bundle", refused, "--trust-config", instance.trustPath],
                environment: ["SIGNET_SIGNING_KEY_PASSPHRASE": "not it"])
            #expect(wrongPassphrase.exitCode == 3 && wrongPassphrase.stderr.contains("wrong passphrase"), "\(wrongPassphrase.stderr)")
            let garbage = try harness.write("garbage.key", Array("-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n".utf8))
            let malformed = try harness.run(["sign", artifact, "--key", garbage, "--bundle", refused, "--trust-config", instance.trustPath])
            #expect(malformed.exitCode == 3 && malformed.stderr.contains("not usable"), "\(malformed.stderr)")
            #expect(!FileManager.default.fileExists(atPath: refused), "a refused signing writes no bundle")
        }
    }

    @Test("a certificate from the organisation's PKI (made by OpenSSL) verifies against its chain, and not against another's")
    func organizationPKI() async throws {
        try await DevInstance.with { instance in
            let harness = instance.harness
            func path(_ name: String) -> String { harness.directory.appendingPathComponent(name).path }
            func openssl(_ arguments: [String]) throws {
                let result = try OpenSSL.run(arguments)
                try #require(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.output)")
            }
            for (name, organization) in [("acme", "Acme"), ("other", "Other")] {
                try openssl([
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path("\(name)-root.key"), "-out",
                    path("\(name)-root.pem"), "-subj", "/O=\(organization)/CN=\(organization) Root", "-days", "30", "-addext",
                    "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
                ])
            }
            try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path("leaf.key")])
            try openssl(["req", "-new", "-key", path("leaf.key"), "-subj", "/O=Acme/CN=release", "-out", path("leaf.csr")])
            _ = try harness.write(
                "leaf.ext",
                Array(
                    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\nsubjectAltName=email:release@acme.test\n".utf8
                ))
            try openssl([
                "x509", "-req", "-in", path("leaf.csr"), "-CA", path("acme-root.pem"), "-CAkey", path("acme-root.key"), "-CAcreateserial", "-out",
                path("leaf.pem"), "-days", "10", "-extfile", path("leaf.ext"),
            ])
            let artifact = try harness.write("app.bin", Array("the app".utf8))
            let bundle = path("app.sigstore.json")
            let signed = try harness.run([
                "sign", artifact, "--key", path("leaf.key"), "--certificate", path("leaf.pem"), "--certificate-chain", path("acme-root.pem"), "--bundle",
                bundle, "--trust-config", instance.trustPath,
            ])
            try #require(signed.exitCode == 0, "\(signed.stderr)")
            #expect(signed.stdout.contains("as release@acme.test"))
            func verify(chain: String, identity: String = "release@acme.test") throws -> CLIHarness.Result {
                try harness.run([
                    "verify", artifact, "--bundle", bundle, "--certificate-chain", path(chain), "--certificate-identity", identity, "--trust-config",
                    instance.trustPath,
                ])
            }
            let good = try verify(chain: "acme-root.pem")
            #expect(good.exitCode == 0 && good.stdout.contains("chains to the organisation's anchor"), "\(good.stdout)")
            let otherRoot = try verify(chain: "other-root.pem")
            #expect(otherRoot.exitCode == 1 && otherRoot.stdout.contains("certificate-chain-invalid"), "\(otherRoot.stdout)")
            #expect(try verify(chain: "acme-root.pem", identity: "mallory@acme.test").exitCode == 2)
            let asInstanceCA = try harness.run([
                "verify", artifact, "--bundle", bundle, "--certificate-identity", "release@acme.test", "--certificate-oidc-issuer", instance.issuer,
                "--trust-config", instance.trustPath,
            ])
            #expect(asInstanceCA.exitCode == 1, "a certificate of the organisation's PKI does not chain to the instance's CA: \(asInstanceCA.stdout)")
        }
    }

    @Test("a key generated in a PKCS #11 token (SoftHSM2) signs; the bundle verifies with its public key; a wrong PIN is refused")
    func tokenKey() async throws {
        let softHSM = try TestSoftHSM(tokens: ["signet-cli"])
        try await DevInstance.with { instance in
            let harness = instance.harness
            let environment = ["SOFTHSM2_CONF": softHSM.configuration.path, "SIGNET_PKCS11_PIN": TestSoftHSM.pin]
            let prefix = harness.directory.appendingPathComponent("hsm").path
            let uri = softHSM.uri(token: "signet-cli", object: "release-prod", pin: nil)
            let onCommandLine = try harness.run(
                ["key", "generate", "--pkcs11", softHSM.uri(token: "signet-cli", object: "other"), "--output", prefix + "-refused"], environment: environment)
            #expect(onCommandLine.exitCode == 3 && onCommandLine.stderr.contains("not on the command line"), "\(onCommandLine.stderr)")
            let generated = try harness.run(["key", "generate", "--pkcs11", uri, "--output", prefix], environment: environment)
            try #require(generated.exitCode == 0, "\(generated.stderr)")
            #expect(!generated.stdout.contains(TestSoftHSM.pin), "the PIN is never printed")
            #expect(!FileManager.default.fileExists(atPath: prefix + ".key"))
            let artifact = try harness.write("hsm.bin", Array("signed in the HSM".utf8))
            let bundle = prefix + ".sigstore.json"
            let signed = try harness.run(["sign", artifact, "--key", uri, "--bundle", bundle, "--trust-config", instance.trustPath], environment: environment)
            try #require(signed.exitCode == 0, "\(signed.stderr)")
            #expect(try harness.run(["verify", artifact, "--bundle", bundle, "--key", prefix + ".pub", "--trust-config", instance.trustPath]).exitCode == 0)
            let wrongPIN = try harness.run(
                ["sign", artifact, "--key", uri, "--bundle", bundle + ".2", "--trust-config", instance.trustPath],
                environment: environment.merging(["SIGNET_PKCS11_PIN": "0000"]) { $1 })
            #expect(wrongPIN.exitCode == 3 && wrongPIN.stderr.contains("CKR_PIN_INCORRECT") && !wrongPIN.stderr.contains("0000"), "\(wrongPIN.stderr)")
        }
    }
}
