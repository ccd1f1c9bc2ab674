import SignetCore

/// A condition on an attestation: one expression of Signet's small policy language, compiled
/// when the policy is read, evaluated against the attestation's predicate, its statement's
/// subjects and its certificate. No code is embedded and nothing is looked up outside the
/// attestation, so a condition always ends, within a bounded amount of work.
///
/// The language (README, "Policies"):
///
/// - values: `"text"` or `'text'`, numbers, `true`, `false`, `null`, `[a, b]`; the roots
///   `predicate`, `subject` (the statement's subjects) and `certificate` (`issuer`, `identity`
///   and each Fulcio extension by field name: `certificate.sourceRepositoryRef`); members
///   `.name` and elements `[0]`; a missing member or element is `null`;
/// - comparisons: `==`, `!=`, `<`, `<=`, `>`, `>=` (numbers with numbers, text with text;
///   other pairs are unequal and unordered), `matches` (a ``Glob``), `in` (an element of an
///   array, or a substring);
/// - logic: `!`, `&&`, `||`, parentheses; only `true` is true (a missing member is `null`,
///   so a condition on a misspelt path fails closed);
/// - functions: `any(list, cond)`, `all(list, cond)`, `none(list, cond)`,
///   `count(list)`, `count(list, cond)` (in `cond`, `it` is the element), `exists(value)`
///   (not null), `size(value)` (of a list, an object or a text), `lower(text)`.
///
/// Examples: `predicate.runDetails.builder.id == "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1"`;
/// `none(predicate.components, it.name matches "log4j-core*")`;
/// `count(predicate.vulnerabilities, lower(it.severity) == "critical") == 0`.
public struct Condition: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let source: String
    private let root: Node

    /// The longest condition accepted, in bytes.
    public static let maxBytes = 4096
    /// The deepest nesting accepted.
    static let maxDepth = 32
    /// The most list elements one evaluation visits.
    static let maxSteps = 2_000_000

    public var description: String { source }

    /// Compiles `source`; the error says where in it the problem is.
    public init(_ source: String) throws(FormatError) {
        guard !source.isEmpty, source.utf8.count <= Self.maxBytes else {
            throw FormatError(.invalidValue, at: "condition", "expected an expression of 1 to \(Self.maxBytes) bytes, found \(source.utf8.count)")
        }
        self.source = source
        var parser = Parser(tokens: try Lexer.tokens(source))
        root = try parser.expression(depth: 0)
        guard parser.atEnd else { throw parser.error("expected the end of the expression") }
    }

    /// What a condition sees of one attestation.
    public struct Context: Sendable {
        public var predicate: JSONValue
        public var subject: JSONValue
        public var certificate: JSONValue

        public init(predicate: JSONValue, subject: JSONValue, certificate: JSONValue) {
            self.predicate = predicate
            self.subject = subject
            self.certificate = certificate
        }
    }

    /// Whether the condition holds. An evaluation that exceeds the work bound is an error,
    /// which a policy counts as the condition failing.
    public func evaluate(_ context: Context) throws(FormatError) -> Bool {
        var budget = Self.maxSteps
        return try Evaluator(context: context).value(root, it: nil, budget: &budget).truthy
    }

    // MARK: - Syntax

    indirect enum Node: Sendable, Hashable {
        case literal(JSONValue)
        case list([Node])
        case root(String)
        case member(Node, String)
        case element(Node, Int)
        case not(Node)
        case and(Node, Node)
        case or(Node, Node)
        case compare(Node, String, Node)
        case call(String, [Node])
    }

    enum Token: Sendable, Hashable {
        case identifier(String)
        case string(String)
        case number(String)
        case symbol(String)
    }

    enum Lexer {
        static func tokens(_ source: String) throws(FormatError) -> [(token: Token, at: Int)] {
            let scalars = Array(source.unicodeScalars)
            var tokens: [(Token, Int)] = []
            var i = 0
            func fail(_ reason: String) -> FormatError {
                FormatError(.syntax, at: "condition", "\(reason) at character \(i + 1) of \"\(ProtoJSONObject.preview(source))\"")
            }
            while i < scalars.count {
                let c = scalars[i]
                if c == " " || c == "\t" || c == "\n" || c == "\r" {
                    i += 1
                } else if c == "\"" || c == "'" {
                    let start = i
                    i += 1
                    var text = String.UnicodeScalarView()
                    while i < scalars.count, scalars[i] != c {
                        if scalars[i] == "\\" {
                            i += 1
                            guard i < scalars.count else { break }
                            switch scalars[i] {
                            case "n": text.append("\n")
                            case "t": text.append("\t")
                            case "\\", "\"", "'": text.append(scalars[i])
                            default: throw fail("expected an escape of \\\\, \\\", \\', \\n or \\t")
                            }
                        } else {
                            text.append(scalars[i])
                        }
                        i += 1
                    }
                    guard i < scalars.count else { throw fail("expected the closing quote of the text begun at character \(start + 1)") }
                    i += 1
                    tokens.append((.string(String(text)), start))
                } else if ("0"..."9").contains(c) || (c == "-" && i + 1 < scalars.count && ("0"..."9").contains(scalars[i + 1])) {
                    let start = i
                    i += 1
                    while i < scalars.count, ("0"..."9").contains(scalars[i]) || scalars[i] == "." { i += 1 }
                    let text = String(String.UnicodeScalarView(scalars[start..<i]))
                    guard Double(text) != nil else { throw fail("expected a number, found \"\(text)\"") }
                    tokens.append((.number(text), start))
                } else if c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) {
                    let start = i
                    while i < scalars.count,
                        scalars[i] == "_" || ("a"..."z").contains(scalars[i]) || ("A"..."Z").contains(scalars[i]) || ("0"..."9").contains(scalars[i])
                    {
                        i += 1
                    }
                    tokens.append((.identifier(String(String.UnicodeScalarView(scalars[start..<i]))), start))
                } else {
                    let two = i + 1 < scalars.count ? String(String.UnicodeScalarView([c, scalars[i + 1]])) : ""
                    if ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
                        tokens.append((.symbol(two), i))
                        i += 2
                    } else if "<>!().,[]".unicodeScalars.contains(c) {
                        tokens.append((.symbol(String(c)), i))
                        i += 1
                    } else {
                        throw fail("unexpected \"\(c)\"")
                    }
                }
            }
            return tokens
        }
    }

    struct Parser {
        let tokens: [(token: Token, at: Int)]
        var position = 0

        var atEnd: Bool { position == tokens.count }

        func error(_ reason: String) -> FormatError {
            let at = position < tokens.count ? "at character \(tokens[position].at + 1)" : "at the end"
            return FormatError(.syntax, at: "condition", "\(reason), \(at)")
        }

        func peek(_ symbol: String) -> Bool {
            guard position < tokens.count else { return false }
            switch tokens[position].token {
            case .symbol(let text), .identifier(let text): return text == symbol
            default: return false
            }
        }

        mutating func expect(_ symbol: String) throws(FormatError) {
            guard peek(symbol) else { throw error("expected \"\(symbol)\"") }
            position += 1
        }

        mutating func expression(depth: Int) throws(FormatError) -> Node {
            guard depth < Condition.maxDepth else { throw error("expected at most \(Condition.maxDepth) levels of nesting") }
            var left = try conjunction(depth: depth + 1)
            while peek("||") {
                position += 1
                left = .or(left, try conjunction(depth: depth + 1))
            }
            return left
        }

        mutating func conjunction(depth: Int) throws(FormatError) -> Node {
            var left = try negation(depth: depth)
            while peek("&&") {
                position += 1
                left = .and(left, try negation(depth: depth))
            }
            return left
        }

        mutating func negation(depth: Int) throws(FormatError) -> Node {
            if peek("!") {
                position += 1
                guard depth < Condition.maxDepth else { throw error("expected at most \(Condition.maxDepth) levels of nesting") }
                return .not(try negation(depth: depth + 1))
            }
            let left = try operand(depth: depth)
            for op in ["==", "!=", "<=", ">=", "<", ">", "matches", "in"] where peek(op) {
                position += 1
                return .compare(left, op, try operand(depth: depth))
            }
            return left
        }

        mutating func operand(depth: Int) throws(FormatError) -> Node {
            var node = try primary(depth: depth)
            while true {
                if peek(".") {
                    position += 1
                    guard position < tokens.count, case .identifier(let name) = tokens[position].token else {
                        throw error("expected a member name after \".\"")
                    }
                    position += 1
                    node = .member(node, name)
                } else if peek("[") {
                    position += 1
                    guard position < tokens.count, case .number(let text) = tokens[position].token, let index = Int(text), index >= 0 else {
                        throw error("expected an element index (a whole number) after \"[\"")
                    }
                    position += 1
                    try expect("]")
                    node = .element(node, index)
                } else {
                    return node
                }
            }
        }

        static let functions: [String: ClosedRange<Int>] = [
            "any": 2...2, "all": 2...2, "none": 2...2, "count": 1...2, "exists": 1...1, "size": 1...1, "lower": 1...1,
        ]
        static let roots: Set<String> = ["predicate", "subject", "certificate", "it"]

        mutating func primary(depth: Int) throws(FormatError) -> Node {
            guard position < tokens.count else { throw error("expected a value") }
            let token = tokens[position].token
            position += 1
            switch token {
            case .string(let text): return .literal(.string(text))
            case .number(let text): return .literal(.number(text))
            case .symbol("("):
                let inner = try expression(depth: depth + 1)
                try expect(")")
                return inner
            case .symbol("["):
                var elements: [Node] = []
                if !peek("]") {
                    repeat {
                        if peek(",") { position += 1 }
                        elements.append(try expression(depth: depth + 1))
                    } while peek(",")
                }
                try expect("]")
                return .list(elements)
            case .identifier("true"): return .literal(.bool(true))
            case .identifier("false"): return .literal(.bool(false))
            case .identifier("null"): return .literal(.null)
            case .identifier(let name) where peek("("):
                guard let arity = Self.functions[name] else {
                    position -= 1
                    throw error("expected a function of \(Self.functions.keys.sorted().joined(separator: ", ")), found \"\(name)\"")
                }
                position += 1
                var arguments: [Node] = []
                if !peek(")") {
                    arguments.append(try expression(depth: depth + 1))
                    while peek(",") {
                        position += 1
                        arguments.append(try expression(depth: depth + 1))
                    }
                }
                try expect(")")
                guard arity.contains(arguments.count) else {
                    throw error(
                        "expected \(name)() to take \(arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound) or \(arity.upperBound)") arguments, found \(arguments.count)"
                    )
                }
                return .call(name, arguments)
            case .identifier(let name):
                guard Self.roots.contains(name) else {
                    position -= 1
                    throw error("expected predicate, subject, certificate or it, found \"\(name)\"")
                }
                return .root(name)
            case .symbol(let symbol):
                position -= 1
                throw error("expected a value, found \"\(symbol)\"")
            }
        }
    }

    // MARK: - Evaluation

    struct Evaluator {
        let context: Context

        func value(_ node: Node, it: JSONValue?, budget: inout Int) throws(FormatError) -> JSONValue {
            switch node {
            case .literal(let value): return value
            case .list(let elements):
                var values: [JSONValue] = []
                for element in elements { values.append(try value(element, it: it, budget: &budget)) }
                return .array(values)
            case .root(let name):
                switch name {
                case "predicate": return context.predicate
                case "subject": return context.subject
                case "certificate": return context.certificate
                default: return it ?? .null
                }
            case .member(let base, let name):
                guard case .object(let object) = try value(base, it: it, budget: &budget) else { return .null }
                return object[name] ?? .null
            case .element(let base, let index):
                guard case .array(let elements) = try value(base, it: it, budget: &budget), index < elements.count else { return .null }
                return elements[index]
            case .not(let inner):
                return .bool(!(try value(inner, it: it, budget: &budget).truthy))
            case .and(let left, let right):
                guard try value(left, it: it, budget: &budget).truthy else { return .bool(false) }
                return .bool(try value(right, it: it, budget: &budget).truthy)
            case .or(let left, let right):
                if try value(left, it: it, budget: &budget).truthy { return .bool(true) }
                return .bool(try value(right, it: it, budget: &budget).truthy)
            case .compare(let left, let op, let right):
                return .bool(Self.compare(try value(left, it: it, budget: &budget), op, try value(right, it: it, budget: &budget)))
            case .call(let name, let arguments):
                let first = try value(arguments[0], it: it, budget: &budget)
                switch name {
                case "exists": return .bool(first != .null)
                case "size":
                    switch first {
                    case .array(let elements): return .number(String(elements.count))
                    case .object(let object): return .number(String(object.members.count))
                    case .string(let text): return .number(String(text.count))
                    default: return .null
                    }
                case "lower":
                    guard case .string(let text) = first else { return .null }
                    return .string(text.lowercased())
                default:
                    guard case .array(let elements) = first else { return name == "count" ? .number("0") : .bool(name != "any") }
                    var matched = 0
                    for element in elements {
                        budget -= 1
                        guard budget >= 0 else {
                            throw FormatError(.tooLarge, at: "condition", "expected at most \(Condition.maxSteps) list elements visited, found more")
                        }
                        let holds = arguments.count < 2 ? true : try value(arguments[1], it: element, budget: &budget).truthy
                        if holds { matched += 1 }
                        if name == "any" && holds { return .bool(true) }
                        if (name == "all" && !holds) || (name == "none" && holds) { return .bool(false) }
                    }
                    switch name {
                    case "count": return .number(String(matched))
                    case "any": return .bool(false)
                    default: return .bool(true)
                    }
                }
            }
        }

        static func compare(_ left: JSONValue, _ op: String, _ right: JSONValue) -> Bool {
            switch op {
            case "==": return equal(left, right)
            case "!=": return !equal(left, right)
            case "matches":
                guard case .string(let text) = left, case .string(let pattern) = right else { return false }
                return Glob(pattern).matches(text)
            case "in":
                switch right {
                case .array(let elements): return elements.contains { equal(left, $0) }
                case .string(let text):
                    guard case .string(let part) = left else { return false }
                    return text.contains(part)
                default: return false
                }
            default:
                let order: Int
                switch (left, right) {
                case (.number(let a), .number(let b)):
                    guard let x = Double(a), let y = Double(b) else { return false }
                    order = x < y ? -1 : (x > y ? 1 : 0)
                case (.string(let a), .string(let b)):
                    order = a < b ? -1 : (a > b ? 1 : 0)
                default:
                    return false
                }
                switch op {
                case "<": return order < 0
                case "<=": return order <= 0
                case ">": return order > 0
                default: return order >= 0
                }
            }
        }

        static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
            if case .number(let a) = left, case .number(let b) = right, let x = Double(a), let y = Double(b) { return x == y }
            return left == right
        }
    }
}

extension JSONValue {
    /// Truth in a condition: only `true` is true; any other value (a text "true", a number, a
    /// missing member) is not, so a condition on a misspelt path fails closed.
    var truthy: Bool { self == .bool(true) }
}
