import SignetCA
import SignetCore

/// Where an issuer's JWK Set comes from: its OIDC discovery document and `jwks_uri`, cached,
/// or a file for air-gapped sites. The network lives in the implementation, at the edge.
public protocol JWKSSource: Sendable {
    /// The issuer's key set. With `refresh`, fetch it again if the source may (a source bounds
    /// how often it refreshes, so unknown `kid`s cannot make it hammer the issuer).
    func keySet(forIssuer issuer: String, refresh: Bool) async throws -> JSONWebKeySet
}

/// Key sets fixed at start-up (from files), for air-gapped sites and tests.
public struct StaticJWKSSource: JWKSSource {
    public var keySets: [String: JSONWebKeySet]

    public init(_ keySets: [String: JSONWebKeySet]) {
        self.keySets = keySets
    }

    public func keySet(forIssuer issuer: String, refresh: Bool) async throws -> JSONWebKeySet {
        guard let keySet = keySets[issuer] else {
            throw IdentityError(.keySetUnavailable, "no key set is configured for issuer \(issuer)")
        }
        return keySet
    }
}

/// An issuer whose tokens the CA accepts.
public struct TrustedIssuer: Sendable, Hashable {
    public var url: String
    public var audience: String
    public var profile: IssuerProfile

    public init(url: String, audience: String = "sigstore", profile: IssuerProfile) {
        self.url = url
        self.audience = audience
        self.profile = profile
    }
}

/// Verifies OIDC identity tokens (RFC 7519 JWTs signed as RFC 7515 JWS) against configured
/// issuers and maps their claims to a ``VerifiedIdentity``. Each issuer has its own key set,
/// a `kid` must name one of its keys, and the key's type fixes the algorithm.
public struct TokenVerifier: Sendable {
    public var issuers: [String: TrustedIssuer]
    public var keys: any JWKSSource
    public var timeSource: any TimeSource
    /// Tolerated clock skew for `exp`, `nbf` and `iat` (at most 60 s).
    public var allowedSkewSeconds: Int64

    public static let acceptedAlgorithms: Set<String> = ["ES256", "ES384", "EdDSA", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]

    public init(issuers: [TrustedIssuer], keys: any JWKSSource, timeSource: any TimeSource = SystemTimeSource(), allowedSkewSeconds: Int64 = 60) {
        self.issuers = Dictionary(issuers.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        self.keys = keys
        self.timeSource = timeSource
        self.allowedSkewSeconds = min(max(0, allowedSkewSeconds), 60)
    }

    /// The identity `compactToken` proves: signed by a key of a configured issuer, for that
    /// issuer's audience, valid now, and (an ID token answering a sign-in, OpenID Connect
    /// Core 1.0 §3.1.3.7) carrying `nonce` when one is given.
    public func verify(_ compactToken: String, nonce: String? = nil) async throws(IdentityError) -> VerifiedIdentity {
        let token = try IdentityToken(compact: compactToken)
        guard Self.acceptedAlgorithms.contains(token.algorithm) else {
            throw IdentityError(
                .unsupportedAlgorithm,
                "expected a signed token (\(Self.acceptedAlgorithms.sorted().joined(separator: ", "))), found alg \"\(ProtoJSONObject.preview(token.algorithm))\""
            )
        }
        guard let issuerURL = token.string("iss") else {
            throw IdentityError(.missingClaim, "expected an \"iss\" claim, found none")
        }
        guard let issuer = issuers[issuerURL] else {
            throw IdentityError(
                .unknownIssuer, "expected a token from a configured issuer, found one from \"\(ProtoJSONObject.preview(issuerURL, limit: 120))\"")
        }

        var key = try await keySet(issuerURL, refresh: false).key(id: token.keyID)
        if key == nil { key = try await keySet(issuerURL, refresh: true).key(id: token.keyID) }
        guard let key else {
            throw IdentityError(
                .unknownKey,
                "expected a key ID of \(issuerURL)'s key set, found \(token.keyID.map { "\"\(ProtoJSONObject.preview($0))\"" } ?? "none with several keys to choose from")"
            )
        }
        guard key.algorithms.contains(token.algorithm) else {
            throw IdentityError(
                .unsupportedAlgorithm,
                "expected alg \(key.algorithms.sorted().joined(separator: " or ")) for key \(token.keyID ?? ""), found \(token.algorithm)")
        }
        guard token.isSigned(by: key) else {
            throw IdentityError(.badSignature, "expected a signature by \(issuerURL)'s key, found one that does not verify")
        }

        let audiences: [String]
        switch token.claims["aud"] {
        case .string(let audience)?: audiences = [audience]
        case .array(let values)?: audiences = values.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: audiences = []
        }
        guard audiences.contains(issuer.audience) else {
            throw IdentityError(
                .wrongAudience,
                "expected audience \"\(issuer.audience)\", found \(audiences.map { "\"\(ProtoJSONObject.preview($0))\"" }.joined(separator: ", "))")
        }
        let now = timeSource.now().seconds
        guard let expiry = try token.seconds("exp"), let issuedAt = try token.seconds("iat") else {
            throw IdentityError(.missingClaim, "expected numeric \"exp\" and \"iat\" claims")
        }
        let notBefore = try token.seconds("nbf")
        // `seconds` bounds each claim to years 0001 to 9999 and the skew is at most 60 s, so
        // the skew is added to the claims, never to the clock's reading: nothing overflows.
        guard now <= expiry + allowedSkewSeconds else {
            throw IdentityError(.expired, "expected a token not yet expired, found one that expired at \(Timestamp(seconds: expiry))")
        }
        guard issuedAt - allowedSkewSeconds <= now else {
            throw IdentityError(.expired, "expected a token issued by now, found one issued at \(Timestamp(seconds: issuedAt))")
        }
        if let notBefore, notBefore - allowedSkewSeconds > now {
            throw IdentityError(.expired, "expected a token valid now, found one valid from \(Timestamp(seconds: notBefore))")
        }
        if let nonce, token.string("nonce") != nonce {
            throw IdentityError(.wrongNonce, "expected the nonce of this sign-in in the ID token, found \(token.string("nonce") == nil ? "none" : "another")")
        }
        return try issuer.profile.identity(issuer: issuerURL, token: token)
    }

    private func keySet(_ issuer: String, refresh: Bool) async throws(IdentityError) -> JSONWebKeySet {
        do {
            return try await keys.keySet(forIssuer: issuer, refresh: refresh)
        } catch let error as IdentityError {
            throw error
        } catch {
            throw IdentityError(.keySetUnavailable, "the key set of \(issuer) could not be had: \(error)")
        }
    }
}
