import Hummingbird
import SignetCore
import SignetPolicy
import SignetStore
import Synchronization

/// Policies (`/api/signet/v1/policies`): apply a document as the next version of its name,
/// list the versions in force. A policy scoped to a namespace needs the admin scope there; an
/// organisation-wide one (no namespace) needs it in every namespace the configuration names.
/// A caller sees the organisation-wide policies and those of the namespaces it may read or
/// administer.
extension SignetServices {
    func addPolicyRoutes(to routes: AccessRoutes) {
        routes.caller(.post, "\(Self.artifactAPI)/policies", anyOf: [.admin]) { request, context, caller in
            try await self.applyPolicy(request, context: context, caller: caller)
        }
        routes.caller(.get, "\(Self.artifactAPI)/policies", anyOf: RouteAccess.reading.union([.admin])) { _, _, caller in
            let visible = Set(self.readableNamespaces(of: caller) + self.namespaces(of: caller, granting: .admin))
            let records = try await self.store.currentPolicies().filter { record in
                try self.policyDocuments.document(record).scope.namespace.map(visible.contains) ?? true
            }
            return Response.json(.object(JSONObject([("policies", .array(try records.map { try Self.json($0) }))])))
        }
    }

    private func applyPolicy(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
        let body = try await request.collectBody(limit: PolicyDocument.maxBytes, contentTypes: ["application/json"])
        let document: PolicyDocument
        do { document = try PolicyDocument(jsonBytes: body) } catch {
            throw APIError(.badRequest, "invalid-policy", error.description)
        }
        let held = Set(namespaces(of: caller, granting: .admin))
        if let namespace = document.scope.namespace {
            try authorize(caller, .admin, in: namespace)
        } else {
            let configured = configuredNamespaces
            guard !held.isEmpty, configured.isSubset(of: held) else {
                throw APIError(
                    .forbidden, "namespace-denied",
                    "expected \(caller.actor) to hold the admin scope in every namespace (\(configured.sorted().joined(separator: ", "))) for a policy without a namespace, found it in \(held.isEmpty ? "none" : held.sorted().joined(separator: ", "))"
                )
            }
        }
        // A new version is logged before it is stored: the log then holds every policy that
        // was ever in force, found by its digest. The same document as the version in force is
        // no new version and is not logged again.
        var logIndex: Int64?
        if try await store.policyVersions(name: document.name).last?.digest != document.digestText {
            let bundle = try await signStatement(document.canonicalJSON, as: Self.policySigner(server: publicURL), origin: context.origin)
            logIndex = bundle.tlogEntries.first?.logIndex
        }
        let now = timeSource.now()
        let (stored, created) = try await store.apply(
            PolicyRecord(name: document.name, version: 0, digest: document.digestText, document: body, appliedBy: caller.actor, appliedAt: now),
            event: AuditEvent(
                time: now, actor: caller.actor, action: "policy.apply", subject: document.name, origin: context.origin,
                detail: "\(document.digestText) for \(document.scope.environment ?? "every environment") (\(document.mode.rawValue))"
                    + (logIndex.map { ", log index \($0)" } ?? ""), namespace: document.scope.namespace))
        if created { warmDecisions(after: nil) }
        // 201 for a new version; 200 when the document in force was the same.
        var answer = try Self.json(stored)
        if created, let logIndex, case .object(var members) = answer {
            members["logIndex"] = .integer(logIndex)
            answer = .object(members)
        }
        return Response.json(answer, status: created ? .created : .ok)
    }

    /// The identity the server signs applied policies as: `<server>/signet/policies`.
    static func policySigner(server: String) -> String {
        (server.hasSuffix("/") ? String(server.dropLast()) : server) + "/signet/policies"
    }

    static func json(_ record: PolicyRecord) throws -> JSONValue {
        .object(
            JSONObject([
                ("name", .string(record.name)), ("version", .integer(record.version)), ("digest", .string(record.digest)),
                ("appliedBy", .string(record.appliedBy)), ("appliedAt", .string(record.appliedAt.rfc3339)),
                ("document", try JSONParser(maxBytes: PolicyDocument.maxBytes, maxDepth: 16).parse(record.document, context: "policy")),
            ]))
    }

    /// The policies in force, parsed (each document once per digest).
    func policiesInForce() async throws -> [PolicyDocument] {
        try await store.currentPolicies().map { try policyDocuments.document($0) }
    }
}

/// Parsed policies by digest: a document in the store was valid when applied, so it parses
/// the same way every time; parsing it once per replica is enough.
final class PolicyDocumentCache: Sendable {
    private let documents = Mutex<[String: PolicyDocument]>([:])

    func document(_ record: PolicyRecord) throws -> PolicyDocument {
        if let known = documents.withLock({ $0[record.digest] }) { return known }
        let parsed: PolicyDocument
        do { parsed = try PolicyDocument(jsonBytes: record.document) } catch {
            throw StoreInconsistency(description: "policy \(record.name) version \(record.version) no longer reads: \(error)")
        }
        documents.withLock { $0[record.digest] = parsed }
        return parsed
    }
}
