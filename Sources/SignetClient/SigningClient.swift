import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import SignetCore
import SwiftASN1
import X509

/// Signs against a Sigstore-compatible instance (a Signet server, or any Fulcio + Rekor + TSA
/// the signing config names): an ephemeral P-256 key, a certificate from the CA for an
/// identity token, a signature, a transparency-log entry with its inclusion proof and, when
/// the config names a TSA, an RFC 3161 timestamp; the result is a v0.3 bundle. Nothing here
/// trusts the server: callers verify the bundle against their trusted root before keeping it.
public struct SigningClient: Sendable {
    /// Which Rekor API to log to.
    public enum RekorAPI: Int, Sendable {
        case v1 = 1
        case v2 = 2
    }

    public let caURL: String
    public let rekorURL: String
    public let rekorAPI: RekorAPI
    public let tsaURL: String?
    let transport: any HTTPTransport
    let timeout: TimeAmount

    /// Chooses the services of `config` valid at `now`: the first CA, the first log of the
    /// requested (else the highest supported) API version, and the first TSA.
    /// With `timestamps: false` no TSA is asked (Rekor v1 only: its SET is the signed time).
    public init(
        signingConfig config: SigningConfig, rekorAPI requested: RekorAPI? = nil, timestamps: Bool = true, now: Timestamp = SystemTimeSource().now(),
        http: any HTTPTransport = HTTPClient.shared, timeout: TimeAmount = .seconds(30)
    ) throws(SigningError) {
        func valid(_ service: SigningConfig.Service) -> Bool { service.validFor.contains(now) }
        guard let ca = config.caURLs.first(where: { valid($0) && $0.majorAPIVersion == 1 }) else {
            throw SigningError(.configuration, "expected a CA (API version 1) valid now in the signing config, found none")
        }
        let logs = config.rekorTlogURLs.filter { valid($0) && ($0.majorAPIVersion == 1 || $0.majorAPIVersion == 2) }
        let chosen =
            if let requested { logs.first { $0.majorAPIVersion == Int32(requested.rawValue) } } else { logs.max { $0.majorAPIVersion < $1.majorAPIVersion } }
        guard let log = chosen, let api = RekorAPI(rawValue: Int(log.majorAPIVersion)) else {
            throw SigningError(
                .configuration, "expected a Rekor log\(requested.map { " of API version \($0.rawValue)" } ?? "") valid now in the signing config, found none")
        }
        caURL = ca.url
        rekorURL = log.url
        rekorAPI = api
        tsaURL = timestamps ? config.tsaURLs.first { valid($0) && $0.majorAPIVersion == 1 }?.url : nil
        guard api == .v1 || tsaURL != nil else {
            throw SigningError(.configuration, "a Rekor v2 log gives no signed time, so a TSA is required; the signing config names none")
        }
        self.transport = http
        self.timeout = timeout
    }

    /// A fresh key for one signature. Sigstore never needs a compact-representable key (one
    /// recoverable from its x coordinate), and asking for one retries generation half the time.
    public static func ephemeralKey() -> P256.Signing.PrivateKey {
        P256.Signing.PrivateKey(compactRepresentable: false)
    }

    /// Signs an artifact's SHA-256 digest (a hashedrekord entry). With `statedProvenance`, the
    /// certificate comes from a Signet server's `/api/signet/v1/signingCert`, which refuses a
    /// stated value that contradicts the token's claims (the certificate carries only what the
    /// token attests; registration records the stated values), and `credential` may be a
    /// Signet API key instead of an OIDC token.
    public func sign(digest: [UInt8], identityToken credential: String, statedProvenance: [FulcioExtension: String]? = nil) async throws -> SigstoreBundle {
        let key = Self.ephemeralKey()
        let leaf = try await requestCertificate(key: key, identityToken: credential, statedProvenance: statedProvenance)
        return try await sign(digest: digest, with: SoftwareSigner(key), as: .certificate(leaf))
    }

    /// Signs an in-toto statement as a DSSE envelope: a `dsse` entry on Rekor v1, a
    /// hashedrekord over the envelope's PAE on Rekor v2 (whose entry holds only digests, however
    /// large the predicate). `statedProvenance` and `credential` are as for
    /// ``sign(digest:identityToken:statedProvenance:)``.
    public func attest(statement: InTotoStatement, identityToken credential: String, statedProvenance: [FulcioExtension: String]? = nil) async throws
        -> SigstoreBundle
    {
        let key = Self.ephemeralKey()
        let leaf = try await requestCertificate(key: key, identityToken: credential, statedProvenance: statedProvenance)
        return try await attest(statement: statement, with: SoftwareSigner(key), as: .certificate(leaf))
    }

    /// How a bundle made with a key the caller holds names its signer.
    public enum KeyMaterial: Sendable {
        /// A managed key, which verifiers are given out of band: the bundle carries only a hint,
        /// the hex SHA-256 of the key's SubjectPublicKeyInfo.
        case publicKey
        /// A certificate for the key (DER): from this instance's CA, or the organisation's own PKI.
        case certificate([UInt8])
    }

    /// Signs an artifact's digest with `signer` (a key file, a key in an HSM), logged and
    /// timestamped like a keyless signature, so verifiers can judge a key's rotation or
    /// revocation against the time it signed. ECDSA keys only (a hashedrekord signs a digest);
    /// the digest is the one the key's algorithm signs (SHA-256 for P-256, SHA-384 for P-384).
    public func sign(digest: [UInt8], with signer: any Signer, as material: KeyMaterial) async throws -> SigstoreBundle {
        let verifier = try Self.verifier(signer, material)
        let signature = try await signer.sign(digest: digest)
        let entry = try await log(hashedRekordDigest: digest, signature: signature, verifier: verifier)
        let timestamps = try await timestamp(signature: signature)
        return SigstoreBundle(
            signer: verifier.bundleSigner, tlogEntries: [entry], rfc3161Timestamps: timestamps,
            content: .messageSignature(.init(messageDigest: (verifier.algorithm.hash, digest), signature: signature)))
    }

    /// Signs an in-toto statement as a DSSE envelope with `signer`; logged and timestamped as
    /// ``sign(digest:with:as:)``.
    public func attest(statement: InTotoStatement, with signer: any Signer, as material: KeyMaterial) async throws -> SigstoreBundle {
        let verifier = try Self.verifier(signer, material)
        let payload = statement.json.compactBytes()
        let pae = DSSEEnvelope.preAuthenticationEncoding(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload)
        let signature = try await signer.sign(pae)
        let envelope = DSSEEnvelope(payload: payload, payloadType: DSSEEnvelope.inTotoPayloadType, signatures: [.init(signature: signature)])
        let entry: TransparencyLogEntry
        switch rekorAPI {
        case .v1:
            let proposed = envelope.rekorV1Proposal(verifierPEM: verifier.pem)
            entry = try Self.rekorV1Entry(try await post("\(rekorURL)/api/v1/log/entries", json: proposed, what: "the log"))
        case .v2:
            entry = try await log(hashedRekordDigest: signer.algorithm.hash.hash(pae), signature: signature, verifier: verifier)
        }
        let timestamps = try await timestamp(signature: signature)
        return SigstoreBundle(signer: verifier.bundleSigner, tlogEntries: [entry], rfc3161Timestamps: timestamps, content: .dsseEnvelope(envelope))
    }

    /// What a log entry and a bundle say verifies a signature.
    struct Verifier {
        var material: KeyMaterial
        var spki: [UInt8]
        var algorithm: SigningAlgorithm

        var pem: String {
            switch material {
            case .publicKey: PEM.encode(spki, label: "PUBLIC KEY")
            case .certificate(let der): PEM.encode(der, label: "CERTIFICATE")
            }
        }

        var bundleSigner: SigstoreBundle.SignerMaterial {
            switch material {
            case .publicKey: .publicKey(hint: Hex.encode(sha256(spki)))
            case .certificate(let der): .certificate(der)
            }
        }

        /// Rekor v2's `Verifier` message.
        var json: JSONValue {
            let key: (String, JSONValue) =
                switch material {
                case .publicKey: ("publicKey", .object(JSONObject([("rawBytes", .string(Base64.encode(spki)))])))
                case .certificate(let der): ("x509Certificate", .object(JSONObject([("rawBytes", .string(Base64.encode(der)))])))
                }
            return .object(JSONObject([key, ("keyDetails", .string(algorithm.rawValue))]))
        }
    }

    static func verifier(_ signer: any Signer, _ material: KeyMaterial) throws -> Verifier {
        guard signer.algorithm != .ed25519 else {
            throw SigningError(
                .configuration, "expected an ECDSA key (P-256 or P-384) to sign with, found an Ed25519 key, which a hashedrekord entry cannot hold")
        }
        if case .certificate(let der) = material {
            let certificate = try Certificate(derEncoded: der)
            guard certificate.subjectPublicKeyInfoDER == signer.publicKeySPKI else {
                throw SigningError(.configuration, "the certificate is for another key than the one signing")
            }
        }
        return Verifier(material: material, spki: signer.publicKeySPKI, algorithm: signer.algorithm)
    }

    /// A leaf certificate for `key` (Fulcio v2, the CSR form); returns its DER. With
    /// `statedProvenance`, from a Signet server's endpoint that takes it (see ``sign(digest:identityToken:statedProvenance:)``).
    public func requestCertificate(key: P256.Signing.PrivateKey, identityToken: String, statedProvenance: [FulcioExtension: String]? = nil) async throws
        -> [UInt8]
    {
        let csr = try CertificateSigningRequest(
            version: .v1, subject: DistinguishedName(), privateKey: Certificate.PrivateKey(key),
            attributes: CertificateSigningRequest.Attributes(), signatureAlgorithm: .ecdsaWithSHA256)
        let pem = PEM.encode(try csr.derBytes(), label: "CERTIFICATE REQUEST")
        var members: [(String, JSONValue)] = [("certificateSigningRequest", .string(Base64.encode(Array(pem.utf8))))]
        var path = "/api/v2/signingCert"
        if let statedProvenance {
            members.append(("provenance", ArtifactClient.json(statedProvenance)))
            path = "/api/signet/v1/signingCert"
        }
        let response = try await post(
            "\(Self.origin(caURL))\(path)", json: .object(JSONObject(members)), headers: ["Authorization": "Bearer \(identityToken)"], what: "the CA")
        guard case .object(let object) = try JSONParser().parse(response, context: "CA response"),
            case .object(let signed)? = object["signedCertificateEmbeddedSct"], case .object(let chain)? = signed["chain"],
            case .array(let certificates)? = chain["certificates"], case .string(let leafPEM)? = certificates.first,
            let leaf = try PEM.decodeAll(leafPEM, context: "CA response").first, leaf.label == "CERTIFICATE"
        else {
            throw SigningError(.badResponse, "expected the CA to answer with signedCertificateEmbeddedSct.chain.certificates, found otherwise")
        }
        let certificate = try Certificate(derEncoded: leaf.der)
        guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
            throw SigningError(.badResponse, "the CA's certificate is for another key than the one in the request")
        }
        return leaf.der
    }

    private func log(hashedRekordDigest digest: [UInt8], signature: [UInt8], verifier: Verifier) async throws -> TransparencyLogEntry {
        switch rekorAPI {
        case .v1:
            // A hashedrekord 0.0.1 canonical body is itself a valid proposed entry.
            let proposed = try RekorEntryBody.hashedRekordV001(
                .init(hashAlgorithm: verifier.algorithm.hash, digest: digest, signature: signature, publicKeyPEM: verifier.pem)
            ).canonicalBytes()
            return try Self.rekorV1Entry(try await post("\(rekorURL)/api/v1/log/entries", body: proposed, contentType: "application/json", what: "the log"))
        case .v2:
            let request = JSONValue.object(
                JSONObject([
                    (
                        "hashedRekordRequestV002",
                        .object(
                            JSONObject([
                                ("digest", .string(Base64.encode(digest))),
                                ("signature", .object(JSONObject([("content", .string(Base64.encode(signature))), ("verifier", verifier.json)]))),
                            ]))
                    )
                ]))
            let response = try await post("\(rekorURL)/api/v2/log/entries", json: request, what: "the log")
            do {
                return try TransparencyLogEntry(json: try JSONParser().parse(response, context: "log response"), path: "logEntry")
            } catch {
                throw SigningError(.badResponse, "the log's answer is not a TransparencyLogEntry: \(error)")
            }
        }
    }

    /// RFC 3161 timestamps over `signature` from the TSA, if the config names one: each the
    /// TSA's whole reply, checked to grant a token over this signature with our nonce.
    private func timestamp(signature: [UInt8]) async throws -> [[UInt8]] {
        guard let tsaURL else { return [] }
        let request = TimeStampRequest.forSignature(signature)
        let reply = try await post(tsaURL, body: try request.derBytes(), contentType: "application/timestamp-query", what: "the TSA")
        guard let response = try? TimeStampResponse(derEncoded: reply), response.status == 0, let token = response.tokenDER,
            let parsed = try? TimeStampToken(contentInfoDER: token), parsed.info.nonce == request.nonce,
            parsed.info.messageImprint.hashedMessage == request.messageImprint.hashedMessage
        else {
            throw SigningError(.badResponse, "expected a granted timestamp token over the signature with the request's nonce, found otherwise")
        }
        // A bundle carries the whole DER TimeStampResp (sigstore_common.proto RFC3161SignedTimestamp).
        return [reply]
    }

    /// Reads the log's Rekor v1 `LogEntry` answer as a bundle entry.
    static func rekorV1Entry(_ bytes: [UInt8]) throws(SigningError) -> TransparencyLogEntry {
        do {
            return try TransparencyLogEntry(rekorV1Response: bytes)
        } catch {
            throw SigningError(.badResponse, "the log's answer: \(error)")
        }
    }

    /// The scheme, host and port of a URL: Fulcio's paths are absolute (clients drop any path).
    static func origin(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = ""
        components.query = nil
        return components.string ?? url
    }

    private func post(_ url: String, json: JSONValue, headers: [String: String] = [:], what: String) async throws -> [UInt8] {
        try await post(url, body: json.compactBytes(), contentType: "application/json", headers: headers, what: what)
    }

    private func post(_ url: String, body: [UInt8], contentType: String, headers: [String: String] = [:], what: String) async throws -> [UInt8] {
        try await HTTPExchange(transport: transport, timeout: timeout).send(.POST, url, body: body, contentType: contentType, headers: headers, what: what)
    }
}

/// Why signing failed; the code is stable.
public struct SigningError: CodedError, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The signing config names no usable CA, log or TSA.
        case configuration = "configuration"
        /// A service could not be reached.
        case unreachable = "unreachable"
        /// A service answered with an error status.
        case refused = "refused"
        /// A service answered with something that is not what its API promises.
        case badResponse = "bad-response"
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }
}
