/// A PKCS #11 URI (RFC 7512): which token, which object on it, and how to reach it.
///
/// `pkcs11:token=signet;object=release-key?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/pin`
///
/// Path attributes (§2.3) select the token (`token`, `manufacturer`, `serial`, `model`,
/// `slot-id`) and the object (`object`, `id`, `type`); query attributes give the module
/// (`module-path`) and the PIN (`pin-value`, or `pin-source` naming a file). Values are
/// percent-decoded. An attribute Signet does not know, a repeated attribute or a malformed
/// escape is refused, so a URI never selects more than its author meant. ``description``
/// never shows `pin-value`.
public struct PKCS11URI: Sendable, Hashable, CustomStringConvertible {
    /// The longest URI accepted.
    public static let maxLength = 4096

    public var token: String?
    public var manufacturer: String?
    public var serial: String?
    public var model: String?
    public var slotID: UInt?
    public var object: String?
    /// `CKA_ID`, as bytes.
    public var id: [UInt8]?
    /// `type`: only `private` and `public` name keys; Signet signs with private keys.
    public var type: String?
    public var modulePath: String?
    public var pinValue: String?
    /// A file holding the PIN (`file:` URI or path).
    public var pinSource: String?

    public init(token: String? = nil, object: String? = nil, modulePath: String? = nil) {
        self.token = token
        self.object = object
        self.modulePath = modulePath
    }

    /// Parses `text`, refusing anything RFC 7512 or Signet does not allow.
    public init(_ text: String) throws(PKCS11Error) {
        guard text.utf8.count <= Self.maxLength else {
            throw PKCS11Error(.uri, "expected a PKCS #11 URI of at most \(Self.maxLength) bytes, found \(text.utf8.count)")
        }
        guard text.hasPrefix("pkcs11:") else {
            throw PKCS11Error(.uri, "expected a PKCS #11 URI starting with \"pkcs11:\", found \"\(Self.preview(text))\"")
        }
        let rest = text.dropFirst("pkcs11:".count)
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var seen: Set<String> = []
        func attributes(_ part: Substring, separator: Character, where place: String) throws(PKCS11Error) -> [(String, [UInt8])] {
            var result: [(String, [UInt8])] = []
            for item in part.split(separator: separator) {
                guard let equals = item.firstIndex(of: "=") else {
                    throw PKCS11Error(.uri, "expected NAME=VALUE in the URI's \(place), found \"\(Self.preview(String(item)))\"")
                }
                let name = String(item[..<equals])
                guard seen.insert(name).inserted else { throw PKCS11Error(.uri, "the attribute \(name) appears twice in the URI") }
                result.append((name, try Self.percentDecoded(item[item.index(after: equals)...], attribute: name)))
            }
            return result
        }
        func utf8(_ bytes: [UInt8], _ name: String) throws(PKCS11Error) -> String {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw PKCS11Error(.uri, "expected UTF-8 text in \(name), found other bytes")
            }
            return text
        }
        for (name, bytes) in try attributes(parts[0], separator: ";", where: "path") {
            let value = name == "id" ? "" : try utf8(bytes, name)
            switch name {
            case "token": token = value
            case "manufacturer": manufacturer = value
            case "serial": serial = value
            case "model": model = value
            case "object": object = value
            case "id": id = bytes
            case "slot-id":
                guard let slot = UInt(value) else { throw PKCS11Error(.uri, "expected slot-id to be a decimal number, found \"\(Self.preview(value))\"") }
                slotID = slot
            case "type":
                guard ["private", "public", "cert", "secret-key", "data"].contains(value) else {
                    throw PKCS11Error(.uri, "expected type private, public, cert, secret-key or data, found \"\(Self.preview(value))\"")
                }
                type = value
            default:
                throw PKCS11Error(
                    .uri, "expected path attributes token, manufacturer, serial, model, slot-id, object, id or type, found \"\(Self.preview(name))\"")
            }
        }
        if parts.count == 2 {
            for (name, bytes) in try attributes(parts[1], separator: "&", where: "query") {
                let value = try utf8(bytes, name)
                switch name {
                case "module-path": modulePath = value
                case "pin-value": pinValue = value
                case "pin-source": pinSource = value
                default:
                    throw PKCS11Error(.uri, "expected query attributes module-path, pin-value or pin-source, found \"\(Self.preview(name))\"")
                }
            }
        }
        if pinValue != nil && pinSource != nil { throw PKCS11Error(.uri, "give pin-value or pin-source, not both") }
    }

    /// The same URI naming another object on the same token.
    public func naming(object label: String) -> PKCS11URI {
        var copy = self
        copy.object = label
        copy.id = nil
        copy.type = nil
        return copy
    }

    /// The URI, with a `pin-value` replaced by `***`.
    public var description: String {
        var path: [String] = []
        func add(_ name: String, _ value: String?) { if let value { path.append("\(name)=\(Self.percentEncoded(value))") } }
        add("token", token)
        add("manufacturer", manufacturer)
        add("serial", serial)
        add("model", model)
        add("slot-id", slotID.map { String($0) })
        add("object", object)
        if let id { path.append("id=" + id.map { "%" + String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined()) }
        add("type", type)
        var query: [String] = []
        if let modulePath { query.append("module-path=\(Self.percentEncoded(modulePath))") }
        if let pinSource { query.append("pin-source=\(Self.percentEncoded(pinSource))") }
        if pinValue != nil { query.append("pin-value=***") }
        return "pkcs11:" + path.joined(separator: ";") + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    static func percentDecoded(_ value: Substring, attribute: String) throws(PKCS11Error) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = Array(value.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw PKCS11Error(.uri, "expected %XX hexadecimal escapes in \(attribute), found a malformed one")
            }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    static func percentEncoded(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || "-._~:/@!$'()*+,".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func preview(_ text: String) -> String {
        text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
