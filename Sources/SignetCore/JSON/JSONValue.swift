/// A parsed JSON value (RFC 8259) that keeps numbers as their literal text, so 64-bit integers
/// survive exactly and canonical output (RFC 8785) can be produced from what was read.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The literal text of a number, as it appeared (already checked against the RFC 8259 grammar).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A short name of the value's type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Makes a number value from an integer.
    public static func integer<I: BinaryInteger>(_ value: I) -> JSONValue {
        .number(String(value))
    }
}

/// A JSON object with its members in input order. Duplicate names are refused by the parser.
public struct JSONObject: Sendable, Hashable {
    public private(set) var members: [(name: String, value: JSONValue)]

    public init() { members = [] }

    /// Members in order; a repeated name keeps its first position and its last value.
    public init(_ members: [(String, JSONValue)]) {
        self.members = []
        for (name, value) in members { self[name] = value }
    }

    /// Members whose names the caller has already checked are distinct (the parser does).
    init(distinctMembers: [(name: String, value: JSONValue)]) {
        self.members = distinctMembers
    }

    public subscript(name: String) -> JSONValue? {
        get { members.first(where: { $0.name == name })?.value }
        set {
            if let index = members.firstIndex(where: { $0.name == name }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((name, newValue))
            }
        }
    }

    public var names: [String] { members.map(\.name) }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for member in members {
            hasher.combine(member.name)
            hasher.combine(member.value)
        }
    }
}
