import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import SignetCore
import SignetServer
import SignetStore
import Testing

@Suite("The artifact API refuses bad input and writes nothing but the refusal's audit event")
struct ArtifactRoutesTests {
    struct Case: Sendable, CustomStringConvertible {
        var label: String
        var method: HTTPRequest.Method = .post
        var path: String
        var body: JSONValue?
        var rawBody: [UInt8]? = nil
        var credential: Credential = .token
        var status: HTTPResponse.Status
        var code: String
        var description: String { label }
    }

    enum Credential: Sendable {
        case none, token
        case raw(String)
        case revokedKey, expiredKey, verifyOnlyKey, signOnlyKey
    }

    static let digest = String(repeating: "ab", count: 32)
    static let name = "registry.example.com/team/app@sha256:\(digest)"

    static func object(_ members: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(members)) }

    static let cases: [Case] = {
        let bundle = JSONValue.object(JSONObject([("mediaType", .string("application/vnd.dev.sigstore.bundle.v0.3+json"))]))
        let register = { (members: [(String, JSONValue)]) in Self.object(members) }
        let sql = "x'); DROP TABLE signature; --"
        return [
            Case(
                label: "register without a credential", path: "/api/signet/v1/signatures", body: register([("name", .string(name)), ("bundle", bundle)]),
                credential: .none, status: .unauthorized, code: "missing-credential"),
            Case(
                label: "a malformed API key", path: "/api/signet/v1/signatures", body: register([("name", .string(name)), ("bundle", bundle)]),
                credential: .raw("signet_zz"), status: .unauthorized, code: "invalid-api-key"),
            Case(
                label: "an unknown API key", path: "/api/signet/v1/signatures", body: register([("name", .string(name)), ("bundle", bundle)]),
                credential: .raw("signet_0123456789abcdef_" + String(repeating: "A", count: 43)), status: .unauthorized, code: "unknown-api-key"),
            Case(
                label: "a revoked API key", path: "/api/signet/v1/signatures", body: register([("name", .string(name)), ("bundle", bundle)]),
                credential: .revokedKey, status: .unauthorized, code: "api-key-revoked"),
            Case(
                label: "an expired API key", path: "/api/signet/v1/signatures", body: register([("name", .string(name)), ("bundle", bundle)]),
                credential: .expiredKey, status: .unauthorized, code: "api-key-expired"),
            Case(
                label: "a key without the sign scope asks for a certificate", path: "/api/signet/v1/signingCert",
                body: register([("certificateSigningRequest", .string("x"))]), credential: .verifyOnlyKey, status: .forbidden, code: "namespace-denied"),
            Case(
                label: "a key without the sign scope registers", path: "/api/signet/v1/signatures",
                body: register([("name", .string(name)), ("bundle", bundle)]), credential: .verifyOnlyKey, status: .forbidden, code: "namespace-denied"),
            Case(
                label: "a huge name", path: "/api/signet/v1/signatures",
                body: register([("name", .string("registry.example.com/" + String(repeating: "a", count: 600) + "@sha256:\(digest)")), ("bundle", bundle)]),
                status: .badRequest, code: "invalid-name"),
            Case(
                label: "a tag", path: "/api/signet/v1/signatures",
                body: register([("name", .string("registry.example.com/team/app:1.0")), ("bundle", bundle)]), status: .badRequest, code: "invalid-name"),
            Case(
                label: "SQL in the name", path: "/api/signet/v1/signatures",
                body: register([("name", .string("registry.example.com/\(sql)@sha256:\(digest)")), ("bundle", bundle)]), status: .badRequest,
                code: "invalid-name"),
            Case(
                label: "an unknown namespace", path: "/api/signet/v1/signatures",
                body: register([("name", .string(name)), ("bundle", bundle), ("namespace", .string("nope"))]), status: .forbidden, code: "namespace-denied"),
            Case(
                label: "quotes in the namespace", path: "/api/signet/v1/signatures",
                body: register([("name", .string(name)), ("bundle", bundle), ("namespace", .string("a\"b'--"))]), status: .badRequest, code: "invalid-namespace"
            ),
            Case(
                label: "a bundle that is not one", path: "/api/signet/v1/signatures", body: register([("name", .string(name)), ("bundle", .string(sql))]),
                status: .badRequest, code: "invalid-request"),
            Case(
                label: "an unknown member", path: "/api/signet/v1/signatures",
                body: register([("name", .string(name)), ("bundle", bundle), ("admin", .bool(true))]), status: .badRequest, code: "invalid-request"),
            Case(label: "invalid JSON", path: "/api/signet/v1/signatures", rawBody: Array("{\"name\":".utf8), status: .badRequest, code: "invalid-request"),
            Case(
                label: "an oversized registration", path: "/api/signet/v1/signatures", rawBody: [UInt8](repeating: 0x20, count: 300 << 10),
                status: .contentTooLarge, code: "body-too-large"),
            Case(
                label: "revoke a name nobody signed", path: "/api/signet/v1/revocations",
                body: register([("name", .string(name)), ("sourceRepositoryRef", .string("refs/tags/v1"))]), status: .notFound, code: "no-signature"),
            Case(
                label: "revoke with a control character in the ref", path: "/api/signet/v1/revocations",
                body: register([("name", .string(name)), ("sourceRepositoryRef", .string("refs/tags/v1\n\(sql)"))]), status: .badRequest,
                code: "invalid-request"),
            Case(
                label: "revoke with SQL in the name", path: "/api/signet/v1/revocations",
                body: register([("name", .string(sql)), ("sourceRepositoryRef", .string("refs/tags/v1"))]), status: .badRequest, code: "invalid-name"),
            Case(
                label: "stated provenance the token alone may set", path: "/api/signet/v1/signingCert",
                body: register([("certificateSigningRequest", .string("x")), ("provenance", register([("tokenSubject", .string("x"))]))]), status: .badRequest,
                code: "invalid-provenance"),
            Case(
                label: "stated provenance with an unknown field", path: "/api/signet/v1/signingCert",
                body: register([("certificateSigningRequest", .string("x")), ("provenance", register([(sql, .string("x"))]))]), status: .badRequest,
                code: "invalid-provenance"),
            Case(
                label: "stated provenance with a newline", path: "/api/signet/v1/signingCert",
                body: register([("certificateSigningRequest", .string("x")), ("provenance", register([("sourceRepositoryRef", .string("a\nb"))]))]),
                status: .badRequest, code: "invalid-provenance"),
            Case(
                label: "list with an unknown status", method: .get,
                path: "/api/signet/v1/artifacts?status=\(sql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", status: .badRequest,
                code: "invalid-query"),
            Case(label: "list with limit 0", method: .get, path: "/api/signet/v1/artifacts?limit=0", status: .badRequest, code: "invalid-query"),
            Case(label: "show without a name", method: .get, path: "/api/signet/v1/artifact", status: .badRequest, code: "invalid-query"),
            Case(
                label: "trace a bare name", method: .get, path: "/api/signet/v1/trace?name=registry.example.com%2Fteam%2Fapp", status: .badRequest,
                code: "invalid-name"),
            Case(
                label: "verify without an issuer", path: "/api/signet/v1/verify", body: register([("name", .string(name))]), status: .badRequest,
                code: "invalid-request"),
            Case(
                label: "verify with a key lacking the verify scope", path: "/api/signet/v1/verify",
                body: register([("name", .string(name)), ("issuer", .string("x"))]), credential: .signOnlyKey, status: .forbidden, code: "namespace-denied"),
            Case(
                label: "verify with a revoked key", path: "/api/signet/v1/verify", body: register([("name", .string(name)), ("issuer", .string("x"))]),
                credential: .revokedKey, status: .unauthorized, code: "api-key-revoked"),
            Case(
                label: "revoke with a key lacking the revoke scope", path: "/api/signet/v1/revocations",
                body: register([("name", .string(name)), ("sourceRepositoryRef", .string("refs/tags/v1"))]), credential: .signOnlyKey, status: .forbidden,
                code: "namespace-denied"),
        ]
    }()

    @Test("each bad request gets a 4xx with a stable code and a reason; no signature, revocation, key or audit event is written")
    func badInput() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        let store = instance.services.store
        let now = SystemTimeSource().now()
        func key(_ scopes: Set<AccessScope>, expires: Timestamp? = nil) async throws -> APIKeyCredential {
            let credential = APIKeyCredential.generate()
            try await store.create(
                APIKeyRecord(
                    id: credential.id, namespace: "default", scopes: scopes, secretHash: credential.secretHash, description: "test", createdBy: "test",
                    createdAt: now, expiresAt: expires),
                event: AuditEvent(time: now, actor: "test", action: "api-key.create", subject: credential.id, origin: "local", detail: ""))
            return credential
        }
        let revoked = try await key([.sign, .verify])
        #expect(
            try await store.revokeAPIKey(
                id: revoked.id, at: now, event: AuditEvent(time: now, actor: "test", action: "api-key.revoke", subject: revoked.id, origin: "local", detail: "")
            ))
        let expired = try await key([.sign], expires: Timestamp(seconds: now.seconds - 1))
        let verifyOnly = try await key([.verify])
        let signOnly = try await key([.sign])
        let token = try instance.token()
        let eventsBefore = try await store.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 1000).count
        try await instance.test { client in
            for item in Self.cases {
                var headers: HTTPFields = [:]
                switch item.credential {
                case .none: break
                case .token: headers[.authorization] = "Bearer \(token)"
                case .raw(let text): headers[.authorization] = "Bearer \(text)"
                case .revokedKey: headers[.authorization] = "Bearer \(revoked.text)"
                case .expiredKey: headers[.authorization] = "Bearer \(expired.text)"
                case .verifyOnlyKey: headers[.authorization] = "Bearer \(verifyOnly.text)"
                case .signOnlyKey: headers[.authorization] = "Bearer \(signOnly.text)"
                }
                let body = item.rawBody ?? item.body?.compactBytes()
                let response = try await client.send(item.method, item.path, body: body, headers: headers)
                #expect(response.status == item.status, "\(item.label): \(String(decoding: response.bytes.prefix(300), as: UTF8.self))")
                #expect(response.member("error") == .string(item.code), "\(item.label): \(String(decoding: response.bytes.prefix(300), as: UTF8.self))")
                guard case .string(let message)? = response.member("message") else {
                    Issue.record("\(item.label): no message")
                    continue
                }
                #expect(message.count > 20, "\(item.label): \(message)")
            }
            // The server keeps serving.
            let health = try await client.send(.get, "/healthz")
            #expect(health.status == .ok)
        }
        #expect(try await store.signatures(SignatureFilter(), after: nil, limit: 1000).isEmpty)
        #expect(try await store.revocations(since: Timestamp(seconds: 0), limit: 1000).isEmpty)
        #expect(try await store.apiKeys(namespace: nil).count == 4)
        // Each refusal (401, 403, 409) left one event saying who, what and why, never the
        // credential; a malformed request left none.
        let refusals = Self.cases.filter { [401, 403, 409].contains($0.status.code) }
        let events = try await store.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 1000).dropFirst(eventsBefore)
        #expect(events.map(\.action) == Array(repeating: "request.refused", count: refusals.count))
        for (event, refusal) in zip(events, refusals) {
            #expect(event.detail.contains("\(refusal.status.code) \(refusal.code)") && event.detail.contains(refusal.path), "\(refusal.label): \(event)")
            for secret in [token, revoked.text, expired.text, verifyOnly.text, signOnly.text] {
                #expect(!"\(event)".contains(secret), "\(refusal.label): a credential in \(event)")
            }
        }
        #expect(events.filter { $0.actor == "anonymous" }.count == refusals.filter { if case .none = $0.credential { true } else { false } }.count)
        #expect(try await store.certificates(identity: "dev@acme.test", limit: 10).isEmpty)
    }
}
