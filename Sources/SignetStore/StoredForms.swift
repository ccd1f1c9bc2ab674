import SignetCore

// The text forms records are stored in, shared by every engine so that a store migrated from
// one engine to another holds the same values.

extension IssuedCertificate {
    /// The provenance as stored: a JSON object of OID to value, keys sorted.
    public var storedProvenance: String {
        String(
            decoding: JSONValue.object(JSONObject(provenance.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })).compactBytes(),
            as: UTF8.self)
    }

    /// The provenance read back from ``storedProvenance``; members that are not strings are dropped.
    public static func provenance(stored: String) -> [String: String] {
        var provenance: [String: String] = [:]
        if case .object(let object)? = try? JSONParser().parse(Array(stored.utf8)) {
            for member in object.members { if case .string(let value) = member.value { provenance[member.name] = value } }
        }
        return provenance
    }
}

extension SignatureRecord {
    /// The provenance as stored: a JSON object of extension OID to attested value, keys
    /// sorted, with the stated values (if any) in a member `stated` of the same form.
    public var storedProvenance: String {
        func members(_ values: [FulcioExtension: String]) -> [(String, JSONValue)] {
            values.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, JSONValue.string($0.value)) }
        }
        var object = members(provenance)
        if !statedProvenance.isEmpty { object.append(("stated", .object(JSONObject(members(statedProvenance))))) }
        return String(decoding: JSONValue.object(JSONObject(object)).compactBytes(), as: UTF8.self)
    }

    /// The attested and stated provenance read back from ``storedProvenance``; unknown
    /// extensions are dropped.
    public static func provenance(stored: String) throws -> (attested: [FulcioExtension: String], stated: [FulcioExtension: String]) {
        func values(_ object: JSONObject) -> [FulcioExtension: String] {
            var values: [FulcioExtension: String] = [:]
            for member in object.members {
                if let key = FulcioExtension(rawValue: member.name), case .string(let value) = member.value { values[key] = value }
            }
            return values
        }
        guard case .object(let object) = try JSONParser().parse(Array(stored.utf8), context: "provenance") else { return ([:], [:]) }
        guard case .object(let stated)? = object["stated"] else { return (values(object), [:]) }
        return (values(object), values(stated))
    }
}

extension APIKeyRecord {
    /// The scopes as stored: their names, sorted, separated by spaces.
    public var storedScopes: String { scopes.sorted().map(\.rawValue).joined(separator: " ") }

    /// The scopes read back from ``storedScopes``; unknown names are dropped.
    public static func scopes(stored: String) -> Set<AccessScope> {
        Set(stored.split(separator: " ").compactMap { AccessScope(rawValue: String($0)) })
    }
}
