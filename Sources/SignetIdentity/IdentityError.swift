import SignetCore

/// The one error type of SignetIdentity: why an identity token was refused. `code` is stable;
/// the reason never contains the token.
public struct IdentityError: CodedError, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Not a compact JWS with a JSON header and claims.
        case malformedToken = "malformed-token"
        /// The `iss` claim names no configured issuer.
        case unknownIssuer = "unknown-issuer"
        /// `alg` is `none`, not allowed, or does not fit the key.
        case unsupportedAlgorithm = "unsupported-algorithm"
        /// The `kid` is not in the issuer's key set, even after a refresh.
        case unknownKey = "unknown-key"
        /// The signature does not verify with the issuer's key.
        case badSignature = "bad-signature"
        /// `aud` does not include the expected audience.
        case wrongAudience = "wrong-audience"
        /// `exp`, `nbf` or `iat` puts the token outside its validity.
        case expired = "expired"
        /// A claim the issuer's profile needs is missing or malformed.
        case missingClaim = "missing-claim"
        /// The issuer's key set could not be had.
        case keySetUnavailable = "key-set-unavailable"
        /// An ID token answering a sign-in without that sign-in's nonce (a replayed token).
        case wrongNonce = "wrong-nonce"
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }
}
