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
        /// A prefix one of the certificate's SAN identities must start with, if set.
        public var identityPrefix: String?
        /// Provenance extension values the token must show exactly.
        public var provenance: [FulcioExtension: String]
        /// What the rule lets those identities do.
        public var scopes: Set<AccessScope>

        public init(namespace: String, issuer: String, identityPrefix: String? = nil, provenance: [FulcioExtension: String] = [:], scopes: Set<AccessScope> = [.sign]) {
            self.namespace = namespace
            self.issuer = issuer
            self.identityPrefix = identityPrefix
            self.provenance = provenance
            self.scopes = scopes
        }

        func grants(_ scope: AccessScope, issuer: String, identities: [String], provenance: [FulcioExtension: String]) -> Bool {
            guard scopes.contains(scope), issuer == self.issuer else { return false }
            if let identityPrefix, !identities.contains(where: { $0.hasPrefix(identityPrefix) }) { return false }
            return self.provenance.allSatisfy { provenance[$0.key] == $0.value }
        }
    }

    public var rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// The namespaces in which an identity (from a verified token: its issuer, SAN identities
    /// and the provenance its claims map to) holds `scope`, sorted.
    public func namespaces(granting scope: AccessScope, issuer: String, identities: [String], provenance: [FulcioExtension: String]) -> [String] {
        Set(rules.filter { $0.grants(scope, issuer: issuer, identities: identities, provenance: provenance) }.map(\.namespace)).sorted()
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
