import Foundation
import Hummingbird
import HummingbirdTesting
import SignetCA
import SignetCore
import SignetStore
import Testing

@testable import SignetServer

@Suite("The web UI, in process")
struct WebUITests {
    static let hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"

    /// The cookie of a new session of `identity` (default: a development identity, which
    /// holds every scope in the namespace default).
    static func sessionCookie(_ instance: ServerTestInstance, identity: VerifiedIdentity? = nil, lifetimeSeconds: Int64 = 600) async throws -> HTTPFields {
        let secret = try await instance.services.startSession(
            identity ?? VerifiedIdentity(subjectName: .email("dev@acme.test"), issuer: instance.issuer), lifetimeSeconds: lifetimeSeconds)
        return [.cookie: "\(WebSignIn.sessionCookie)=\(secret)"]
    }

    @Test("no session: every page sends the browser to sign in, keeping where it was going; an expired session is no session")
    func signInFirst() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        let expired = try await Self.sessionCookie(instance, lifetimeSeconds: 0)
        try await instance.test { client in
            for path in ["/ui/artifacts", "/ui/artifact?name=x", "/ui/log", "/ui/audit"] {
                for headers in [HTTPFields(), expired] {
                    let response = try await client.send(.get, path, headers: headers)
                    #expect(response.status == .seeOther && response.headers[.location] == "/ui/login?next=\(HTMLPage.queryValue(path))", "\(path)")
                }
            }
            let root = try await client.send(.get, "/")
            #expect(root.status == .seeOther && root.headers[.location] == "/ui/artifacts")
        }
    }

    @Test("a session whose identity may read nothing is refused (403, audited); sign-out needs the session's CSRF token and ends it")
    func refusalAndSignOut() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        let outsider = try await Self.sessionCookie(
            instance, identity: VerifiedIdentity(subjectName: .email("eve@elsewhere.test"), issuer: "https://idp.elsewhere.test"))
        let member = try await Self.sessionCookie(instance)
        try await instance.test { client in
            let refused = try await client.send(.get, "/ui/artifacts", headers: outsider)
            let refusal = String(decoding: refused.bytes, as: UTF8.self)
            #expect(refused.status == .forbidden && refusal.contains("Not permitted") && refusal.contains("eve@elsewhere.test"), "\(refusal)")
            let page = try await client.send(.get, "/ui/artifacts", headers: member)
            let html = String(decoding: page.bytes, as: UTF8.self)
            #expect(page.status == .ok && html.contains("dev@acme.test") && html.contains("action=\"/ui/logout\""))
            let csrf = try #require(html.range(of: "name=\"csrf\" value=\"").map { String(html[$0.upperBound...].prefix(while: { $0 != "\"" })) })
            let form = "application/x-www-form-urlencoded"
            let forged = try await client.send(.post, "/ui/logout", body: Array("csrf=forged".utf8), contentType: form, headers: member)
            #expect(
                forged.status == .forbidden && String(decoding: forged.bytes, as: UTF8.self).contains("csrf-mismatch"),
                "\(String(decoding: forged.bytes, as: UTF8.self))")
            #expect(try await client.send(.get, "/ui/artifacts", headers: member).status == .ok, "a forged sign-out ended the session")
            let out = try await client.send(.post, "/ui/logout", body: Array("csrf=\(csrf)".utf8), contentType: form, headers: member)
            #expect(out.status == .seeOther && out.headers[.location] == "/ui/signed-out")
            #expect(out.headers[values: .setCookie].contains { $0.hasPrefix("\(WebSignIn.sessionCookie)=;") && $0.contains("Max-Age=0") }, "\(out.headers)")
            #expect(try await client.send(.get, "/ui/artifacts", headers: member).status == .seeOther, "the session outlived its sign-out")
        }
        let events = try await instance.services.store.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 100)
        #expect(events.contains { $0.action == "request.refused" && $0.actor == "eve@elsewhere.test" })
        #expect(events.contains { $0.action == "ui.sign-out" && $0.actor == "dev@acme.test" })
    }

    @Test("text from the store, the request and the audit trail is escaped on every page; pages carry a CSP and no script")
    func escaping() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        let store = instance.services.store
        let name = try ArtifactName(parsing: "registry.example.com/team/app@sha256:\(String(repeating: "cd", count: 32))")
        let record = SignatureRecord(
            id: "0011", namespace: "default", name: name, identity: Self.hostile, issuer: Self.hostile,
            provenance: [.sourceRepositoryRef: Self.hostile, .sourceRepositoryURI: Self.hostile], logIndex: 0,
            signedAt: Timestamp(seconds: 1_800_000_000), certificateSerial: "01", bundle: Array("{}".utf8))
        _ = try await store.register(
            record,
            event: AuditEvent(
                time: record.signedAt, actor: Self.hostile, action: "signature.register", subject: Self.hostile, origin: "test", detail: Self.hostile))
        _ = try await store.revoke(
            RevocationRecord(
                RevocationStatement(
                    id: "r1", namespace: "default", name: name, sourceRepositoryRef: Self.hostile, reason: Self.hostile, actor: Self.hostile,
                    time: Timestamp(seconds: 1_800_000_100))),
            event: AuditEvent(
                time: Timestamp(seconds: 1_800_000_100), actor: Self.hostile, action: "signature.revoke", subject: "r1", origin: "test", detail: Self.hostile))
        let query = name.description.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let cookie = try await Self.sessionCookie(instance)
        try await instance.test { client in
            for (path, status) in [
                ("/ui/artifacts", HTTPResponse.Status.ok), ("/ui/artifact?name=\(query)", .ok), ("/ui/audit", .ok),
                ("/ui/compliance?query=built-from&sourceRepositoryRef=%3Cscript%3Ealert(1)%3C%2Fscript%3E", .ok),
                ("/ui/artifacts?q=%3Cscript%3E&namespace=%22%3E%3Cb%3E", .forbidden),
            ] {
                let response = try await client.send(.get, path, headers: cookie)
                let html = String(decoding: response.bytes, as: UTF8.self)
                #expect(response.status == status, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(!html.contains("<script"), "\(path) carries a raw script tag")
                #expect(!html.contains("<img"), "\(path) carries a raw img tag")
                #expect(!html.contains("\"><b>"), "\(path) reflects the query unescaped")
            }
            let page = String(decoding: try await client.send(.get, "/ui/artifact?name=\(query)", headers: cookie).bytes, as: UTF8.self)
            #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img"))
            #expect(page.contains("Revocation") && page.contains(name.description))
            let list = String(decoding: try await client.send(.get, "/ui/artifacts", headers: cookie).bytes, as: UTF8.self)
            #expect(list.contains("class=\"bad\">revoked"))
            let missing = try await client.send(.get, "/ui/artifact?name=registry.example.com%2Fteam%2Fapp%3A1.0", headers: cookie)
            #expect(missing.status == .badRequest && String(decoding: missing.bytes, as: UTF8.self).contains("a tag can be moved"))
            let log = try await client.send(.get, "/ui/log?index=99", headers: cookie)
            #expect(log.status == .notFound)
        }
    }
}
