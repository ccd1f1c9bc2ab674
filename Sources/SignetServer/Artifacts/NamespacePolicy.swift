import SignetCore
import SignetStore

/// Who may act in which namespace. Each rule grants scopes (sign, by default) in one
/// namespace to the OIDC identities whose verified token shows its issuer and, when the rule
/// says so, an identity prefix and exact provenance values (a repository owner, say). Nothing
/// is granted by default: an identity outside every rule may act in no namespace. API keys
/// carry their namespace and scopes themselves.
public struct NamespacePolicy: Sendable, Hashable {
    /// One grant.
    public struct Rule: Sendable, Hashable {
        public var namespace: String
        /// The OIDC issuer the certificate must name.
        public var issuer: String
        /// A prefix one of the certificate's SAN identities must start with at a boundary, if
        /// set (see ``NamespacePolicy/identity(_:hasPrefix:)``).
        public var identityPrefix: String?
        /// Provenance extension values the token must show exactly.
        public var provenance: [FulcioExtension: String]
        /// What the rule lets those identities do.
        public var scopes: Set<AccessScope>

        public init(
            namespace: String, issuer: String, identityPrefix: String? = nil, provenance: [FulcioExtension: String] = [:], scopes: Set<AccessScope> = [.sign]
        ) {
            self.namespace = namespace
            self.issuer = issuer
            self.identityPrefix = identityPrefix
            self.provenance = provenance
            self.scopes = scopes
        }

        func grants(_ scope: AccessScope, issuer: String, identities: [String], provenance: [FulcioExtension: String]) -> Bool {
            guard scopes.contains(scope), issuer == self.issuer else { return false }
            if let identityPrefix, !identities.contains(where: { NamespacePolicy.identity($0, hasPrefix: identityPrefix) }) { return false }
            return self.provenance.allSatisfy { provenance[$0.key] == $0.value }
        }
    }

    /// A name pattern a namespace owns: a registry host (`registry.example.com`: every name
    /// under it), or a host and path prefix (`ghcr.io/acme`: that repository and every one
    /// under `ghcr.io/acme/`, never `ghcr.io/acme-evil`). Hosts compare in the normalised form
    /// of ``ArtifactName`` (lower case, no default port).
    public struct NamePattern: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        /// The path prefix, without a trailing `/`; nil for the whole host.
        public var path: String?

        /// Parses `host[/path][/]`.
        public init(parsing text: String) throws(FormatError) {
            var trimmed = Substring(text)
            while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
            let zeros = String(repeating: "0", count: 64)
            let hasPath = trimmed.contains("/")
            // The name grammar validates and normalises the host and path; a host alone gets a
            // placeholder path.
            let probe: ArtifactName
            do { probe = try ArtifactName(parsing: "\(trimmed)\(hasPath ? "" : "/x")@sha256:\(zeros)") } catch {
                throw FormatError(
                    .invalidValue, at: "names",
                    "expected a registry host or host/path prefix (registry.example.com/team), found \"\(ProtoJSONObject.preview(text))\": \(error.reason)")
            }
            host = probe.host
            path = hasPath ? probe.path : nil
        }

        /// Whether `name` falls under the pattern, at a path-segment boundary.
        public func matches(_ name: ArtifactName) -> Bool {
            guard name.host == host else { return false }
            guard let path else { return true }
            return name.path == path || name.path.hasPrefix(path + "/")
        }

        /// How specific the pattern is: a longer prefix wins over a shorter one.
        var specificity: Int { path.map { $0.utf8.count + 1 } ?? 0 }

        public var description: String { path.map { "\(host)/\($0)" } ?? host }
    }

    /// What happens to a name no namespace's patterns own.
    public enum UnownedNames: String, Sendable, Hashable {
        /// Refused: every name must fall under a namespace's pattern (the default).
        case refuse
        /// The namespace of the name's first registration owns it (the store decides that
        /// atomically). For a single team, and for `--dev`.
        case firstRegistration = "first-registration"
    }

    /// A name pattern a namespace owns.
    public struct Owner: Sendable, Hashable {
        public var namespace: String
        public var pattern: NamePattern

        public init(namespace: String, pattern: NamePattern) {
            self.namespace = namespace
            self.pattern = pattern
        }
    }

    /// Every namespace the configuration declares, whether or not a rule or a pattern names it
    /// (one may hold API keys only).
    public var declared: Set<String>
    public var rules: [Rule]
    /// The name patterns each namespace owns.
    public var owners: [Owner]
    public var unownedNames: UnownedNames

    public init(declared: Set<String> = [], rules: [Rule], owners: [Owner] = [], unownedNames: UnownedNames = .refuse) {
        self.declared = declared.union(rules.map(\.namespace)).union(owners.map(\.namespace))
        self.rules = rules
        self.owners = owners
        self.unownedNames = unownedNames
    }

    /// The namespace whose most specific pattern owns `name`, or nil if none does.
    public func owner(of name: ArtifactName) -> String? {
        owners.filter { $0.pattern.matches(name) }.max { $0.pattern.specificity < $1.pattern.specificity }?.namespace
    }

    /// Refuses a pattern owned by two namespaces: ownership must be unambiguous.
    public func validateOwners() throws(FormatError) {
        var seen: [NamePattern: String] = [:]
        for owner in owners {
            let (namespace, pattern) = (owner.namespace, owner.pattern)
            if let other = seen[pattern], other != namespace {
                throw FormatError(
                    .invalidValue, at: "namespaces", "expected each name pattern owned by one namespace, found \(pattern) in both \(other) and \(namespace)")
            }
            seen[pattern] = namespace
        }
    }

    /// The namespaces in which an identity (from a verified token: its issuer, SAN identities
    /// and the provenance its claims map to) holds `scope`, sorted.
    public func namespaces(granting scope: AccessScope, issuer: String, identities: [String], provenance: [FulcioExtension: String]) -> [String] {
        Set(rules.filter { $0.grants(scope, issuer: issuer, identities: identities, provenance: provenance) }.map(\.namespace)).sorted()
    }

    /// Whether `identity` falls under `prefix` at a boundary, so a rule for one owner never
    /// admits a sibling whose name merely starts the same way: an email prefix
    /// (`user@host`, no scheme) matches that whole address only; a URI prefix matches itself,
    /// or a longer URI continuing with `/`, `@` (a workflow's ref), `?` or `#` after it
    /// (`https://github.com/acme` admits `https://github.com/acme/app` but not
    /// `https://github.com/acme-evil`), or anything after it when it ends in `/`.
    public static func identity(_ identity: String, hasPrefix prefix: String) -> Bool {
        guard !prefix.isEmpty else { return false }
        if prefix.contains("@") && !prefix.contains("://") { return identity == prefix }
        guard identity.hasPrefix(prefix) else { return false }
        if identity.utf8.count == prefix.utf8.count || prefix.hasSuffix("/") { return true }
        let next = identity.utf8[identity.utf8.index(identity.utf8.startIndex, offsetBy: prefix.utf8.count)]
        return next == UInt8(ascii: "/") || next == UInt8(ascii: "@") || next == UInt8(ascii: "?") || next == UInt8(ascii: "#")
    }

    /// Whether a namespace name is well formed: 1 to 63 lower-case letters, digits and inner
    /// dashes, as a DNS label.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") }
    }
}

extension FulcioExtension {
    /// The extension whose Fulcio field name is `name` (`sourceRepositoryOwnerURI`, …).
    public init?(fieldName name: String) {
        guard let found = Self.allCases.first(where: { $0.fieldName == name }) else { return nil }
        self = found
    }
}
