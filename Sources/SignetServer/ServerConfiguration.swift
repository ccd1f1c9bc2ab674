import Foundation
import SignetCore
import SignetIdentity
import SignetPKCS11
import SignetPostgres
import SignetStore

/// How a server runs: read from a JSON file (`--config`), then overridden by command-line
/// flags. Every member is optional in the file; unknown members are refused, so a typo is an
/// error rather than a silently ignored setting. The README lists every option.
public struct ServerConfiguration: Sendable, Hashable {
    /// An OIDC issuer whose tokens the CA accepts.
    public struct Issuer: Sendable, Hashable {
        public var url: String
        public var audience: String
        public var profile: IssuerProfile
        /// A JWK Set file for air-gapped sites; without it, keys come from discovery.
        public var jwksFile: String?

        public init(url: String, audience: String = "sigstore", profile: IssuerProfile, jwksFile: String? = nil) {
            self.url = url
            self.audience = audience
            self.profile = profile
            self.jwksFile = jwksFile
        }
    }

    /// Sign-in to the web UI: an OpenID Connect issuer and this server's client there.
    public struct WebSignIn: Sendable, Hashable {
        /// The issuer; with `--dev` and none, the development identity provider.
        public var issuer: String?
        public var clientID: String?
        /// A file holding the client's secret, for a confidential client; without one the
        /// client is public and PKCE alone binds the code to the sign-in.
        public var clientSecretFile: String?
        /// How the issuer's ID tokens map to an identity (the `issuers` profiles).
        public var profile: IssuerProfile = .email
        /// How long a session lasts from sign-in.
        public var sessionLifetimeSeconds: Int64 = 28_800

        public init() {}
    }

    public var dataDirectory = "./signet-data"
    /// Where the store is: nil for the embedded SQLite store in the data directory, or a
    /// `postgres://USER@HOST:PORT/DATABASE` URL (see `PostgresLocation`), which any number of
    /// replicas may share.
    public var store: String?
    public var listenHost = "127.0.0.1"
    public var listenPort = 8080
    /// The URL clients reach the server at; defaults to `http://<listen>`.
    public var publicURL: String?
    public var organization = "Signet"
    public var certificateLifetimeSeconds: Int64 = 300
    public var maxBatchSize = 1024
    /// Seconds a connection may stay open without sending a complete request head: an idle
    /// kept-alive connection, a silent one, or one that sends its headers too slowly.
    public var idleTimeoutSeconds: Int64 = 30
    /// Seconds a request may take to send its body once its head has arrived.
    public var requestTimeoutSeconds: Int64 = 30
    /// Connections served at once; further clients wait in the listen backlog.
    public var maxConnections = 1024
    public var logLevel = "info"
    public var passphraseFile: String?
    /// A PKCS #11 URI (RFC 7512) naming the token that holds the instance's keys, with the
    /// module's `module-path` and the PIN's `pin-source` (or `SIGNET_PKCS11_PIN`); nil keeps
    /// them sealed in the data directory.
    public var keyStore: String?
    public var issuers: [Issuer] = [
        Issuer(url: "https://token.actions.githubusercontent.com", profile: .githubActions),
        Issuer(url: "https://gitlab.com", profile: .gitlabCI),
    ]
    /// Who may sign into which namespace, and which names each owns (none by default).
    public var namespaces = NamespacePolicy(rules: [])
    /// What happens to a name no namespace owns: refused by default, the first registration's
    /// namespace with `--dev`.
    public var unownedNames: NamespacePolicy.UnownedNames?
    /// Which entries the log takes from outside.
    public enum LogAccepts: String, Sendable, Hashable {
        /// Any entry whose signatures verify, as a Rekor does.
        case any
        /// Only entries signed with certificates this instance's CA issued or registered keys.
        case instance
    }

    /// Which entries the log takes from outside (`logAccepts`).
    public var logAccepts = LogAccepts.any
    /// PEM `PUBLIC KEY` files whose keys may sign entries when the log takes only this
    /// instance's (`logKeys`).
    public var logKeys: [String] = []
    /// Sign-in to the web UI (`ui`).
    public var webSignIn = WebSignIn()
    /// Enables the development identity provider (`--dev`).
    public var development = false
    /// Lets `--dev` listen on a non-loopback address (`--dev-insecure-allow-remote`).
    public var developmentInsecureAllowRemote = false

    public init() {}

    /// The effective public URL.
    public var effectivePublicURL: String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        let host = listenHost.contains(":") ? "[\(listenHost)]" : listenHost
        return "http://\(host):\(listenPort)"
    }

    /// Why a configuration cannot run.
    public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
        public var reason: String
        public var description: String { reason }
    }

    /// Parses `host:port` (IPv6 in brackets). Port 0 asks for a port the kernel chooses
    /// (``ListenPortReservation``); the server announces it (``ListeningAnnouncement``).
    public mutating func setListen(_ text: String) throws {
        let host: Substring
        let port: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ConfigurationError(reason: "expected --listen HOST:PORT, found \"\(text.prefix(80))\"") }
            port = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ConfigurationError(reason: "expected --listen HOST:PORT, found \"\(text.prefix(80))\"") }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let number = Int(port), (0...65535).contains(number) else {
            throw ConfigurationError(reason: "expected --listen HOST:PORT with a port from 0 to 65535, found \"\(text.prefix(80))\"")
        }
        listenHost = String(host)
        listenPort = number
    }

    /// Whether the listen host resolves, and only to loopback addresses (127.0.0.0/8, ::1):
    /// decided on the resolved addresses, never on the spelling of the name.
    public var listensOnLoopback: Bool {
        ListenAddress.isLoopbackOnly(listenHost)
    }

    /// Checks the combination before anything is created.
    public func validate() throws {
        if development && !listensOnLoopback && !developmentInsecureAllowRemote {
            throw ConfigurationError(
                reason:
                    "--dev mints identity tokens for anyone who can reach it, so it listens on loopback only: expected a listen host that resolves only to 127.0.0.0/8 or ::1, found --listen \(listenHost.prefix(80)). Pass --dev-insecure-allow-remote to force it"
            )
        }
        guard (60...86_400).contains(certificateLifetimeSeconds) else {
            throw ConfigurationError(reason: "expected certificateLifetimeSeconds from 60 to 86400, found \(certificateLifetimeSeconds)")
        }
        guard (1...65_536).contains(maxBatchSize) else {
            throw ConfigurationError(reason: "expected maxBatchSize from 1 to 65536, found \(maxBatchSize)")
        }
        guard (1...3_600).contains(idleTimeoutSeconds) else {
            throw ConfigurationError(reason: "expected idleTimeoutSeconds from 1 to 3600, found \(idleTimeoutSeconds)")
        }
        guard (1...3_600).contains(requestTimeoutSeconds) else {
            throw ConfigurationError(reason: "expected requestTimeoutSeconds from 1 to 3600, found \(requestTimeoutSeconds)")
        }
        guard (1...65_536).contains(maxConnections) else {
            throw ConfigurationError(reason: "expected maxConnections from 1 to 65536, found \(maxConnections)")
        }
        guard (5...604_800).contains(webSignIn.sessionLifetimeSeconds) else {
            throw ConfigurationError(reason: "expected ui.sessionLifetimeSeconds from 5 to 604800, found \(webSignIn.sessionLifetimeSeconds)")
        }
        if !development, (webSignIn.issuer == nil) != (webSignIn.clientID == nil) {
            throw ConfigurationError(reason: "expected ui.issuer and ui.clientID together, found only \(webSignIn.issuer == nil ? "ui.clientID" : "ui.issuer")")
        }
        if let keyStore {
            let uri: PKCS11URI
            do { uri = try PKCS11URI(keyStore) } catch { throw ConfigurationError(reason: "keyStore: \(error.reason)") }
            guard uri.pinValue == nil else {
                throw ConfigurationError(
                    reason: "keyStore: expected the PIN in a file (pin-source) or in \(PKCS11Token.pinEnvironmentVariable), not in the URI (pin-value)")
            }
            guard uri.object == nil, uri.id == nil, uri.modulePath != nil else {
                throw ConfigurationError(
                    reason: "keyStore: expected a URI naming a token and its module-path, without object or id (the instance names its keys), found \(uri)")
            }
        }
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) else {
            throw ConfigurationError(reason: "expected logLevel trace, debug, info, notice, warning, error or critical, found \"\(logLevel.prefix(20))\"")
        }
        guard let url = URLComponents(string: effectivePublicURL), ["http", "https"].contains(url.scheme ?? ""), url.host?.isEmpty == false, url.path.isEmpty
        else {
            throw ConfigurationError(reason: "expected publicURL as scheme://host[:port] without a path, found \"\(effectivePublicURL.prefix(120))\"")
        }
        if let store {
            do {
                _ = try PostgresLocation(url: store)
            } catch let error as PostgresLocation.LocationError {
                throw ConfigurationError(reason: "--store: \(error.description)")
            }
        }
    }

    /// Reads a configuration file over the defaults.
    public init(file path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ConfigurationError(reason: "cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        do {
            var object = try ProtoJSONObject(try JSONParser(maxBytes: 1 << 20, maxDepth: 16).parse(bytes, context: "config"), path: "config")
            if let value = try object.string("dataDirectory") { dataDirectory = value }
            if let value = try object.string("store") { store = value }
            if let value = try object.string("listen") { try setListen(value) }
            if let value = try object.string("publicURL") { publicURL = value }
            if let value = try object.string("organization") { organization = value }
            if let value = try object.int64("certificateLifetimeSeconds") { certificateLifetimeSeconds = value }
            if let value = try object.int64("maxBatchSize") { maxBatchSize = Int(clamping: value) }
            if let value = try object.int64("idleTimeoutSeconds") { idleTimeoutSeconds = value }
            if let value = try object.int64("requestTimeoutSeconds") { requestTimeoutSeconds = value }
            if let value = try object.int64("maxConnections") { maxConnections = Int(clamping: value) }
            if let value = try object.string("logLevel") { logLevel = value }
            if let value = try object.string("passphraseFile") { passphraseFile = value }
            if let value = try object.string("keyStore") { keyStore = value }
            if try object.optional("issuers") != nil {
                issuers = []
                for (element, elementPath) in try object.array("issuers") {
                    var issuer = try ProtoJSONObject(element, path: elementPath)
                    let url = try issuer.requiredString("url")
                    let audience = try issuer.string("audience") ?? "sigstore"
                    let profileName = try issuer.requiredString("profile")
                    guard let profile = IssuerProfile(rawValue: profileName), profile != .development else {
                        throw ConfigurationError(
                            reason: "\(elementPath).profile: expected one of github-actions, gitlab-ci, email, subject-uri, found \"\(profileName.prefix(40))\""
                        )
                    }
                    let jwksFile = try issuer.string("jwksFile")
                    try issuer.finish()
                    issuers.append(Issuer(url: url, audience: audience, profile: profile, jwksFile: jwksFile))
                }
            }
            if try object.optional("namespaces") != nil {
                let (declared, rules, owners) = try Self.namespaceRules(&object)
                namespaces = NamespacePolicy(declared: declared, rules: rules, owners: owners)
                try namespaces.validateOwners()
            }
            if let value = try object.string("logAccepts") {
                guard let accepts = LogAccepts(rawValue: value) else {
                    throw ConfigurationError(reason: "config.logAccepts: expected any or instance, found \"\(ProtoJSONObject.preview(value))\"")
                }
                logAccepts = accepts
            }
            if try object.optional("logKeys") != nil {
                logKeys = try object.array("logKeys").map { (element, elementPath) in
                    guard case .string(let path) = element else { throw ConfigurationError(reason: "\(elementPath): expected a PEM file path") }
                    return path
                }
            }
            if var ui = try object.message("ui") {
                webSignIn.issuer = try ui.string("issuer")
                webSignIn.clientID = try ui.string("clientID")
                webSignIn.clientSecretFile = try ui.string("clientSecretFile")
                if let name = try ui.string("profile") {
                    guard let profile = IssuerProfile(rawValue: name), profile != .development else {
                        throw ConfigurationError(
                            reason: "config.ui.profile: expected one of github-actions, gitlab-ci, email, subject-uri, found \"\(name.prefix(40))\"")
                    }
                    webSignIn.profile = profile
                }
                if let value = try ui.int64("sessionLifetimeSeconds") { webSignIn.sessionLifetimeSeconds = value }
                try ui.finish()
            }
            if let value = try object.string("unownedNames") {
                guard let mode = NamespacePolicy.UnownedNames(rawValue: value) else {
                    throw ConfigurationError(reason: "config.unownedNames: expected refuse or first-registration, found \"\(ProtoJSONObject.preview(value))\"")
                }
                unownedNames = mode
            }
            try object.finish()
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(reason: "the configuration file \(path) is not valid: \(error)")
        }
    }

    /// `namespaces: [{name, names?: [pattern], signers: [{issuer, identityPrefix?, provenance?: {field: value}, scopes?: [scope]}]}]`.
    private static func namespaceRules(_ object: inout ProtoJSONObject) throws -> (
        Set<String>, [NamespacePolicy.Rule], [NamespacePolicy.Owner]
    ) {
        var declared: Set<String> = []
        var rules: [NamespacePolicy.Rule] = []
        var owners: [NamespacePolicy.Owner] = []
        for (element, elementPath) in try object.array("namespaces") {
            var namespace = try ProtoJSONObject(element, path: elementPath)
            let name = try namespace.requiredString("name")
            guard NamespacePolicy.isValidName(name) else {
                throw ConfigurationError(
                    reason: "\(elementPath).name: expected 1 to 63 lower-case letters, digits and inner dashes, found \"\(ProtoJSONObject.preview(name))\"")
            }
            guard declared.insert(name).inserted else { throw ConfigurationError(reason: "\(elementPath).name: namespace \(name) is declared twice") }
            if try namespace.optional("names") != nil {
                for (patternElement, patternPath) in try namespace.array("names") {
                    guard case .string(let text) = patternElement else {
                        throw ConfigurationError(reason: "\(patternPath): expected a name pattern string (registry.example.com/team)")
                    }
                    do { owners.append(NamespacePolicy.Owner(namespace: name, pattern: try NamespacePolicy.NamePattern(parsing: text))) } catch {
                        throw ConfigurationError(reason: "\(patternPath): \(error.reason)")
                    }
                }
            }
            for (signerElement, signerPath) in try namespace.array("signers") {
                var signer = try ProtoJSONObject(signerElement, path: signerPath)
                let issuer = try signer.requiredString("issuer")
                let identityPrefix = try signer.string("identityPrefix")
                if let identityPrefix, !(identityPrefix.contains("://") || identityPrefix.contains("@")) {
                    throw ConfigurationError(
                        reason:
                            "\(signerPath).identityPrefix: expected a URI prefix (https://github.com/acme) or a whole email address, found \"\(ProtoJSONObject.preview(identityPrefix))\""
                    )
                }
                var provenance: [FulcioExtension: String] = [:]
                switch try signer.optional("provenance") {
                case nil: break
                case .object(let values)?:
                    for member in values.members {
                        guard let field = FulcioExtension(fieldName: member.name), case .string(let value) = member.value else {
                            throw ConfigurationError(
                                reason:
                                    "\(signerPath).provenance.\(ProtoJSONObject.preview(member.name)): expected a Fulcio extension name (sourceRepositoryOwnerURI, sourceRepositoryURI, …) with a string value"
                            )
                        }
                        provenance[field] = value
                    }
                default:
                    throw ConfigurationError(reason: "\(signerPath).provenance: expected an object of Fulcio extension names to values")
                }
                var scopes: Set<AccessScope> = [.sign]
                if try signer.optional("scopes") != nil {
                    scopes = []
                    for (scopeElement, scopePath) in try signer.array("scopes") {
                        guard case .string(let text) = scopeElement, let scope = AccessScope(rawValue: text) else {
                            throw ConfigurationError(reason: "\(scopePath): expected one of \(AccessScope.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        scopes.insert(scope)
                    }
                }
                try signer.finish()
                rules.append(NamespacePolicy.Rule(namespace: name, issuer: issuer, identityPrefix: identityPrefix, provenance: provenance, scopes: scopes))
            }
            try namespace.finish()
        }
        return (declared, rules, owners)
    }
}
