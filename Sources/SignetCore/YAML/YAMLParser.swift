/// A strict, bounded parser for the JSON-compatible subset of YAML 1.2 (YAML 1.2.2) that
/// Kubernetes manifests and policy documents use, for hostile input.
///
/// Supported: block mappings and sequences (§8.2), with compact entries (`- name: x`) and a
/// sequence at its parent key's indentation; plain, single- and double-quoted scalars (§7.3);
/// literal and folded block scalars with chomping and indentation indicators (§8.1); flow
/// sequences and mappings (§7.4); comments (§6.6); document markers (§9.1.2); a `%YAML 1.2`
/// directive (§6.8.1). Plain scalars resolve by the core schema (§10.3.2); quoted and block
/// scalars are strings; keys are the text of scalars.
///
/// Refused as unsupported: anchors and aliases (§6.9.2, §7.1; no alias is ever expanded, so
/// input cannot amplify itself), tags (§6.9.1), merge keys (`<<`), complex keys (`? `) and
/// collections as keys, and tabs as indentation (§6.1). It refuses input over `maxBytes`,
/// nesting over `maxDepth`, more than a million values, duplicate keys and invalid UTF-8, and
/// never recurses more than `maxDepth` levels. Every error names its line.
public struct YAMLParser: Sendable {
    public var maxBytes: Int
    public var maxDepth: Int
    /// The most values a stream may hold, across its documents.
    var maxNodes = 1_000_000
    /// The most bytes the paths of all `YAMLDocument.lines` may total, so that long keys nested
    /// deeply cannot make the map grow faster than the input.
    var maxPathBytes = 64 << 20

    /// The default bounds: 1 MiB and 64 levels, far above any manifest or policy.
    public init(maxBytes: Int = 1 << 20, maxDepth: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    /// Every document of a stream (§9.2), `---` separated, each with where its values start. A
    /// document with no content (only comments, or nothing between two markers) yields none.
    /// - Parameter context: names the stream in errors, e.g. `deployment.yaml`.
    public func parseStream(_ bytes: [UInt8], context: String = "") throws(FormatError) -> [YAMLDocument] {
        guard bytes.count <= maxBytes else {
            throw FormatError(.tooLarge, at: context, "expected at most \(maxBytes) bytes of YAML, found \(bytes.count)")
        }
        var state = try State(input: bytes, parser: self, context: context)
        return try state.parseStream()
    }

    /// Where the first non-empty line after a line break starts.
    struct LineHead {
        /// The line breaks crossed, the first included.
        var breaks: Int
        var lineStart: Int
        /// The spaces that indent the line.
        var indent: Int
        /// The first character after the line's white space (a tab shows as `content` beyond
        /// `lineStart + indent`).
        var content: Int
    }

    /// The parser's cursor over one stream; its scalar styles are in `YAMLParser+Scalars.swift`.
    struct State {
        /// The input without its byte order mark, each CR LF and lone CR read as LF.
        var bytes: [UInt8] = []
        /// Where each line of `bytes` starts.
        var lineStarts = [0]
        /// Offsets in `bytes` after which the input had one more byte (the LF of a CR LF).
        var droppedLineFeeds: [Int] = []
        /// The length of the byte order mark, if any.
        var base = 0
        var index = 0
        let parser: YAMLParser
        let context: String
        var nodeCount = 0
        var pathBytes = 0
        /// The lines of the document being parsed.
        var lines: [String: Int] = [:]

        /// Checks that the input is UTF-8 of printable characters (§5.1) and normalises line
        /// breaks (§5.4), keeping what is needed to report offsets in the original input.
        init(input: [UInt8], parser: YAMLParser, context: String) throws(FormatError) {
            self.parser = parser
            self.context = context
            var offset = input.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            base = offset
            bytes.reserveCapacity(input.count - offset)
            while offset < input.count {
                let lead = input[offset]
                switch lead {
                case 0x0D:
                    bytes.append(0x0A)
                    lineStarts.append(bytes.count)
                    if offset + 1 < input.count && input[offset + 1] == 0x0A {
                        offset += 1
                        droppedLineFeeds.append(bytes.count)
                    }
                    offset += 1
                case 0x0A:
                    bytes.append(0x0A)
                    lineStarts.append(bytes.count)
                    offset += 1
                case 0x09, 0x20...0x7E:
                    bytes.append(lead)
                    offset += 1
                default:
                    let line = lineStarts.count
                    let decoded = lead < 0x80 ? (UInt32(lead), 1) : Self.decodeScalar(input, at: offset)
                    guard let (scalar, length) = decoded else {
                        throw FormatError(
                            .syntax, at: context,
                            "YAML at line \(line): expected UTF-8, found the invalid byte 0x\(String(lead, radix: 16)) at byte \(offset)", offset: offset)
                    }
                    guard scalar == 0x85 || (0xA0...0xD7FF).contains(scalar) || (0xE000...0xFFFD).contains(scalar) || scalar >= 0x10000 else {
                        let hex = String(scalar, radix: 16, uppercase: true)
                        let name = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                        throw FormatError(
                            .syntax, at: context, "YAML at line \(line): expected printable characters, found the control character \(name) at byte \(offset)",
                            offset: offset)
                    }
                    bytes.append(contentsOf: input[offset..<(offset + length)])
                    offset += length
                }
            }
        }

        /// The code point of the UTF-8 sequence at `offset` and its length, or nil if the
        /// sequence is malformed, overlong, a surrogate or beyond U+10FFFF.
        static func decodeScalar(_ input: [UInt8], at offset: Int) -> (UInt32, Int)? {
            let lead = input[offset]
            let length: Int
            let minimum: UInt32
            switch lead {
            case 0xC2...0xDF: (length, minimum) = (2, 0x80)
            case 0xE0...0xEF: (length, minimum) = (3, 0x800)
            case 0xF0...0xF4: (length, minimum) = (4, 0x10000)
            default: return nil
            }
            guard input.count - offset >= length else { return nil }
            var value = UInt32(lead) & (0x7F >> length)
            for continuation in input[(offset + 1)..<(offset + length)] {
                guard continuation & 0xC0 == 0x80 else { return nil }
                value = value << 6 | UInt32(continuation & 0x3F)
            }
            guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
            return (value, length)
        }

        // MARK: Positions and errors

        func byte(_ offset: Int) -> UInt8 {
            offset >= 0 && offset < bytes.count ? bytes[offset] : 0
        }

        /// The number of elements of ascending `sorted` that are at most `value`.
        static func count(_ sorted: [Int], atMost value: Int) -> Int {
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = low + (high - low) / 2
                if sorted[middle] <= value { low = middle + 1 } else { high = middle }
            }
            return low
        }

        /// The 1-based line of `offset`.
        func line(of offset: Int) -> Int {
            max(Self.count(lineStarts, atMost: offset), 1)
        }

        /// The bytes between `offset` and the start of its line: a block collection's indentation.
        func column(of offset: Int) -> Int {
            offset - lineStarts[line(of: offset) - 1]
        }

        func error(_ reason: String, at offset: Int) -> FormatError {
            error(.syntax, reason, at: offset)
        }

        /// An error at `offset`, whose reason starts with its line and column.
        func error(_ code: FormatError.Code, _ reason: String, at offset: Int) -> FormatError {
            let offset = min(max(offset, 0), bytes.count)
            let line = line(of: offset)
            let lineStart = lineStarts[line - 1]
            let column = bytes[lineStart..<offset].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
            let original = base + offset + Self.count(droppedLineFeeds, atMost: offset)
            return FormatError(code, at: context, "YAML at line \(line), column \(column): \(reason)", offset: original)
        }

        /// What is at `offset`, for an error: the rest of its line, shortened.
        func describe(_ offset: Int) -> String {
            guard offset < bytes.count else { return "end of input" }
            guard bytes[offset] != 0x0A else { return "end of line" }
            var end = offset
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            return "'\(ProtoJSONObject.preview(text(offset..<end), limit: 24))'"
        }

        func text(_ range: Range<Int>) -> String {
            String(decoding: bytes[range], as: UTF8.self)
        }

        /// Counts a value and records the line where it starts.
        mutating func record(_ path: String, at offset: Int) throws(FormatError) {
            nodeCount += 1
            pathBytes += path.utf8.count
            guard nodeCount <= parser.maxNodes else {
                throw error(.tooLarge, "expected at most \(parser.maxNodes) values, found more", at: offset)
            }
            guard pathBytes <= parser.maxPathBytes else {
                throw error(
                    .tooLarge, "expected the paths of all values to total at most \(parser.maxPathBytes) bytes, found more: long keys nested deeply", at: offset
                )
            }
            lines[path] = line(of: offset)
        }

        func checkDepth(_ depth: Int, at offset: Int) throws(FormatError) {
            guard depth <= parser.maxDepth else {
                throw error(.tooDeep, "expected collections nested at most \(parser.maxDepth) levels, found deeper nesting", at: offset)
            }
        }

        // MARK: Lines, comments and markers

        func isWhite(at offset: Int) -> Bool {
            byte(offset) == 0x20 || byte(offset) == 0x09
        }

        /// White space, a line break or the end of input.
        func isBlankOrEnd(at offset: Int) -> Bool {
            isWhite(at: offset) || byte(offset) == 0x0A || offset >= bytes.count
        }

        func isFlowIndicator(at offset: Int) -> Bool {
            switch byte(offset) {
            case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"): true
            default: false
            }
        }

        /// Whether `offset` starts a comment: a `#` at a line's start or after white space (§6.6).
        func isCommentStart(_ offset: Int) -> Bool {
            byte(offset) == UInt8(ascii: "#") && (offset == 0 || isWhite(at: offset - 1) || byte(offset - 1) == 0x0A)
        }

        /// Whether a line starts at `offset` with `---` or `...` and white space or its end (§9.1.2).
        func isDocumentMarker(_ offset: Int) -> Bool {
            let marker = byte(offset)
            guard marker == UInt8(ascii: "-") || marker == UInt8(ascii: ".") else { return false }
            return byte(offset + 1) == marker && byte(offset + 2) == marker && isBlankOrEnd(at: offset + 3)
                && (offset == 0 || byte(offset - 1) == 0x0A)
        }

        mutating func skipWhite() {
            while isWhite(at: index) { index += 1 }
        }

        mutating func skipToLineEnd() {
            while index < bytes.count && bytes[index] != 0x0A { index += 1 }
        }

        /// Requires the rest of the line to be white space or a comment, and moves past its break.
        mutating func finishLine(after what: String) throws(FormatError) {
            skipWhite()
            if isCommentStart(index) { skipToLineEnd() }
            guard index < bytes.count else { return }
            guard bytes[index] == 0x0A else {
                throw error("expected the end of the line after \(what), found \(describe(index))", at: index)
            }
            index += 1
        }

        /// From a line's start, skips empty and comment lines and stops at the first content,
        /// returning its indentation; returns nil at the end of input or at a document marker,
        /// left at the marker's line start.
        mutating func nextContentLine() throws(FormatError) -> Int? {
            while index < bytes.count {
                let lineStart = index
                if isDocumentMarker(lineStart) { return nil }
                while byte(index) == UInt8(ascii: " ") { index += 1 }
                let indent = index - lineStart
                skipWhite()
                if isCommentStart(index) { skipToLineEnd() }
                if byte(index) == 0x0A {
                    index += 1
                    continue
                }
                guard index < bytes.count else { return nil }
                try refuseTab(LineHead(breaks: 0, lineStart: lineStart, indent: indent, content: index))
                return indent
            }
            return nil
        }

        /// The first line after the break at `newline` that is not white space only.
        func nextNonEmptyLine(after newline: Int) -> LineHead {
            var breaks = 0
            var offset = newline
            while true {
                offset += 1
                breaks += 1
                let lineStart = offset
                while byte(offset) == UInt8(ascii: " ") { offset += 1 }
                let indent = offset - lineStart
                while isWhite(at: offset) { offset += 1 }
                guard byte(offset) == 0x0A else {
                    return LineHead(breaks: breaks, lineStart: lineStart, indent: indent, content: offset)
                }
            }
        }

        /// Refuses a content line indented with a tab (§6.1).
        func refuseTab(_ head: LineHead) throws(FormatError) {
            guard head.content == head.lineStart + head.indent || head.content >= bytes.count else {
                throw error(
                    .unsupported, "expected spaces as indentation, found a tab: tabs are not allowed as indentation (YAML 1.2.2 §6.1)",
                    at: head.lineStart + head.indent)
            }
        }

        /// Refuses the node properties and indicators this parser does not support (§6.9, §7.1,
        /// §8.2.2).
        func refuseUnsupported(at offset: Int, inFlow: Bool) throws(FormatError) {
            switch byte(offset) {
            case UInt8(ascii: "&"):
                throw error(.unsupported, "expected a value, found an anchor ('&'): anchors and aliases are not supported", at: offset)
            case UInt8(ascii: "*"):
                throw error(.unsupported, "expected a value, found an alias ('*'): aliases are not supported and never expanded", at: offset)
            case UInt8(ascii: "!"):
                throw error(.unsupported, "expected a value, found a tag ('!'): tags are not supported", at: offset)
            case UInt8(ascii: "?") where isBlankOrEnd(at: offset + 1) || (inFlow && isFlowIndicator(at: offset + 1)):
                throw error(.unsupported, "expected a key, found a complex key ('? '): keys must be plain or quoted scalars", at: offset)
            default:
                return
            }
        }

        // MARK: Stream and documents

        mutating func parseStream() throws(FormatError) -> [YAMLDocument] {
            var documents: [YAMLDocument] = []
            var directive: Int?
            while true {
                guard let indent = try nextContentLine() else {
                    let marker = byte(index)
                    if let directive, index >= bytes.count || marker == UInt8(ascii: ".") {
                        throw error("expected '---' after the directive at line \(line(of: directive)), found \(describe(index))", at: index)
                    }
                    guard index < bytes.count else { return documents }
                    index += 3
                    if marker == UInt8(ascii: ".") {
                        try finishLine(after: "the document end marker '...'")
                    } else {
                        directive = nil
                        if let document = try parseDocument(explicitStart: true) { documents.append(document) }
                    }
                    continue
                }
                if indent == 0 && byte(index) == UInt8(ascii: "%") {
                    directive = index
                    try parseDirective()
                    continue
                }
                if let directive {
                    throw error("expected '---' after the directive at line \(line(of: directive)), found \(describe(index))", at: index)
                }
                if let document = try parseDocument(explicitStart: false) { documents.append(document) }
            }
        }

        /// A `%YAML 1.2` directive (§6.8.1), which changes nothing; any other is refused.
        mutating func parseDirective() throws(FormatError) {
            let start = index
            while !isBlankOrEnd(at: index) { index += 1 }
            let name = text(start..<index)
            guard name == "%YAML" else {
                throw error(.unsupported, "expected the directive %YAML, found \(describe(start)): other directives and tags are not supported", at: start)
            }
            skipWhite()
            let versionStart = index
            while !isBlankOrEnd(at: index) { index += 1 }
            guard text(versionStart..<index) == "1.2" else {
                throw error(.unsupported, "expected YAML version 1.2, found \(describe(versionStart))", at: versionStart)
            }
            try finishLine(after: "the %YAML directive")
        }

        /// A document from its content (or just after its `---`) to the next marker or the end;
        /// nil if it has no content.
        mutating func parseDocument(explicitStart: Bool) throws(FormatError) -> YAMLDocument? {
            lines = [:]
            var allowsCollection = true
            if explicitStart {
                skipWhite()
                if isCommentStart(index) || isBlankOrEnd(at: index) {
                    try finishLine(after: "'---'")
                    guard try nextContentLine() != nil else { return nil }
                } else {
                    // Content on the marker's line cannot open a block collection (§9.1.4).
                    allowsCollection = false
                }
            }
            let value = try parseBlockNode(parentIndent: -1, allowsCollection: allowsCollection, path: "", depth: 0)
            if try nextContentLine() != nil {
                throw error("expected the end of the document ('---', '...' or the end of input), found \(describe(index))", at: index)
            }
            return YAMLDocument(value: value, lines: lines)
        }

        // MARK: Block nodes

        /// The node at `index`, the first character of its content. `parentIndent` is the
        /// indentation of the enclosing block collection (-1 at the top); `depth` counts the
        /// collections around the node. Ends at the start of a line or at the end of input.
        mutating func parseBlockNode(parentIndent: Int, allowsCollection: Bool, path: String, depth: Int) throws(FormatError) -> JSONValue {
            let start = index
            try refuseUnsupported(at: start, inFlow: false)
            let first = byte(start)
            if first == UInt8(ascii: "-") && isBlankOrEnd(at: start + 1) {
                guard allowsCollection else {
                    throw error("expected a scalar or flow value, found a block sequence entry: start the sequence on the next line", at: start)
                }
                return try parseBlockSequence(indent: column(of: start), path: path, depth: depth + 1)
            }
            if first == UInt8(ascii: "|") || first == UInt8(ascii: ">") {
                try record(path, at: start)
                return .string(try parseBlockScalar(parentIndent: parentIndent))
            }
            if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") {
                let value = try parseFlowCollection(parentIndent: parentIndent, path: path, depth: depth + 1)
                skipWhite()
                if byte(index) == UInt8(ascii: ":") && isBlankOrEnd(at: index + 1) {
                    throw error(.unsupported, "expected a scalar key, found a flow collection: keys must be plain or quoted scalars", at: start)
                }
                try finishLine(after: "the flow collection")
                return value
            }
            if implicitKey(at: start) != nil {
                guard allowsCollection else {
                    throw error("expected a scalar or flow value, found a mapping key: start the mapping on the next line", at: start)
                }
                return try parseBlockMapping(indent: column(of: start), path: path, depth: depth + 1)
            }
            let value: JSONValue
            if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
                try record(path, at: start)
                value = .string(try parseQuoted(parentIndent: parentIndent))
            } else {
                guard isPlainStart(start, inFlow: false) else { throw error("expected a value, found \(describe(start))", at: start) }
                try record(path, at: start)
                value = try resolvePlain(try parsePlain(parentIndent: parentIndent, inFlow: false), at: start)
            }
            try finishLine(after: "the value")
            return value
        }

        /// A block mapping (§8.2.2) whose first key is at `index`, indented `indent` spaces.
        mutating func parseBlockMapping(indent: Int, path: String, depth: Int) throws(FormatError) -> JSONValue {
            try checkDepth(depth, at: index)
            try record(path, at: index)
            var members: [(name: String, value: JSONValue)] = []
            var keyLines: [String: Int] = [:]
            while true {
                let keyStart = index
                try refuseUnsupported(at: keyStart, inFlow: false)
                if byte(keyStart) == UInt8(ascii: "[") || byte(keyStart) == UInt8(ascii: "{") {
                    throw error(.unsupported, "expected a scalar key, found a flow collection: keys must be plain or quoted scalars", at: keyStart)
                }
                guard let key = implicitKey(at: keyStart) else {
                    throw error("expected a mapping key ('name: value') indented \(indent) spaces, found \(describe(keyStart))", at: keyStart)
                }
                let name = try keyText(key, indent: indent)
                try checkDistinct(name, at: keyStart, in: &keyLines)
                members.append((name, try parseMappingValue(indent: indent, keyStart: keyStart, path: join(path, name), depth: depth)))
                guard let next = try nextContentLine() else { break }
                if next < indent {
                    index -= next
                    break
                }
                guard next == indent else {
                    throw error(
                        "expected a key indented \(indent) spaces or a less indented line, found \(describe(index)) (indentation \(next))", at: index)
                }
            }
            return .object(JSONObject(distinctMembers: members))
        }

        /// The value after a block mapping's `key:`: on the same line, on the lines below
        /// indented more, a sequence at the key's own indentation, or empty (null).
        mutating func parseMappingValue(indent: Int, keyStart: Int, path: String, depth: Int) throws(FormatError) -> JSONValue {
            skipWhite()
            guard isCommentStart(index) || isBlankOrEnd(at: index) else {
                return try parseBlockNode(parentIndent: indent, allowsCollection: false, path: path, depth: depth)
            }
            try finishLine(after: "the key")
            if let next = try nextContentLine() {
                if next > indent { return try parseBlockNode(parentIndent: indent, allowsCollection: true, path: path, depth: depth) }
                if next == indent && byte(index) == UInt8(ascii: "-") && isBlankOrEnd(at: index + 1) {
                    return try parseBlockSequence(indent: indent, path: path, depth: depth + 1)
                }
                index -= next
            }
            try record(path, at: keyStart)
            return .null
        }

        /// A block sequence (§8.2.1) whose first `-` is at `index`, indented `indent` spaces.
        mutating func parseBlockSequence(indent: Int, path: String, depth: Int) throws(FormatError) -> JSONValue {
            try checkDepth(depth, at: index)
            try record(path, at: index)
            var elements: [JSONValue] = []
            while true {
                let entryStart = index
                let elementPath = "\(path)[\(elements.count)]"
                index += 1
                skipWhite()
                if isCommentStart(index) || isBlankOrEnd(at: index) {
                    try finishLine(after: "'-'")
                    let next = try nextContentLine()
                    if let next, next > indent {
                        elements.append(try parseBlockNode(parentIndent: indent, allowsCollection: true, path: elementPath, depth: depth))
                    } else {
                        index -= next ?? 0
                        try record(elementPath, at: entryStart)
                        elements.append(.null)
                    }
                } else {
                    elements.append(try parseBlockNode(parentIndent: indent, allowsCollection: true, path: elementPath, depth: depth))
                }
                guard let next = try nextContentLine() else { break }
                if next < indent || (next == indent && !(byte(index) == UInt8(ascii: "-") && isBlankOrEnd(at: index + 1))) {
                    index -= next
                    break
                }
                guard next == indent else {
                    throw error("expected '- ' indented \(indent) spaces or a less indented line, found \(describe(index)) (indentation \(next))", at: index)
                }
            }
            return .array(elements)
        }

        /// Where an implicit key (§7.4, §8.2.2) at `offset` ends and its `:` is, if the line holds
        /// a single-line scalar followed by `: `.
        func implicitKey(at offset: Int) -> (end: Int, colon: Int)? {
            let end: Int
            switch byte(offset) {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard let close = quotedEnd(from: offset) else { return nil }
                end = close
            default:
                guard isPlainStart(offset, inFlow: false) else { return nil }
                end = plainEnd(from: offset, inFlow: false)
            }
            var colon = end
            while isWhite(at: colon) { colon += 1 }
            guard byte(colon) == UInt8(ascii: ":") && isBlankOrEnd(at: colon + 1) else { return nil }
            return (end, colon)
        }

        /// The text of the implicit key at `index`, moving past its `:`.
        mutating func keyText(_ key: (end: Int, colon: Int), indent: Int) throws(FormatError) -> String {
            let start = index
            let name: String
            if byte(start) == UInt8(ascii: "\"") || byte(start) == UInt8(ascii: "'") {
                name = try parseQuoted(parentIndent: indent)
            } else {
                name = text(start..<key.end)
                guard name != "<<" else {
                    throw error(.unsupported, "expected a key, found the merge key '<<': merge keys are not supported", at: start)
                }
            }
            index = key.colon + 1
            return name
        }

        /// Refuses a key already seen in the same mapping (§3.2.1.1), naming both lines.
        func checkDistinct(_ name: String, at offset: Int, in keyLines: inout [String: Int]) throws(FormatError) {
            let line = line(of: offset)
            if let first = keyLines[name] {
                throw error(
                    "expected distinct keys in a mapping, found \"\(ProtoJSONObject.preview(name))\" at line \(first) and again at line \(line)", at: offset)
            }
            keyLines[name] = line
        }

        func join(_ path: String, _ name: String) -> String {
            path.isEmpty ? name : "\(path).\(name)"
        }

        // MARK: Flow collections

        /// A flow sequence or mapping (§7.4) at `index`; its lines must be indented more than
        /// `parentIndent`.
        mutating func parseFlowCollection(parentIndent: Int, path: String, depth: Int) throws(FormatError) -> JSONValue {
            let open = index
            let isMapping = byte(open) == UInt8(ascii: "{")
            let close = isMapping ? UInt8(ascii: "}") : UInt8(ascii: "]")
            try checkDepth(depth, at: open)
            try record(path, at: open)
            index += 1
            var elements: [JSONValue] = []
            var members: [(name: String, value: JSONValue)] = []
            var keyLines: [String: Int] = [:]
            while true {
                try skipFlowSeparation(parentIndent: parentIndent, open: open)
                if byte(index) == close {
                    index += 1
                    break
                }
                if isMapping {
                    members.append(try parseFlowMember(parentIndent: parentIndent, open: open, path: path, depth: depth, keyLines: &keyLines))
                } else {
                    let elementStart = index
                    elements.append(try parseFlowNode(parentIndent: parentIndent, path: "\(path)[\(elements.count)]", depth: depth))
                    skipWhite()
                    if byte(index) == UInt8(ascii: ":") && (isBlankOrEnd(at: index + 1) || isFlowIndicator(at: index + 1)) {
                        throw error(
                            .unsupported, "expected ',' or ']', found a single-pair mapping in a flow sequence: write it as {key: value}", at: elementStart)
                    }
                }
                try skipFlowSeparation(parentIndent: parentIndent, open: open)
                if byte(index) == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if byte(index) == close {
                    index += 1
                    break
                }
                throw error(
                    "expected ',' or '\(Character(Unicode.Scalar(close)))' in the flow collection opened at line \(line(of: open)), found \(describe(index))",
                    at: index)
            }
            return isMapping ? .object(JSONObject(distinctMembers: members)) : .array(elements)
        }

        /// Skips white space, comments and line breaks inside a flow collection; a line must be
        /// indented more than `parentIndent` and the collection must close before a document
        /// marker or the end of input.
        mutating func skipFlowSeparation(parentIndent: Int, open: Int) throws(FormatError) {
            while true {
                skipWhite()
                if isCommentStart(index) { skipToLineEnd() }
                if index >= bytes.count {
                    throw error("expected the flow collection opened at line \(line(of: open)) to close, found end of input", at: index)
                }
                guard bytes[index] == 0x0A else { return }
                let head = nextNonEmptyLine(after: index)
                index = head.content
                if head.indent == 0 && isDocumentMarker(head.lineStart) {
                    throw error("expected the flow collection opened at line \(line(of: open)) to close, found a document marker", at: head.lineStart)
                }
                if isCommentStart(index) || index >= bytes.count { continue }
                try refuseTab(head)
                guard head.indent > parentIndent else {
                    throw error(
                        "expected the flow collection opened at line \(line(of: open)) to go on indented more than \(parentIndent) spaces, "
                            + "found \(describe(index)) (indentation \(head.indent))",
                        at: index)
                }
            }
        }

        /// One `key: value` (or `key` alone, whose value is null) of a flow mapping (§7.4.2).
        mutating func parseFlowMember(parentIndent: Int, open: Int, path: String, depth: Int, keyLines: inout [String: Int]) throws(FormatError) -> (
            name: String, value: JSONValue
        ) {
            let keyStart = index
            try refuseUnsupported(at: keyStart, inFlow: true)
            let name: String
            let first = byte(keyStart)
            let isQuoted = first == UInt8(ascii: "\"") || first == UInt8(ascii: "'")
            if isQuoted {
                guard quotedEnd(from: keyStart) != nil else {
                    throw error("expected a quoted key that closes on its own line, found \(describe(keyStart))", at: keyStart)
                }
                name = try parseQuoted(parentIndent: parentIndent)
            } else if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") {
                throw error(.unsupported, "expected a scalar key, found a flow collection: keys must be plain or quoted scalars", at: keyStart)
            } else {
                guard isPlainStart(keyStart, inFlow: true) else { throw error("expected a key or '}', found \(describe(keyStart))", at: keyStart) }
                index = plainEnd(from: keyStart, inFlow: true)
                name = text(keyStart..<index)
                guard name != "<<" else {
                    throw error(.unsupported, "expected a key, found the merge key '<<': merge keys are not supported", at: keyStart)
                }
            }
            try checkDistinct(name, at: keyStart, in: &keyLines)
            let memberPath = join(path, name)
            skipWhite()
            guard byte(index) == UInt8(ascii: ":") && (isQuoted || isBlankOrEnd(at: index + 1) || isFlowIndicator(at: index + 1)) else {
                try record(memberPath, at: keyStart)
                return (name, .null)
            }
            index += 1
            try skipFlowSeparation(parentIndent: parentIndent, open: open)
            if byte(index) == UInt8(ascii: ",") || byte(index) == UInt8(ascii: "}") {
                try record(memberPath, at: keyStart)
                return (name, .null)
            }
            return (name, try parseFlowNode(parentIndent: parentIndent, path: memberPath, depth: depth))
        }

        /// A node inside a flow collection (§7.5).
        mutating func parseFlowNode(parentIndent: Int, path: String, depth: Int) throws(FormatError) -> JSONValue {
            let start = index
            try refuseUnsupported(at: start, inFlow: true)
            switch byte(start) {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                return try parseFlowCollection(parentIndent: parentIndent, path: path, depth: depth + 1)
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                try record(path, at: start)
                return .string(try parseQuoted(parentIndent: parentIndent))
            default:
                guard isPlainStart(start, inFlow: true) else { throw error("expected a value, found \(describe(start))", at: start) }
                try record(path, at: start)
                return try resolvePlain(try parsePlain(parentIndent: parentIndent, inFlow: true), at: start)
            }
        }
    }
}

/// One document of a YAML stream: its value and where each of its values starts.
public struct YAMLDocument: Sendable {
    public var value: JSONValue
    /// The 1-based line where the value at each path starts; paths are "" for the root, `a.b`,
    /// `a.b[0].c` (the syntax of the policy engine's source lines). An empty value starts at its
    /// key's line, an empty sequence entry at its `-`.
    public var lines: [String: Int]
}
