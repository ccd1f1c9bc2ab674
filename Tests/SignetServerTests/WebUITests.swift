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
        let instance = try ServerTestInstance()
        defer { instance.remove() }
        let store = instance.services.store
        let name = try ArtifactName(parsing: "registry.example.com/team/app@sha256:\(String(repeating: "cd", count: 32))")
        let record = SignatureRecord(id: "0011", namespace: "default", name: name, identity: Self.hostile, issuer: Self.hostile,
                                     provenance: [.sourceRepositoryRef: Self.hostile, .sourceRepositoryURI: Self.hostile], logIndex: 0,
                                     signedAt: Timestamp(seconds: 1_800_000_000), certificateSerial: "01", bundle: Array("{}".utf8))
        _ = try store.register(record, event: AuditEvent(time: record.signedAt, actor: Self.hostile, action: "signature.register", subject: Self.hostile, origin: "test", detail: Self.hostile))
        _ = try store.revoke(RevocationRecord(id: "r1", namespace: "default", name: name, sourceRepositoryRef: Self.hostile, reason: Self.hostile, actor: Self.hostile,
                                              time: Timestamp(seconds: 1_800_000_100), logIndex: nil),
                             event: AuditEvent(time: Timestamp(seconds: 1_800_000_100), actor: Self.hostile, action: "signature.revoke", subject: "r1", origin: "test", detail: Self.hostile))
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

    @Test("API keys: the text form parses back, only the right secret matches, other shapes are refused")
    func apiKeys() {
        let key = APIKeyCredential.generate()
        #expect(key.text.count == 67 && key.text.hasPrefix("signet_") && APIKeyCredential.isAPIKey(key.text))
        let parsed = APIKeyCredential(parsing: key.text)
        #expect(parsed?.id == key.id && parsed?.matches(key.secretHash) == true)
        #expect(APIKeyCredential.generate().matches(key.secretHash) == false)
        var altered = Array(key.text)
        altered[40] = altered[40] == "A" ? "B" : "A"
        #expect(APIKeyCredential(parsing: String(altered))?.matches(key.secretHash) == false)
        for bad in ["", "signet_", "signet_0123456789ABCDEF_" + String(repeating: "A", count: 43), "signet_0123456789abcdef_" + String(repeating: "A", count: 42),
                    "signet_0123456789abcdef-" + String(repeating: "A", count: 43), "signet_0123456789abcdef_" + String(repeating: "=", count: 43)] {
            #expect(APIKeyCredential(parsing: bad) == nil, "\(bad)")
        }
        #expect(!APIKeyCredential.isAPIKey("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"))
        #expect(APIKeyCredential.serviceIdentity(keyID: key.id, serverURL: "https://signet.example/") == "https://signet.example/api-keys/\(key.id)")
    }
}
