import Hummingbird
import SignetCore

/// The development identity provider's public endpoints (`--dev` only): its discovery
/// document and JWK Set; and, for signing in to the web UI, its authorization endpoint (a
/// login page where anyone names the identity they want, or denies) and its token endpoint
/// (the authorization code flow with PKCE, RFC 6749 §4.1 and RFC 7636, for this server's UI
/// only). Tokens for pipelines are minted by `signet auth dev-token`, never over HTTP.
extension SignetServices {
    func addDevelopmentIdentityRoutes(to routes: AccessRoutes) {
        guard let provider = developmentIdentityProvider else { return }
        routes.open(.get, "\(DevelopmentIdentityProvider.path)/.well-known/openid-configuration") { _, _ in
            Response.json(provider.discoveryDocument)
        }
        routes.open(.get, "\(DevelopmentIdentityProvider.path)/jwks") { _, _ in
            Response.json(provider.jwksJSON)
        }
        routes.open(.get, "\(DevelopmentIdentityProvider.path)/authorize") { request, _ in
            let sign = try self.developmentAuthorization { request.query($0) }
            return self.developmentLoginPage(sign)
        }
        routes.open(.post, "\(DevelopmentIdentityProvider.path)/authorize") { request, _ in
            let form = try URLEncodedForm(
                bytes: try await request.collectBody(limit: URLEncodedForm.maxBytes, contentTypes: ["application/x-www-form-urlencoded"]))
            let sign = try self.developmentAuthorization { form[$0] }
            var answer = "\(sign.redirectURI)?state=\(HTMLPage.queryValue(sign.state))"
            if form["action"] == "deny" {
                answer += "&error=access_denied&error_description=\(HTMLPage.queryValue("the user denied the sign-in"))"
            } else {
                let subject = try form.required("subject")
                guard subject.utf8.count <= 256, !subject.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                    throw APIError(.badRequest, "invalid-request", "subject: expected at most 256 printable characters")
                }
                let now = self.timeSource.now()
                let code = provider.authorizations.issue(
                    .init(
                        subject: subject, redirectURI: sign.redirectURI, nonce: sign.nonce, challenge: sign.challenge,
                        expiresAt: Timestamp(seconds: now.seconds + DevelopmentAuthorizations.codeLifetimeSeconds)), now: now)
                answer += "&code=\(HTMLPage.queryValue(code))"
            }
            return Response(status: .seeOther, headers: [.location: answer])
        }
        routes.open(.post, "\(DevelopmentIdentityProvider.path)/token") { request, _ in
            let form = try URLEncodedForm(
                bytes: try await request.collectBody(limit: URLEncodedForm.maxBytes, contentTypes: ["application/x-www-form-urlencoded"]))
            func refusal(_ error: String, _ description: String) -> Response {
                Response.json(.object(JSONObject([("error", .string(error)), ("error_description", .string(description))])), status: .badRequest)
            }
            guard form["grant_type"] == "authorization_code" else { return refusal("unsupported_grant_type", "expected grant_type authorization_code") }
            guard let code = form["code"], let clientID = form["client_id"], let redirectURI = form["redirect_uri"], let verifier = form["code_verifier"] else {
                return refusal("invalid_request", "expected code, client_id, redirect_uri and code_verifier")
            }
            let now = self.timeSource.now()
            let grant: DevelopmentAuthorizations.Grant
            do throws(DevelopmentAuthorizations.Refusal) {
                grant = try provider.authorizations.redeem(code: code, clientID: clientID, redirectURI: redirectURI, verifier: verifier, now: now)
            } catch {
                return refusal(error.error, error.description)
            }
            let lifetime: Int64 = 300
            let idToken = try provider.mint(subject: grant.subject, claims: [("nonce", grant.nonce)], audience: clientID, lifetime: lifetime, now: now)
            return Response.json(
                .object(
                    JSONObject([
                        ("access_token", .string(Base64URL.encode(secureRandomBytes(32)))), ("token_type", .string("Bearer")),
                        ("expires_in", .integer(lifetime)), ("id_token", .string(idToken)),
                    ])))
        }
    }

    /// A sign-in's parameters as the authorization endpoint reads them: this server's UI as
    /// the client, its callback as the redirect, S256 PKCE, a state and a nonce. Anything else
    /// is refused here, never redirected (a redirect URI is trusted only once it is known).
    struct DevelopmentSignInRequest {
        var redirectURI: String
        var state: String
        var nonce: String
        var challenge: String
    }

    func developmentAuthorization(_ field: (String) -> String?) throws -> DevelopmentSignInRequest {
        let expectedRedirect = publicURL + Self.webCallbackPath
        func value(_ name: String, _ expected: String) throws -> String {
            guard let found = field(name), !found.isEmpty, found.utf8.count <= 512 else {
                throw APIError(.badRequest, "invalid-request", "\(name): expected \(expected), found none")
            }
            return found
        }
        guard field("response_type") == "code" else { throw APIError(.badRequest, "invalid-request", "response_type: expected code") }
        guard field("client_id") == DevelopmentAuthorizations.clientID else {
            throw APIError(.badRequest, "invalid-request", "client_id: expected \(DevelopmentAuthorizations.clientID), this server's web UI")
        }
        guard field("redirect_uri") == expectedRedirect else {
            throw APIError(.badRequest, "invalid-request", "redirect_uri: expected \(expectedRedirect)")
        }
        guard field("code_challenge_method") == "S256" else { throw APIError(.badRequest, "invalid-request", "code_challenge_method: expected S256") }
        let challenge = try value("code_challenge", "a 43-character S256 challenge")
        guard challenge.utf8.count == 43 else { throw APIError(.badRequest, "invalid-request", "code_challenge: expected 43 base64url characters") }
        return DevelopmentSignInRequest(
            redirectURI: expectedRedirect, state: try value("state", "the client's state"), nonce: try value("nonce", "the client's nonce"),
            challenge: challenge)
    }

    /// The login page: the identity to sign in as, and the sign-in's parameters carried on.
    func developmentLoginPage(_ sign: DevelopmentSignInRequest) -> Response {
        var page = HTMLPage()
        page.raw("<h1>Development identity provider</h1>")
        page.element(
            "p", "This server runs with --dev: anyone who reaches it may sign in as any identity. Never expose it beyond this machine.", class: "muted")
        page.raw("<form method=\"post\" action=\"\(DevelopmentIdentityProvider.path)/authorize\" class=\"card\">")
        page.raw(
            "<label for=\"subject\">Sign in as</label><input id=\"subject\" name=\"subject\" type=\"text\" value=\"\(HTMLPage.escape(DevelopmentIdentityProvider.defaultSubject))\" required>"
        )
        for (name, value) in [
            ("response_type", "code"), ("client_id", DevelopmentAuthorizations.clientID), ("redirect_uri", sign.redirectURI), ("state", sign.state),
            ("nonce", sign.nonce), ("code_challenge", sign.challenge), ("code_challenge_method", "S256"),
        ] {
            page.raw("<input type=\"hidden\" name=\"\(name)\" value=\"\(HTMLPage.escape(value))\">")
        }
        page.raw("<button type=\"submit\" name=\"action\" value=\"allow\">Sign in</button>")
        page.raw("<button type=\"submit\" name=\"action\" value=\"deny\">Deny</button></form>")
        return Self.html(page, title: "Sign in")
    }
}
