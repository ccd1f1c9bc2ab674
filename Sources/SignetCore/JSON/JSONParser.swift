/// A strict RFC 8259 JSON parser for hostile input.
///
/// It refuses input over `maxBytes`, nesting over `maxDepth`, duplicate member names, invalid
/// UTF-8, lone surrogates and trailing data, and never recurses more than `maxDepth` levels, so
/// neither a huge nor a deeply nested document can exhaust memory or the stack.
public struct JSONParser: Sendable {
    public var maxBytes: Int
    public var maxDepth: Int

    /// The default bounds: 64 MiB and 64 levels, far above any Sigstore document.
    public init(maxBytes: Int = 64 << 20, maxDepth: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    /// Parses one JSON document.
    /// - Parameter context: names the document in errors, e.g. `bundle`.
    public func parse(_ bytes: some Collection<UInt8>, context: String = "") throws(FormatError) -> JSONValue {
        guard bytes.count <= maxBytes else {
            throw FormatError(.tooLarge, at: context, "expected at most \(maxBytes) bytes of JSON, found \(bytes.count)")
        }
        var state = State(bytes: Array(bytes), maxDepth: maxDepth, context: context)
        state.skipWhitespace()
        let value = try state.parseValue(depth: 0)
        state.skipWhitespace()
        guard state.index == state.bytes.count else {
            throw state.error("expected end of input after the top-level value, found \(state.describeCurrent())")
        }
        return value
    }

    private struct State {
        let bytes: [UInt8]
        var index = 0
        let maxDepth: Int
        let context: String

        init(bytes: [UInt8], maxDepth: Int, context: String) {
            self.bytes = bytes
            self.maxDepth = maxDepth
            self.context = context
        }

        func error(_ reason: String) -> FormatError {
            FormatError(.syntax, at: context, "invalid JSON at byte \(index): \(reason)", offset: index)
        }

        func describeCurrent() -> String {
            guard index < bytes.count else { return "end of input" }
            let byte = bytes[index]
            if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
            return "byte 0x\(String(byte, radix: 16))"
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func parseValue(depth: Int) throws(FormatError) -> JSONValue {
            guard index < bytes.count else { throw error("expected a value, found end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
            default: throw error("expected a value, found \(describeCurrent())")
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(FormatError) {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw error("expected '\(literal)', found end of input") }
            let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
            for offset in 0..<count where bytes[index + offset] != expected[offset] {
                throw error("expected '\(literal)'")
            }
            index += count
        }

        mutating func checkDepth(_ depth: Int) throws(FormatError) {
            guard depth <= maxDepth else {
                throw FormatError(
                    .tooDeep, at: context, "expected JSON nested at most \(maxDepth) levels, found deeper nesting at byte \(index)", offset: index)
            }
        }

        mutating func parseObject(depth: Int) throws(FormatError) -> JSONValue {
            try checkDepth(depth)
            index += 1
            var members: [(name: String, value: JSONValue)] = []
            var seen = Set<String>()
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(JSONObject())
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw error("expected a member name, found \(describeCurrent())")
                }
                let name = try parseString()
                guard seen.insert(name).inserted else { throw error("duplicate member name \"\(name)\"") }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                    throw error("expected ':' after member name, found \(describeCurrent())")
                }
                index += 1
                skipWhitespace()
                let value = try parseValue(depth: depth)
                members.append((name, value))
                skipWhitespace()
                guard index < bytes.count else { throw error("expected ',' or '}', found end of input") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    break
                }
                throw error("expected ',' or '}', found \(describeCurrent())")
            }
            return .object(JSONObject(distinctMembers: members))
        }

        mutating func parseArray(depth: Int) throws(FormatError) -> JSONValue {
            try checkDepth(depth)
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array([])
            }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth))
                skipWhitespace()
                guard index < bytes.count else { throw error("expected ',' or ']', found end of input") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    break
                }
                throw error("expected ',' or ']', found \(describeCurrent())")
            }
            return .array(elements)
        }

        mutating func parseNumber() throws(FormatError) -> String {
            let start = index
            func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in number") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                while index < bytes.count && isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit after '.'") }
                while index < bytes.count && isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
                index += 1
                if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in exponent") }
                while index < bytes.count && isDigit(bytes[index]) { index += 1 }
            }
            guard index - start <= 400 else { throw error("number literal longer than 400 characters") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func parseHex4() throws(FormatError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw error("expected 4 hex digits after \\u") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[index]
                let digit: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
                default: throw error("expected a hex digit in \\u escape, found \(describeCurrent())")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        mutating func parseString() throws(FormatError) -> String {
            index += 1  // opening quote
            let start = index
            // Fast path: no escapes, validated as UTF-8 in one pass.
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    guard let text = String(validating: bytes[start..<index], as: UTF8.self) else {
                        throw FormatError(.syntax, at: context, "invalid JSON at byte \(start): string is not valid UTF-8")
                    }
                    index += 1
                    return text
                }
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) in string") }
                index += 1
            }
            var buffer = Array(bytes[start..<index])
            while true {
                guard index < bytes.count else { throw error("unterminated string") }
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    index += 1
                    guard let text = String(validating: buffer, as: UTF8.self) else {
                        throw FormatError(.syntax, at: context, "invalid JSON at byte \(start): string is not valid UTF-8")
                    }
                    return text
                }
                if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) in string") }
                index += 1
                guard b == UInt8(ascii: "\\") else {
                    buffer.append(b)
                    continue
                }
                guard index < bytes.count else { throw error("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    let high = try parseHex4()
                    var scalarValue = high
                    if (0xD800...0xDBFF).contains(high) {
                        guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("lone high surrogate in \\u escape")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid low surrogate in \\u escape") }
                        scalarValue = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(high) {
                        throw error("lone low surrogate in \\u escape")
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { throw error("invalid code point in \\u escape") }
                    buffer.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    index -= 1
                    throw error("invalid escape \\\(describeCurrent())")
                }
            }
        }
    }
}
