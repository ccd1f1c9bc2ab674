import CryptoExtras
import Foundation
import SignetCore

/// A JSON Web Key (RFC 7517) usable to verify signatures: EC P-256/P-384, RSA, or Ed25519
/// (RFC 8037), with the one JWS algorithm family it may verify.
public struct JSONWebKey: Sendable {
    public var keyID: String?
    public var key: VerificationKey
    /// The `alg` values this key verifies (RFC 7518 §3.1; RFC 8037 §3.1).
    public var algorithms: Set<String>

    /// Reads one JWK; nil for keys that cannot verify signatures (encryption keys, symmetric
    /// keys, unknown types), which a key set skips.
    public init?(json value: JSONValue) {
        guard case .object(let object) = value, case .string(let type)? = object["kty"] else { return nil }
        if case .string(let use)? = object["use"], use != "sig" { return nil }
        if case .string(let id)? = object["kid"] { keyID = id }
        func bytes(_ name: String) -> [UInt8]? {
            guard case .string(let text)? = object[name] else { return nil }
            return Base64URL.decode(Substring(text))
        }
        var algorithms: Set<String>
        switch type {
        case "EC":
            guard case .string(let curve)? = object["crv"], let x = bytes("x"), let y = bytes("y") else { return nil }
            let point = [0x04] + x + y
            switch curve {
            case "P-256":
                guard x.count == 32, y.count == 32, let parsed = try? P256.Signing.PublicKey(x963Representation: point) else { return nil }
                key = .p256(parsed)
                algorithms = ["ES256"]
            case "P-384":
                guard x.count == 48, y.count == 48, let parsed = try? P384.Signing.PublicKey(x963Representation: point) else { return nil }
                key = .p384(parsed)
                algorithms = ["ES384"]
            default: return nil
            }
        case "RSA":
            guard let n = bytes("n"), let e = bytes("e"), let parsed = try? _RSA.Signing.PublicKey(n: n, e: e) else { return nil }
            key = .rsa(parsed, pssOnly: false)
            algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
        case "OKP":
            guard case .string("Ed25519")? = object["crv"], let x = bytes("x"), x.count == 32,
                let parsed = try? Curve25519.Signing.PublicKey(rawRepresentation: x)
            else { return nil }
            key = .ed25519(parsed)
            algorithms = ["EdDSA"]
        default:
            return nil
        }
        // A key that names its algorithm verifies only that one (RFC 7517 §4.4).
        if case .string(let algorithm)? = object["alg"] {
            guard algorithms.contains(algorithm) else { return nil }
            algorithms = [algorithm]
        }
        self.algorithms = algorithms
    }
}

/// A JWK Set (RFC 7517 §5): the keys an issuer signs identity tokens with.
public struct JSONWebKeySet: Sendable {
    public var keys: [JSONWebKey]

    public init(keys: [JSONWebKey]) {
        self.keys = keys
    }

    /// Parses a JWKS document, keeping the keys usable for signature verification.
    public init(jsonBytes bytes: [UInt8]) throws(IdentityError) {
        let value: JSONValue
        do {
            value = try JSONParser(maxBytes: 1 << 20, maxDepth: 8).parse(bytes, context: "jwks")
        } catch {
            throw IdentityError(.keySetUnavailable, "the issuer's key set is not JSON: \(error.reason)")
        }
        guard case .object(let object) = value, case .array(let keys)? = object["keys"] else {
            throw IdentityError(.keySetUnavailable, "expected a JWK Set with a \"keys\" array")
        }
        self.keys = keys.compactMap(JSONWebKey.init(json:))
    }

    func key(id: String?) -> JSONWebKey? {
        guard let id else { return keys.count == 1 ? keys[0] : nil }
        return keys.first { $0.keyID == id }
    }
}
