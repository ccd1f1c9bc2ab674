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
        var text = text
        return try text.withUTF8 { decodeAll(utf8: $0, context: context) }.get()
    }

    /// Decodes every PEM block in UTF-8 `bytes`, with the rules of ``decodeAll(_:context:)``.
    public static func decodeAll(utf8 bytes: UnsafeBufferPointer<UInt8>, context: String) -> Result<[(label: String, der: [UInt8])], FormatError> {
        let begin = Array("-----BEGIN ".utf8)
        let end = Array("-----END ".utf8)
        let dashes = Array("-----".utf8)
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        func hasAffixes(_ line: Slice<UnsafeBufferPointer<UInt8>>, _ prefix: [UInt8]) -> Bool {
            line.count >= prefix.count + dashes.count && line.starts(with: prefix) && line.suffix(dashes.count).elementsEqual(dashes)
        }
        var blocks: [(String, [UInt8])] = []
        var label: Slice<UnsafeBufferPointer<UInt8>>?
        var body: [UInt8] = []
        var position = bytes.startIndex
        while position < bytes.endIndex {
            var lineEnd = position
            while lineEnd < bytes.endIndex && bytes[lineEnd] != 0x0A && bytes[lineEnd] != 0x0D { lineEnd += 1 }
            var start = position
            var stop = lineEnd
            position = lineEnd + 1
            while start < stop && isSpace(bytes[start]) { start += 1 }
            while stop > start && isSpace(bytes[stop - 1]) { stop -= 1 }
            if start == stop { continue }
            let line = bytes[start..<stop]
            if let current = label {
                if hasAffixes(line, end), line.dropFirst(end.count).dropLast(dashes.count).elementsEqual(current) {
                    let name = String(decoding: current, as: UTF8.self)
                    guard let der = body.withUnsafeBufferPointer({ Base64.decode(utf8: $0) }), !der.isEmpty else {
                        return .failure(FormatError(.syntax, at: context, "expected base64 inside the PEM \"\(name)\" block"))
                    }
                    blocks.append((name, der))
                    label = nil
                    body.removeAll(keepingCapacity: true)
                } else {
                    body.append(contentsOf: line)
                }
            } else if hasAffixes(line, begin), line.count > begin.count + dashes.count {
                label = line.dropFirst(begin.count).dropLast(dashes.count)
            } else {
                return .failure(
                    FormatError(
                        .syntax, at: context, "expected a PEM \"-----BEGIN\" line, found \"\(ProtoJSONObject.preview(String(decoding: line, as: UTF8.self)))\"")
                )
            }
        }
        guard label == nil else {
            return .failure(FormatError(.syntax, at: context, "expected an \"-----END\" line, found the end of the text"))
        }
        guard !blocks.isEmpty else {
            return .failure(FormatError(.syntax, at: context, "expected a PEM block, found none"))
        }
        return .success(blocks)
    }
}
