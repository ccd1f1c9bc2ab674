import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SignetCore
import Testing

/// Signing in to the web UI as a browser does, over loopback against `signet server --dev`:
/// the OpenID Connect authorization code flow with PKCE through the development identity
/// provider's login page, every redirect followed by hand so each step's cookies and
/// parameters are checked.
@Suite("Signing in to the web UI, over loopback")
struct WebSignInTests {
    /// One answer: status, the Location and the cookies it sets, and the body.
    struct Answer {
        var status: UInt
        var location: String?
        var cookies: [String: String]
        var body: String
    }

    /// A browser's few needs: requests with its cookies, no redirect followed.
    struct Browser {
        let client: HTTPClient
        let base: String

        func send(_ path: String, method: HTTPMethod = .GET, form: [(String, String)]? = nil, cookies: [String: String] = [:]) async throws -> Answer {
            var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : base + path)
            request.method = method
            if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies.map { "\($0)=\($1)" }.joined(separator: "; ")) }
            if let form {
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.body = .bytes(ByteBuffer(string: form.map { "\($0)=\(Self.encode($1))" }.joined(separator: "&")))
            }
            let response = try await client.execute(request, timeout: .seconds(30))
            var set: [String: String] = [:]
            for header in response.headers["Set-Cookie"] {
                let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if pair.count == 2 { set[String(pair[0])] = String(pair[1]) }
            }
            return Answer(
                status: response.status.code, location: response.headers.first(name: "Location"), cookies: set,
                body: String(buffer: try await response.body.collect(upTo: 1 << 20)))
        }

        static func encode(_ value: String) -> String {
            value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
        }
    }

    /// The query parameters of a URL.
    static func query(_ url: String) -> [String: String] {
        Dictionary(
            (URLComponents(string: url)?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    @Test(
        "a page leads to sign-in, the provider's login page, the code redeemed with PKCE, a session on the page asked for; a replayed answer, a forged state, a denial, a missing cookie and a wrong verifier are refused"
    )
    func authorizationCodeFlow() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            try await ServerProcess.with(data: harness.directory.appendingPathComponent("data"), arguments: ["--dev"]) { server in
                try await Self.flow(Browser(client: client, base: server.url))
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Starts a sign-in for `next` and reaches the provider's login page: the sign-in cookie
    /// and the parameters the page carries.
    static func begin(_ browser: Browser, next: String) async throws -> (cookie: String, parameters: [String: String]) {
        let login = try await browser.send("/ui/login?next=\(Browser.encode(next))")
        #expect(login.status == 303, "\(login.body)")
        let authorize = try #require(login.location)
        let cookie = try #require(login.cookies["signet_signin"], "no sign-in cookie")
        let parameters = query(authorize)
        #expect(authorize.hasPrefix("\(browser.base)/dev-idp/authorize?"), "\(authorize)")
        #expect(parameters["code_challenge_method"] == "S256" && parameters["client_id"] == "signet-ui" && parameters["response_type"] == "code")
        #expect(parameters["redirect_uri"] == "\(browser.base)/ui/callback" && parameters["state"]?.count == 43 && parameters["nonce"]?.count == 43)
        let page = try await browser.send(authorize)
        #expect(page.status == 200 && page.body.contains("Sign in as") && page.body.contains("name=\"state\""), "\(page.body)")
        return (cookie, parameters)
    }

    /// Submits the login page: the callback URL the provider redirects to.
    static func submit(_ browser: Browser, _ parameters: [String: String], subject: String, action: String = "allow") async throws -> String {
        var form = [("subject", subject), ("action", action)]
        for name in ["response_type", "client_id", "redirect_uri", "state", "nonce", "code_challenge", "code_challenge_method"] {
            form.append((name, parameters[name] ?? ""))
        }
        let answer = try await browser.send("/dev-idp/authorize", method: .POST, form: form)
        #expect(answer.status == 303, "\(answer.body)")
        return try #require(answer.location)
    }

    static func flow(_ browser: Browser) async throws {
        // A page without a session leads to sign-in, remembering where it was going.
        let start = try await browser.send("/ui/artifacts?status=active")
        #expect(start.status == 303 && start.location == "/ui/login?next=%2Fui%2Fartifacts%3Fstatus%3Dactive", "\(start.location ?? "")")

        let (cookie, parameters) = try await begin(browser, next: "/ui/artifacts?status=active")
        let callback = try await submit(browser, parameters, subject: "alice@signet.localhost")
        let answer = query(callback)
        #expect(callback.hasPrefix("\(browser.base)/ui/callback?") && answer["state"] == parameters["state"] && answer["code"] != nil, "\(callback)")
        let signedIn = try await browser.send(callback, cookies: ["signet_signin": cookie])
        #expect(signedIn.status == 303 && signedIn.location == "/ui/artifacts?status=active", "\(signedIn.body)")
        let session = try #require(signedIn.cookies["signet_session"], "no session cookie")
        #expect(signedIn.cookies["signet_signin"] == "", "the sign-in cookie is cleared")
        let page = try await browser.send("/ui/artifacts", cookies: ["signet_session": session])
        #expect(page.status == 200 && page.body.contains("alice@signet.localhost") && page.body.contains("Sign out"), "\(page.body)")

        // The same answer again: the sign-in was completed, and its code spent.
        let replayed = try await browser.send(callback, cookies: ["signet_signin": cookie])
        #expect(replayed.status == 400 && replayed.body.contains("already completed"), "\(replayed.body)")
        let redeemed = try await browser.send(
            "/dev-idp/token", method: .POST,
            form: [
                ("grant_type", "authorization_code"), ("code", answer["code"] ?? ""), ("redirect_uri", "\(browser.base)/ui/callback"),
                ("client_id", "signet-ui"), ("code_verifier", String(repeating: "a", count: 43)),
            ])
        #expect(redeemed.status == 400 && redeemed.body.contains("invalid_grant"), "\(redeemed.body)")

        // An answer with another state burns the sign-in and signs nobody in.
        let forged = try await begin(browser, next: "/ui/audit")
        let forgedCallback = try await submit(browser, forged.parameters, subject: "mallory@signet.localhost")
        let swapped = forgedCallback.replacingOccurrences(of: "state=\(Browser.encode(forged.parameters["state"] ?? ""))", with: "state=forged")
        let refusedState = try await browser.send(swapped, cookies: ["signet_signin": forged.cookie])
        #expect(refusedState.status == 400 && refusedState.body.contains("another state") && refusedState.cookies["signet_session"] == nil)
        // The answer in a browser that began no sign-in.
        let other = try await begin(browser, next: "/ui/log")
        let otherCallback = try await submit(browser, other.parameters, subject: "bob@signet.localhost")
        let cookieless = try await browser.send(otherCallback)
        #expect(cookieless.status == 400 && cookieless.body.contains("begun in this browser"), "\(cookieless.body)")
        // The user denies.
        let denied = try await begin(browser, next: "/ui/artifacts")
        let deniedCallback = try await submit(browser, denied.parameters, subject: "carol@signet.localhost", action: "deny")
        #expect(query(deniedCallback)["error"] == "access_denied")
        let refusedDenial = try await browser.send(deniedCallback, cookies: ["signet_signin": denied.cookie])
        #expect(refusedDenial.status == 401 && refusedDenial.body.contains("refused the sign-in") && refusedDenial.cookies["signet_session"] == nil)
        // A code redeemed with another verifier than its challenge's.
        let stolen = try await begin(browser, next: "/ui/artifacts")
        let stolenCode = query(try await submit(browser, stolen.parameters, subject: "dave@signet.localhost"))["code"] ?? ""
        let wrongVerifier = try await browser.send(
            "/dev-idp/token", method: .POST,
            form: [
                ("grant_type", "authorization_code"), ("code", stolenCode), ("redirect_uri", "\(browser.base)/ui/callback"), ("client_id", "signet-ui"),
                ("code_verifier", String(repeating: "b", count: 43)),
            ])
        #expect(wrongVerifier.status == 400 && wrongVerifier.body.contains("code_verifier"), "\(wrongVerifier.body)")
        // The provider refuses a sign-in for another redirect, never redirecting to it.
        var foreign = stolen.parameters
        foreign["redirect_uri"] = "https://evil.example/callback"
        let foreignPage = try await browser.send(
            "/dev-idp/authorize?" + foreign.map { "\($0)=\(Browser.encode($1))" }.joined(separator: "&"))
        #expect(foreignPage.status == 400 && foreignPage.location == nil && foreignPage.body.contains("redirect_uri"), "\(foreignPage.body)")
        // The first session still holds.
        #expect(try await browser.send("/ui/artifacts", cookies: ["signet_session": session]).status == 200)
    }
}
