/// The scalar styles: block (§8.1), quoted (§7.3.1, §7.3.2) and plain (§7.3.3).
extension YAMLParser.State {
    private enum Chomping {
        case strip, clip, keep
    }

    /// A literal (`|`) or folded (`>`) block scalar (§8.1) at `index`, with its header's
    /// chomping (`-`, `+`) and indentation (1-9) indicators.
    mutating func parseBlockScalar(parentIndent: Int) throws(FormatError) -> String {
        let folded = byte(index) == UInt8(ascii: ">")
        index += 1
        var chomping: Chomping?
        var explicitIndent: Int?
        for _ in 0..<2 {
            let indicator = byte(index)
            if chomping == nil && (indicator == UInt8(ascii: "-") || indicator == UInt8(ascii: "+")) {
                chomping = indicator == UInt8(ascii: "-") ? .strip : .keep
                index += 1
            } else if explicitIndent == nil && indicator >= UInt8(ascii: "1") && indicator <= UInt8(ascii: "9") {
                explicitIndent = Int(indicator - UInt8(ascii: "0"))
                index += 1
            }
        }
        try finishLine(after: "the block scalar header")
        let indent: Int
        if let explicitIndent {
            indent = max(parentIndent, 0) + explicitIndent
        } else {
            indent = try detectBlockIndent(parentIndent: parentIndent)
        }
        var text: [UInt8] = []
        var emptyLines = 0
        var sawText = false
        var previousMoreIndented = false
        var lastLineBroken = false
        while index < bytes.count && !isDocumentMarker(index) {
            let lineStart = index
            var offset = lineStart
            while offset - lineStart < indent && byte(offset) == UInt8(ascii: " ") { offset += 1 }
            if byte(offset) == 0x0A {
                emptyLines += 1
                index = offset + 1
                continue
            }
            if offset >= bytes.count {
                index = offset
                break
            }
            guard offset - lineStart == indent else { break }
            var end = offset
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let moreIndented = isWhite(at: offset)
            if !sawText {
                text.append(contentsOf: repeatElement(0x0A, count: emptyLines))
            } else if folded && !previousMoreIndented && !moreIndented {
                text.append(contentsOf: emptyLines == 0 ? [0x20] : Array(repeating: 0x0A, count: emptyLines))
            } else {
                text.append(contentsOf: repeatElement(0x0A, count: emptyLines + 1))
            }
            text.append(contentsOf: bytes[offset..<end])
            emptyLines = 0
            sawText = true
            previousMoreIndented = moreIndented
            lastLineBroken = end < bytes.count
            index = lastLineBroken ? end + 1 : end
        }
        switch chomping ?? .clip {
        case .strip:
            break
        case .clip:
            if sawText && lastLineBroken { text.append(0x0A) }
        case .keep:
            text.append(contentsOf: repeatElement(0x0A, count: emptyLines + (sawText && lastLineBroken ? 1 : 0)))
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The indentation of a block scalar without an indicator: that of its first non-empty
    /// line, which no leading empty line may exceed (§8.1.1.1).
    func detectBlockIndent(parentIndent: Int) throws(FormatError) -> Int {
        var offset = index
        var widestEmpty = 0
        while true {
            let lineStart = offset
            while byte(offset) == UInt8(ascii: " ") { offset += 1 }
            let spaces = offset - lineStart
            if byte(offset) == 0x0A {
                widestEmpty = max(widestEmpty, spaces)
                offset += 1
                continue
            }
            guard offset < bytes.count, spaces > parentIndent else { return max(widestEmpty, parentIndent + 1) }
            guard widestEmpty <= spaces else {
                throw error(
                    "expected leading empty lines indented at most as the first line (\(spaces) spaces), found \(widestEmpty) spaces",
                    at: lineStart)
            }
            return spaces
        }
    }

    // MARK: Quoted and plain scalars

    /// Where a quoted scalar that starts at `offset` ends, after its closing quote, if it
    /// closes on the same line.
    func quotedEnd(from offset: Int) -> Int? {
        let quote = byte(offset)
        var end = offset + 1
        while end < bytes.count {
            switch bytes[end] {
            case 0x0A:
                return nil
            case quote where quote == UInt8(ascii: "'") && byte(end + 1) == quote:
                end += 2
            case quote:
                return end + 1
            case UInt8(ascii: "\\") where quote == UInt8(ascii: "\""):
                guard byte(end + 1) != 0x0A else { return nil }
                end += 2
            default:
                end += 1
            }
        }
        return nil
    }

    /// A single- or double-quoted scalar (§7.3.1, §7.3.2) at `index`, folding its line breaks
    /// (§6.5); continuation lines must be indented more than `parentIndent`.
    mutating func parseQuoted(parentIndent: Int) throws(FormatError) -> String {
        let open = index
        let quote = byte(open)
        let isDouble = quote == UInt8(ascii: "\"")
        index += 1
        var text: [UInt8] = []
        // The length of `text` without the white space a line break would trim.
        var kept = 0
        while true {
            guard index < bytes.count else {
                throw error("expected \(describeQuote(quote)) to close the scalar opened at line \(line(of: open)), found end of input", at: index)
            }
            let current = bytes[index]
            switch current {
            case quote where !isDouble && byte(index + 1) == quote:
                text.append(quote)
                index += 2
                kept = text.count
            case quote:
                index += 1
                return String(decoding: text, as: UTF8.self)
            case 0x0A:
                text.removeLast(text.count - kept)
                let breaks = try foldQuotedLines(parentIndent: parentIndent, open: open)
                text.append(contentsOf: breaks == 1 ? [0x20] : Array(repeating: 0x0A, count: breaks - 1))
                kept = text.count
            case 0x20, 0x09:
                text.append(current)
                index += 1
            case UInt8(ascii: "\\") where isDouble && byte(index + 1) == 0x0A:
                index += 1
                let breaks = try foldQuotedLines(parentIndent: parentIndent, open: open)
                text.append(contentsOf: repeatElement(0x0A, count: breaks - 1))
                kept = text.count
            case UInt8(ascii: "\\") where isDouble:
                try appendEscape(to: &text)
                kept = text.count
            default:
                text.append(current)
                index += 1
                kept = text.count
            }
        }
    }

    func describeQuote(_ quote: UInt8) -> String {
        quote == UInt8(ascii: "'") ? "\"'\"" : "'\"'"
    }

    /// From the line break at `index` inside a quoted scalar, moves to the next line's first
    /// character and returns the line breaks crossed.
    mutating func foldQuotedLines(parentIndent: Int, open: Int) throws(FormatError) -> Int {
        let head = nextNonEmptyLine(after: index)
        let quote = describeQuote(byte(open))
        if head.content >= bytes.count || (head.indent == 0 && isDocumentMarker(head.lineStart)) {
            throw error("expected \(quote) to close the scalar opened at line \(line(of: open)), found \(describe(head.content))", at: head.content)
        }
        try refuseTab(head)
        guard head.indent > parentIndent else {
            throw error(
                "expected the scalar opened at line \(line(of: open)) to close with \(quote) or go on indented more than \(parentIndent) spaces, "
                    + "found \(describe(head.content)) (indentation \(head.indent))",
                at: head.content)
        }
        index = head.content
        return head.breaks
    }

    /// An escape sequence of a double-quoted scalar (§5.7) at `index`.
    mutating func appendEscape(to text: inout [UInt8]) throws(FormatError) {
        let start = index
        index += 1
        let code = byte(index)
        if index < bytes.count { index += 1 }
        let scalar: UInt32
        switch code {
        case UInt8(ascii: "0"): scalar = 0x00
        case UInt8(ascii: "a"): scalar = 0x07
        case UInt8(ascii: "b"): scalar = 0x08
        case UInt8(ascii: "t"), 0x09: scalar = 0x09
        case UInt8(ascii: "n"): scalar = 0x0A
        case UInt8(ascii: "v"): scalar = 0x0B
        case UInt8(ascii: "f"): scalar = 0x0C
        case UInt8(ascii: "r"): scalar = 0x0D
        case UInt8(ascii: "e"): scalar = 0x1B
        case 0x20, UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "\\"): scalar = UInt32(code)
        case UInt8(ascii: "N"): scalar = 0x85
        case UInt8(ascii: "_"): scalar = 0xA0
        case UInt8(ascii: "L"): scalar = 0x2028
        case UInt8(ascii: "P"): scalar = 0x2029
        case UInt8(ascii: "x"): scalar = try hexDigits(2)
        case UInt8(ascii: "U"): scalar = try hexDigits(8)
        case UInt8(ascii: "u"):
            let high = try hexDigits(4)
            guard (0xD800...0xDBFF).contains(high) else {
                scalar = high
                break
            }
            guard byte(index) == UInt8(ascii: "\\") && byte(index + 1) == UInt8(ascii: "u") else {
                throw error("expected a low surrogate escape after \\u\(String(high, radix: 16)), found \(describe(index))", at: start)
            }
            index += 2
            let low = try hexDigits(4)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("expected a low surrogate after \\u\(String(high, radix: 16)), found \\u\(String(low, radix: 16))", at: start)
            }
            scalar = 0x10000 + (high - 0xD800) << 10 + (low - 0xDC00)
        default:
            throw error("expected an escape such as \\n, \\t, \\\" or \\u, found \\ followed by \(describe(start + 1))", at: start)
        }
        guard let unicode = Unicode.Scalar(scalar) else {
            throw error("expected a Unicode scalar value, found U+\(String(scalar, radix: 16, uppercase: true))", at: start)
        }
        UTF8.encode(unicode) { text.append($0) }
    }

    mutating func hexDigits(_ count: Int) throws(FormatError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let nibble = YAMLParser.hexValue(byte(index)) else {
                throw error("expected \(count) hex digits in an escape, found \(describe(index))", at: index)
            }
            value = value << 4 | UInt32(nibble)
            index += 1
        }
        return value
    }

    /// Whether a plain scalar (§7.3.3) can start at `offset`: not an indicator, except `-`,
    /// `?` and `:` followed by a safe character.
    func isPlainStart(_ offset: Int, inFlow: Bool) -> Bool {
        let first = byte(offset)
        switch first {
        case 0, 0x0A, 0x20, 0x09, UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"),
            UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
            return false
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            return !isBlankOrEnd(at: offset + 1) && !(inFlow && isFlowIndicator(at: offset + 1))
        default:
            return true
        }
    }

    /// Where the plain scalar text on the line from `offset` ends: before `: `, ` #`, the
    /// line's end, trailing white space and, in flow context, a flow indicator.
    func plainEnd(from offset: Int, inFlow: Bool) -> Int {
        var current = offset
        var end = offset
        while current < bytes.count && bytes[current] != 0x0A && !(inFlow && isFlowIndicator(at: current)) {
            if bytes[current] == UInt8(ascii: ":") && (isBlankOrEnd(at: current + 1) || (inFlow && isFlowIndicator(at: current + 1))) { break }
            if current > offset && isCommentStart(current) { break }
            if !isWhite(at: current) { end = current + 1 }
            current += 1
        }
        return end
    }

    /// A plain scalar at `index`, with the lines that continue it (indented more than
    /// `parentIndent`) folded (§6.5, §7.3.3).
    mutating func parsePlain(parentIndent: Int, inFlow: Bool) throws(FormatError) -> String {
        let firstEnd = plainEnd(from: index, inFlow: inFlow)
        var text = Array(bytes[index..<firstEnd])
        index = firstEnd
        while true {
            var lineEnd = index
            while isWhite(at: lineEnd) { lineEnd += 1 }
            guard byte(lineEnd) == 0x0A else { break }
            let head = nextNonEmptyLine(after: lineEnd)
            guard head.content < bytes.count, head.indent > parentIndent, !isCommentStart(head.content),
                !(head.indent == 0 && isDocumentMarker(head.lineStart))
            else { break }
            try refuseTab(head)
            let end = plainEnd(from: head.content, inFlow: inFlow)
            guard end > head.content else { break }
            text.append(contentsOf: head.breaks == 1 ? [0x20] : Array(repeating: 0x0A, count: head.breaks - 1))
            text.append(contentsOf: bytes[head.content..<end])
            index = end
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The core-schema value of a plain scalar, with an error placed at `offset`.
    func resolvePlain(_ text: String, at offset: Int) throws(FormatError) -> JSONValue {
        do throws(FormatError) {
            return try YAMLParser.coreSchemaValue(ofPlain: text)
        } catch {
            throw self.error(error.code, error.reason, at: offset)
        }
    }
}

extension YAMLParser {
    /// The value of a plain scalar by the YAML 1.2 core schema (YAML 1.2.2 §10.3.2): `null`,
    /// `~` and the empty scalar are null; `true` and `false` (also capitalised or upper case) are
    /// booleans; decimal, `0x` hexadecimal and `0o` octal integers and decimal floats are numbers,
    /// rewritten as RFC 8259 number text; anything else (`yes`, `on`, `1_000`) is a string.
    /// - Throws: `.invalidValue` for `.inf` and `.nan`, which JSON cannot hold, for hexadecimal or
    ///   octal integers beyond 64 bits and for numbers longer than 400 characters. The reason
    ///   names no position; the caller adds it.
    static func coreSchemaValue(ofPlain text: String) throws(FormatError) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            throw FormatError(.invalidValue, at: "", "expected a number JSON can hold, found \(text)")
        default: break
        }
        let number: String
        if let radix = text.hasPrefix("0x") ? 16 : text.hasPrefix("0o") ? 8 : nil {
            let digits = text.dropFirst(2)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ hexValue($0).map { $0 < radix } ?? false }) else { return .string(text) }
            guard let value = UInt64(digits, radix: radix) else {
                throw FormatError(.invalidValue, at: "", "expected an integer of at most 64 bits, found \(ProtoJSONObject.preview(text))")
            }
            number = String(value)
        } else {
            guard let decimal = jsonNumber(Array(text.utf8)) else { return .string(text) }
            number = decimal
        }
        guard number.utf8.count <= 400 else {
            throw FormatError(.invalidValue, at: "", "expected a number of at most 400 characters, found \(number.utf8.count)")
        }
        return .number(number)
    }

    /// The RFC 8259 text of a core-schema integer or float (`[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)
    /// ([eE][-+]?[0-9]+)?`), or nil if `text` is not one: no `+` sign, no leading zeros, a digit
    /// on both sides of the point (`.5` is `0.5`, `1.` is `1.0`).
    private static func jsonNumber(_ text: [UInt8]) -> String? {
        var rest = text[...]
        var sign = ""
        if let first = rest.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            sign = first == UInt8(ascii: "-") ? "-" : ""
            rest = rest.dropFirst()
        }
        let integer = rest.prefix(while: isDigit)
        rest = rest.dropFirst(integer.count)
        var fraction: ArraySlice<UInt8>?
        if rest.first == UInt8(ascii: ".") {
            fraction = rest.dropFirst().prefix(while: isDigit)
            rest = rest.dropFirst(1 + (fraction?.count ?? 0))
        }
        guard !integer.isEmpty || !(fraction ?? []).isEmpty else { return nil }
        var exponent: ArraySlice<UInt8> = []
        if rest.first == UInt8(ascii: "e") || rest.first == UInt8(ascii: "E") {
            let signed = rest.dropFirst().first.map { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") } ?? false
            let digits = rest.dropFirst(signed ? 2 : 1).prefix(while: isDigit)
            guard !digits.isEmpty else { return nil }
            exponent = rest.prefix((signed ? 2 : 1) + digits.count)
            rest = rest.dropFirst(exponent.count)
        }
        guard rest.isEmpty else { return nil }
        let significant = integer.drop(while: { $0 == UInt8(ascii: "0") })
        var result = sign + (significant.isEmpty ? "0" : String(decoding: significant, as: UTF8.self))
        if let fraction { result += "." + (fraction.isEmpty ? "0" : String(decoding: fraction, as: UTF8.self)) }
        return result + String(decoding: exponent, as: UTF8.self)
    }

    private static func isDigit(_ character: UInt8) -> Bool {
        character >= UInt8(ascii: "0") && character <= UInt8(ascii: "9")
    }

    /// The value of an ASCII hexadecimal digit.
    static func hexValue(_ character: UInt8) -> Int? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(character - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(character - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(character - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
