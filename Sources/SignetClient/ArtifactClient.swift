import AsyncHTTPClient
import Foundation
import NIOCore
import SignetCore

/// Signet's artifact API (`/api/signet/v1`) from the client side: registration of a bundle
/// under a name, revocation, and the reads that verification by name, traces and listings
/// need. The credential (an OIDC token or an API key) goes in `Authorization: Bearer`.
public struct ArtifactClient: Sendable {
    public let server: String
    let credential: String?
    let exchange: HTTPExchange

    public init(server: String, credential: String?, http: any HTTPTransport = HTTPClient.shared, timeout: TimeAmount = .seconds(30)) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.credential = credential
        self.exchange = HTTPExchange(transport: http, timeout: timeout)
    }

    /// What the server answered for a registration.
    public struct Registration: Sendable {
        public var id: String
        public var namespace: String
        public var logIndex: Int64
        /// The artifact's page in the web UI.
        public var url: String
        /// The statement's predicate type, for an attestation.
        public var predicateType: String?
    }

    /// What the server decided before signing: the namespace a signature of the name goes
    /// into, the identity, issuer and provenance the certificate will carry (what the token
    /// attests), and the stated provenance registration will record beside it.
    public struct Authorization: Sendable {
        public var namespace: String
        public var identity: String
        public var issuer: String
        public var provenance: [FulcioExtension: String]
        public var statedProvenance: [FulcioExtension: String]
    }

    /// Asks whether the credential may sign `name` (into `namespace`, or the name's owner) with
    /// the stated provenance, before any certificate is issued or log entry made: the server
    /// makes the decisions registration will make, and writes nothing.
    public func authorize(name: ArtifactName, namespace: String?, provenance: [FulcioExtension: String]) async throws -> Authorization {
        var members: [(String, JSONValue)] = [("name", .string(name.description))]
        if let namespace { members.append(("namespace", .string(namespace))) }
        members.append(("provenance", Self.json(provenance)))
        var object = try await postJSON("/signatures/authorize", .object(JSONObject(members)))
        do {
            let answer = Authorization(
                namespace: try object.requiredString("namespace"), identity: try object.requiredString("identity"),
                issuer: try object.requiredString("issuer"), provenance: try object.provenance("provenance"),
                statedProvenance: try object.provenance("statedProvenance"))
            _ = try object.string("name")
            try object.finish()
            return answer
        } catch {
            throw SigningError(.badResponse, "\(Self.service)'s authorization for \(name): \(error)")
        }
    }

    /// Registers `bundle` under `name`, in `namespace` (or the caller's only one), with the
    /// provenance the signer states beyond what its certificate attests: a signature of the
    /// name's digest, or (a DSSE bundle) an attestation about it.
    public func register(
        name: ArtifactName, bundle: SigstoreBundle, namespace: String?, statedProvenance: [FulcioExtension: String] = [:]
    ) async throws -> Registration {
        var members: [(String, JSONValue)] = [("name", .string(name.description)), ("bundle", bundle.json)]
        if let namespace { members.append(("namespace", .string(namespace))) }
        if !statedProvenance.isEmpty { members.append(("provenance", Self.json(statedProvenance))) }
        let path: String
        switch bundle.content {
        case .messageSignature: path = "/signatures"
        case .dsseEnvelope: path = "/attestations"
        }
        var object = try await postJSON(path, .object(JSONObject(members)))
        guard let logIndex = try object.int64("logIndex") else {
            throw SigningError(.badResponse, "\(Self.service) answered the registration without its logIndex")
        }
        return Registration(
            id: try object.requiredString("id"), namespace: try object.requiredString("namespace"),
            logIndex: logIndex, url: try object.requiredString("url"), predicateType: try object.string("predicateType"))
    }

    /// A name's signatures (each with its bundle), attestations (summaries; their bundles come
    /// from ``attestations(of:type:)``) and revocations.
    public struct Signatures: Sendable {
        public var name: ArtifactName
        public var namespace: String?
        public var signatures: [(id: String, bundle: SigstoreBundle, summary: JSONValue)]
        public var attestations: [JSONValue]
        public var revocations: [RevocationStatement]
    }

    /// The signatures and revocations registered under `name`.
    public func signatures(of name: ArtifactName) async throws -> Signatures {
        let value = try await get("/artifact", query: [("name", name.description)])
        do {
            var object = try ProtoJSONObject(value, path: "answer")
            let namespace = try object.string("namespace")
            var signatures: [(id: String, bundle: SigstoreBundle, summary: JSONValue)] = []
            for (element, path) in try object.array("signatures") {
                guard case .object(var summary) = element, case .string(let id)? = summary["id"], let bundle = summary["bundle"] else {
                    throw FormatError(.missingField, at: path, "expected a signature with an id and a bundle")
                }
                let parsed = try SigstoreBundle(json: bundle)
                summary["bundle"] = nil
                signatures.append((id, parsed, .object(summary)))
            }
            let attestations = try object.array("attestations").map(\.value)
            let revocations = try object.array("revocations").map { (value, path) throws(FormatError) in try RevocationStatement(json: value, path: path) }
            _ = try object.string("name")
            try object.finish()
            return Signatures(name: name, namespace: namespace, signatures: signatures, attestations: attestations, revocations: revocations)
        } catch {
            throw SigningError(.badResponse, "\(Self.service)'s answer for \(name): \(error)")
        }
    }

    /// The attestations of `name` (of predicate type `type`, a short name or a URI, if given),
    /// each with its bundle and the summary the server keeps.
    public func attestations(of name: ArtifactName, type: String?) async throws -> [(bundle: SigstoreBundle, summary: JSONValue)] {
        var query = [("name", name.description)]
        if let type { query.append(("type", type)) }
        let value = try await get("/attestations", query: query)
        do {
            var object = try ProtoJSONObject(value, path: "answer")
            var found: [(bundle: SigstoreBundle, summary: JSONValue)] = []
            for (element, path) in try object.array("attestations") {
                guard case .object(var summary) = element, let bundle = summary["bundle"] else {
                    throw FormatError(.missingField, at: path, "expected an attestation with a bundle")
                }
                summary["bundle"] = nil
                found.append((try SigstoreBundle(json: bundle), .object(summary)))
            }
            _ = try object.string("name")
            _ = try object.string("namespace")
            _ = try object.string("type")
            try object.finish()
            return found
        } catch {
            throw SigningError(.badResponse, "\(Self.service)'s attestations of \(name): \(error)")
        }
    }

    /// Applies a policy document (JSON) as the next version of its name; the answer names the
    /// version and digest in force.
    public func applyPolicy(_ document: [UInt8]) async throws -> JSONValue {
        try parse(
            try await exchange.send(
                .POST, url("/policies", query: []), body: document, contentType: "application/json", headers: authorization, what: Self.service))
    }

    /// The policies in force.
    public func policies() async throws -> JSONValue {
        try await get("/policies", query: [])
    }

    /// The gate's decision for `subject` (a digest-pinned name or image) in `environment`,
    /// with every check when `explain`.
    public func admit(_ subject: String, environment: String, explain: Bool) async throws -> JSONValue {
        try await post(
            "/admit",
            .object(JSONObject([("name", .string(subject)), ("environment", .string(environment)), ("explain", .bool(explain))])))
    }

    /// The gate's decisions for each of `subjects` in `environment`, in order, at most
    /// 1,000 per call.
    public func verifyBatch(_ subjects: [String], environment: String, explain: Bool) async throws -> JSONValue {
        try await post(
            "/verify:batch",
            .object(
                JSONObject([
                    ("environment", .string(environment)), ("subjects", .array(subjects.map(JSONValue.string))), ("explain", .bool(explain)),
                ])))
    }

    /// The gate for `environment`, signed for deciding offline: verdicts on `names` (every
    /// name with an unrevoked signature when empty), valid for `validForSeconds`.
    public func exportGate(environment: String, names: [String], validForSeconds: Int64) async throws -> JSONValue {
        try await post(
            "/gate/export",
            .object(
                JSONObject([
                    ("environment", .string(environment)), ("names", .array(names.map(JSONValue.string))), ("validForSeconds", .integer(validForSeconds)),
                ])))
    }

    /// Revokes every signature of `name` made from `sourceRepositoryRef`; the answer holds the
    /// `revocation` (its statement, with its log index) and the ids it `revoked`.
    public func revoke(name: ArtifactName, sourceRepositoryRef: String, reason: String) async throws -> JSONValue {
        let body = JSONValue.object(
            JSONObject([("name", .string(name.description)), ("sourceRepositoryRef", .string(sourceRepositoryRef)), ("reason", .string(reason))]))
        return try await post("/revocations", body)
    }

    /// Every signature made from a ref (of a repository, if given).
    public func trace(sourceRepositoryRef: String, sourceRepository: String?) async throws -> JSONValue {
        var query = [("sourceRepositoryRef", sourceRepositoryRef)]
        if let sourceRepository { query.append(("sourceRepository", sourceRepository)) }
        return try await get("/trace", query: query)
    }

    /// Where each signature of `name` came from.
    public func trace(name: ArtifactName) async throws -> JSONValue {
        try await get("/trace", query: [("name", name.description)])
    }

    /// A page of signatures, newest first (`query` holds the listing's filters).
    public func list(query: [(String, String)]) async throws -> JSONValue {
        try await get("/artifacts", query: query)
    }

    /// Records that `name` runs in `environment`, for the deployment inventory.
    public func recordDeployment(name: ArtifactName, environment: String) async throws -> JSONValue {
        try await post("/deployments", .object(JSONObject([("name", .string(name.description)), ("environment", .string(environment))])))
    }

    /// The answer of a compliance query (`/compliance/<query>`) as the server wrote it: JSON,
    /// or CSV with `format=csv` among `parameters`.
    public func compliance(_ query: String, parameters: [(String, String)]) async throws -> [UInt8] {
        try await exchange.send(.GET, url("/compliance/\(query)", query: parameters), headers: authorization, what: Self.service)
    }

    /// A signed snapshot of every revocation (the file `signet artifact verify --offline` reads).
    public func exportRevocations() async throws -> [UInt8] {
        try await exchange.send(
            .POST, url("/revocations/snapshot", query: []), body: Array("{}".utf8), contentType: "application/json", headers: authorization, what: Self.service)
    }

    private var authorization: [String: String] {
        credential.map { ["Authorization": "Bearer \($0)"] } ?? [:]
    }

    private func url(_ path: String, query: [(String, String)]) -> String {
        // A server URL that does not parse is sent as it is, and the transport refuses it.
        guard var components = URLComponents(string: "\(server)/api/signet/v1\(path)") else { return "\(server)/api/signet/v1\(path)" }
        if !query.isEmpty {
            components.percentEncodedQueryItems = query.map {
                URLQueryItem(name: $0.0, value: $0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))))
            }
        }
        return components.string ?? "\(server)/api/signet/v1\(path)"
    }

    /// Opens a release request of `name` for `environment` under its policy's quorum.
    public func requestRelease(name: ArtifactName, environment: String, breakGlass: Bool, reason: String) async throws -> JSONValue {
        var body: [(String, JSONValue)] = [("name", .string(name.description)), ("environment", .string(environment))]
        if breakGlass { body.append(("breakGlass", .bool(true))) }
        if !reason.isEmpty { body.append(("reason", .string(reason))) }
        return try await post("/releases", .object(JSONObject(body)))
    }

    /// The release requests of `name`, each with its tally.
    public func releases(of name: ArtifactName) async throws -> JSONValue {
        try await get("/releases", query: [("name", name.description)])
    }

    /// Hands in an approval bundle for the request `reference`.
    public func approveRelease(_ reference: String, bundle: SigstoreBundle) async throws -> JSONValue {
        try await post("/releases/approvals", .object(JSONObject([("request", .string(reference)), ("bundle", bundle.json)])))
    }

    /// What every error names as the other side.
    private static let service = "the registry"

    private func get(_ path: String, query: [(String, String)]) async throws -> JSONValue {
        try parse(try await exchange.send(.GET, url(path, query: query), headers: authorization, what: Self.service))
    }

    private func post(_ path: String, _ body: JSONValue) async throws -> JSONValue {
        try parse(
            try await exchange.send(
                .POST, url(path, query: []), body: body.compactBytes(), contentType: "application/json", headers: authorization, what: Self.service))
    }

    private func postJSON(_ path: String, _ body: JSONValue) async throws -> ProtoJSONObject {
        let value = try await post(path, body)
        do { return try ProtoJSONObject(value, path: "answer") } catch {
            throw SigningError(.badResponse, "\(Self.service) answered with something other than a JSON object")
        }
    }

    private func parse(_ bytes: [UInt8]) throws -> JSONValue {
        do { return try JSONParser(maxBytes: HTTPExchange.maxAnswerBytes).parse(bytes, context: "answer") } catch {
            throw SigningError(.badResponse, "\(Self.service) answered with something other than JSON: \(error)")
        }
    }
}

extension ArtifactClient {
    /// Provenance as the API takes it: Fulcio field name to value.
    static func json(_ provenance: [FulcioExtension: String]) -> JSONValue {
        .object(JSONObject(provenance.sorted { $0.key.oidOrder < $1.key.oidOrder }.map { ($0.key.fieldName, JSONValue.string($0.value)) }))
    }
}
