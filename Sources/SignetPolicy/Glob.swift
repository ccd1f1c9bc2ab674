/// A glob pattern: `*` matches any run of characters (`/` included), `?` any one character,
/// everything else itself. Names (`registry.example.com/team/*`), refs (`refs/tags/v*`) and the
/// expression language's `matches` use it. Matching takes time proportional to the pattern
/// times the text at worst: no backtracking explosion, whatever the input.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let characters: [Character]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.characters = Array(pattern)
    }

    public var description: String { pattern }

    /// How specific the pattern is: the characters before its first wildcard, then its literal
    /// characters in all. A more specific scope wins over a broader one.
    public var specificity: (prefix: Int, literals: Int) {
        let prefix = characters.firstIndex { $0 == "*" || $0 == "?" } ?? characters.count
        return (prefix, characters.filter { $0 != "*" && $0 != "?" }.count)
    }

    public func matches(_ text: String) -> Bool {
        let text = Array(text)
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < characters.count, characters[p] == "?" || (characters[p] != "*" && characters[p] == text[t]) {
                p += 1
                t += 1
            } else if p < characters.count, characters[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < characters.count, characters[p] == "*" { p += 1 }
        return p == characters.count
    }
}
