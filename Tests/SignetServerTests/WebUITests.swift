import Foundation
import Hummingbird
import HummingbirdTesting
import SignetCore
import SignetServer
import SignetStore
import Testing

@Suite("The web UI, in process")
struct WebUITests {
    static let hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"

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
        try await instance.test { client in
            for path in ["/ui/artifacts", "/ui/artifact?name=\(query)", "/ui/audit", "/ui/artifacts?q=%3Cscript%3E&namespace=%22%3E%3Cb%3E"] {
                let response = try await client.send(.get, path)
                let html = String(decoding: response.bytes, as: UTF8.self)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(!html.contains("<script"), "\(path) carries a raw script tag")
                #expect(!html.contains("<img"), "\(path) carries a raw img tag")
                #expect(!html.contains("\"><b>"), "\(path) reflects the query unescaped")
            }
            let page = String(decoding: try await client.send(.get, "/ui/artifact?name=\(query)").bytes, as: UTF8.self)
            #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img"))
            #expect(page.contains("Revocation") && page.contains(name.description))
            let list = String(decoding: try await client.send(.get, "/ui/artifacts").bytes, as: UTF8.self)
            #expect(list.contains("class=\"bad\">revoked"))
            let missing = try await client.send(.get, "/ui/artifact?name=registry.example.com%2Fteam%2Fapp%3A1.0")
            #expect(missing.status == .badRequest && String(decoding: missing.bytes, as: UTF8.self).contains("a tag can be moved"))
            let log = try await client.send(.get, "/ui/log?index=99")
            #expect(log.status == .notFound)
        }
    }
}
