import SwiftASN1

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

    /// Decodes every PEM block in `text`, in order, as (label, DER).
    public static func decodeAll(_ text: String, context: String) throws(FormatError) -> [(label: String, der: [UInt8])] {
        do {
            return try PEMDocument.parseMultiple(pemString: text).map { ($0.discriminator, $0.derBytes) }
        } catch {
            throw FormatError(.syntax, at: context, "expected PEM blocks, found text that is not PEM")
        }
    }
}
