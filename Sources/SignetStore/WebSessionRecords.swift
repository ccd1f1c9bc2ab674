import SignetCore

/// A web UI secret's record: a sign-in in flight (its OpenID Connect state, nonce and PKCE
/// verifier) or a signed-in session (the verified identity and its CSRF token), found by the
/// SHA-256 of the secret the browser holds. The store never sees the secret itself.
public struct WebSession: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Between the redirect to the identity provider and its answer.
        case signIn = "sign-in"
        /// After the identity provider's answer verified.
        case session
    }

    /// SHA-256 of the secret in the browser's cookie.
    public var idHash: [UInt8]
    public var kind: Kind
    /// What the server keeps for it, in a form it defines.
    public var data: [UInt8]
    public var expiresAt: Timestamp

    public init(idHash: [UInt8], kind: Kind, data: [UInt8], expiresAt: Timestamp) {
        self.idHash = idHash
        self.kind = kind
        self.data = data
        self.expiresAt = expiresAt
    }
}

/// The web UI's sign-ins in flight and sessions, shared by every replica.
public protocol WebSessionStore: Sendable {
    /// Stores `session`, and drops every record expired at `now`.
    func create(_ session: WebSession, now: Timestamp) async throws
    /// The record of `kind` under `idHash`, if it exists and is unexpired at `now`.
    func webSession(idHash: [UInt8], kind: WebSession.Kind, now: Timestamp) async throws -> WebSession?
    /// Removes the record of `kind` under `idHash` and returns it if it was unexpired at
    /// `now`: a sign-in in flight is used once, a session ends at sign-out.
    func removeWebSession(idHash: [UInt8], kind: WebSession.Kind, now: Timestamp) async throws -> WebSession?
}
