import Foundation
import Hummingbird
import HummingbirdTesting
import SignetCore
import SignetStore
import Testing

@testable import SignetServer

/// Private by default: every route has a rule, every route of Signet's own API refuses an
/// anonymous caller (401) and one without the scope it needs (403), and a reader of one
/// namespace sees nothing of another's in listings, traces, the audit trail or the gate.
@Suite("Every read is authorised")
struct AccessControlTests {
    /// The routes anyone may call: the Sigstore-compatible endpoints real clients call without
    /// a credential, operations, the OpenAPI document and the development identity provider.
    /// Any other route must need a caller: a route added without a rule, or opened, fails here.
    static let open: Set<String> = [
        "POST /api/v2/signingCert", "GET /api/v2/trustBundle", "GET /api/v1/rootCert", "POST /api/v1/log/entries", "GET /api/v1/log/entries",
        "GET /api/v1/log/entries/:uuid", "POST /api/v1/log/entries/retrieve", "POST /api/v1/index/retrieve", "GET /api/v1/log", "GET /api/v1/log/proof",
        "GET /api/v1/log/publicKey", "POST /api/v2/log/entries", "GET /api/v2/checkpoint", "GET /api/v2/tile/**", "POST /api/v1/timestamp",
        "GET /api/v1/timestamp/certchain", "GET /api/v1/trust/config", "GET /healthz", "GET /readyz", "GET /metrics", "GET /api/openapi.json",
        "GET /dev-idp/.well-known/openid-configuration", "GET /dev-idp/jwks", "GET /dev-idp/authorize", "POST /dev-idp/authorize", "POST /dev-idp/token",
        "GET /", "GET /ui", "GET /ui/login", "GET /ui/callback", "POST /ui/logout", "GET /ui/signed-out",
    ]

    /// Two teams' namespaces, each owning its names, on a development instance.
    static func twoTeams() async throws -> ServerTestInstance {
        let owners = try ["team-a", "team-b"].map {
            NamespacePolicy.Owner(namespace: $0, pattern: try NamespacePolicy.NamePattern(parsing: "registry.example.com/\($0)"))
        }
        return try await ServerTestInstance { configuration in
            configuration.namespaces = NamespacePolicy(declared: ["team-a", "team-b"], rules: [], owners: owners)
        }
    }

    /// A new API key of `namespace` with `scopes`, stored directly.
    static func key(_ store: any Store, _ namespace: String, _ scopes: Set<AccessScope>) async throws -> String {
        let credential = APIKeyCredential.generate()
        try await store.create(
            APIKeyRecord(
                id: credential.id, namespace: namespace, scopes: scopes, secretHash: credential.secretHash, description: "test", createdBy: "test",
                createdAt: Timestamp(seconds: 0), expiresAt: nil),
            event: AuditEvent(time: Timestamp(seconds: 0), actor: "test", action: "api-key.create", subject: credential.id, origin: "local", detail: ""))
        return credential.text
    }

    @Test("every route has a rule: open ones are exactly the listed ones; every other refuses the anonymous (401) and the unscoped (403), and audits both")
    func routeTable() async throws {
        let instance = try await Self.twoTeams()
        defer { instance.remove() }
        let table = SignetServer.routeTable(instance.services)
        let routes = table.map { "\($0.method.rawValue) \($0.path)" }
        #expect(Set(routes).count == routes.count, "a route is added twice")
        let opened = Set(table.filter { $0.access == .open }.map { "\($0.method.rawValue) \($0.path)" })
        #expect(
            opened == Self.open,
            "opened but not listed: \(opened.subtracting(Self.open).sorted()); listed but not open: \(Self.open.subtracting(opened).sorted())")
        // Pages of the web UI need a session; WebUITests sign in to them.
        #expect(
            Set(table.filter { if case .page = $0.access { true } else { false } }.map(\.path)) == [
                "/ui/artifacts", "/ui/artifact", "/ui/log", "/ui/audit", "/ui/trace", "/ui/compliance",
            ])
        let guarded = table.compactMap { route -> (AccessRoutes.Route, Set<AccessScope>)? in
            guard case .caller(let scopes) = route.access else { return nil }
            return (route, scopes)
        }
        let store = instance.services.store
        var keys: [String: String] = [:]
        for (route, scopes) in guarded {
            let others = Set(AccessScope.allCases).subtracting(scopes)
            try #require(!others.isEmpty, "\(route.path) accepts every scope")
            keys["\(route.method.rawValue) \(route.path)"] = try await Self.key(store, "team-a", others)
        }
        let unscoped = keys
        let before = try await store.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 1000).count
        try await instance.test { client in
            for (route, _) in guarded {
                let label = "\(route.method.rawValue) \(route.path)"
                let body = route.method == .post ? Array(#"{"name":"registry.example.com/team-a/app@sha256:\#(String(repeating: "a", count: 64))"}"#.utf8) : nil
                let anonymous = try await client.send(route.method, route.path, body: body, headers: [.contentType: "application/json"])
                #expect(
                    anonymous.status == .unauthorized && anonymous.member("error") == .string("missing-credential"), "\(label) anonymous: \(anonymous.text)")
                let credential = try #require(unscoped[label])
                let refused = try await client.send(
                    route.method, route.path, body: body, headers: [.contentType: "application/json", .authorization: "Bearer \(credential)"])
                #expect(refused.status == .forbidden && refused.member("error") == .string("namespace-denied"), "\(label) unscoped: \(refused.text)")
            }
        }
        let refusals = try await store.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 1000).dropFirst(before)
        #expect(refusals.count == 2 * guarded.count && refusals.allSatisfy { $0.action == "request.refused" })
        #expect(refusals.filter { $0.actor == "anonymous" }.count == guarded.count)
    }

    @Test("a reader of team-a sees nothing of team-b: listings, traces, attestations, verification, the audit trail, policies, the gate and its exports")
    func namespacesApart() async throws {
        let instance = try await Self.twoTeams()
        defer { instance.remove() }
        let store = instance.services.store
        func name(_ team: String, _ content: String) throws -> ArtifactName {
            try ArtifactName(parsing: "registry.example.com/\(team)/app@sha256:\(Hex.encode(sha256(Array(content.utf8))))")
        }
        let (appA, appB) = (try name("team-a", "a"), try name("team-b", "b"))
        for (id, team, subject) in [("sig-of-a", "team-a", appA), ("sig-of-b", "team-b", appB)] {
            let record = SignatureRecord(
                id: id, namespace: team, name: subject, identity: "https://github.com/acme/\(team)/.github/workflows/release.yml@refs/tags/v1",
                issuer: "https://token.actions.githubusercontent.com", provenance: [.sourceRepositoryRef: "refs/tags/v1"], logIndex: 1,
                signedAt: Timestamp(seconds: 10), certificateSerial: "0a", bundle: Array("{}".utf8))
            _ = try await store.register(
                record,
                event: AuditEvent(
                    time: Timestamp(seconds: 10), actor: "ci", action: "signature.register", subject: id, origin: "test", detail: "", namespace: team))
        }
        try await store.record(events: [
            AuditEvent(time: Timestamp(seconds: 11), actor: "ca", action: "certificate.issue", subject: "01", origin: "test", detail: "")
        ])
        let readerA = try await Self.key(store, "team-a", [.read])
        let verifierA = try await Self.key(store, "team-a", [.verify])
        let auditorA = try await Self.key(store, "team-a", [.audit])
        let auditorB = try await Self.key(store, "team-b", [.audit])
        let (queryA, queryB) = (
            appA.description.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
            appB.description.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        )
        try await instance.test { client in
            func get(_ path: String, _ credential: String) async throws -> TestResponse {
                try await client.send(.get, path, headers: [.authorization: "Bearer \(credential)"])
            }
            func post(_ path: String, _ credential: String, _ body: String) async throws -> TestResponse {
                try await client.send(.post, path, body: Array(body.utf8), headers: [.contentType: "application/json", .authorization: "Bearer \(credential)"])
            }
            func ids(_ response: TestResponse, _ member: String = "signatures") -> [String] {
                guard case .array(let items)? = response.member(member) else { return ["not a listing: \(response.text)"] }
                return items.compactMap { if case .object(let item) = $0, case .string(let id)? = item["id"] { id } else { nil } }
            }
            // Listings and traces hold team-a's signature only.
            #expect(ids(try await get("/api/signet/v1/artifacts", readerA)) == ["sig-of-a"])
            #expect(ids(try await get("/api/signet/v1/trace?sourceRepositoryRef=refs%2Ftags%2Fv1", readerA)) == ["sig-of-a"])
            #expect(ids(try await get("/api/signet/v1/artifacts?namespace=team-a", verifierA)) == ["sig-of-a"])
            #expect(ids(try await get("/api/signet/v1/artifact?name=\(queryA)", readerA)) == ["sig-of-a"])
            // Asked about team-b by name or namespace: refused, naming nothing of it but the owner.
            for path in [
                "/api/signet/v1/artifacts?namespace=team-b", "/api/signet/v1/artifact?name=\(queryB)", "/api/signet/v1/trace?name=\(queryB)",
                "/api/signet/v1/attestations?name=\(queryB)",
            ] {
                let refused = try await get(path, readerA)
                #expect(refused.status == .forbidden && refused.member("error") == .string("namespace-denied"), "\(path): \(refused.text)")
                #expect(!refused.text.contains("sig-of-b"), "\(path): \(refused.text)")
            }
            let verify = try await post("/api/signet/v1/verify", readerA, #"{"name":"\#(appB)","issuer":"https://x.test","identity":"y"}"#)
            #expect(verify.status == .forbidden && verify.member("error") == .string("namespace-denied"), "\(verify.text)")
            // The gate: a single admission about team-b is refused; in a batch, that subject is.
            let admit = try await post("/api/signet/v1/admit", verifierA, #"{"name":"\#(appB)","environment":"production"}"#)
            #expect(admit.status == .forbidden && admit.member("error") == .string("namespace-denied"), "\(admit.text)")
            let batch = try await post("/api/signet/v1/verify:batch", verifierA, #"{"subjects":["\#(appB)"],"environment":"production"}"#)
            guard case .array(let results)? = batch.member("results"), results.count == 1, case .object(let first) = results[0] else {
                Issue.record("verify:batch: \(batch.text)")
                return
            }
            #expect(first["code"] == .string("namespace-denied") && first["allowed"] == .bool(false) && first["evidence"] == .array([]), "\(batch.text)")
            // The audit trail: each auditor sees its own namespace's events, never the other's
            // nor the instance's.
            func actions(_ credential: String) async throws -> [String] {
                let response = try await get("/api/signet/v1/audit?limit=1000", credential)
                guard case .array(let events)? = response.member("events") else { return ["not a trail: \(response.text)"] }
                return events.compactMap {
                    if case .object(let event) = $0, case .string(let namespace)? = event["namespace"] { namespace } else { "instance" }
                }
            }
            #expect(Set(try await actions(auditorA)) == ["team-a"])
            #expect(Set(try await actions(auditorB)) == ["team-b"])
            #expect(try await get("/api/signet/v1/audit", readerA).status == .forbidden, "reading is not auditing")
        }
        // Refusals are audited in the namespace they concern: team-a's auditor sees its
        // reader's attempts on team-b's names nowhere, team-b's sees them.
        let trailB = try await store.auditEvents(since: Timestamp(seconds: 0), namespaces: ["team-b"], limit: 1000)
        #expect(trailB.filter { $0.action == "request.refused" }.count >= 4, "\(trailB.map(\.detail))")
    }
}
