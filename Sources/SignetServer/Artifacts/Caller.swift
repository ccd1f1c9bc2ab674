import Hummingbird
import SignetCA
import SignetCore
import SignetStore

/// Who made a request, from its `Authorization: Bearer` credential: an OIDC identity whose
/// token verified, or an API key that is known, unexpired and unrevoked.
public struct Caller: Sendable {
    public enum Credential: Sendable {
        case identity(VerifiedIdentity)
        case apiKey(APIKeyRecord)
    }

    public var credential: Credential
    /// The caller as certificates, audit events and revocations name it: the token's SAN
    /// identity, or the API key's service identity.
    public var actor: String
    /// The OIDC issuer of the token, or the server's own URL for an API key.
    public var issuer: String

    init(identity: VerifiedIdentity) {
        credential = .identity(identity)
        actor = identity.subjectName.value
        issuer = identity.issuer
    }

    init(apiKey: APIKeyRecord, serverURL: String) {
        credential = .apiKey(apiKey)
        actor = APIKeyCredential.serviceIdentity(keyID: apiKey.id, serverURL: serverURL)
        issuer = serverURL
    }
}

extension SignetServices {
    /// The caller, or nil when the request carries no credential. A credential that is
    /// present but not valid is refused (401), never treated as absent.
    func caller(_ request: Request) async throws -> Caller? {
        guard let credential = request.bearerToken else { return nil }
        guard APIKeyCredential.isAPIKey(credential) else { return Caller(identity: try await tokens.verify(credential)) }
        guard let key = APIKeyCredential(parsing: credential) else {
            throw APIError(.unauthorized, "invalid-api-key", "expected an API key of the form signet_<16 hex>_<43 base64url>, found another shape")
        }
        guard let record = try await store.apiKey(id: key.id), key.matches(record.secretHash) else {
            throw APIError(.unauthorized, "unknown-api-key", "expected a key this server issued, found key id \(key.id) with no such key or another secret")
        }
        if let revoked = record.revokedAt {
            throw APIError(.unauthorized, "api-key-revoked", "API key \(record.id) was revoked at \(revoked)")
        }
        if let expires = record.expiresAt, expires <= timeSource.now() {
            throw APIError(.unauthorized, "api-key-expired", "API key \(record.id) expired at \(expires)")
        }
        return Caller(apiKey: record, serverURL: publicURL)
    }

    /// The caller of a request that needs one.
    func authenticatedCaller(_ request: Request) async throws -> Caller {
        guard let caller = try await caller(request) else {
            throw APIError(.unauthorized, "missing-credential", "expected an OIDC identity token or an API key in an Authorization: Bearer header, found none")
        }
        return caller
    }

    /// The namespaces in which `caller` holds `scope`: an API key's own, if it has the scope;
    /// for an OIDC identity, those the configuration's rules grant it, matched against the
    /// token's claims (never against provenance a signer stated).
    func namespaces(of caller: Caller, granting scope: AccessScope) -> [String] {
        switch caller.credential {
        case .apiKey(let key):
            return key.scopes.contains(scope) ? [key.namespace] : []
        case .identity(let identity):
            return namespaces.namespaces(granting: scope, issuer: identity.issuer, identities: [caller.actor], provenance: identity.provenance)
        }
    }

    /// Refuses (403) unless `caller` holds `scope` in `namespace`.
    func authorize(_ caller: Caller, _ scope: AccessScope, in namespace: String) throws {
        guard namespaces(of: caller, granting: scope).contains(namespace) else {
            var error = APIError(
                .forbidden, "namespace-denied", "expected \(caller.actor) to hold the \(scope.rawValue) scope in namespace \(namespace), found it does not")
            error.namespace = namespace
            throw error
        }
    }

    /// Refuses (403) a caller holding none of `scopes` in any namespace: what a route's
    /// ``RouteAccess/caller(anyOf:)`` demands before its handler runs.
    func requireAnyScope(_ caller: Caller, _ scopes: Set<AccessScope>) throws {
        guard scopes.allSatisfy({ namespaces(of: caller, granting: $0).isEmpty }) else { return }
        let wanted = scopes.sorted().map(\.rawValue).joined(separator: " or ")
        throw APIError(.forbidden, "namespace-denied", "expected \(caller.actor) to hold the \(wanted) scope in some namespace, found it in none")
    }

    /// The namespaces `caller` may read (where it holds read or verify), sorted.
    func readableNamespaces(of caller: Caller) -> [String] {
        Set(RouteAccess.reading.flatMap { namespaces(of: caller, granting: $0) }).sorted()
    }

    /// The namespaces a listing for `caller` covers: `namespace` if given, which it must be
    /// able to read (403 otherwise), else every one it may read.
    func readableNamespaces(of caller: Caller, selecting namespace: String?) throws -> [String] {
        let readable = readableNamespaces(of: caller)
        guard let namespace else { return readable }
        guard readable.contains(namespace) else {
            var error = APIError(
                .forbidden, "namespace-denied", "expected \(caller.actor) to hold the read or verify scope in namespace \(namespace), found it does not")
            error.namespace = namespace
            throw error
        }
        return [namespace]
    }

    /// The namespace owning `name`, once `caller` is known to may read it: refused (403) when
    /// another namespace owns it; nil when none does (nothing of it is anyone's to read).
    func authorizeRead(_ caller: Caller, of name: ArtifactName) async throws -> String? {
        guard let owner = try await owningNamespace(of: name) else { return nil }
        guard readableNamespaces(of: caller).contains(owner) else {
            var error = APIError(
                .forbidden, "namespace-denied",
                "expected \(caller.actor) to hold the read or verify scope in namespace \(owner), which owns \(name), found it does not")
            error.namespace = owner
            throw error
        }
        return owner
    }

    /// Every revocation of the namespaces `caller` may read, oldest first. Refused (500
    /// `snapshot-too-large`) when the store holds more than one snapshot carries: the limit
    /// is judged before the namespaces are filtered, so a partial list is never taken for all.
    func readableRevocations(_ caller: Caller) async throws -> [RevocationRecord] {
        let all = try await store.revocations(since: Timestamp(seconds: 0), limit: Self.maxSnapshotRevocations)
        guard all.count < Self.maxSnapshotRevocations else {
            throw APIError(
                .internalServerError, "snapshot-too-large", "the store holds \(Self.maxSnapshotRevocations) or more revocations, more than one snapshot carries"
            )
        }
        let readable = Set(readableNamespaces(of: caller))
        return all.filter { readable.contains($0.statement.namespace) }
    }

    /// Every namespace the configuration names: a caller holding a scope in all of them holds
    /// it for the instance as a whole (organisation-wide policies, instance-wide audit events).
    var configuredNamespaces: Set<String> { namespaces.declared }

    /// The audit trail `caller` may read: nil for every event (it holds audit in every
    /// configured namespace), else the namespaces where it holds audit.
    func auditableNamespaces(of caller: Caller) -> [String]? {
        let held = Set(namespaces(of: caller, granting: .audit))
        return !held.isEmpty && configuredNamespaces.isSubset(of: held) ? nil : held.sorted()
    }

    /// Records a request refused with 401, 403 or 409: who (the caller, or `anonymous`), the
    /// route and its target, from where, and the code and reason; never a credential (the
    /// target is the path and query, and no route takes a credential in its query).
    func auditRefusal(_ refusal: APIError, route: String, request: Request, caller: Caller?, origin: String) async throws {
        let target = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
        let actor = caller?.actor ?? (request.bearerToken == nil ? "anonymous" : "unverified credential")
        try await auditEvents.submit(
            AuditEvent(
                time: timeSource.now(), actor: actor, action: "request.refused", subject: String(target.prefix(300)), origin: origin,
                detail: "\(route): \(refusal.status.code) \(refusal.code): \(refusal.message.prefix(500))", namespace: refusal.namespace))
    }
}
