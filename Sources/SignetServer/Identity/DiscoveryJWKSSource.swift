import AsyncHTTPClient
import Foundation
import NIOCore
import SignetCore
import SignetIdentity

/// Issuer key sets fetched the OpenID Connect way: `<issuer>/.well-known/openid-configuration`
/// names `jwks_uri` (OpenID Connect Discovery 1.0 §4), whose JWK Set is cached for
/// ``maxAge``. A refresh (asked for when a token names an unknown `kid`) happens at most once
/// per ``minRefreshInterval`` per issuer, so forged `kid`s cannot make the server hammer
/// the issuer. Issuers must be HTTPS, except on loopback addresses.
public actor DiscoveryJWKSSource: JWKSSource {
    struct Entry {
        var keySet: JSONWebKeySet
        var fetched: ContinuousClock.Instant
    }

    let client: HTTPClient
    public let maxAge: Duration
    public let minRefreshInterval: Duration
    private var cache: [String: Entry] = [:]
    private var lastAttempt: [String: ContinuousClock.Instant] = [:]
    private var endpoints: [String: (authorization: String, token: String, fetched: ContinuousClock.Instant)] = [:]

    static let maxDocumentBytes = 64 << 10
    static let maxKeySetBytes = 256 << 10

    public init(client: HTTPClient = .shared, maxAge: Duration = .seconds(600), minRefreshInterval: Duration = .seconds(30)) {
        self.client = client
        self.maxAge = maxAge
        self.minRefreshInterval = minRefreshInterval
    }

    public func keySet(forIssuer issuer: String, refresh: Bool) async throws -> JSONWebKeySet {
        let now = ContinuousClock.now
        if let entry = cache[issuer] {
            let fresh = now - entry.fetched < maxAge
            let refreshAllowed = lastAttempt[issuer].map { now - $0 >= minRefreshInterval } ?? true
            if (fresh && !refresh) || !refreshAllowed { return entry.keySet }
        } else if let last = lastAttempt[issuer], now - last < minRefreshInterval {
            throw IdentityError(.keySetUnavailable, "the key set of \(issuer) could not be fetched recently; retry later")
        }
        lastAttempt[issuer] = now
        do {
            let keySet = try await fetch(issuer: issuer)
            cache[issuer] = Entry(keySet: keySet, fetched: now)
            return keySet
        } catch {
            // A stale key set beats none while the issuer is unreachable.
            if let entry = cache[issuer] { return entry.keySet }
            throw error
        }
    }

    private func fetch(issuer: String) async throws -> JSONWebKeySet {
        guard case .string(let jwksURI)? = try await document(issuer)["jwks_uri"] else {
            throw IdentityError(.keySetUnavailable, "expected \(issuer)'s discovery document to name jwks_uri, found none")
        }
        return try JSONWebKeySet(jsonBytes: try await get(jwksURI, limit: Self.maxKeySetBytes, what: "key set of \(issuer)"))
    }

    /// Where a browser signs in at `issuer` and where its code is redeemed: the discovery
    /// document's `authorization_endpoint` and `token_endpoint` (both https, or http on
    /// loopback), read anew at most every ``maxAge``.
    public func signInEndpoints(issuer: String) async throws -> (authorization: String, token: String) {
        let now = ContinuousClock.now
        if let known = endpoints[issuer], now - known.fetched < maxAge { return (known.authorization, known.token) }
        let object = try await document(issuer)
        guard case .string(let authorization)? = object["authorization_endpoint"], case .string(let token)? = object["token_endpoint"],
            Self.isAllowed(authorization), Self.isAllowed(token)
        else {
            throw IdentityError(
                .keySetUnavailable,
                "expected \(issuer)'s discovery document to name an https authorization_endpoint and token_endpoint, found \(object["authorization_endpoint"] == nil ? "none" : "otherwise")"
            )
        }
        endpoints[issuer] = (authorization, token, now)
        return (authorization, token)
    }

    /// The discovery document of `issuer`, which must name `issuer` itself.
    private func document(_ issuer: String) async throws -> JSONObject {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let document = try await get("\(base)/.well-known/openid-configuration", limit: Self.maxDocumentBytes, what: "discovery document of \(issuer)")
        guard case .object(let object)? = try? JSONParser(maxBytes: Self.maxDocumentBytes, maxDepth: 16).parse(document, context: "discovery"),
            case .string(let documentIssuer)? = object["issuer"]
        else {
            throw IdentityError(.keySetUnavailable, "expected \(issuer)'s discovery document to be a JSON object with issuer, found otherwise")
        }
        guard documentIssuer == issuer else {
            throw IdentityError(
                .keySetUnavailable, "expected the discovery document to name issuer \(issuer), found \(ProtoJSONObject.preview(documentIssuer, limit: 120))")
        }
        return object
    }

    /// Whether `url` is https, or http on a loopback host.
    static func isAllowed(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return false }
        return scheme == "https" || (scheme == "http" && isLoopback(host))
    }

    private func get(_ url: String, limit: Int, what: String) async throws -> [UInt8] {
        guard Self.isAllowed(url) else {
            throw IdentityError(
                .keySetUnavailable, "expected an https URL (http only on loopback) for the \(what), found \(ProtoJSONObject.preview(url, limit: 120))")
        }
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            guard response.status == .ok else {
                throw IdentityError(.keySetUnavailable, "expected 200 for the \(what), found \(response.status.code)")
            }
            return Array(buffer: try await response.body.collect(upTo: limit))
        } catch let error as IdentityError {
            throw error
        } catch {
            throw IdentityError(.keySetUnavailable, "could not fetch the \(what): \(error)")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

/// Routes each issuer to its own source: static key sets (files, the development provider)
/// first, discovery for the rest.
public struct IssuerKeySources: JWKSSource {
    public var fixed: [String: JSONWebKeySet]
    public var discovery: DiscoveryJWKSSource

    public init(fixed: [String: JSONWebKeySet], discovery: DiscoveryJWKSSource) {
        self.fixed = fixed
        self.discovery = discovery
    }

    public func keySet(forIssuer issuer: String, refresh: Bool) async throws -> JSONWebKeySet {
        if let keySet = fixed[issuer] { return keySet }
        return try await discovery.keySet(forIssuer: issuer, refresh: refresh)
    }
}
