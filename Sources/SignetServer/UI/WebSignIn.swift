import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import SignetCA
import SignetCore
import SignetIdentity
import SignetStore

/// Sign-in to the web UI: OpenID Connect's authorization code flow (Core 1.0 §3.1) with PKCE
/// (RFC 7636, S256) against one issuer, found by discovery. A sign-in in flight is a store
/// record under the SHA-256 of a random secret held in a short-lived cookie: the `state` the
/// answer must echo, the `nonce` the ID token must carry, the PKCE verifier, and where to go
/// after. A session is a record under the SHA-256 of another secret, in an HTTP-only,
/// SameSite=Lax cookie scoped to `/ui` (Secure when the server is served over https): the
/// verified identity, and the CSRF token every form that changes state must carry. Records
/// live in the store, so every replica knows them; the secrets are never stored nor logged.
struct WebSignIn: Sendable {
    let issuer: String
    let clientID: String
    let clientSecret: String?
    /// The identity's ID tokens verify with: this issuer, for this client.
    let tokens: TokenVerifier
    let discovery: DiscoveryJWKSSource
    let sessionLifetimeSeconds: Int64
    let secureCookies: Bool

    static let signInCookie = "signet_signin"
    static let sessionCookie = "signet_session"
    static let signInLifetimeSeconds: Int64 = 600
    static let maxTokenResponseBytes = 64 << 10

    /// The cookie holding `value` for `seconds` (0 clears it), scoped to the UI.
    func cookie(_ name: String, _ value: String, seconds: Int64) -> Cookie {
        Cookie(name: name, value: value, maxAge: Int(seconds), path: "/ui", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    /// Redeems `code` at the issuer's token endpoint (RFC 6749 §4.1.3, with the PKCE
    /// verifier) for its ID token.
    func idToken(code: String, verifier: String, redirectURI: String) async throws -> String {
        let endpoint = try await discovery.signInEndpoints(issuer: issuer).token
        var fields = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("client_id", clientID), ("code_verifier", verifier),
        ]
        if let clientSecret { fields.append(("client_secret", clientSecret)) }
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: fields.map { "\($0)=\(HTMLPage.queryValue($1))" }.joined(separator: "&")))
        let bytes: [UInt8]
        let status: UInt
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            status = response.status.code
            bytes = Array(buffer: try await response.body.collect(upTo: Self.maxTokenResponseBytes))
        } catch {
            throw WebSignInError.unavailable("the token endpoint of \(issuer) did not answer: \(error)")
        }
        let answer = try? JSONParser(maxBytes: Self.maxTokenResponseBytes, maxDepth: 8).parse(bytes, context: "token response")
        guard status == 200, case .object(let object)? = answer, case .string(let idToken)? = object["id_token"] else {
            var reason = "HTTP \(status)"
            if case .object(let object)? = answer, case .string(let error)? = object["error"] { reason += " \(ProtoJSONObject.preview(error))" }
            throw WebSignInError.refused("expected an ID token from the token endpoint of \(issuer), found \(reason)")
        }
        return idToken
    }
}

/// Why a sign-in did not complete; the UI shows it on a page of its own.
enum WebSignInError: Error {
    /// The browser's answer does not belong to a sign-in it began (no cookie, another state,
    /// a record used or expired): 400.
    case mismatched(String)
    /// The issuer or the user refused, or the ID token did not verify: 401.
    case refused(String)
    /// The issuer could not be reached: 503.
    case unavailable(String)
}

extension SignetServices {
    static let webCallbackPath = "/ui/callback"

    /// What a sign-in in flight keeps.
    private struct PendingSignIn {
        var state: String
        var nonce: String
        var verifier: String
        var next: String

        var json: JSONValue {
            .object(JSONObject([("state", .string(state)), ("nonce", .string(nonce)), ("verifier", .string(verifier)), ("next", .string(next))]))
        }

        init(state: String, nonce: String, verifier: String, next: String) {
            (self.state, self.nonce, self.verifier, self.next) = (state, nonce, verifier, next)
        }

        init(_ bytes: [UInt8]) throws {
            var object = try ProtoJSONObject(try JSONParser(maxBytes: 4096, maxDepth: 4).parse(bytes, context: "sign-in"), path: "sign-in")
            (state, nonce, verifier, next) = (
                try object.requiredString("state"), try object.requiredString("nonce"), try object.requiredString("verifier"),
                try object.requiredString("next")
            )
            try object.finish()
        }
    }

    /// A signed-in session as the UI uses it.
    struct WebSessionState: Sendable {
        var caller: Caller
        var csrf: String
    }

    /// Where a page asked for after sign-in may lead: a path of the UI, never elsewhere.
    static func safeNext(_ text: String?) -> String {
        guard let text, text.hasPrefix("/ui"), !text.hasPrefix("/ui/login"), !text.hasPrefix(webCallbackPath), !text.contains("//"),
            !text.contains("\\"), text.utf8.count <= 1024, !text.unicodeScalars.contains(where: { $0.value < 0x21 })
        else { return "/ui/artifacts" }
        return text
    }

    /// Starts a sign-in: a record of its state, nonce and PKCE verifier, a cookie naming it,
    /// and a redirect to the issuer's authorization endpoint.
    func beginSignIn(_ signIn: WebSignIn, next: String?) async throws -> Response {
        let secret = Base64URL.encode(secureRandomBytes(32))
        let pending = PendingSignIn(
            state: Base64URL.encode(secureRandomBytes(32)), nonce: Base64URL.encode(secureRandomBytes(32)),
            verifier: Base64URL.encode(secureRandomBytes(32)), next: Self.safeNext(next))
        let authorization: String
        do { authorization = try await signIn.discovery.signInEndpoints(issuer: signIn.issuer).authorization } catch {
            throw WebSignInError.unavailable("the identity provider \(signIn.issuer) could not be discovered: \(error)")
        }
        let now = timeSource.now()
        try await store.create(
            WebSession(
                idHash: sha256(Array(secret.utf8)), kind: .signIn, data: pending.json.compactBytes(),
                expiresAt: Timestamp(seconds: now.seconds + WebSignIn.signInLifetimeSeconds)), now: now)
        let query = [
            ("response_type", "code"), ("client_id", signIn.clientID), ("redirect_uri", publicURL + Self.webCallbackPath), ("scope", "openid email"),
            ("state", pending.state), ("nonce", pending.nonce), ("code_challenge", Base64URL.encode(sha256(Array(pending.verifier.utf8)))),
            ("code_challenge_method", "S256"),
        ].map { "\($0)=\(HTMLPage.queryValue($1))" }.joined(separator: "&")
        var response = Response(status: .seeOther, headers: [.location: authorization + (authorization.contains("?") ? "&" : "?") + query])
        response.setCookie(signIn.cookie(WebSignIn.signInCookie, secret, seconds: WebSignIn.signInLifetimeSeconds))
        return response
    }

    /// Completes a sign-in from the issuer's answer: the browser's own sign-in record (used
    /// once), its state echoed, the code redeemed with the PKCE verifier, the ID token
    /// verified for this client with the sign-in's nonce. A caller who may read nothing here
    /// gets no session (403, audited).
    func finishSignIn(_ signIn: WebSignIn, _ request: Request, origin: String) async throws -> Response {
        let now = timeSource.now()
        guard let secret = request.cookies[WebSignIn.signInCookie]?.value else {
            throw WebSignInError.mismatched("expected a sign-in begun in this browser, found none: sign in again")
        }
        guard let record = try await store.removeWebSession(idHash: sha256(Array(secret.utf8)), kind: .signIn, now: now) else {
            throw WebSignInError.mismatched("expected a sign-in in progress, found it expired or already completed: sign in again")
        }
        let pending = try PendingSignIn(record.data)
        guard let state = request.query("state"), state.utf8.elementsEqual(pending.state.utf8) else {
            throw WebSignInError.mismatched("expected the identity provider to answer this browser's sign-in, found another state")
        }
        if let error = request.query("error") {
            throw WebSignInError.refused("the identity provider refused the sign-in: \(ProtoJSONObject.preview(error))")
        }
        guard let code = request.query("code") else { throw WebSignInError.refused("expected a code from the identity provider, found none") }
        let idToken = try await signIn.idToken(code: code, verifier: pending.verifier, redirectURI: publicURL + Self.webCallbackPath)
        let identity: VerifiedIdentity
        do { identity = try await signIn.tokens.verify(idToken, nonce: pending.nonce) } catch {
            throw WebSignInError.refused("the ID token did not verify: \(error.code.rawValue): \(error.reason)")
        }
        let caller = Caller(identity: identity)
        let scopes: Set<AccessScope> = [.read, .verify, .audit]
        do { try requireAnyScope(caller, scopes) } catch let refusal as APIError {
            try await auditRefusal(refusal, route: "GET \(Self.webCallbackPath)", request: request, caller: caller, origin: origin)
            throw refusal
        }
        let sessionSecret = try await startSession(identity, lifetimeSeconds: signIn.sessionLifetimeSeconds)
        try await auditEvents.submit(
            AuditEvent(
                time: now, actor: caller.actor, action: "ui.sign-in", subject: caller.issuer, origin: origin,
                detail: "session of \(signIn.sessionLifetimeSeconds) s"))
        var response = Response(status: .seeOther, headers: [.location: pending.next])
        response.setCookie(signIn.cookie(WebSignIn.signInCookie, "", seconds: 0))
        response.setCookie(signIn.cookie(WebSignIn.sessionCookie, sessionSecret, seconds: signIn.sessionLifetimeSeconds))
        return response
    }

    /// A new session of `identity` for `lifetimeSeconds`: the secret its cookie holds.
    func startSession(_ identity: VerifiedIdentity, lifetimeSeconds: Int64) async throws -> String {
        let now = timeSource.now()
        let secret = Base64URL.encode(secureRandomBytes(32))
        try await store.create(
            WebSession(
                idHash: sha256(Array(secret.utf8)), kind: .session,
                data: Self.sessionJSON(identity, csrf: Base64URL.encode(secureRandomBytes(32))).compactBytes(),
                expiresAt: Timestamp(seconds: now.seconds + lifetimeSeconds)), now: now)
        return secret
    }

    /// The session the request's cookie names, if it is unexpired.
    func webSession(_ request: Request) async throws -> WebSessionState? {
        guard let secret = request.cookies[WebSignIn.sessionCookie]?.value, !secret.isEmpty,
            let record = try await store.webSession(idHash: sha256(Array(secret.utf8)), kind: .session, now: timeSource.now())
        else { return nil }
        return try Self.session(record.data)
    }

    /// Ends the request's session: only a form carrying its CSRF token may (403 otherwise).
    func signOut(_ signIn: WebSignIn, _ request: Request, origin: String) async throws -> Response {
        let form = try URLEncodedForm(bytes: try await request.collectBody(limit: URLEncodedForm.maxBytes, contentTypes: ["application/x-www-form-urlencoded"]))
        let now = timeSource.now()
        if let secret = request.cookies[WebSignIn.sessionCookie]?.value, !secret.isEmpty {
            let hash = sha256(Array(secret.utf8))
            if let record = try await store.webSession(idHash: hash, kind: .session, now: now) {
                let session = try Self.session(record.data)
                guard let token = form["csrf"], token.utf8.elementsEqual(session.csrf.utf8) else {
                    throw APIError(
                        .forbidden, "csrf-mismatch", "expected the form's CSRF token of this session, found \(form["csrf"] == nil ? "none" : "another")")
                }
                _ = try await store.removeWebSession(idHash: hash, kind: .session, now: now)
                try await auditEvents.submit(
                    AuditEvent(time: now, actor: session.caller.actor, action: "ui.sign-out", subject: session.caller.issuer, origin: origin, detail: ""))
            }
        }
        var response = Response(status: .seeOther, headers: [.location: "/ui/signed-out"])
        response.setCookie(signIn.cookie(WebSignIn.sessionCookie, "", seconds: 0))
        return response
    }

    private static func sessionJSON(_ identity: VerifiedIdentity, csrf: String) -> JSONValue {
        let kind = if case .email = identity.subjectName { "email" } else { "uri" }
        return .object(
            JSONObject([
                ("issuer", .string(identity.issuer)), ("kind", .string(kind)), ("subject", .string(identity.subjectName.value)),
                ("provenance", identity.provenance.json), ("csrf", .string(csrf)),
            ]))
    }

    private static func session(_ bytes: [UInt8]) throws -> WebSessionState {
        var object = try ProtoJSONObject(try JSONParser(maxBytes: 64 << 10, maxDepth: 4).parse(bytes, context: "session"), path: "session")
        let issuer = try object.requiredString("issuer")
        let kind = try object.requiredString("kind")
        let subject = try object.requiredString("subject")
        let provenance = try object.provenance("provenance")
        let csrf = try object.requiredString("csrf")
        try object.finish()
        let identity = VerifiedIdentity(subjectName: kind == "email" ? .email(subject) : .uri(subject), issuer: issuer, provenance: provenance)
        return WebSessionState(caller: Caller(identity: identity), csrf: csrf)
    }
}
