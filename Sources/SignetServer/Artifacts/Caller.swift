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

    /// Refuses (403) an API key without `scope`, before any namespace is known; an OIDC
    /// identity's scopes depend on the namespace, so it passes here.
    func requireKeyScope(_ caller: Caller, _ scope: AccessScope) throws {
        guard case .apiKey(let key) = caller.credential, !key.scopes.contains(scope) else { return }
        throw APIError(
            .forbidden, "namespace-denied",
            "expected API key \(key.id) to hold the \(scope.rawValue) scope, found \(key.scopes.sorted().map(\.rawValue).joined(separator: ", "))")
    }

    /// Refuses (403) unless `caller` holds `scope` in `namespace`.
    func authorize(_ caller: Caller, _ scope: AccessScope, in namespace: String) throws {
        guard namespaces(of: caller, granting: scope).contains(namespace) else {
            throw APIError(
                .forbidden, "namespace-denied", "expected \(caller.actor) to hold the \(scope.rawValue) scope in namespace \(namespace), found it does not")
        }
    }
}
