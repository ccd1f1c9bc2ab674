import Crypto
import SignetCore
import SwiftASN1
import X509

/// A Fulcio v2 `CreateSigningCertificateRequest` (fulcio.proto): the key to certify, proven
/// either by a PKCS#10 CSR's self-signature or by a signature over the identity's challenge.
public struct SigningCertificateRequest: Sendable {
    public enum ProofOfPossession: Sendable {
        /// A CSR (RFC 2986) whose signature was checked when parsing.
        case certificateSigningRequest
        /// A signature over the UTF-8 challenge (the token's `email` or `sub`), checked at issuance.
        case signedChallenge([UInt8])
    }

    /// The public key to certify.
    public var publicKey: Certificate.PublicKey
    public var proof: ProofOfPossession
    /// An identity token carried in the body (`credentials.oidcIdentityToken`), which wins over
    /// one in the `Authorization` header.
    public var identityToken: String?

    /// The largest request body accepted.
    public static let maxBytes = 64 << 10

    public init(publicKey: Certificate.PublicKey, proof: ProofOfPossession, identityToken: String? = nil) {
        self.publicKey = publicKey
        self.proof = proof
        self.identityToken = identityToken
    }

    /// Parses the JSON body. A CSR's signature is verified here; keys must be ECDSA P-256,
    /// P-384 or P-521.
    public init(jsonBytes bytes: [UInt8]) throws(CertificateAuthorityError) {
        let value: JSONValue
        do {
            value = try JSONParser(maxBytes: Self.maxBytes, maxDepth: 8).parse(bytes, context: "request")
        } catch {
            throw CertificateAuthorityError(.invalidRequest, error.description)
        }
        try self.init(json: value)
    }

    /// Reads a parsed body (see ``init(jsonBytes:)``).
    public init(json value: JSONValue) throws(CertificateAuthorityError) {
        var object: ProtoJSONObject
        do {
            object = try ProtoJSONObject(value, path: "request")
        } catch {
            throw CertificateAuthorityError(.invalidRequest, error.description)
        }
        do {
            if var credentials = try object.message("credentials") {
                identityToken = try credentials.string("oidcIdentityToken")
                try credentials.finish()
            }
            let csr = try object.bytes("certificateSigningRequest")
            let publicKeyRequest = try object.message("publicKeyRequest")
            try object.finish()
            switch (csr, publicKeyRequest) {
            case (let csr?, nil):
                publicKey = try Self.verifiedCSRKey(csr)
                proof = .certificateSigningRequest
            case (nil, var keyRequest?):
                var key = try keyRequest.requiredMessage("publicKey")
                let content = try key.requiredString("content")
                _ = try key.string("algorithm")
                try key.finish()
                let signature = try keyRequest.requiredBytes("proofOfPossession")
                try keyRequest.finish()
                publicKey = try Self.publicKey(content)
                proof = .signedChallenge(signature)
            default:
                throw CertificateAuthorityError(.invalidRequest, "expected exactly one of certificateSigningRequest and publicKeyRequest")
            }
        } catch let error as FormatError {
            throw CertificateAuthorityError(.invalidRequest, error.description)
        } catch let error as CertificateAuthorityError {
            throw error
        } catch {
            throw CertificateAuthorityError(.invalidRequest, "\(error)")
        }
    }

    /// The key of a PEM CSR (`CERTIFICATE REQUEST` or `NEW CERTIFICATE REQUEST`), after checking
    /// its self-signature.
    static func verifiedCSRKey(_ pemBytes: [UInt8]) throws(CertificateAuthorityError) -> Certificate.PublicKey {
        let blocks: [(label: String, der: [UInt8])]
        do {
            blocks = try PEM.decodeAll(String(decoding: pemBytes, as: UTF8.self), context: "certificateSigningRequest")
        } catch {
            throw CertificateAuthorityError(.invalidRequest, "certificateSigningRequest: expected the base64 of a PEM CSR, found \(error.reason)")
        }
        guard blocks.count == 1, ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"].contains(blocks[0].label) else {
            throw CertificateAuthorityError(
                .invalidRequest,
                "certificateSigningRequest: expected one PEM \"CERTIFICATE REQUEST\" block, found \(blocks.map { "\"\($0.label)\"" }.joined(separator: ", "))")
        }
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(derEncoded: blocks[0].der)
        } catch {
            throw CertificateAuthorityError(.invalidRequest, "certificateSigningRequest: expected a DER PKCS#10 request, found bytes that do not parse")
        }
        try checkKey(csr.publicKey)
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw CertificateAuthorityError(
                .invalidProofOfPossession, "expected the CSR to be signed by the key it carries, found a signature that does not verify")
        }
        return csr.publicKey
    }

    /// A public key given as PEM, or as base64 DER in a string.
    static func publicKey(_ content: String) throws(CertificateAuthorityError) -> Certificate.PublicKey {
        let der: [UInt8]
        if let blocks = try? PEM.decodeAll(content, context: "publicKey"), blocks.count == 1, blocks[0].label == "PUBLIC KEY" {
            der = blocks[0].der
        } else if let decoded = Base64.decode(content) {
            der = decoded
        } else {
            throw CertificateAuthorityError(.invalidRequest, "publicKeyRequest.publicKey.content: expected a PEM \"PUBLIC KEY\" or base64 DER, found neither")
        }
        let key: Certificate.PublicKey
        do {
            key = try Certificate.PublicKey(derEncoded: der)
        } catch {
            throw CertificateAuthorityError(
                .unsupportedKey, "publicKeyRequest.publicKey.content: expected a DER SubjectPublicKeyInfo, found bytes that do not parse")
        }
        try checkKey(key)
        return key
    }

    /// The CA certifies ECDSA keys only: Sigstore verifiers assume an EC leaf, and Rekor v2
    /// refuses pure Ed25519.
    static func checkKey(_ key: Certificate.PublicKey) throws(CertificateAuthorityError) {
        guard P256.Signing.PublicKey(key) != nil || P384.Signing.PublicKey(key) != nil || P521.Signing.PublicKey(key) != nil else {
            throw CertificateAuthorityError(.unsupportedKey, "expected an ECDSA P-256, P-384 or P-521 key, found \(key)")
        }
    }
}
