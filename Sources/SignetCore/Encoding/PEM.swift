import Foundation

/// PEM (RFC 7468) in the canonical form Go's `pem.Encode` writes and Rekor stores: a header
/// line, base64 in 64-character lines, a footer line, each ending in a newline.
public enum PEM {
    public static func encode(_ der: [UInt8], label: String) -> String {
        let body = Base64.encode(der)
        var output = "-----BEGIN \(label)-----\n"
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            output += body[index..<end] + "\n"
            index = end
        }
        return output + "-----END \(label)-----\n"
    }

    /// Decodes every PEM block in `text`, in order, as (label, DER). Base64 lines of any length
    /// are accepted (RFC 7468 §3 lax parsing; Rekor bodies carry unwrapped PEM), surrounding
    /// whitespace is ignored, and anything else outside blocks is refused.
    public static func decodeAll(_ text: String, context: String) throws(FormatError) -> [(label: String, der: [UInt8])] {
        var blocks: [(String, [UInt8])] = []
        var label: String?
        var body = ""
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if let current = label {
                if line == "-----END \(current)-----" {
                    guard let der = Base64.decode(body), !der.isEmpty else {
                        throw FormatError(.syntax, at: context, "expected base64 inside the PEM \"\(current)\" block")
                    }
                    blocks.append((current, der))
                    label = nil
                    body = ""
                } else {
                    body += line
                }
            } else if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 {
                label = String(line.dropFirst(11).dropLast(5))
            } else {
                throw FormatError(.syntax, at: context, "expected a PEM \"-----BEGIN\" line, found \"\(ProtoJSONObject.preview(line))\"")
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
