
/// PEM (RFC 7468) in the canonical form Go's `pem.Encode` writes and Rekor stores: a header
/// line, base64 in 64-character lines, a footer line, each ending in a newline.
public enum PEM {
    public static func encode(_ der: [UInt8], label: String) -> String {
        let body = Array(Base64.encode(der).utf8)
        var output = Array("-----BEGIN \(label)-----\n".utf8)
        output.reserveCapacity(output.count * 2 + body.count + body.count / 64 + 2)
        var index = 0
        while index < body.count {
            let end = min(index + 64, body.count)
            output.append(contentsOf: body[index..<end])
            output.append(0x0A)
            index = end
        }
        output.append(contentsOf: "-----END \(label)-----\n".utf8)
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes every PEM block in `text`, in order, as (label, DER). Base64 lines of any length
    /// are accepted (RFC 7468 §3 lax parsing; Rekor bodies carry unwrapped PEM), surrounding
    /// whitespace is ignored, and anything else outside blocks is refused.
    public static func decodeAll(_ text: String, context: String) throws(FormatError) -> [(label: String, der: [UInt8])] {
        var blocks: [(String, [UInt8])] = []
        var label: String?
        var body: [UInt8] = []
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        for rawLine in text.utf8.split(omittingEmptySubsequences: true, whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            let line = rawLine.drop(while: isSpace).reversed().drop(while: isSpace).reversed()
            if line.isEmpty { continue }
            let lineText = String(decoding: line, as: UTF8.self)
            if let current = label {
                if lineText == "-----END \(current)-----" {
                    guard let der = Base64.decode(String(decoding: body, as: UTF8.self)), !der.isEmpty else {
                        throw FormatError(.syntax, at: context, "expected base64 inside the PEM \"\(current)\" block")
                    }
                    blocks.append((current, der))
                    label = nil
                    body = []
                } else {
                    body.append(contentsOf: line)
                }
            } else if lineText.hasPrefix("-----BEGIN "), lineText.hasSuffix("-----"), lineText.utf8.count > 16 {
                label = String(lineText.dropFirst(11).dropLast(5))
            } else {
                throw FormatError(.syntax, at: context, "expected a PEM \"-----BEGIN\" line, found \"\(ProtoJSONObject.preview(lineText))\"")
            }
        }
        guard label == nil else {
            throw FormatError(.syntax, at: context, "expected an \"-----END\" line, found the end of the text")
        }
        guard !blocks.isEmpty else {
            throw FormatError(.syntax, at: context, "expected a PEM block, found none")
        }
        return blocks
    }
}
