import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SignetCore
import SignetServer
import SwiftASN1
import Testing
import X509

/// A server instance on a fresh data directory, driven in process through Hummingbird's
/// router test client: real keys, a real SQLite store, the development identity provider.
struct ServerTestInstance {
    static let url = "http://signet.test:8080"
    let services: SignetServices
    let directory: URL
    let configuration: ServerConfiguration

    /// An instance with the development identity provider, configured further by `configure`.
    init(_ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-server-\(UUID().uuidString)")
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory.path
        configuration.publicURL = Self.url
        configuration.development = true
        configure(&configuration)
        self.configuration = configuration
        var logger = Logger(label: "signet-test")
        logger.logLevel = .critical
        services = try await SignetServer.services(configuration: configuration, environment: ["SIGNET_KEY_PASSPHRASE": "test passphrase"], logger: logger)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `body` against the router.
    func test<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        var logger = Logger(label: "signet-test")
        logger.logLevel = .critical
        return try await SignetServer.application(services, configuration: configuration, logger: logger).test(.router, body)
    }

    var issuer: String { services.developmentIdentityProvider!.issuer }

    /// A valid development token.
    func token(
        subject: String = "dev@acme.test", claims: [(String, String)] = [], audience: String = "sigstore", lifetime: Int64 = 600, at time: Timestamp? = nil
    ) throws -> String {
        try services.developmentIdentityProvider!.mint(
            subject: subject, claims: claims, audience: audience, lifetime: lifetime, now: time ?? SystemTimeSource().now())
    }

    /// A compact JWS signed by a key the server does not know.
    static func foreignToken(issuer: String, keyID: String, algorithm: String = "ES256", signature: [UInt8]? = nil) throws -> String {
        let now = SystemTimeSource().now().seconds
        let header = JSONValue.object(JSONObject([("alg", .string(algorithm)), ("kid", .string(keyID)), ("typ", .string("JWT"))]))
        let claims = JSONValue.object(
            JSONObject([
                ("iss", .string(issuer)), ("sub", .string("mallory@evil.test")), ("email", .string("mallory@evil.test")), ("email_verified", .bool(true)),
                ("aud", .string("sigstore")), ("iat", .integer(now)), ("exp", .integer(now + 600)),
            ]))
        let input = Base64URL.encode(header.compactBytes()) + "." + Base64URL.encode(claims.compactBytes())
        let signed = try signature ?? Array(P256.Signing.PrivateKey().signature(for: Array(input.utf8)).rawRepresentation)
        return input + "." + Base64URL.encode(signed)
    }

    /// A Fulcio v2 CSR request body for `key`.
    static func csrBody(_ key: P256.Signing.PrivateKey) throws -> [UInt8] {
        let csr = try CertificateSigningRequest(
            version: .v1, subject: DistinguishedName(), privateKey: Certificate.PrivateKey(key),
            attributes: CertificateSigningRequest.Attributes(), signatureAlgorithm: .ecdsaWithSHA256)
        let pem = PEM.encode(try csr.derBytes(), label: "CERTIFICATE REQUEST")
        return JSONValue.object(JSONObject([("certificateSigningRequest", .string(Base64.encode(Array(pem.utf8))))])).compactBytes()
    }

    /// A Rekor v1 hashedrekord request signed by `key`, whose PEM public key it carries (a
    /// canonical hashedrekord 0.0.1 body is a valid proposed entry).
    static func hashedRekordV1(_ key: P256.Signing.PrivateKey, artifact: [UInt8], signature: [UInt8]? = nil) throws -> [UInt8] {
        let signed = try signature ?? Array(key.signature(for: artifact).derRepresentation)
        return try RekorEntryBody.hashedRekordV001(
            .init(hashAlgorithm: .sha256, digest: sha256(artifact), signature: signed, publicKeyPEM: key.publicKey.pemRepresentation)
        ).canonicalBytes()
    }

    /// A Rekor v2 hashedRekordRequestV002 signed by `key`, carrying its DER public key.
    static func hashedRekordV2(_ key: P256.Signing.PrivateKey, artifact: [UInt8], signature: [UInt8]? = nil) throws -> [UInt8] {
        let signed = try signature ?? Array(key.signature(for: artifact).derRepresentation)
        return JSONValue.object(
            JSONObject([
                (
                    "hashedRekordRequestV002",
                    .object(
                        JSONObject([
                            ("digest", .string(Base64.encode(sha256(artifact)))),
                            (
                                "signature",
                                .object(
                                    JSONObject([
                                        ("content", .string(Base64.encode(signed))),
                                        (
                                            "verifier",
                                            .object(
                                                JSONObject([
                                                    (
                                                        "publicKey",
                                                        .object(JSONObject([("rawBytes", .string(Base64.encode(Array(key.publicKey.derRepresentation))))]))
                                                    ),
                                                    ("keyDetails", .string("PKIX_ECDSA_P256_SHA_256")),
                                                ]))
                                        ),
                                    ]))
                            ),
                        ]))
                )
            ])
        ).compactBytes()
    }
}

extension TestClientProtocol {
    /// Sends a request; `contentType` nil sends none.
    func send(_ method: HTTPRequest.Method, _ uri: String, body: [UInt8]? = nil, contentType: String? = "application/json", headers: HTTPFields = [:])
        async throws -> TestResponse
    {
        var fields = headers
        if let contentType, body != nil { fields[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(bytes: $0) })
    }
}

extension TestResponse {
    var bytes: [UInt8] { Array(buffer: body) }

    var json: JSONValue? { try? JSONParser().parse(bytes, context: "response") }

    /// The start of the body as text, for messages.
    var text: String { String(decoding: bytes.prefix(400), as: UTF8.self) }

    /// A member of a JSON object answer.
    func member(_ name: String) -> JSONValue? {
        guard case .object(let object)? = json else { return nil }
        return object[name]
    }

    /// The stable error code of an error answer.
    var errorCode: String? {
        guard case .string(let code)? = member("error") else { return nil }
        return code
    }

    /// The reason of an error answer.
    var errorMessage: String? {
        guard case .string(let message)? = member("message") else { return nil }
        return message
    }
}
