/// Where each value of a JSON document starts, by path (`require[1].conditions[0]`), so a
/// policy's validation errors can name the line. Built for text `JSONParser` has accepted;
/// on anything else (the text of a parse error) it still advances at every step and stops
/// quietly, so no input makes it loop.
struct SourceLines: Sendable {
    private var lines: [String: Int] = [:]
    private let lineStarts: [Int]

    init(_ bytes: [UInt8]) {
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == 0x0A { starts.append(index + 1) }
        lineStarts = starts
        var scanner = Scanner(bytes: bytes)
        scanner.value(path: "", depth: 0)
        for (path, offset) in scanner.found { lines[path] = line(ofOffset: offset) }
    }

    /// Lines already known by path (a YAML document's).
    init(lines: [String: Int]) {
        self.lines = lines
        lineStarts = [0]
    }

    /// The 1-based line of byte `offset`.
    func line(ofOffset offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    /// The line where the value at `path` starts, or that of its nearest enclosing value.
    func line(of path: String) -> Int? {
        var current = path
        while true {
            if let line = lines[current] { return line }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { return lines[""] }
            current = String(current[..<cut])
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var found: [(String, Int)] = []

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func string() -> String {
            // At the opening quote; the text is valid JSON, so escapes are well formed.
            index += 1
            var text: [UInt8] = []
            while index < bytes.count, bytes[index] != 0x22 {
                if bytes[index] == 0x5C { index += 1 }
                if index < bytes.count { text.append(bytes[index]) }
                index += 1
            }
            index += 1
            return String(decoding: text, as: UTF8.self)
        }

        mutating func value(path: String, depth: Int) {
            skipSpace()
            guard index < bytes.count, depth < 64 else {
                index = bytes.count
                return
            }
            found.append((path, index))
            switch bytes[index] {
            case 0x7B:
                index += 1
                while true {
                    skipSpace()
                    guard index < bytes.count, bytes[index] != 0x7D else { break }
                    if bytes[index] == 0x2C {
                        index += 1
                        continue
                    }
                    let name = string()
                    skipSpace()
                    index += 1  // the colon
                    value(path: path.isEmpty ? name : "\(path).\(name)", depth: depth + 1)
                }
                index += 1
            case 0x5B:
                index += 1
                var element = 0
                while true {
                    skipSpace()
                    guard index < bytes.count, bytes[index] != 0x5D else { break }
                    if bytes[index] == 0x2C {
                        index += 1
                        continue
                    }
                    value(path: "\(path)[\(element)]", depth: depth + 1)
                    element += 1
                }
                index += 1
            case 0x22:
                _ = string()
            default:
                // A scalar; or, in text that is not JSON, a stray delimiter, which is skipped.
                index += 1
                while index < bytes.count, ![0x2C, 0x7D, 0x5D, 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            }
        }
    }
}
