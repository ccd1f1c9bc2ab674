import SignetCore
import SignetVerify

/// One policy: which artifacts it covers (its scope), who may publish them, which attestations
/// they need and what those must say, how it acts (enforce, warn, audit), and its time-boxed
/// exceptions. Read from JSON or YAML, strictly: an unknown member, a wrong type or a bad value
/// is refused with its line. The ``digest`` is of the document's RFC 8785 canonical form, so the
/// same policy has one digest however it was spaced, and in either format.
public struct PolicyDocument: Sendable, Hashable {
    /// The only `apiVersion` read.
    public static let apiVersion = "signet/v1"
    /// The largest policy read.
    public static let maxBytes = 1 << 20

    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Refuse what fails.
        case enforce
        /// Admit what fails, with a warning.
        case warn
        /// Admit what fails; record the failure only.
        case audit
    }

    /// What a policy covers: names matching one of `names`, owned by `namespace` if given, in
    /// `environment` (a policy without one is a baseline for every environment).
    public struct Scope: Sendable, Hashable {
        public var namespace: String?
        public var names: [Glob]
        public var environment: String?
    }

    /// Who may publish: an issuer and at least one of an identity and a source repository
    /// (attested by the certificate, not stated), narrowed by the workflow file, refs and
    /// runner environment. With `acceptStatedProvenance`, a value the certificate does not
    /// attest may be met by what the signer stated (an API key's pipeline).
    public struct Publisher: Sendable, Hashable {
        public var issuer: String
        public var identity: String?
        public var repository: String?
        /// The workflow file's path in the repository (`.github/workflows/release.yml`).
        public var workflow: String?
        public var refs: [Glob]
        public var runnerEnvironment: String?
        public var acceptStatedProvenance: Bool
    }

    /// An attestation every covered artifact needs: of `type`, signed by one of `signers`
    /// (the policy's publishers unless given), meeting every condition.
    public struct Requirement: Sendable, Hashable {
        public var type: PredicateType
        public var signers: [Publisher]?
        public var conditions: [Condition]
    }

    /// A time-boxed waiver for one digest or for names, with who owns it and why.
    public struct Exception: Sendable, Hashable {
        public var digest: [UInt8]?
        public var names: [Glob]
        public var owner: String
        public var reason: String
        public var expiresAt: Timestamp

        /// Whether it covers `name`.
        public func covers(_ name: ArtifactName) -> Bool {
            if let digest { return digest == name.digest }
            return names.contains { $0.matches(name.nameWithoutDigest) }
        }
    }

    public var name: String
    public var scope: Scope
    public var mode: Mode
    /// Before this time an `enforce` policy only warns.
    public var enforceFrom: Timestamp?
    /// Whether a message signature by a publisher is required (default true).
    public var requireSignature: Bool
    /// Whether the policy may name publishers by issuer alone.
    public var allowAnySigner: Bool
    public var publishers: [Publisher]
    public var requirements: [Requirement]
    public var exceptions: [Exception]
    /// The release quorum the names must meet (``QuorumPolicy``), if any.
    public var quorum: QuorumPolicy?
    /// The RFC 8785 canonical form of the document as read.
    public var canonicalJSON: [UInt8]
    /// SHA-256 of ``canonicalJSON``.
    public var digest: [UInt8]

    /// `sha256:<hex>` of the document.
    public var digestText: String { "sha256:\(Hex.encode(digest))" }

    /// Reads a policy from JSON; every error names its line.
    public init(jsonBytes bytes: [UInt8]) throws(PolicyError) {
        let value: JSONValue
        do { value = try JSONParser(maxBytes: Self.maxBytes, maxDepth: 16).parse(bytes, context: "policy") } catch {
            let lines = SourceLines(bytes)
            throw PolicyError(line: error.offset.map { lines.line(ofOffset: $0) }, path: "", reason: error.reason)
        }
        var reader = Reader(lines: SourceLines(bytes))
        try self.init(value, reader: &reader)
    }

    /// Reads a policy from YAML (the JSON-compatible subset ``YAMLParser`` reads: no anchors,
    /// aliases or tags); one document per file, every error naming its line.
    public init(yamlBytes bytes: [UInt8]) throws(PolicyError) {
        let documents: [YAMLDocument]
        do { documents = try YAMLParser(maxBytes: Self.maxBytes, maxDepth: 16).parseStream(bytes, context: "policy") } catch {
            throw PolicyError(line: error.offset.map { SourceLines(bytes).line(ofOffset: $0) }, path: "", reason: error.reason)
        }
        guard documents.count == 1, let document = documents.first else {
            throw PolicyError(line: nil, path: "", reason: "expected one YAML document (one policy per file), found \(documents.count)")
        }
        var reader = Reader(lines: SourceLines(lines: document.lines))
        try self.init(document.value, reader: &reader)
    }

    /// Reads a policy from JSON when ``isJSON(_:)``, else from YAML.
    public init(bytes: [UInt8]) throws(PolicyError) {
        if Self.isJSON(bytes) { try self.init(jsonBytes: bytes) } else { try self.init(yamlBytes: bytes) }
    }

    /// Whether a policy file is JSON: its first character after white space opens an object.
    public static func isJSON(_ bytes: [UInt8]) -> Bool {
        bytes.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }.first == UInt8(ascii: "{")
    }

    private init(_ value: JSONValue, reader: inout Reader) throws(PolicyError) {
        var root = try reader.object(value, at: "")
        let version = try reader.string(&root, "apiVersion", at: "")
        guard version == Self.apiVersion else {
            throw reader.error("apiVersion", "expected \"\(Self.apiVersion)\", found \"\(ProtoJSONObject.preview(version))\"")
        }
        let kind = try reader.string(&root, "kind", at: "")
        guard kind == "Policy" else { throw reader.error("kind", "expected \"Policy\", found \"\(ProtoJSONObject.preview(kind))\"") }
        name = try reader.identifier(&root, "name", at: "")
        var scopeObject = try reader.object(try reader.required(&root, "scope", at: ""), at: "scope")
        let names = try reader.globs(&scopeObject, "names", at: "scope", required: true)
        scope = Scope(
            namespace: try reader.optionalIdentifier(&scopeObject, "namespace", at: "scope"), names: names,
            environment: try reader.optionalIdentifier(&scopeObject, "environment", at: "scope"))
        try reader.finish(scopeObject, at: "scope")
        let modeText = try reader.optionalString(&root, "mode", at: "") ?? "enforce"
        guard let mode = Mode(rawValue: modeText) else {
            throw reader.error("mode", "expected enforce, warn or audit, found \"\(ProtoJSONObject.preview(modeText))\"")
        }
        self.mode = mode
        enforceFrom = try reader.optionalTime(&root, "enforceFrom", at: "")
        requireSignature = try reader.optionalBool(&root, "requireSignature", at: "") ?? true
        allowAnySigner = try reader.optionalBool(&root, "allowAnySigner", at: "") ?? false
        publishers = try reader.publishers(try reader.optional(&root, "publishers"), at: "publishers", allowAnySigner: allowAnySigner)
        var requirements: [Requirement] = []
        for (index, element) in try reader.array(try reader.optional(&root, "require"), at: "require").enumerated() {
            let path = "require[\(index)]"
            var object = try reader.object(element, at: path)
            let typeText = try reader.string(&object, "type", at: path)
            let type: PredicateType
            do { type = try PredicateType(parsing: typeText) } catch { throw reader.error("\(path).type", error.reason) }
            var signers: [Publisher]?
            switch try reader.optional(&object, "signers") {
            case nil, .string("publishers")?: signers = nil
            case let other?: signers = try reader.publishers(other, at: "\(path).signers", allowAnySigner: allowAnySigner)
            }
            var conditions: [Condition] = []
            for (conditionIndex, conditionValue) in try reader.array(try reader.optional(&object, "conditions"), at: "\(path).conditions").enumerated() {
                let conditionPath = "\(path).conditions[\(conditionIndex)]"
                guard case .string(let text) = conditionValue else {
                    throw reader.error(conditionPath, "expected an expression in a string, found \(conditionValue.typeName)")
                }
                do { conditions.append(try Condition(text)) } catch { throw reader.error(conditionPath, error.reason) }
            }
            try reader.finish(object, at: path)
            requirements.append(Requirement(type: type, signers: signers, conditions: conditions))
        }
        self.requirements = requirements
        var exceptions: [Exception] = []
        for (index, element) in try reader.array(try reader.optional(&root, "exceptions"), at: "exceptions").enumerated() {
            let path = "exceptions[\(index)]"
            var object = try reader.object(element, at: path)
            var digest: [UInt8]?
            if let text = try reader.optionalString(&object, "digest", at: path) {
                guard let artifact = Artifact.parseDigest(text), let bytes = artifact.sha256 else {
                    throw reader.error("\(path).digest", "expected sha256:<64 lower-case hex>, found \"\(ProtoJSONObject.preview(text))\"")
                }
                digest = bytes
            }
            let names = try reader.globs(&object, "names", at: path, required: false)
            guard (digest == nil) != names.isEmpty else {
                throw reader.error(path, "expected exactly one of digest and names, found \(digest == nil ? "neither" : "both")")
            }
            let owner = try reader.text(&object, "owner", at: path, maxBytes: 256)
            let reason = try reader.text(&object, "reason", at: path, maxBytes: 1024)
            guard let expiresAt = try reader.optionalTime(&object, "expiresAt", at: path) else {
                throw reader.error(path, "expected expiresAt: an exception without an expiry is never accepted")
            }
            try reader.finish(object, at: path)
            exceptions.append(Exception(digest: digest, names: names, owner: owner, reason: reason, expiresAt: expiresAt))
        }
        self.exceptions = exceptions
        if let value = try reader.optional(&root, "quorum") { quorum = try QuorumPolicy(value, reader: &reader, at: "quorum") }
        try reader.finish(root, at: "")
        guard requireSignature || !requirements.isEmpty else {
            throw reader.error(
                "requireSignature", "expected a signature or at least one attestation to be required, found neither: the policy would admit anything")
        }
        guard !publishers.isEmpty || (!requireSignature && requirements.allSatisfy { $0.signers != nil }) else {
            throw reader.error("publishers", "expected at least one publisher, found none")
        }
        do { canonicalJSON = try value.canonicalBytes() } catch { throw reader.error("", "expected integers only, found \(error.reason)") }
        digest = sha256(canonicalJSON)
    }

    /// Whether `text` is a policy, namespace or environment name: 1 to 63 of `a-z`, `0-9` and
    /// inner hyphens, as a DNS label.
    public static func isIdentifier(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let allowed = { (byte: UInt8) in (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D }
        return (1...63).contains(bytes.count) && bytes.allSatisfy(allowed) && bytes.first != 0x2D && bytes.last != 0x2D
    }

    /// Whether the policy covers `name`, owned by `namespace`, in `environment`.
    public func covers(_ name: ArtifactName, namespace: String?, environment: String) -> Bool {
        if let expected = scope.environment, expected != environment { return false }
        if let expected = scope.namespace, expected != namespace { return false }
        return scope.names.contains { $0.matches(name.nameWithoutDigest) }
    }

    /// How specifically the scope names `name`: the best of its matching patterns.
    func specificity(for name: ArtifactName) -> (prefix: Int, literals: Int) {
        scope.names.filter { $0.matches(name.nameWithoutDigest) }.map(\.specificity).max { ($0.prefix, $0.literals) < ($1.prefix, $1.literals) } ?? (0, 0)
    }
}

/// Why a policy was refused: where (line and path) and what was expected and found.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int?
    public var path: String
    public var reason: String

    public var description: String {
        (line.map { "line \($0): " } ?? "") + (path.isEmpty ? "" : "\(path): ") + reason
    }
}

extension ArtifactName {
    /// The name without its digest (`host/path`), which scopes and exceptions match.
    public var nameWithoutDigest: String { repository }
}

/// Reads a policy's members strictly, naming each error's line.
struct Reader {
    let lines: SourceLines

    func error(_ path: String, _ reason: String) -> PolicyError {
        PolicyError(line: lines.line(of: path), path: path, reason: reason)
    }

    func join(_ base: String, _ member: String) -> String { base.isEmpty ? member : "\(base).\(member)" }

    func object(_ value: JSONValue, at path: String) throws(PolicyError) -> JSONObject {
        guard case .object(let object) = value else { throw error(path, "expected an object, found \(value.typeName)") }
        return object
    }

    func array(_ value: JSONValue?, at path: String) throws(PolicyError) -> [JSONValue] {
        switch value {
        case nil: return []
        case .array(let elements)?: return elements
        case let other?: throw error(path, "expected an array, found \(other.typeName)")
        }
    }

    func optional(_ object: inout JSONObject, _ name: String) throws(PolicyError) -> JSONValue? {
        let value = object[name]
        object[name] = nil
        return value
    }

    func required(_ object: inout JSONObject, _ name: String, at path: String) throws(PolicyError) -> JSONValue {
        guard let value = try optional(&object, name) else { throw error(path, "expected member \"\(name)\", found none") }
        return value
    }

    func optionalString(_ object: inout JSONObject, _ name: String, at path: String) throws(PolicyError) -> String? {
        guard let value = try optional(&object, name) else { return nil }
        guard case .string(let text) = value else { throw error(join(path, name), "expected a string, found \(value.typeName)") }
        return text
    }

    func string(_ object: inout JSONObject, _ name: String, at path: String) throws(PolicyError) -> String {
        guard let text = try optionalString(&object, name, at: path) else { throw error(path, "expected member \"\(name)\", found none") }
        return text
    }

    func text(_ object: inout JSONObject, _ name: String, at path: String, maxBytes: Int) throws(PolicyError) -> String {
        let text = try string(&object, name, at: path)
        guard !text.isEmpty, text.utf8.count <= maxBytes, text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw error(join(path, name), "expected 1 to \(maxBytes) bytes of printable text, found \(text.utf8.count) bytes")
        }
        return text
    }

    func optionalBool(_ object: inout JSONObject, _ name: String, at path: String) throws(PolicyError) -> Bool? {
        guard let value = try optional(&object, name) else { return nil }
        guard case .bool(let flag) = value else { throw error(join(path, name), "expected true or false, found \(value.typeName)") }
        return flag
    }

    func optionalTime(_ object: inout JSONObject, _ name: String, at path: String) throws(PolicyError) -> Timestamp? {
        guard let text = try optionalString(&object, name, at: path) else { return nil }
        guard let time = Timestamp(rfc3339: text) else {
            throw error(join(path, name), "expected an RFC 3339 time (2026-12-01T00:00:00Z), found \"\(ProtoJSONObject.preview(text))\"")
        }
        return time
    }

    /// A lower-case identifier: a policy, namespace or environment name.
    func optionalIdentifier(_ object: inout JSONObject, _ name: String, at path: String) throws(PolicyError) -> String? {
        guard let text = try optionalString(&object, name, at: path) else { return nil }
        guard PolicyDocument.isIdentifier(text) else {
            throw error(join(path, name), "expected 1 to 63 of a-z, 0-9 and inner hyphens, found \"\(ProtoJSONObject.preview(text))\"")
        }
        return text
    }

    func identifier(_ object: inout JSONObject, _ name: String, at path: String) throws(PolicyError) -> String {
        guard let text = try optionalIdentifier(&object, name, at: path) else { throw error(path, "expected member \"\(name)\", found none") }
        return text
    }

    func globs(_ object: inout JSONObject, _ name: String, at path: String, required: Bool) throws(PolicyError) -> [Glob] {
        let memberPath = join(path, name)
        let elements = try array(try optional(&object, name), at: memberPath)
        if required && elements.isEmpty { throw error(memberPath, "expected at least one pattern, found none") }
        return try elements.enumerated().map { (index, element) throws(PolicyError) -> Glob in
            guard case .string(let text) = element, !text.isEmpty, text.utf8.count <= 512 else {
                throw error("\(memberPath)[\(index)]", "expected a pattern of 1 to 512 bytes, found \(element.typeName)")
            }
            return Glob(text)
        }
    }

    func finish(_ object: JSONObject, at path: String) throws(PolicyError) {
        if let extra = object.members.first {
            throw error(join(path, extra.name), "expected no member \"\(ProtoJSONObject.preview(extra.name))\" here (a misspelling?)")
        }
    }

    func publishers(_ value: JSONValue?, at path: String, allowAnySigner: Bool) throws(PolicyError) -> [PolicyDocument.Publisher] {
        try array(value, at: path).enumerated().map { (index, element) throws(PolicyError) -> PolicyDocument.Publisher in
            let elementPath = "\(path)[\(index)]"
            var object = try self.object(element, at: elementPath)
            let issuer = try text(&object, "issuer", at: elementPath, maxBytes: 1024)
            let identity = try optionalString(&object, "identity", at: elementPath)
            let repository = try optionalString(&object, "repository", at: elementPath)
            let workflow = try optionalString(&object, "workflow", at: elementPath)
            let refs = try globs(&object, "refs", at: elementPath, required: false)
            let runner = try optionalString(&object, "runnerEnvironment", at: elementPath)
            let stated = try optionalBool(&object, "acceptStatedProvenance", at: elementPath) ?? false
            try finish(object, at: elementPath)
            guard identity != nil || repository != nil || allowAnySigner else {
                throw error(
                    elementPath,
                    "expected an identity or a repository (an issuer alone admits anyone it serves), found neither; set allowAnySigner: true to mean it")
            }
            guard workflow == nil || repository != nil else { throw error("\(elementPath).workflow", "expected a repository for the workflow, found none") }
            return PolicyDocument.Publisher(
                issuer: issuer, identity: identity, repository: repository, workflow: workflow, refs: refs, runnerEnvironment: runner,
                acceptStatedProvenance: stated)
        }
    }
}
