import SignetCore

/// Who may sign into which namespace. Each rule grants one namespace to the signers whose
/// verified certificate shows its issuer and, when the rule says so, an identity prefix and
/// exact provenance values (a repository owner, say). Nothing is granted by default: a
/// signer outside every rule may sign into no namespace.
public struct NamespacePolicy: Sendable, Hashable {
    /// One grant.
    public struct Rule: Sendable, Hashable {
        public var namespace: String
        /// The OIDC issuer the certificate must name.
        public var issuer: String
        /// A prefix one of the certificate's SAN identities must start with, if set.
        public var identityPrefix: String?
        /// Provenance extension values the certificate must hold exactly.
        public var provenance: [FulcioExtension: String]

        public init(namespace: String, issuer: String, identityPrefix: String? = nil, provenance: [FulcioExtension: String] = [:]) {
            self.namespace = namespace
            self.issuer = issuer
            self.identityPrefix = identityPrefix
            self.provenance = provenance
        }

        func grants(issuer: String, identities: [String], provenance: [FulcioExtension: String]) -> Bool {
            guard issuer == self.issuer else { return false }
            if let identityPrefix, !identities.contains(where: { $0.hasPrefix(identityPrefix) }) { return false }
            return self.provenance.allSatisfy { provenance[$0.key] == $0.value }
        }
    }

    public var rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// The namespaces a signer with this verified certificate may sign into, sorted.
    public func namespaces(issuer: String, identities: [String], provenance: [FulcioExtension: String]) -> [String] {
        Set(rules.filter { $0.grants(issuer: issuer, identities: identities, provenance: provenance) }.map(\.namespace)).sorted()
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
