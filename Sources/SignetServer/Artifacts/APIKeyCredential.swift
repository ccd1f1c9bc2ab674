import Crypto
import SignetCore

/// An API key as its holder sees it: `signet_<id>_<secret>`, where the id is 16 lower-case hex
/// digits (the key's public name in listings and audit events) and the secret 43 base64url
/// characters (32 random bytes). The server keeps only the SHA-256 of the secret: 256 random
/// bits need no slow hash, and a stolen database yields no usable key.
public struct APIKeyCredential: Sendable {
    public static let prefix = "signet_"

    public let id: String
    private let secret: [UInt8]

    /// A new random key.
    public static func generate() -> APIKeyCredential {
        APIKeyCredential(id: Hex.encode(secureRandomBytes(8)), secret: Array(Base64URL.encode(secureRandomBytes(32)).utf8))
    }

    private init(id: String, secret: [UInt8]) {
        self.id = id
        self.secret = secret
    }

    /// Reads a presented key; nil if `text` is not in the key format.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == Self.prefix.utf8.count + 16 + 1 + 43, text.hasPrefix(Self.prefix) else { return nil }
        let id = bytes[7..<23]
        let separator = bytes[23]
        let secret = bytes[24...]
        guard id.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }), separator == UInt8(ascii: "_"),
            secret.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F })
        else { return nil }
        self.init(id: String(decoding: id, as: UTF8.self), secret: Array(secret))
    }

    /// The key as handed to its holder, once.
    public var text: String { Self.prefix + id + "_" + String(decoding: secret, as: UTF8.self) }

    /// What the store keeps.
    public var secretHash: [UInt8] { Array(SHA256.hash(data: secret)) }

    /// Whether this key's secret is the one `stored` was made from, compared in constant time.
    public func matches(_ storedHash: [UInt8]) -> Bool {
        let presented = secretHash
        guard presented.count == storedHash.count else { return false }
        return zip(presented, storedHash).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether `text` looks like an API key rather than an OIDC token (a JWS has dots).
    public static func isAPIKey(_ text: String) -> Bool { text.hasPrefix(prefix) && !text.contains(".") }

    /// The certificate identity the CA gives a key's holder: `<server>/api-keys/<id>`, under
    /// the server's own URL as issuer.
    public static func serviceIdentity(keyID: String, serverURL: String) -> String {
        (serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL) + "/api-keys/" + keyID
    }
}
