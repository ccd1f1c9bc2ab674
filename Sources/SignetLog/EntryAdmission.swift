import SignetCore
import X509

/// Admits proposed entries into a log: reads a Rekor v1 `ProposedEntry` or a Rekor v2
/// `CreateEntryRequest`, verifies every signature it carries with the key or certificate it
/// carries, and returns the canonical body the log stores and hashes. Nothing that fails here
/// reaches the log.
public enum EntryAdmission {
    /// The largest request body accepted (a DSSE envelope with an attestation fits easily).
    public static let maxBytes = 4 << 20

    /// Reads a Rekor v1 `ProposedEntry` (sigstore/rekor `openapi.yaml`): `hashedrekord` 0.0.1 or
    /// `dsse` 0.0.1. Explicit nulls are read as absent, as sigstore-python sends them.
    public static func rekorV1(jsonBytes bytes: [UInt8]) throws(LogEntryError) -> RekorEntryBody {
        do {
            var entry = try ProtoJSONObject(try JSONParser(maxBytes: maxBytes, maxDepth: 16).parse(bytes, context: "entry"), path: "entry")
            let kind = try entry.requiredString("kind")
            let version = try entry.requiredString("apiVersion")
            var spec = try entry.requiredMessage("spec")
            try entry.finish()
            switch (kind, version) {
            case ("hashedrekord", "0.0.1"): return try hashedRekordV001(&spec)
            case ("dsse", "0.0.1"): return try dsseV001(&spec)
            default:
                throw LogEntryError(.unsupported, "expected kind hashedrekord or dsse at apiVersion 0.0.1, found \(ProtoJSONObject.preview(kind)) \(ProtoJSONObject.preview(version))")
            }
        } catch let error as FormatError {
            throw LogEntryError(.invalidEntry, error.description)
        } catch let error as LogEntryError {
            throw error
        } catch {
            throw LogEntryError(.invalidEntry, "\(error)")
        }
    }

    /// Reads a Rekor v2 `CreateEntryRequest` (rekor-tiles `rekor_service.proto`) holding a
    /// `hashedRekordRequestV002`: a digest, a signature and its verifier.
    public static func rekorV2(jsonBytes bytes: [UInt8]) throws(LogEntryError) -> RekorEntryBody {
        do {
            var request = try ProtoJSONObject(try JSONParser(maxBytes: maxBytes, maxDepth: 16).parse(bytes, context: "request"), path: "request")
            guard var hashed = try request.message("hashedRekordRequestV002") else {
                if try request.optional("dsseRequestV002") != nil {
                    throw LogEntryError(.unsupported, "expected hashedRekordRequestV002; log DSSE envelopes as a hashedrekord over their PAE, as Sigstore clients do")
                }
                throw LogEntryError(.invalidEntry, "expected member \"hashedRekordRequestV002\", found none")
            }
            try request.finish()
            let digest = try hashed.requiredBytes("digest")
            var signature = try hashed.requiredMessage("signature")
            try hashed.finish()
            let content = try signature.requiredBytes("content")
            var verifier = try signature.requiredMessage("verifier")
            try signature.finish()
            let keyDetails = try verifier.requiredString("keyDetails")
            let material: RekorEntryBody.HashedRekordV002.Verifier
            let spki: [UInt8]
            if var certificate = try verifier.message("x509Certificate") {
                let der = try certificate.requiredBytes("rawBytes")
                try certificate.finish()
                material = .certificate(der)
                spki = try certificateSPKI(der)
            } else if var key = try verifier.message("publicKey") {
                let der = try key.requiredBytes("rawBytes")
                try key.finish()
                material = .publicKey(der)
                spki = der
            } else {
                throw LogEntryError(.invalidEntry, "request.hashedRekordRequestV002.signature.verifier: expected x509Certificate or publicKey, found neither")
            }
            try verifier.finish()
            let key = try verificationKey(spki)
            guard let hash = hashForDigestSigning(key), keyDetails == key.keyDetails else {
                throw LogEntryError(.unsupported, "expected an ECDSA key whose keyDetails match it (\(key.keyDetails)), found keyDetails \(ProtoJSONObject.preview(keyDetails))")
            }
            guard digest.count == hash.byteCount else {
                throw LogEntryError(.invalidEntry, "expected a \(hash.byteCount)-byte \(hash.rekorName) digest for \(keyDetails), found \(digest.count) bytes")
            }
            guard key.isValidSignature(content, digest: digest) else {
                throw LogEntryError(.signatureInvalid, "expected the signature to verify over the digest with the verifier's key, found one that does not")
            }
            return .hashedRekordV002(.init(hashAlgorithm: hash, digest: digest, signature: content, verifier: material, keyDetails: keyDetails))
        } catch let error as FormatError {
            throw LogEntryError(.invalidEntry, error.description)
        } catch let error as LogEntryError {
            throw error
        } catch {
            throw LogEntryError(.invalidEntry, "\(error)")
        }
    }

    private static func hashedRekordV001(_ spec: inout ProtoJSONObject) throws -> RekorEntryBody {
        var signature = try spec.requiredMessage("signature")
        let content = try signature.requiredBytes("content")
        var publicKey = try signature.requiredMessage("publicKey")
        let pem = try publicKey.requiredBytes("content")
        try publicKey.finish()
        try signature.finish()
        var data = try spec.requiredMessage("data")
        var hash = try data.requiredMessage("hash")
        let algorithmName = try hash.requiredString("algorithm")
        let hex = try hash.requiredString("value")
        try hash.finish()
        try data.finish()
        try spec.finish()
        guard let algorithm = HashAlgorithm(rekorName: algorithmName) else {
            throw LogEntryError(.unsupported, "entry.spec.data.hash.algorithm: expected sha256, sha384 or sha512, found \(ProtoJSONObject.preview(algorithmName))")
        }
        guard hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }), let digest = Hex.decode(hex), digest.count == algorithm.byteCount else {
            throw LogEntryError(.invalidEntry, "entry.spec.data.hash.value: expected \(algorithm.byteCount * 2) lower-case hex digits, found \"\(ProtoJSONObject.preview(hex))\"")
        }
        let (label, der, spki) = try verifierMaterial(pem, path: "entry.spec.signature.publicKey.content")
        let key = try verificationKey(spki)
        guard hashForDigestSigning(key) != nil else {
            throw LogEntryError(.unsupported, "expected an ECDSA or RSA key, which sign digests, found \(key.keyDetails)")
        }
        guard key.isValidSignature(content, digest: digest) else {
            throw LogEntryError(.signatureInvalid, "expected the signature to verify over the \(algorithm.rekorName) digest with the entry's key, found one that does not")
        }
        return .hashedRekordV001(.init(hashAlgorithm: algorithm, digest: digest, signature: content, publicKeyPEM: PEM.encode(der, label: label)))
    }

    private static func dsseV001(_ spec: inout ProtoJSONObject) throws -> RekorEntryBody {
        var proposed = try spec.requiredMessage("proposedContent")
        for ignored in ["signatures", "envelopeHash", "payloadHash"] where try spec.optional(ignored) != nil {
            throw LogEntryError(.invalidEntry, "entry.spec.\(ignored): expected null or absent in a proposed entry (the log computes it), found a value")
        }
        try spec.finish()
        let envelopeText = try proposed.requiredString("envelope")
        var verifiers: [(label: String, der: [UInt8], key: VerificationKey)] = []
        for (element, path) in try proposed.array("verifiers") {
            guard case .string(let text) = element, let pem = Base64.decode(text) else {
                throw LogEntryError(.invalidEntry, "\(path): expected base64 of a PEM certificate or public key")
            }
            let (label, der, spki) = try verifierMaterial(pem, path: path)
            verifiers.append((label, der, try verificationKey(spki)))
        }
        try proposed.finish()
        guard !verifiers.isEmpty else {
            throw LogEntryError(.invalidEntry, "entry.spec.proposedContent.verifiers: expected at least one verifier, found none")
        }
        let envelopeBytes = Array(envelopeText.utf8)
        let envelope = try DSSEEnvelope(json: try JSONParser(maxBytes: maxBytes, maxDepth: 16).parse(envelopeBytes, context: "envelope"), path: "envelope")
        guard !envelope.signatures.isEmpty else {
            throw LogEntryError(.invalidEntry, "entry.spec.proposedContent.envelope: expected at least one signature, found none")
        }
        let pae = envelope.preAuthenticationEncoding
        var signatures: [(String, String)] = []
        for (index, signature) in envelope.signatures.enumerated() {
            guard let verifier = verifiers.first(where: { $0.key.isValidSignature(signature.signature, message: pae) }) else {
                throw LogEntryError(.signatureInvalid, "envelope.signatures[\(index)]: expected a signature over the envelope's PAE by one of the verifiers, found none that verifies")
            }
            signatures.append((Base64.encode(signature.signature), PEM.encode(verifier.der, label: verifier.label)))
        }
        return .dsseV001(.init(envelopeHash: (.sha256, sha256(envelopeBytes)), payloadHash: (.sha256, sha256(envelope.payload)), signatures: signatures))
    }

    /// The PEM block of a verifier: a certificate or a public key, with the key's SPKI.
    private static func verifierMaterial(_ pem: [UInt8], path: String) throws -> (label: String, der: [UInt8], spki: [UInt8]) {
        let blocks = try PEM.decodeAll(String(decoding: pem, as: UTF8.self), context: path)
        guard blocks.count == 1 else {
            throw LogEntryError(.invalidEntry, "\(path): expected one PEM block, found \(blocks.count)")
        }
        switch blocks[0].label {
        case "CERTIFICATE": return ("CERTIFICATE", blocks[0].der, try certificateSPKI(blocks[0].der))
        case "PUBLIC KEY": return ("PUBLIC KEY", blocks[0].der, blocks[0].der)
        default: throw LogEntryError(.unsupported, "\(path): expected a PEM CERTIFICATE or PUBLIC KEY, found \"\(ProtoJSONObject.preview(blocks[0].label))\"")
        }
    }

    private static func certificateSPKI(_ der: [UInt8]) throws -> [UInt8] {
        guard let certificate = try? Certificate(derEncoded: der) else {
            throw LogEntryError(.invalidEntry, "expected a DER X.509 certificate as the verifier, found bytes that do not parse")
        }
        return certificate.subjectPublicKeyInfoDER
    }

    private static func verificationKey(_ spki: [UInt8]) throws -> VerificationKey {
        do { return try VerificationKey(spki: spki) } catch {
            throw LogEntryError(.unsupported, "the verifier's key: \(error.reason)")
        }
    }

    /// The hash a key signs digests with, or nil for Ed25519, which signs whole messages.
    private static func hashForDigestSigning(_ key: VerificationKey) -> HashAlgorithm? {
        if case .ed25519 = key { return nil }
        return key.defaultHash
    }
}
