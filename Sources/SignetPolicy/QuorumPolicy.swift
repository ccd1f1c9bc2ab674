import SignetCore

/// A policy's release quorum: who must approve a release of the names it covers before the
/// gate admits it, in which roles and how many, for how long a request stays open, and who may
/// break the glass.
///
/// ```yaml
/// quorum:
///   total: 2                      # distinct approvers in all
///   requestTTLSeconds: 86400      # how long a request may collect approvals (default 1 day)
///   roles:
///     - name: engineering
///       min: 1                    # default 0
///       members: [{issuer: https://idp.example.com, identity: alice@example.com}]
///     - name: security
///       members: [{publicKey: "-----BEGIN PUBLIC KEY-----…"}]
///   breakGlass: {min: 1, validitySeconds: 3600, members: [{issuer: …, identity: …}]}
/// ```
///
/// A member is an identity (issuer and exact SAN) or a public key (PEM); the requester never
/// approves their own request.
public struct QuorumPolicy: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public var issuer: String?
        public var identity: String?
        /// DER SubjectPublicKeyInfo of a keyed member.
        public var publicKey: [UInt8]?

        public init(issuer: String, identity: String) {
            self.issuer = issuer
            self.identity = identity
        }

        public init(publicKey: [UInt8]) {
            self.publicKey = publicKey
        }
    }

    public struct Role: Sendable, Hashable {
        public var name: String
        public var members: [Member]
        public var min: Int
    }

    public struct BreakGlass: Sendable, Hashable {
        public var members: [Member]
        public var min: Int
        public var validitySeconds: Int64
    }

    public var roles: [Role]
    public var total: Int
    public var requestTTLSeconds: Int64
    public var breakGlass: BreakGlass?
    /// The quorum as written (RFC 8785 canonical JSON): a release request records it.
    public var canonicalJSON: [UInt8]

    /// The longest a request may stay open, and a break-glass approval hold.
    public static let maxSeconds: Int64 = 30 * 86_400

    /// Reads a quorum from its JSON (as a release request records it).
    public init(json value: JSONValue) throws(PolicyError) {
        var reader = Reader(lines: SourceLines([]))
        try self.init(value, reader: &reader, at: "quorum")
    }

    init(_ value: JSONValue, reader: inout Reader, at path: String) throws(PolicyError) {
        var object = try reader.object(value, at: path)
        total = try reader.integer(&object, "total", at: path, in: 1...64)
        requestTTLSeconds = Int64(try reader.optionalInteger(&object, "requestTTLSeconds", at: path, in: 1...Int(Self.maxSeconds)) ?? 86_400)
        var roles: [Role] = []
        for (index, element) in try reader.array(try reader.required(&object, "roles", at: path), at: "\(path).roles").enumerated() {
            let rolePath = "\(path).roles[\(index)]"
            var role = try reader.object(element, at: rolePath)
            let name = try reader.identifier(&role, "name", at: rolePath)
            guard name != ReleaseRequest.breakGlassRole else {
                throw reader.error(
                    "\(rolePath).name", "expected a role name other than \(ReleaseRequest.breakGlassRole), which names the break-glass approvers")
            }
            guard !roles.contains(where: { $0.name == name }) else {
                throw reader.error("\(rolePath).name", "expected role names once each, found \(name) twice")
            }
            let min = try reader.optionalInteger(&role, "min", at: rolePath, in: 0...64) ?? 0
            let members = try Self.members(&role, reader: &reader, at: rolePath)
            guard members.count >= min else {
                throw reader.error(rolePath, "expected at least min (\(min)) members, found \(members.count)")
            }
            try reader.finish(role, at: rolePath)
            roles.append(Role(name: name, members: members, min: min))
        }
        guard !roles.isEmpty else { throw reader.error("\(path).roles", "expected at least one role, found none") }
        guard Set(roles.flatMap(\.members)).count >= total else {
            throw reader.error(
                "\(path).total", "expected total (\(total)) to be at most the number of distinct members, found \(Set(roles.flatMap(\.members)).count)")
        }
        guard roles.map(\.min).reduce(0, +) <= total else {
            throw reader.error(
                "\(path).total", "expected total (\(total)) to be at least the sum of the roles' minimums, found \(roles.map(\.min).reduce(0, +))")
        }
        self.roles = roles
        if let glass = try reader.optional(&object, "breakGlass") {
            let glassPath = "\(path).breakGlass"
            var breakGlass = try reader.object(glass, at: glassPath)
            let min = try reader.integer(&breakGlass, "min", at: glassPath, in: 1...64)
            let validity = Int64(try reader.integer(&breakGlass, "validitySeconds", at: glassPath, in: 60...Int(Self.maxSeconds)))
            let members = try Self.members(&breakGlass, reader: &reader, at: glassPath)
            guard members.count >= min else { throw reader.error(glassPath, "expected at least min (\(min)) members, found \(members.count)") }
            try reader.finish(breakGlass, at: glassPath)
            self.breakGlass = BreakGlass(members: members, min: min, validitySeconds: validity)
        }
        try reader.finish(object, at: path)
        do { canonicalJSON = try value.canonicalBytes() } catch { throw reader.error(path, "expected integers only, found \(error.reason)") }
    }

    private static func members(_ object: inout JSONObject, reader: inout Reader, at path: String) throws(PolicyError) -> [Member] {
        let membersPath = "\(path).members"
        var members: [Member] = []
        for (index, element) in try reader.array(try reader.required(&object, "members", at: path), at: membersPath).enumerated() {
            let memberPath = "\(membersPath)[\(index)]"
            var member = try reader.object(element, at: memberPath)
            if let pem = try reader.optionalString(&member, "publicKey", at: memberPath) {
                let spki: [UInt8]
                do {
                    _ = try VerificationKey(pem: pem, context: memberPath)
                    spki = try PEM.decodeAll(pem, context: memberPath)[0].der
                } catch {
                    throw reader.error("\(memberPath).publicKey", "expected a PEM public key (P-256, P-384, Ed25519, RSA), found \(error.reason)")
                }
                members.append(Member(publicKey: spki))
            } else {
                let issuer = try reader.text(&member, "issuer", at: memberPath, maxBytes: 1024)
                let identity = try reader.text(&member, "identity", at: memberPath, maxBytes: 1024)
                members.append(Member(issuer: issuer, identity: identity))
            }
            try reader.finish(member, at: memberPath)
        }
        guard !members.isEmpty else { throw reader.error(membersPath, "expected at least one member, found none") }
        return members
    }

    /// The members of `role` (the break-glass members for ``ReleaseRequest/breakGlassRole``).
    func members(of role: String, breakGlass: Bool) -> [Member] {
        breakGlass ? (role == ReleaseRequest.breakGlassRole ? self.breakGlass?.members ?? [] : []) : roles.first { $0.name == role }?.members ?? []
    }
}

extension Reader {
    func optionalInteger(_ object: inout JSONObject, _ name: String, at path: String, in range: ClosedRange<Int>) throws(PolicyError) -> Int? {
        guard let value = try optional(&object, name) else { return nil }
        guard case .number(let text) = value, let number = Int(text), range.contains(number) else {
            throw error(join(path, name), "expected an integer from \(range.lowerBound) to \(range.upperBound), found \(value.typeName)")
        }
        return number
    }

    func integer(_ object: inout JSONObject, _ name: String, at path: String, in range: ClosedRange<Int>) throws(PolicyError) -> Int {
        guard let value = try optionalInteger(&object, name, at: path, in: range) else { throw error(path, "expected member \"\(name)\", found none") }
        return value
    }
}
