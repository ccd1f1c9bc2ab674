import Foundation
import SignetCore
import SignetIdentity
import SignetServer
import Testing

@Suite("Server configuration")
struct ServerConfigurationTests {
    static func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("signet-config-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test("a file sets every option; flags' defaults fill the rest")
    func parse() throws {
        let path = try Self.file(#"""
            {"dataDirectory":"/srv/signet","listen":"0.0.0.0:9000","publicURL":"https://signet.acme.test","organization":"Acme",
             "certificateLifetimeSeconds":600,"maxBatchSize":256,"logLevel":"warning","passphraseFile":"/etc/signet/passphrase",
             "issuers":[{"url":"https://token.actions.githubusercontent.com","profile":"github-actions"},
                        {"url":"https://idp.acme.test","audience":"signet","profile":"email","jwksFile":"/etc/signet/idp.jwks"}]}
            """#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try ServerConfiguration(file: path)
        #expect(configuration.dataDirectory == "/srv/signet")
        #expect(configuration.listenHost == "0.0.0.0" && configuration.listenPort == 9000)
        #expect(configuration.effectivePublicURL == "https://signet.acme.test")
        #expect(configuration.certificateLifetimeSeconds == 600 && configuration.maxBatchSize == 256 && configuration.logLevel == "warning")
        #expect(configuration.issuers == [
            .init(url: "https://token.actions.githubusercontent.com", profile: .githubActions),
            .init(url: "https://idp.acme.test", audience: "signet", profile: .email, jwksFile: "/etc/signet/idp.jwks"),
        ])
        try configuration.validate()
    }

    @Test("namespaces grant signing by issuer, identity prefix and provenance; nothing is granted by default")
    func namespaces() throws {
        #expect(ServerConfiguration().namespaces.rules.isEmpty)
        let path = try Self.file(#"""
            {"namespaces":[
              {"name":"acme","signers":[{"issuer":"https://token.actions.githubusercontent.com","provenance":{"sourceRepositoryOwnerURI":"https://github.com/acme"}}]},
              {"name":"laptops","signers":[{"issuer":"https://idp.acme.test","identityPrefix":"dev-"},{"issuer":"https://token.actions.githubusercontent.com","identityPrefix":"https://github.com/acme/tools/"}]},
              {"name":"security","signers":[{"issuer":"https://idp.acme.test","identityPrefix":"sec-","scopes":["revoke","verify"]}]}]}
            """#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let policy = try ServerConfiguration(file: path).namespaces
        let github = "https://token.actions.githubusercontent.com"
        #expect(policy.namespaces(granting: .sign, issuer: github, identities: ["https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1"], provenance: [.sourceRepositoryOwnerURI: "https://github.com/acme"]) == ["acme"])
        #expect(policy.namespaces(granting: .sign, issuer: github, identities: ["https://github.com/acme/tools/.github/workflows/x.yml@refs/heads/main"], provenance: [.sourceRepositoryOwnerURI: "https://github.com/acme"]) == ["acme", "laptops"])
        #expect(policy.namespaces(granting: .sign, issuer: github, identities: ["https://github.com/evil/app/.github/workflows/x.yml@refs/heads/main"], provenance: [.sourceRepositoryOwnerURI: "https://github.com/evil"]).isEmpty)
        #expect(policy.namespaces(granting: .sign, issuer: "https://idp.acme.test", identities: ["dev-alice@acme.test"], provenance: [:]) == ["laptops"])
        #expect(policy.namespaces(granting: .sign, issuer: "https://idp.evil.test", identities: ["dev-alice@acme.test"], provenance: [:]).isEmpty)
        #expect(policy.namespaces(granting: .revoke, issuer: "https://idp.acme.test", identities: ["dev-alice@acme.test"], provenance: [:]).isEmpty, "sign is the default scope, and the only one")
        #expect(policy.namespaces(granting: .revoke, issuer: "https://idp.acme.test", identities: ["sec-bob@acme.test"], provenance: [:]) == ["security"])
        #expect(policy.namespaces(granting: .sign, issuer: "https://idp.acme.test", identities: ["sec-bob@acme.test"], provenance: [:]).isEmpty)
        for (text, fragment) in [
            (#"{"namespaces":[{"name":"Acme","signers":[]}]}"#, "lower-case"),
            (#"{"namespaces":[{"name":"acme","signers":[{"issuer":"x","provenance":{"sourceRepositoryOwner":"y"}}]}]}"#, "Fulcio extension name"),
            (#"{"namespaces":[{"name":"acme","signers":[{"issuer":"x","provenance":"y"}]}]}"#, "expected an object"),
            (#"{"namespaces":[{"name":"acme","signers":[{"isuer":"x"}]}]}"#, "expected member \"issuer\""),
            (#"{"namespaces":[{"name":"acme","signers":[{"issuer":"x","scopes":["delete"]}]}]}"#, "expected one of sign, verify, revoke, admin"),
        ] {
            let bad = try Self.file(text)
            defer { try? FileManager.default.removeItem(atPath: bad) }
            #expect { try ServerConfiguration(file: bad) } throws: { "\($0)".contains(fragment) }
        }
        #expect(NamespacePolicy.isValidName("team-a1") && !NamespacePolicy.isValidName("-a") && !NamespacePolicy.isValidName("a'; drop") && !NamespacePolicy.isValidName(String(repeating: "a", count: 64)))
    }

    @Test("typos, bad values and --dev off loopback are refused with the reason")
    func refusals() throws {
        for (text, fragment) in [
            (#"{"listn":"127.0.0.1:1"}"#, "listn"),
            (#"{"listen":"127.0.0.1"}"#, "HOST:PORT"),
            (#"{"issuers":[{"url":"https://x","profile":"development"}]}"#, "profile"),
            (#"{"certificateLifetimeSeconds":"soon"}"#, "certificateLifetimeSeconds"),
        ] {
            let path = try Self.file(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect { try ServerConfiguration(file: path) } throws: { "\($0)".contains(fragment) }
        }
        var configuration = ServerConfiguration()
        configuration.certificateLifetimeSeconds = 10
        #expect { try configuration.validate() } throws: { "\($0)".contains("certificateLifetimeSeconds") }
        configuration = ServerConfiguration()
        configuration.development = true
        try configuration.setListen("0.0.0.0:8080")
        #expect { try configuration.validate() } throws: { "\($0)".contains("--dev-insecure-allow-remote") }
        configuration.developmentInsecureAllowRemote = true
        try configuration.validate()
        try configuration.setListen("[::1]:8443")
        #expect(configuration.listenHost == "::1" && configuration.listensOnLoopback)
    }
}
