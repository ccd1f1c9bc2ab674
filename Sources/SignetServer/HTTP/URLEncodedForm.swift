import SignetCore

/// An `application/x-www-form-urlencoded` body (the HTML form submission, and OAuth 2.0's
/// token request, RFC 6749 §4.1.3): names to values, percent-decoded with `+` as a space.
/// Bounded and strict: a name given twice or an undecodable value is refused.
struct URLEncodedForm {
    static let maxBytes = 16 << 10
    static let maxFields = 32

    private(set) var fields: [String: String] = [:]

    init(bytes: [UInt8]) throws {
        guard bytes.count <= Self.maxBytes else {
            throw APIError(.contentTooLarge, "body-too-large", "expected a form of at most \(Self.maxBytes) bytes, found \(bytes.count)")
        }
        let pairs = bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true)
        guard pairs.count <= Self.maxFields else {
            throw APIError(.badRequest, "invalid-request", "expected at most \(Self.maxFields) form fields, found \(pairs.count)")
        }
        for pair in pairs {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = try Self.decode(parts.count > 1 ? parts[1] : [])
            guard fields.updateValue(value, forKey: name) == nil else {
                throw APIError(.badRequest, "invalid-request", "expected each form field once, found \(ProtoJSONObject.preview(name)) twice")
            }
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// The field, present and non-empty.
    func required(_ name: String) throws -> String {
        guard let value = fields[name], !value.isEmpty else {
            throw APIError(.badRequest, "invalid-request", "expected the form field \(name), found none")
        }
        return value
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) else {
                    throw APIError(.badRequest, "invalid-request", "expected %XX escapes in the form, found a malformed one")
                }
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw APIError(.badRequest, "invalid-request", "expected UTF-8 in the form, found other bytes")
        }
        return text
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
