import Crypto
import CryptoExtras
import Foundation
import SignetCA
import SignetCore
import SignetIdentity
import Testing

/// Mints identity tokens with real keys, as an OIDC provider would.
struct TestIssuer {
    enum Key {
        case es256(P256.Signing.PrivateKey)
        case rs256(_RSA.Signing.PrivateKey, pss: Bool)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    var url: String
    var keyID: String
    var key: Key

    static func base64url(_ bytes: [UInt8]) -> String {
        var text = Base64.encode(bytes)
        while text.hasSuffix("=") { text.removeLast() }
        return text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    var algorithm: String {
        switch key {
        case .es256: "ES256"
        case .rs256(_, let pss): pss ? "PS256" : "RS256"
        case .ed25519: "EdDSA"
        }
    }

    var jwk: JSONValue {
        switch key {
        case .es256(let key):
            let point = Array(key.publicKey.x963Representation)
            return .object(
                JSONObject([
                    ("kty", .string("EC")), ("crv", .string("P-256")), ("kid", .string(keyID)), ("use", .string("sig")),
                    ("x", .string(Self.base64url(Array(point[1..<33])))), ("y", .string(Self.base64url(Array(point[33...])))),
                ]))
        case .rs256(let key, _):
            let primitives = try! key.publicKey.getKeyPrimitives()
            return .object(
                JSONObject([
                    ("kty", .string("RSA")), ("kid", .string(keyID)),
                    ("n", .string(Self.base64url(Array(primitives.modulus)))), ("e", .string(Self.base64url(Array(primitives.publicExponent)))),
                ]))
        case .ed25519(let key):
            return .object(
                JSONObject([
                    ("kty", .string("OKP")), ("crv", .string("Ed25519")), ("kid", .string(keyID)),
                    ("x", .string(Self.base64url(Array(key.publicKey.rawRepresentation)))),
                ]))
        }
    }

    var keySet: JSONWebKeySet {
        try! JSONWebKeySet(jsonBytes: JSONValue.object(JSONObject([("keys", .array([jwk]))])).compactBytes())
    }

    func token(_ claims: [(String, JSONValue)], header: [(String, JSONValue)]? = nil) -> String {
        let headerObject = header ?? [("alg", .string(algorithm)), ("kid", .string(keyID)), ("typ", .string("JWT"))]
        let input =
            Self.base64url(JSONValue.object(JSONObject(headerObject)).compactBytes()) + "."
            + Self.base64url(JSONValue.object(JSONObject(claims)).compactBytes())
        let signature: [UInt8]
        switch key {
        case .es256(let key): signature = Array(try! key.signature(for: Array(input.utf8)).rawRepresentation)
        case .rs256(let key, let pss): signature = Array(try! key.signature(for: Array(input.utf8), padding: pss ? .PSS : .insecurePKCS1v1_5).rawRepresentation)
        case .ed25519(let key): signature = Array(try! key.signature(for: Array(input.utf8)))
        }
        return input + "." + Self.base64url(signature)
    }
}

/// Counts refreshes and serves a new key set after the first one.
final class RotatingSource: JWKSSource, @unchecked Sendable {
    let lock = NSLock()
    var refreshes = 0
    let before: JSONWebKeySet
    let after: JSONWebKeySet

    init(before: JSONWebKeySet, after: JSONWebKeySet) {
        self.before = before
        self.after = after
    }

    func keySet(forIssuer issuer: String, refresh: Bool) async throws -> JSONWebKeySet {
        lock.withLock {
            if refresh { refreshes += 1 }
            return refreshes > 0 ? after : before
        }
    }
}

@Suite("OIDC identity tokens")
struct TokenVerifierTests {
    static let now: Int64 = 1_768_478_400
    static let github = TestIssuer(url: "https://token.actions.githubusercontent.com", keyID: "gh-1", key: .es256(P256.Signing.PrivateKey()))
    static let gitlab = TestIssuer(url: "https://gitlab.com", keyID: "gl-1", key: .rs256(try! _RSA.Signing.PrivateKey(keySize: .bits2048), pss: false))
    static let people = TestIssuer(url: "https://accounts.example.com", keyID: "p-1", key: .ed25519(Curve25519.Signing.PrivateKey()))

    static func verifier(keys: (any JWKSSource)? = nil) -> TokenVerifier {
        TokenVerifier(
            issuers: [.init(url: github.url, profile: .githubActions), .init(url: gitlab.url, profile: .gitlabCI), .init(url: people.url, profile: .email)],
            keys: keys ?? StaticJWKSSource([github.url: github.keySet, gitlab.url: gitlab.keySet, people.url: people.keySet]),
            timeSource: FixedTime(seconds: now))
    }

    struct FixedTime: TimeSource {
        var seconds: Int64
        func now() -> Timestamp { Timestamp(seconds: seconds) }
    }

    static func githubClaims(_ overrides: [(String, JSONValue)] = []) -> [(String, JSONValue)] {
        var claims = JSONObject([
            ("iss", .string(github.url)), ("aud", .string("sigstore")), ("sub", .string("repo:acme/app:ref:refs/tags/v1.0.0")),
            ("iat", .integer(now - 10)), ("nbf", .integer(now - 10)), ("exp", .integer(now + 300)),
            ("repository", .string("acme/app")), ("repository_id", .string("42")), ("repository_owner", .string("acme")), ("repository_owner_id", .string("7")),
            ("repository_visibility", .string("private")), ("ref", .string("refs/tags/v1.0.0")), ("sha", .string("9f2c4e1b")),
            ("workflow", .string("release")), ("workflow_ref", .string("acme/app/.github/workflows/release.yml@refs/tags/v1.0.0")),
            ("workflow_sha", .string("9f2c4e1b")),
            ("job_workflow_ref", .string("acme/app/.github/workflows/release.yml@refs/tags/v1.0.0")), ("job_workflow_sha", .string("9f2c4e1b")),
            ("event_name", .string("push")), ("runner_environment", .string("github-hosted")), ("run_id", .string("1001")), ("run_attempt", .string("2")),
        ])
        for (name, value) in overrides { claims[name] = value }
        return claims.members.map { ($0.name, $0.value) }
    }

    @Test("a GitHub Actions token maps to the workflow URI and every Fulcio GitHub extension")
    func githubActions() async throws {
        let identity = try await Self.verifier().verify(Self.github.token(Self.githubClaims()))
        #expect(identity.subjectName == .uri("https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0"))
        #expect(identity.issuer == Self.github.url)
        let expected: [FulcioExtension: String] = [
            .githubWorkflowTrigger: "push", .githubWorkflowSHA: "9f2c4e1b", .githubWorkflowName: "release", .githubWorkflowRepository: "acme/app",
            .githubWorkflowRef: "refs/tags/v1.0.0", .buildSignerURI: "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0",
            .buildSignerDigest: "9f2c4e1b", .runnerEnvironment: "github-hosted", .sourceRepositoryURI: "https://github.com/acme/app",
            .sourceRepositoryDigest: "9f2c4e1b", .sourceRepositoryRef: "refs/tags/v1.0.0", .sourceRepositoryIdentifier: "42",
            .sourceRepositoryOwnerURI: "https://github.com/acme", .sourceRepositoryOwnerIdentifier: "7",
            .buildConfigURI: "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0", .buildConfigDigest: "9f2c4e1b",
            .buildTrigger: "push", .runInvocationURI: "https://github.com/acme/app/actions/runs/1001/attempts/2",
            .sourceRepositoryVisibility: "private", .tokenSubject: "repo:acme/app:ref:refs/tags/v1.0.0",
        ]
        #expect(identity.provenance == expected)
        #expect(identity.proofOfPossessionChallenges == ["repo:acme/app:ref:refs/tags/v1.0.0"])
    }

    @Test("an ID token answering a sign-in must carry that sign-in's nonce (OpenID Connect Core §3.1.3.7); without one asked for, none is needed")
    func nonce() async throws {
        let verifier = Self.verifier()
        let withNonce = Self.github.token(Self.githubClaims([("nonce", .string("n-0123"))]))
        #expect(try await verifier.verify(withNonce, nonce: "n-0123").issuer == Self.github.url)
        #expect(try await verifier.verify(withNonce).issuer == Self.github.url)
        for (token, nonce) in [(withNonce, "n-other"), (Self.github.token(Self.githubClaims()), "n-0123")] {
            await #expect(throws: IdentityError.self) { try await verifier.verify(token, nonce: nonce) }
            do { _ = try await verifier.verify(token, nonce: nonce) } catch { #expect(error.code == .wrongNonce, "\(error)") }
        }
    }

    @Test("a GitLab CI token (RS256) maps its tag ref and project")
    func gitlabCI() async throws {
        let token = Self.gitlab.token([
            ("iss", .string(Self.gitlab.url)), ("aud", .array([.string("other"), .string("sigstore")])),
            ("sub", .string("project_path:acme/app:ref_type:tag:ref:v2")),
            ("iat", .integer(Self.now)), ("exp", .integer(Self.now + 60)), ("project_path", .string("acme/app")), ("project_id", .string("5")),
            ("namespace_path", .string("acme")), ("namespace_id", .string("3")), ("ref", .string("v2")), ("ref_type", .string("tag")), ("sha", .string("abc")),
            ("ci_config_ref_uri", .string("gitlab.com/acme/app//.gitlab-ci.yml@refs/tags/v2")), ("ci_config_sha", .string("abc")),
            ("pipeline_source", .string("push")), ("job_id", .string("77")), ("project_visibility", .string("public")),
        ])
        let identity = try await Self.verifier().verify(token)
        #expect(identity.subjectName == .uri("https://gitlab.com/acme/app//.gitlab-ci.yml@refs/tags/v2"))
        #expect(identity.provenance[.sourceRepositoryRef] == "refs/tags/v2")
        #expect(identity.provenance[.runInvocationURI] == "https://gitlab.com/acme/app/-/jobs/77")
    }

    @Test("an email identity (EdDSA) needs email_verified")
    func email() async throws {
        var claims: [(String, JSONValue)] = [
            ("iss", .string(Self.people.url)), ("aud", .string("sigstore")), ("sub", .string("u-1")), ("iat", .integer(Self.now)),
            ("exp", .integer(Self.now + 60)), ("email", .string("dev@example.com")), ("email_verified", .bool(true)),
        ]
        let identity = try await Self.verifier().verify(Self.people.token(claims))
        #expect(identity.subjectName == .email("dev@example.com"))
        #expect(identity.proofOfPossessionChallenges == ["dev@example.com", "u-1"])
        claims[6] = ("email_verified", .bool(false))
        await expectRefused(Self.people.token(claims), .missingClaim)
    }

    func expectRefused(
        _ token: String, _ code: IdentityError.Code, verifier: TokenVerifier = TokenVerifierTests.verifier(), sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        do {
            _ = try await verifier.verify(token)
            Issue.record("expected the token to be refused with \(code.rawValue)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            if let signature = token.split(separator: ".").last, signature.count >= 16 {
                #expect(!error.reason.contains(signature), "the reason must not contain the token", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("expired, not yet valid, issued in the future, wrong audience: refused; within 60 s of skew: accepted")
    func times() async throws {
        await expectRefused(Self.github.token(Self.githubClaims([("exp", .integer(Self.now - 61))])), .expired)
        _ = try await Self.verifier().verify(Self.github.token(Self.githubClaims([("exp", .integer(Self.now - 59))])))
        await expectRefused(Self.github.token(Self.githubClaims([("nbf", .integer(Self.now + 120))])), .expired)
        await expectRefused(Self.github.token(Self.githubClaims([("iat", .integer(Self.now + 120))])), .expired)
        await expectRefused(Self.github.token(Self.githubClaims([("aud", .string("other"))])), .wrongAudience)
        await expectRefused(Self.github.token(Self.githubClaims([("exp", .string("soon"))])), .missingClaim)
    }

    @Test("exp, nbf and iat at the Int64 edges, beyond them, huge or negative: a token error with a reason, never a trap")
    func timesAtTheEdges() async throws {
        let outOfRange = [
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
            "1e300", "-1e300", "1.7976931348623157e308", "253402300800", "-62135596801", "1e19",
        ]
        for claim in ["exp", "nbf", "iat"] {
            for literal in outOfRange {
                let token = Self.github.token(Self.githubClaims([(claim, .number(literal))]))
                do {
                    _ = try await Self.verifier().verify(token)
                    Issue.record("expected \(claim) = \(literal) to be refused")
                } catch {
                    #expect(error.code == .missingClaim, "\(claim) = \(literal): \(error)")
                    #expect(error.reason.contains("NumericDate") && error.reason.contains(claim), "\(error)")
                }
            }
        }
        // In range but far away: ordinary expiry and validity decisions.
        await expectRefused(Self.github.token(Self.githubClaims([("exp", .number("-1"))])), .expired)
        await expectRefused(Self.github.token(Self.githubClaims([("exp", .number("-62135596800"))])), .expired)
        await expectRefused(Self.github.token(Self.githubClaims([("nbf", .number("253402300799"))])), .expired)
        await expectRefused(Self.github.token(Self.githubClaims([("iat", .number("253402300799.9"))])), .expired)
        _ = try await Self.verifier().verify(
            Self.github.token(Self.githubClaims([("exp", .number("253402300799")), ("iat", .number("-62135596800")), ("nbf", .number("-1e3"))])))
        _ = try await Self.verifier().verify(Self.github.token(Self.githubClaims([("exp", .number("\(Self.now + 300).5"))])))
    }

    @Test("alg none, HMAC, algorithm confusion, tampering, unknown issuer, malformed tokens: refused")
    func refusals() async throws {
        let claims = Self.githubClaims()
        let valid = Self.github.token(claims)
        let parts = valid.split(separator: ".")
        let noneHeader = TestIssuer.base64url(Array(#"{"alg":"none","kid":"gh-1"}"#.utf8))
        await expectRefused("\(noneHeader).\(parts[1]).", .unsupportedAlgorithm)
        let hmacHeader = TestIssuer.base64url(Array(#"{"alg":"HS256","kid":"gh-1"}"#.utf8))
        await expectRefused("\(hmacHeader).\(parts[1]).\(parts[2])", .unsupportedAlgorithm)
        let confused = TestIssuer(url: Self.github.url, keyID: "gh-1", key: .rs256(try _RSA.Signing.PrivateKey(keySize: .bits2048), pss: false))
        await expectRefused(confused.token(claims), .unsupportedAlgorithm)
        let otherPayload = TestIssuer.base64url(JSONValue.object(JSONObject(Self.githubClaims([("repository", .string("evil/app"))]))).compactBytes())
        await expectRefused("\(parts[0]).\(otherPayload).\(parts[2])", .badSignature)
        let stranger = TestIssuer(url: "https://evil.example.com", keyID: "gh-1", key: .es256(P256.Signing.PrivateKey()))
        await expectRefused(stranger.token(Self.githubClaims([("iss", .string(stranger.url))])), .unknownIssuer)
        for malformed in [
            "", "a.b", "a.b.c.d", "!!.!!.!!", "\(TestIssuer.base64url(Array("not json".utf8))).\(parts[1]).\(parts[2])", String(repeating: "a", count: 20_000),
        ] {
            await expectRefused(malformed, .malformedToken)
        }
    }

    @Test("an unknown kid triggers one refresh of the key set; still unknown is refused")
    func unknownKeyID() async throws {
        let rotated = TestIssuer(url: Self.github.url, keyID: "gh-2", key: .es256(P256.Signing.PrivateKey()))
        let source = RotatingSource(before: Self.github.keySet, after: rotated.keySet)
        let verifier = Self.verifier(keys: source)
        _ = try await verifier.verify(rotated.token(Self.githubClaims()))
        #expect(source.refreshes == 1)
        let unknown = TestIssuer(url: Self.github.url, keyID: "gh-9", key: .es256(P256.Signing.PrivateKey()))
        await expectRefused(unknown.token(Self.githubClaims()), .unknownKey, verifier: verifier)
    }

    @Test("RS256 needs PKCS#1 v1.5 and PS256 needs PSS")
    func rsaPadding() async throws {
        let pss = TestIssuer(url: Self.gitlab.url, keyID: "gl-1", key: .rs256(try _RSA.Signing.PrivateKey(keySize: .bits2048), pss: true))
        let keys = StaticJWKSSource([Self.gitlab.url: pss.keySet])
        let verifier = TokenVerifier(issuers: [.init(url: Self.gitlab.url, profile: .subjectURI)], keys: keys, timeSource: FixedTime(seconds: Self.now))
        let claims: [(String, JSONValue)] = [
            ("iss", .string(Self.gitlab.url)), ("aud", .string("sigstore")), ("sub", .string("spiffe://acme/builder")), ("iat", .integer(Self.now)),
            ("exp", .integer(Self.now + 60)),
        ]
        #expect(try await verifier.verify(pss.token(claims)).subjectName == .uri("spiffe://acme/builder"))
        let parts = pss.token(claims).split(separator: ".")
        let relabelled = TestIssuer.base64url(Array(#"{"alg":"RS256","kid":"gl-1"}"#.utf8))
        await expectRefused("\(relabelled).\(parts[1]).\(parts[2])", .badSignature, verifier: verifier)
    }
}
