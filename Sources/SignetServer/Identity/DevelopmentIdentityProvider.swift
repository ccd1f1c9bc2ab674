import Crypto
import Foundation
import SignetCore
import SignetIdentity

/// The development identity provider of `signet server --dev`: an OIDC issuer with its own
/// P-256 key (sealed in the data directory like every other key), a discovery document and a
/// JWK Set, whose tokens `signet auth dev-token` mints. Never enabled without `--dev`.
public struct DevelopmentIdentityProvider: Sendable {
    /// The issuer URL: the server's public URL plus ``path``.
    public let issuer: String
    let key: P256.Signing.PrivateKey
    /// The key's `kid`: base64url of the first 16 bytes of SHA-256 of its SPKI.
    public let keyID: String
    /// The codes of sign-ins at its login page.
    let authorizations = DevelopmentAuthorizations()

    public static let path = "/dev-idp"
    /// The namespace in which a development server grants the provider's identities every
    /// scope.
    public static let namespace = "default"
    static let keyFile = "dev-idp.sealed.json"

    init(issuer: String, key: P256.Signing.PrivateKey) {
        self.issuer = issuer
        self.key = key
        self.keyID = Base64URL.encode(sha256(Array(key.publicKey.derRepresentation)).prefix(16))
    }

    /// Loads the provider's key from `keyDirectory`, creating it on first use.
    public static func loadOrCreate(keyDirectory: URL, passphrase: [UInt8], serverURL: String, parameters: SealedKey.Parameters = .standard) throws
        -> DevelopmentIdentityProvider
    {
        let files = KeyFiles(directory: keyDirectory)
        let issuer = (serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL) + path
        let signer: SoftwareSigner
        if FileManager.default.fileExists(atPath: files.url(keyFile).path) {
            do {
                signer = try SealedKey.open(try files.read(keyFile), passphrase: passphrase)
            } catch let error as SealedKey.OpenError {
                throw InstanceKeys.KeyError(reason: "cannot open the development identity provider's key in \(keyDirectory.path): \(error.reason)")
            }
        } else {
            try files.prepareDirectory()
            signer = SoftwareSigner.generate(.ecdsaP256SHA256)
            try files.write(keyFile, try SealedKey.seal(signer, passphrase: passphrase, parameters: parameters))
        }
        guard let key = signer.p256PrivateKey else {
            throw InstanceKeys.KeyError(reason: "expected a P-256 key for the development identity provider, found \(signer.algorithm.rawValue)")
        }
        return DevelopmentIdentityProvider(issuer: issuer, key: key)
    }

    /// The provider of an existing `--dev` instance, for tools that mint tokens from outside
    /// the server (`signet auth dev-token`, `signet-bench sign`). Creates nothing: without a
    /// development provider in `dataDirectory` it is an error, and the passphrase comes from
    /// the environment or the instance's development passphrase file.
    public static func open(dataDirectory: URL, environment: [String: String], serverURL: String) throws -> DevelopmentIdentityProvider {
        let keyDirectory = dataDirectory.appendingPathComponent("keys")
        guard FileManager.default.fileExists(atPath: KeyFiles(directory: keyDirectory).url(keyFile).path) else {
            throw InstanceKeys.KeyError(
                reason: "\(dataDirectory.path) has no development identity provider; start it with `signet server --dev --data \(dataDirectory.path)` first")
        }
        let hasDevelopmentPassphrase = FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent(PassphraseSource.developmentFileName).path)
        let (passphrase, _) = try PassphraseSource.resolve(
            environment: environment, file: nil, dataDirectory: dataDirectory, generateForDevelopment: hasDevelopmentPassphrase)
        return try loadOrCreate(keyDirectory: keyDirectory, passphrase: passphrase, serverURL: serverURL)
    }

    /// The provider's JWK Set (RFC 7517 §5) as served at `<issuer>/jwks`.
    public var jwksJSON: JSONValue {
        let point = Array(key.publicKey.x963Representation)
        return .object(
            JSONObject([
                (
                    "keys",
                    .array([
                        .object(
                            JSONObject([
                                ("kty", .string("EC")), ("crv", .string("P-256")), ("alg", .string("ES256")), ("use", .string("sig")), ("kid", .string(keyID)),
                                ("x", .string(Base64URL.encode(point[1...32]))), ("y", .string(Base64URL.encode(point[33...64]))),
                            ]))
                    ])
                )
            ]))
    }

    /// The key set the server's token verifier uses for this issuer.
    public var keySet: JSONWebKeySet {
        get throws { try JSONWebKeySet(jsonBytes: jwksJSON.compactBytes()) }
    }

    /// The OpenID Connect discovery document (OpenID Connect Discovery 1.0 §3).
    public var discoveryDocument: JSONValue {
        .object(
            JSONObject([
                ("issuer", .string(issuer)),
                ("jwks_uri", .string("\(issuer)/jwks")),
                ("authorization_endpoint", .string("\(issuer)/authorize")), ("token_endpoint", .string("\(issuer)/token")),
                ("response_types_supported", .array([.string("code"), .string("id_token")])),
                ("grant_types_supported", .array([.string("authorization_code")])),
                ("code_challenge_methods_supported", .array([.string("S256")])),
                ("token_endpoint_auth_methods_supported", .array([.string("none")])),
                ("scopes_supported", .array([.string("openid"), .string("email")])),
                ("subject_types_supported", .array([.string("public")])),
                ("id_token_signing_alg_values_supported", .array([.string("ES256")])),
            ]))
    }

    /// The default subject of minted tokens: an email identity.
    public static let defaultSubject = "developer@signet.localhost"

    /// Mints an ES256 token for `subject` with audience `audience`, valid `lifetime` seconds.
    /// A subject with `@` is an email identity (`email`, `email_verified`); `claims` are added
    /// as given (string values), and may override the defaults.
    public func mint(subject: String = defaultSubject, claims: [(String, String)] = [], audience: String = "sigstore", lifetime: Int64 = 600, now: Timestamp)
        throws -> String
    {
        var payload = JSONObject([
            ("iss", .string(issuer)), ("sub", .string(subject)), ("aud", .string(audience)),
            ("iat", .integer(now.seconds)), ("nbf", .integer(now.seconds)), ("exp", .integer(now.seconds + lifetime)),
        ])
        if subject.contains("@") {
            payload["email"] = .string(subject)
            payload["email_verified"] = .bool(true)
        }
        for (name, value) in claims { payload[name] = .string(value) }
        let header = JSONValue.object(JSONObject([("alg", .string("ES256")), ("kid", .string(keyID)), ("typ", .string("JWT"))]))
        let signingInput = Base64URL.encode(header.compactBytes()) + "." + Base64URL.encode(JSONValue.object(payload).compactBytes())
        let signature = try key.signature(for: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
    }
}
