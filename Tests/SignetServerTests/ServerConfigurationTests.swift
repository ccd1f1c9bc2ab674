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
        let path = try Self.file(
            #"""
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
        #expect(
            configuration.issuers == [
                .init(url: "https://token.actions.githubusercontent.com", profile: .githubActions),
                .init(url: "https://idp.acme.test", audience: "signet", profile: .email, jwksFile: "/etc/signet/idp.jwks"),
            ])
        try configuration.validate()
    }

    @Test("namespaces own name patterns: the most specific owns a name, at path-segment boundaries, in every host spelling")
    func nameOwnership() throws {
        let path = try Self.file(
            #"""
            {"unownedNames":"first-registration","namespaces":[
              {"name":"platform","names":["Registry.Example.com"],"signers":[]},
              {"name":"acme","names":["registry.example.com:443/acme/","ghcr.io/acme"],"signers":[]}]}
            """#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try ServerConfiguration(file: path)
        #expect(configuration.unownedNames == .firstRegistration)
        let policy = configuration.namespaces
        let digest = "@sha256:" + String(repeating: "0", count: 64)
        func owner(_ text: String) throws -> String? { policy.owner(of: try ArtifactName(parsing: text + digest)) }
        #expect(try owner("registry.example.com/acme/app") == "acme")
        #expect(try owner("REGISTRY.example.com:443/acme") == "acme")
        #expect(try owner("registry.example.com/acme-evil/app") == "platform", "a sibling path falls back to the host's owner")
        #expect(try owner("registry.example.com/other") == "platform")
        #expect(try owner("ghcr.io/acme/app/sub") == "acme")
        #expect(try owner("ghcr.io/acmex/app") == nil)
        #expect(try owner("registry.example.com:5000/acme/app") == nil, "another port is another registry")
        #expect(ServerConfiguration().unownedNames == nil)
    }

    @Test("namespaces grant signing by issuer, identity prefix and provenance; nothing is granted by default")
    func namespaces() throws {
        #expect(ServerConfiguration().namespaces.rules.isEmpty)
        let path = try Self.file(
            #"""
            {"namespaces":[
              {"name":"acme","signers":[{"issuer":"https://token.actions.githubusercontent.com","provenance":{"sourceRepositoryOwnerURI":"https://github.com/acme"}}]},
              {"name":"laptops","signers":[{"issuer":"https://idp.acme.test","identityPrefix":"dev-alice@acme.test"},{"issuer":"https://token.actions.githubusercontent.com","identityPrefix":"https://github.com/acme/tools/"}]},
              {"name":"security","signers":[{"issuer":"https://idp.acme.test","identityPrefix":"sec-bob@acme.test","scopes":["revoke","verify"]}]},
              {"name":"siblings","signers":[{"issuer":"https://token.actions.githubusercontent.com","identityPrefix":"https://github.com/acme","scopes":["verify"]}]}]}
            """#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let policy = try ServerConfiguration(file: path).namespaces
        let github = "https://token.actions.githubusercontent.com"
        #expect(
            policy.namespaces(
                granting: .sign, issuer: github, identities: ["https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1"],
                provenance: [.sourceRepositoryOwnerURI: "https://github.com/acme"]) == ["acme"])
        #expect(
            policy.namespaces(
                granting: .sign, issuer: github, identities: ["https://github.com/acme/tools/.github/workflows/x.yml@refs/heads/main"],
                provenance: [.sourceRepositoryOwnerURI: "https://github.com/acme"]) == ["acme", "laptops"])
        #expect(
            policy.namespaces(
                granting: .sign, issuer: github, identities: ["https://github.com/evil/app/.github/workflows/x.yml@refs/heads/main"],
                provenance: [.sourceRepositoryOwnerURI: "https://github.com/evil"]
            ).isEmpty)
        #expect(policy.namespaces(granting: .sign, issuer: "https://idp.acme.test", identities: ["dev-alice@acme.test"], provenance: [:]) == ["laptops"])
        #expect(policy.namespaces(granting: .sign, issuer: "https://idp.evil.test", identities: ["dev-alice@acme.test"], provenance: [:]).isEmpty)
        #expect(
            policy.namespaces(granting: .revoke, issuer: "https://idp.acme.test", identities: ["dev-alice@acme.test"], provenance: [:]).isEmpty,
            "sign is the default scope, and the only one")
        #expect(policy.namespaces(granting: .revoke, issuer: "https://idp.acme.test", identities: ["sec-bob@acme.test"], provenance: [:]) == ["security"])
        #expect(policy.namespaces(granting: .sign, issuer: "https://idp.acme.test", identities: ["sec-bob@acme.test"], provenance: [:]).isEmpty)
        // Prefixes respect boundaries: the whole address for an email, a path segment (or a
        // workflow's @ref) for a URI; a longer sibling is never admitted.
        for sibling in ["dev-alice@acme.test.evil.example", "dev-alice@acme.testx", "xdev-alice@acme.test", "dev-alice@acme.test/x"] {
            #expect(policy.namespaces(granting: .sign, issuer: "https://idp.acme.test", identities: [sibling], provenance: [:]).isEmpty, "\(sibling)")
        }
        for sibling in ["https://github.com/acme-evil/app/.github/workflows/x.yml@refs/heads/main", "https://github.com/acmeX", "https://github.com/ac"] {
            #expect(policy.namespaces(granting: .verify, issuer: github, identities: [sibling], provenance: [:]).isEmpty, "\(sibling)")
        }
        for member in ["https://github.com/acme", "https://github.com/acme/app/.github/workflows/x.yml@refs/heads/main", "https://github.com/acme@x"] {
            #expect(policy.namespaces(granting: .verify, issuer: github, identities: [member], provenance: [:]) == ["siblings"], "\(member)")
        }
        #expect(
            policy.namespaces(
                granting: .sign, issuer: github, identities: ["https://github.com/acme/toolsX/.github/workflows/x.yml@refs/heads/main"], provenance: [:]
            ).isEmpty)
        for (text, fragment) in [
            (#"{"namespaces":[{"name":"Acme","signers":[]}]}"#, "lower-case"),
            (#"{"namespaces":[{"name":"acme","signers":[{"issuer":"x","identityPrefix":"dev-"}]}]}"#, "a whole email address"),
            (#"{"namespaces":[{"name":"acme","names":["Registry.Example.com/UPPER"],"signers":[]}]}"#, "host/path prefix"),
            (
                #"{"namespaces":[{"name":"a","names":["r.example/x"],"signers":[]},{"name":"b","names":["R.example:443/x/"],"signers":[]}]}"#,
                "owned by one namespace"
            ),
            (#"{"unownedNames":"anyone"}"#, "refuse or first-registration"),
            (#"{"namespaces":[{"name":"acme","signers":[{"issuer":"x","provenance":{"sourceRepositoryOwner":"y"}}]}]}"#, "Fulcio extension name"),
            (#"{"namespaces":[{"name":"acme","signers":[{"issuer":"x","provenance":"y"}]}]}"#, "expected an object"),
            (#"{"namespaces":[{"name":"acme","signers":[{"isuer":"x"}]}]}"#, "expected member \"issuer\""),
            (#"{"namespaces":[{"name":"acme","signers":[{"issuer":"x","scopes":["delete"]}]}]}"#, "expected one of sign, verify, read, revoke, admin, audit"),
        ] {
            let bad = try Self.file(text)
            defer { try? FileManager.default.removeItem(atPath: bad) }
            #expect { try ServerConfiguration(file: bad) } throws: { "\($0)".contains(fragment) }
        }
        #expect(
            NamespacePolicy.isValidName("team-a1") && !NamespacePolicy.isValidName("-a") && !NamespacePolicy.isValidName("a'; drop")
                && !NamespacePolicy.isValidName(String(repeating: "a", count: 64)))
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

    @Test("--dev listens only where every resolved address is loopback, whatever the name looks like")
    func developmentLoopbackGuard() throws {
        // Accepted: loopback literals, and localhost (from /etc/hosts; no network is used).
        for listen in ["127.0.0.1:8080", "127.9.8.7:8080", "[::1]:8080", "localhost:8080"] {
            var configuration = ServerConfiguration()
            configuration.development = true
            try configuration.setListen(listen)
            #expect(configuration.listensOnLoopback, "\(listen)")
            try configuration.validate()
        }
        // Refused: wildcards, other addresses, and names that only look like loopback. The
        // made-up names do not resolve here (no network), and a name that does not resolve is refused.
        for listen in [
            "0.0.0.0:8080", "[::]:8080", "10.0.0.1:8080", "192.168.1.1:8080", "[::ffff:10.0.0.1]:8080", "[fe80::1]:8080",
            "127.0.0.1.nip.io:8080", "127.0.0.1.signet-test.invalid:8080", "localhost.signet-test.invalid:8080", "127.evil.invalid:8080",
        ] {
            var configuration = ServerConfiguration()
            configuration.development = true
            try configuration.setListen(listen)
            #expect(!configuration.listensOnLoopback, "\(listen)")
            #expect { try configuration.validate() } throws: { "\($0)".contains("--dev-insecure-allow-remote") && "\($0)".contains("127.0.0.0/8") }
            configuration.developmentInsecureAllowRemote = true
            try configuration.validate()
        }
    }

    @Test("--listen takes port 0 (the kernel chooses), and refuses ports outside 0 to 65535")
    func listenPorts() throws {
        var configuration = ServerConfiguration()
        try configuration.setListen("127.0.0.1:0")
        #expect(configuration.listenPort == 0)
        for text in ["127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:", ":8080"] {
            #expect { try configuration.setListen(text) } throws: { "\($0)".contains("from 0 to 65535") }
        }
    }

    @Test("a port reservation holds a kernel-chosen port that a plain bind cannot take; the announcement line gives it back")
    func portReservation() throws {
        let reservation = try ListenPortReservation(host: "127.0.0.1")
        #expect((1...65_535).contains(reservation.port))
        let plain = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(plain) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(reservation.port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(plain, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(bound != 0 && errno == EADDRINUSE, "a socket without SO_REUSEADDR took the reserved port")
        let announced = ListeningAnnouncement(
            host: "127.0.0.1", port: reservation.port, publicURL: "http://127.0.0.1:\(reservation.port)", dataDirectory: "/tmp/d")
        #expect(ListeningAnnouncement.port(in: "warning: x\n" + announced.line + "\nnext line\n") == reservation.port)
        #expect(ListeningAnnouncement.port(in: announced.line) == nil, "an incomplete line is not read")
        let v6 = ListeningAnnouncement(host: "::1", port: 4321, publicURL: "http://[::1]:4321", dataDirectory: "d")
        #expect(v6.line.hasPrefix("signet server listening on [::1]:4321 ") && ListeningAnnouncement.port(in: v6.line + "\n") == 4321)
        #expect(throws: (any Error).self) { try ListenPortReservation(host: "no-such-host.signet-test.invalid") }
    }
}
