import Crypto
import CryptoExtras
import SignetCore

/// A JWS compact serialization (RFC 7515 §7.1) of an identity token, parsed but not yet
/// verified: its header, its claims and the bytes its signature covers.
public struct IdentityToken: Sendable {
    public var algorithm: String
    public var keyID: String?
    public var claims: JSONObject
    public var signingInput: [UInt8]
    public var signature: [UInt8]

    /// The largest token accepted; real ones are a few kilobytes.
    public static let maxBytes = 16 << 10

    public init(compact token: String) throws(IdentityError) {
        guard token.utf8.count <= Self.maxBytes else {
            throw IdentityError(.malformedToken, "expected a token of at most \(Self.maxBytes) bytes, found \(token.utf8.count)")
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw IdentityError(.malformedToken, "expected a JWS compact token of three dot-separated parts, found \(parts.count)")
        }
        guard let headerBytes = Base64URL.decode(parts[0]), let claimBytes = Base64URL.decode(parts[1]), let signature = Base64URL.decode(parts[2]) else {
            throw IdentityError(.malformedToken, "expected base64url (unpadded) token parts")
        }
        let parser = JSONParser(maxBytes: Self.maxBytes, maxDepth: 16)
        guard case .object(let header)? = try? parser.parse(headerBytes, context: "header"),
            case .object(let claims)? = try? parser.parse(claimBytes, context: "claims")
        else {
            throw IdentityError(.malformedToken, "expected JSON objects as the token's header and claims")
        }
        guard case .string(let algorithm)? = header["alg"] else {
            throw IdentityError(.malformedToken, "expected an \"alg\" header, found none")
        }
        if header["crit"] != nil {
            throw IdentityError(.unsupportedAlgorithm, "expected no critical header parameters (\"crit\"), found some")
        }
        self.algorithm = algorithm
        if case .string(let keyID)? = header["kid"] { self.keyID = keyID }
        self.claims = claims
        self.signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        self.signature = signature
    }

    public func string(_ name: String) -> String? {
        if case .string(let value)? = claims[name] { return value }
        return nil
    }

    /// A NumericDate claim (RFC 7519 §2), whole seconds since 1970 (a fraction is dropped), or
    /// nil when the claim is absent. A present claim must be a JSON number within years 0001
    /// to 9999, so that every later comparison and message stays in range: a value such as
    /// Int64.max, -1e300 or a string is refused with a reason.
    public func seconds(_ name: String) throws(IdentityError) -> Int64? {
        guard let value = claims[name] else { return nil }
        let range = Timestamp.rfc3339Seconds
        let malformed = IdentityError(
            .missingClaim,
            "expected \"\(name)\" as a NumericDate (RFC 7519 §2) between \(Timestamp(seconds: range.lowerBound)) and \(Timestamp(seconds: range.upperBound)), found \(Self.describe(value))"
        )
        guard case .number(let literal) = value else { throw malformed }
        if let integer = Int64(literal) {
            guard range.contains(integer) else { throw malformed }
            return integer
        }
        // Not an Int64 literal: a fraction, an exponent, or an integer beyond Int64.
        guard let real = Double(literal), real.isFinite, real >= Double(range.lowerBound), real < Double(range.upperBound) + 1 else { throw malformed }
        return Int64(real.rounded(.down))
    }

    /// A bounded description of a claim's value for messages.
    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .number(let literal): ProtoJSONObject.preview(literal)
        case .string(let text): "the string \"\(ProtoJSONObject.preview(text))\""
        default: value.typeName
        }
    }

    /// Verifies the signature with `key` under the token's `alg` (RFC 7518 §3): ES256/ES384 as
    /// raw r ‖ s, RS* as PKCS#1 v1.5, PS* as PSS, EdDSA as Ed25519.
    func isSigned(by key: JSONWebKey) -> Bool {
        guard key.algorithms.contains(algorithm) else { return false }
        switch (algorithm, key.key) {
        case ("ES256", .p256(let publicKey)):
            guard signature.count == 64, let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return publicKey.isValidSignature(parsed, for: SHA256.hash(data: signingInput))
        case ("ES384", .p384(let publicKey)):
            guard signature.count == 96, let parsed = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return publicKey.isValidSignature(parsed, for: SHA384.hash(data: signingInput))
        case ("EdDSA", .ed25519):
            return key.key.isValidSignature(signature, message: signingInput)
        case (let name, .rsa(let publicKey, let pssOnly)) where name.hasPrefix("RS") || name.hasPrefix("PS"):
            // The algorithm fixes the padding: RS* is PKCS#1 v1.5 only, PS* is PSS only.
            let pss = name.hasPrefix("PS")
            guard pss || !pssOnly else { return false }
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            let padding: _RSA.Signing.Padding = pss ? .PSS : .insecurePKCS1v1_5
            switch name.dropFirst(2) {
            case "256": return publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: signingInput), padding: padding)
            case "384": return publicKey.isValidSignature(rsaSignature, for: SHA384.hash(data: signingInput), padding: padding)
            case "512": return publicKey.isValidSignature(rsaSignature, for: SHA512.hash(data: signingInput), padding: padding)
            default: return false
            }
        default:
            return false
        }
    }
}
