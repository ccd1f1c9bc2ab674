import Foundation
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
