/// A reader for one protobuf-JSON message (the proto3 JSON mapping used by every Sigstore
/// document): members are found by their lowerCamelCase JSON name or their original snake_case
/// name, 64-bit integers are read from strings (or numbers), bytes from base64, and
/// `finish()` refuses any member the message does not define.
public struct ProtoJSONObject {
    public let path: String
    private let object: JSONObject
    /// Which members (by position) a reader asked for.
    private var consumed: [Bool]

    public init(_ value: JSONValue, path: String) throws(FormatError) {
        guard case .object(let object) = value else {
            throw FormatError(.invalidValue, at: path, "expected an object, found \(value.typeName)")
        }
        self.object = object
        self.path = path
        self.consumed = Array(repeating: false, count: object.members.count)
    }

    /// The snake_case spelling of a lowerCamelCase name.
    static func snakeCase(_ camel: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(camel.utf8.count + 4)
        for byte in camel.utf8 {
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                output.append(UInt8(ascii: "_"))
                output.append(byte + 32)
            } else {
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `member` is `camel` spelled in snake_case (`logIndex` → `log_index`), compared
    /// without building the snake_case string.
    static func isSnakeCase(_ member: String, of camel: String) -> Bool {
        var memberBytes = member.utf8.makeIterator()
        var sawUpper = false
        for byte in camel.utf8 {
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                sawUpper = true
                guard memberBytes.next() == UInt8(ascii: "_"), memberBytes.next() == byte + 32 else { return false }
            } else {
                guard memberBytes.next() == byte else { return false }
            }
        }
        return sawUpper && memberBytes.next() == nil
    }

    /// The value of a member, or nil if absent or JSON null (proto3: null means default).
    public mutating func optional(_ name: String) throws(FormatError) -> JSONValue? {
        var found: JSONValue?
        var foundIndex: Int?
        for (index, member) in object.members.enumerated() where member.name == name || Self.isSnakeCase(member.name, of: name) {
            guard foundIndex == nil else {
                throw FormatError(.invalidValue, at: path, "expected one of \"\(name)\" and \"\(Self.snakeCase(name))\", found both")
            }
            found = member.value
            foundIndex = index
        }
        if let foundIndex { consumed[foundIndex] = true }
        switch found {
        case .none, .some(.null): return nil
        case .some(let value): return value
        }
    }

    public mutating func required(_ name: String) throws(FormatError) -> JSONValue {
        guard let value = try optional(name) else {
            throw FormatError(.missingField, at: path, "expected member \"\(name)\", found none")
        }
        return value
    }

    public func childPath(_ name: String) -> String { "\(path).\(name)" }

    public mutating func message(_ name: String) throws(FormatError) -> ProtoJSONObject? {
        guard let value = try optional(name) else { return nil }
        return try ProtoJSONObject(value, path: childPath(name))
    }

    public mutating func requiredMessage(_ name: String) throws(FormatError) -> ProtoJSONObject {
        try ProtoJSONObject(try required(name), path: childPath(name))
    }

    public mutating func string(_ name: String) throws(FormatError) -> String? {
        guard let value = try optional(name) else { return nil }
        guard case .string(let text) = value else {
            throw FormatError(.invalidValue, at: childPath(name), "expected a string, found \(value.typeName)")
        }
        return text
    }

    public mutating func requiredString(_ name: String) throws(FormatError) -> String {
        guard let text = try string(name) else {
            throw FormatError(.missingField, at: path, "expected member \"\(name)\", found none")
        }
        return text
    }

    public mutating func bool(_ name: String) throws(FormatError) -> Bool? {
        guard let value = try optional(name) else { return nil }
        guard case .bool(let flag) = value else {
            throw FormatError(.invalidValue, at: childPath(name), "expected a boolean, found \(value.typeName)")
        }
        return flag
    }

    /// Base64 bytes (proto `bytes`).
    public mutating func bytes(_ name: String) throws(FormatError) -> [UInt8]? {
        guard let text = try string(name) else { return nil }
        guard let decoded = Base64.decode(text) else {
            throw FormatError(.syntax, at: childPath(name), "expected base64, found \"\(Self.preview(text))\"")
        }
        return decoded
    }

    public mutating func requiredBytes(_ name: String) throws(FormatError) -> [UInt8] {
        guard let decoded = try bytes(name) else {
            throw FormatError(.missingField, at: path, "expected member \"\(name)\", found none")
        }
        return decoded
    }

    /// A proto `int64`: a JSON string of decimal digits (or, leniently, a JSON integer).
    public mutating func int64(_ name: String) throws(FormatError) -> Int64? {
        guard let value = try optional(name) else { return nil }
        let literal: String
        switch value {
        case .string(let text): literal = text
        case .number(let text): literal = text
        default: throw FormatError(.invalidValue, at: childPath(name), "expected a 64-bit integer as a string, found \(value.typeName)")
        }
        guard let integer = Self.strictInteger(literal) else {
            throw FormatError(.invalidValue, at: childPath(name), "expected a 64-bit integer, found \"\(Self.preview(literal))\"")
        }
        return integer
    }

    /// A decimal integer in canonical form: an optional minus, no leading zeros, no plus sign,
    /// no exponent, within Int64.
    static func strictInteger(_ text: String) -> Int64? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= "0" && $0 <= "9" }), digits == "0" || digits.first != "0" else { return nil }
        return Int64(text)
    }

    /// A proto `uint32`/`int32`: a JSON number.
    public mutating func int32(_ name: String) throws(FormatError) -> Int32? {
        guard let value = try optional(name) else { return nil }
        switch value {
        case .number(let text), .string(let text):
            guard let wide = Self.strictInteger(text), let integer = Int32(exactly: wide) else {
                throw FormatError(.invalidValue, at: childPath(name), "expected a 32-bit integer, found \"\(Self.preview(text))\"")
            }
            return integer
        default:
            throw FormatError(.invalidValue, at: childPath(name), "expected a number, found \(value.typeName)")
        }
    }

    /// A repeated field (absent means empty).
    public mutating func array(_ name: String) throws(FormatError) -> [(value: JSONValue, path: String)] {
        guard let value = try optional(name) else { return [] }
        guard case .array(let elements) = value else {
            throw FormatError(.invalidValue, at: childPath(name), "expected an array, found \(value.typeName)")
        }
        return elements.enumerated().map { ($0.element, "\(childPath(name))[\($0.offset)]") }
    }

    /// A `google.protobuf.Timestamp` (RFC 3339, UTC `Z` or an offset), as seconds since 1970.
    public mutating func timestamp(_ name: String) throws(FormatError) -> Timestamp? {
        guard let text = try string(name) else { return nil }
        guard let time = Timestamp(rfc3339: text) else {
            throw FormatError(.invalidValue, at: childPath(name), "expected an RFC 3339 timestamp, found \"\(Self.preview(text))\"")
        }
        return time
    }

    /// Refuses members that were never asked for.
    public func finish() throws(FormatError) {
        for (index, member) in object.members.enumerated() where !consumed[index] {
            throw FormatError(.unknownField, at: path, "unexpected member \"\(Self.preview(member.name))\"")
        }
    }

    /// A bounded, printable excerpt of untrusted text for error messages.
    public static func preview(_ text: String, limit: Int = 64) -> String {
        let cleaned = String(text.unicodeScalars.prefix(limit).map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
        return text.unicodeScalars.count > limit ? cleaned + "…" : cleaned
    }
}
