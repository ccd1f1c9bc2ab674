import Crypto
import SignetCore
import Synchronization

/// The development identity provider's authorization codes (RFC 6749 §4.1): each issued once
/// a user signs in at its login page, bound to its client, redirect URI, the sign-in's nonce
/// and PKCE challenge (RFC 7636 §4.2, S256), redeemable once within a minute. Kept in memory:
/// a development server is one process.
final class DevelopmentAuthorizations: Sendable {
    /// The only client: this server's web UI.
    static let clientID = "signet-ui"
    static let codeLifetimeSeconds: Int64 = 60
    static let capacity = 10_000

    struct Grant: Sendable {
        var subject: String
        var redirectURI: String
        var nonce: String
        var challenge: String
        var expiresAt: Timestamp
    }

    /// Why a code was not redeemed, as RFC 6749 §5.2 names it.
    struct Refusal: Error {
        var error: String
        var description: String
    }

    private let grants = Mutex<[String: Grant]>([:])

    /// A new code for `grant`.
    func issue(_ grant: Grant, now: Timestamp) -> String {
        let code = Base64URL.encode(secureRandomBytes(32))
        grants.withLock { grants in
            if grants.count >= Self.capacity { grants = grants.filter { now < $0.value.expiresAt } }
            if grants.count < Self.capacity { grants[code] = grant }
        }
        return code
    }

    /// The grant of `code`, which is spent whatever the outcome: it must be unexpired, for
    /// `clientID` and `redirectURI`, and `verifier` must hash to its challenge.
    func redeem(code: String, clientID: String, redirectURI: String, verifier: String, now: Timestamp) throws(Refusal) -> Grant {
        guard let grant = grants.withLock({ $0.removeValue(forKey: code) }), now < grant.expiresAt else {
            throw Refusal(error: "invalid_grant", description: "expected a code this provider issued in the last minute and not yet redeemed")
        }
        guard clientID == Self.clientID, redirectURI == grant.redirectURI else {
            throw Refusal(error: "invalid_grant", description: "expected the client and redirect URI the code was issued to")
        }
        let bytes = Array(verifier.utf8)
        guard (43...128).contains(bytes.count), Base64URL.encode(sha256(bytes)) == grant.challenge else {
            throw Refusal(error: "invalid_grant", description: "expected a code_verifier whose S256 challenge is the sign-in's (RFC 7636 §4.6)")
        }
        return grant
    }
}
