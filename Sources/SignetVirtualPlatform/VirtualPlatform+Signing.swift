import Crypto
import CryptoExtras
import SignetCore
import SwiftASN1
import X509

extension VirtualPlatform {
    /// How to sign; every field defaults to a bundle that verifies.
    public struct SigningOptions: Sendable {
        public var leaf = LeafOptions()
        public var log = LogVersion.v1
        /// Whether to add an RFC 3161 timestamp (required with a v2 log).
        public var timestamp = false
        /// The key the certificate is for; a fresh one when nil (one key under two identities
        /// is a test of its own).
        public var key: P256.Signing.PrivateKey?

        public init() {}

        public static func v2WithTimestamp() -> SigningOptions {
            var options = SigningOptions()
            options.log = .v2
            options.timestamp = true
            return options
        }
    }

    /// Signs an artifact keylessly: ephemeral P-256 key, leaf certificate, signature over the
    /// SHA-256 digest, a hashedrekord entry, and optionally a timestamp; returns a v0.3 bundle.
    public func signBlob(_ artifact: [UInt8], options: SigningOptions = SigningOptions()) async throws -> SigstoreBundle {
        let key = P256.Signing.PrivateKey()
        let leaf = try await issueLeaf(publicKey: .init(key.publicKey), options: options.leaf)
        let leafDER = try leaf.derBytes()
        let digest = sha256(artifact)
        let signature = Array(try key.signature(for: artifact).derRepresentation)
        let body: RekorEntryBody =
            switch options.log {
            case .v1:
                .hashedRekordV001(.init(hashAlgorithm: .sha256, digest: digest, signature: signature, publicKeyPEM: PEM.encode(leafDER, label: "CERTIFICATE")))
            case .v2:
                .hashedRekordV002(
                    .init(hashAlgorithm: .sha256, digest: digest, signature: signature, verifier: .certificate(leafDER), keyDetails: "PKIX_ECDSA_P256_SHA_256"))
            }
        let entry = try await appendEntry(body: body, to: options.log)
        return await SigstoreBundle(
            signer: .certificate(leafDER), tlogEntries: [entry],
            rfc3161Timestamps: options.timestamp ? [try timestamp(signature: signature)] : [],
            content: .messageSignature(.init(messageDigest: (.sha256, digest), signature: signature)))
    }

    /// Signs an in-toto statement as a DSSE envelope: a `dsse` 0.0.1 entry on the v1 log, or a
    /// hashedrekord 0.0.2 over the PAE on the v2 log.
    public func attest(_ statement: InTotoStatement, options: SigningOptions = SigningOptions()) async throws -> SigstoreBundle {
        let key = options.key ?? P256.Signing.PrivateKey()
        let leaf = try await issueLeaf(publicKey: .init(key.publicKey), options: options.leaf)
        let leafDER = try leaf.derBytes()
        let payload = statement.json.compactBytes()
        let pae = DSSEEnvelope.preAuthenticationEncoding(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload)
        let signature = Array(try key.signature(for: pae).derRepresentation)
        let envelope = DSSEEnvelope(payload: payload, payloadType: DSSEEnvelope.inTotoPayloadType, signatures: [.init(signature: signature)])
        let body: RekorEntryBody =
            switch options.log {
            case .v1:
                .dsseV001(
                    .init(
                        envelopeHash: (.sha256, sha256(envelope.json.compactBytes())), payloadHash: (.sha256, sha256(payload)),
                        signatures: [(Base64.encode(signature), PEM.encode(leafDER, label: "CERTIFICATE"))]))
            case .v2:
                .hashedRekordV002(
                    .init(
                        hashAlgorithm: .sha256, digest: sha256(pae), signature: signature, verifier: .certificate(leafDER),
                        keyDetails: "PKIX_ECDSA_P256_SHA_256"))
            }
        let entry = try await appendEntry(body: body, to: options.log)
        return await SigstoreBundle(
            signer: .certificate(leafDER), tlogEntries: [entry],
            rfc3161Timestamps: options.timestamp ? [try timestamp(signature: signature)] : [],
            content: .dsseEnvelope(envelope))
    }

    /// A long-lived ("managed") signing key, known to verifiers out of band.
    public enum ManagedKey: Sendable {
        case p256(P256.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey, pss: Bool)

        public var spki: [UInt8] {
            switch self {
            case .p256(let key): Array(key.publicKey.derRepresentation)
            case .rsa(let key, _): Array(key.publicKey.derRepresentation)
            }
        }

        var keyDetails: String {
            switch self {
            case .p256: "PKIX_ECDSA_P256_SHA_256"
            case .rsa(let key, let pss): "PKIX_RSA_\(pss ? "PSS" : "PKCS1V15")_\(key.keySizeInBits)_SHA256"
            }
        }

        func sign(_ message: [UInt8]) throws -> [UInt8] {
            switch self {
            case .p256(let key): Array(try key.signature(for: message).derRepresentation)
            case .rsa(let key, let pss): Array(try key.signature(for: message, padding: pss ? .PSS : .insecurePKCS1v1_5).rawRepresentation)
            }
        }
    }

    /// Signs with a managed key: no certificate, the bundle names the key by hint.
    public func signBlob(_ artifact: [UInt8], managedKey key: ManagedKey, log: LogVersion = .v1) async throws -> SigstoreBundle {
        let spki = key.spki
        let digest = sha256(artifact)
        let signature = try key.sign(artifact)
        let body: RekorEntryBody =
            switch log {
            case .v1:
                .hashedRekordV001(.init(hashAlgorithm: .sha256, digest: digest, signature: signature, publicKeyPEM: PEM.encode(spki, label: "PUBLIC KEY")))
            case .v2:
                .hashedRekordV002(.init(hashAlgorithm: .sha256, digest: digest, signature: signature, verifier: .publicKey(spki), keyDetails: key.keyDetails))
            }
        let entry = try await appendEntry(body: body, to: log)
        return await SigstoreBundle(
            signer: .publicKey(hint: Base64.encode(sha256(spki))), tlogEntries: [entry],
            rfc3161Timestamps: log == .v2 ? [try timestamp(signature: signature)] : [],
            content: .messageSignature(.init(messageDigest: (.sha256, digest), signature: signature)))
    }
}
