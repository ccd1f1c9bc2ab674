/// Base64 (RFC 4648 §4 and §5) without Foundation, strict about the alphabet.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    /// 0xFF marks a byte outside the alphabet.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Encodes with the standard alphabet and padding (RFC 4648 §4).
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        let outputCount = (input.count + 2) / 3 * 4
        return alphabet.withUnsafeBufferPointer { table in
            input.withUnsafeBufferPointer { input in
                String(unsafeUninitializedCapacity: outputCount) { output in
                    var index = 0
                    var position = 0
                    while index + 3 <= input.count {
                        let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                        output[position] = table[Int(chunk >> 18 & 63)]
                        output[position + 1] = table[Int(chunk >> 12 & 63)]
                        output[position + 2] = table[Int(chunk >> 6 & 63)]
                        output[position + 3] = table[Int(chunk & 63)]
                        index += 3
                        position += 4
                    }
                    let remaining = input.count - index
                    if remaining > 0 {
                        var chunk = UInt32(input[index]) << 16
                        if remaining == 2 { chunk |= UInt32(input[index + 1]) << 8 }
                        output[position] = table[Int(chunk >> 18 & 63)]
                        output[position + 1] = table[Int(chunk >> 12 & 63)]
                        output[position + 2] = remaining == 2 ? table[Int(chunk >> 6 & 63)] : UInt8(ascii: "=")
                        output[position + 3] = UInt8(ascii: "=")
                        position += 4
                    }
                    return position
                }
            }
        }
    }

    /// Decodes standard base64. Padding may be omitted (protobuf-JSON readers accept both), but
    /// when present it must be correct; any character outside the alphabet is refused, as are
    /// non-zero trailing bits.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(utf8: $0) }
    }

    /// Decodes standard base64 from UTF-8 bytes, with the rules of ``decode(_:)``.
    public static func decode(utf8 input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var count = input.count
        var padding = 0
        while count > 0 && input[count - 1] == UInt8(ascii: "=") {
            count -= 1
            padding += 1
        }
        guard padding <= 2, count % 4 != 1 else { return nil }
        if padding > 0 && (count + padding) % 4 != 0 { return nil }
        let outputCount = count / 4 * 3 + max(0, count % 4 - 1)
        return decodeTable.withUnsafeBufferPointer { table -> [UInt8]? in
            var valid = true
            let output = [UInt8](unsafeUninitializedCapacity: outputCount) { output, initialized in
                var index = 0
                var position = 0
                while index + 4 <= count {
                    let a = table[Int(input[index])]
                    let b = table[Int(input[index + 1])]
                    let c = table[Int(input[index + 2])]
                    let d = table[Int(input[index + 3])]
                    guard (a | b | c | d) & 0xC0 == 0 else {
                        valid = false
                        return
                    }
                    let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    output[position] = UInt8(truncatingIfNeeded: chunk >> 16)
                    output[position + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
                    output[position + 2] = UInt8(truncatingIfNeeded: chunk)
                    index += 4
                    position += 3
                }
                // 2 or 3 characters left carry 1 or 2 bytes; the unused low bits must be zero.
                let remaining = count - index
                if remaining >= 2 {
                    let a = table[Int(input[index])]
                    let b = table[Int(input[index + 1])]
                    let c = remaining == 3 ? table[Int(input[index + 2])] : 0
                    guard (a | b | c) & 0xC0 == 0 else {
                        valid = false
                        return
                    }
                    let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                    output[position] = UInt8(truncatingIfNeeded: chunk >> 16)
                    position += 1
                    if remaining == 3 {
                        output[position] = UInt8(truncatingIfNeeded: chunk >> 8)
                        position += 1
                        valid = chunk & 0xFF == 0
                    } else {
                        valid = chunk & 0xFFFF == 0
                    }
                }
                initialized = position
            }
            return valid ? output : nil
        }
    }
}

/// Base64url without padding (RFC 4648 §5), as JOSE uses it (RFC 7515 §2).
public enum Base64URL {
    /// Decodes unpadded base64url; `=`, `+` and `/` are refused.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var mapped = [UInt8]()
        mapped.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "/"): return nil
            case UInt8(ascii: "-"): mapped.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): mapped.append(UInt8(ascii: "/"))
            default: mapped.append(byte)
            }
        }
        return mapped.withUnsafeBufferPointer { Base64.decode(utf8: $0) }
    }

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var output = [UInt8]()
        for byte in Base64.encode(bytes).utf8 {
            switch byte {
            case UInt8(ascii: "="): continue
            case UInt8(ascii: "+"): output.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): output.append(UInt8(ascii: "_"))
            default: output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Lower-case hexadecimal.
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        return String(unsafeUninitializedCapacity: input.count * 2) { output in
            for (index, byte) in input.enumerated() {
                output[2 * index] = digit(byte >> 4)
                output[2 * index + 1] = digit(byte & 0x0F)
            }
            return input.count * 2
        }
    }

    @inline(__always)
    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Decodes hexadecimal (either case); nil for odd length or a non-hex character.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var output = [UInt8]()
        output.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            output.append(high << 4 | low)
            index += 2
        }
        return output
    }
}
