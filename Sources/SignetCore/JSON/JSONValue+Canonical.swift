/// RFC 8785 (JSON Canonicalization Scheme) output, and a compact writer for documents we emit.
extension JSONValue {
    /// The RFC 8785 canonical bytes of this value: members sorted by UTF-16 code units, minimal
    /// string escapes (§3.2.2.2), no whitespace. Numbers are written from their literal text; the
    /// canonical form is only defined for integers in the safe range (§3.2.2.3), which is all
    /// Sigstore uses, so other numbers are refused.
    public func canonicalBytes() throws(FormatError) -> [UInt8] {
        var output: [UInt8] = []
        try write(into: &output, sorted: true)
        return output
    }

    /// Compact JSON in member order (no whitespace), for documents Signet writes.
    public func compactBytes() -> [UInt8] {
        var output: [UInt8] = []
        try? write(into: &output, sorted: false)
        return output
    }

    private func write(into output: inout [UInt8], sorted: Bool) throws(FormatError) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let literal):
            if sorted {
                guard let integer = Int64(literal), integer.magnitude <= (1 << 53) - 1 else {
                    throw FormatError(.unsupported, at: "", "expected an integer within ±(2^53-1) for canonical JSON, found \(literal)")
                }
                output.append(contentsOf: String(integer).utf8)
            } else {
                output.append(contentsOf: literal.utf8)
            }
        case .string(let value): Self.writeString(value, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                try element.write(into: &output, sorted: sorted)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            let members =
                sorted
                ? object.members.sorted { $0.name.utf16.lexicographicallyPrecedes($1.name.utf16) }
                : object.members
            for (offset, member) in members.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.name, into: &output)
                output.append(UInt8(ascii: ":"))
                try member.value.write(into: &output, sorted: sorted)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ value: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            // Runs of bytes that need no escape are copied whole.
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
                case 0x08: output.append(contentsOf: #"\b"#.utf8)
                case 0x0C: output.append(contentsOf: #"\f"#.utf8)
                case 0x0A: output.append(contentsOf: #"\n"#.utf8)
                case 0x0D: output.append(contentsOf: #"\r"#.utf8)
                case 0x09: output.append(contentsOf: #"\t"#.utf8)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    output.append(contentsOf: #"\u00"#.utf8)
                    output.append(hex[Int(byte >> 4)])
                    output.append(hex[Int(byte & 0xF)])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        output.append(UInt8(ascii: "\""))
    }
}
