import SignetCore
import X509

/// Admits proposed entries into a log: reads a Rekor v1 `ProposedEntry` or a Rekor v2
/// `CreateEntryRequest`, verifies every signature it carries with the key or certificate it
/// carries, and returns the canonical body the log stores and hashes with the keys search
/// finds it under. Nothing that fails here reaches the log.
public enum EntryAdmission {
    /// The largest request body accepted (a DSSE envelope with an attestation fits easily).
    public static let maxBytes = 4 << 20

    /// Reads a Rekor v1 `ProposedEntry` (sigstore/rekor `openapi.yaml`): `hashedrekord` 0.0.1 or
    /// `dsse` 0.0.1. Explicit nulls are read as absent, as sigstore-python sends them.
    public static func rekorV1(jsonBytes bytes: [UInt8]) throws(LogEntryError) -> AdmittedEntry {
        try admitting {
            var entry = try ProtoJSONObject(try JSONParser(maxBytes: maxBytes, maxDepth: 16).parse(bytes, context: "entry"), path: "entry")
            let kind = try entry.requiredString("kind")
            let version = try entry.requiredString("apiVersion")
            var spec = try entry.requiredMessage("spec")
            try entry.finish()
            switch (kind, version) {
            case ("hashedrekord", "0.0.1"): return try hashedRekordV001(&spec)
            case ("dsse", "0.0.1"): return try dsseV001(&spec)
            default:
                throw LogEntryError(
                    .unsupported,
                    "expected kind hashedrekord or dsse at apiVersion 0.0.1, found \(ProtoJSONObject.preview(kind)) \(ProtoJSONObject.preview(version))")
            }
        }
    }

    /// Reads a Rekor v2 `CreateEntryRequest` (rekor-tiles `rekor_service.proto`) holding a
    /// `hashedRekordRequestV002` (a digest, a signature and its verifier) or a
    /// `dsseRequestV002` (an envelope and the verifiers of its signatures).
    public static func rekorV2(jsonBytes bytes: [UInt8]) throws(LogEntryError) -> AdmittedEntry {
        try admitting {
            var request = try ProtoJSONObject(try JSONParser(maxBytes: maxBytes, maxDepth: 16).parse(bytes, context: "request"), path: "request")
            let admitted: AdmittedEntry
            if var hashed = try request.message("hashedRekordRequestV002") {
                admitted = try hashedRekordV002(&hashed)
            } else if var dsse = try request.message("dsseRequestV002") {
                admitted = try dsseV002(&dsse)
            } else {
                throw LogEntryError(.invalidEntry, "expected member \"hashedRekordRequestV002\" or \"dsseRequestV002\", found neither")
            }
            try request.finish()
            return admitted
        }
    }

    private static func hashedRekordV002(_ hashed: inout ProtoJSONObject) throws -> AdmittedEntry {
        let digest = try hashed.requiredBytes("digest")
        var signature = try hashed.requiredMessage("signature")
        try hashed.finish()
        let content = try signature.requiredBytes("content")
        var verifierObject = try signature.requiredMessage("verifier")
        try signature.finish()
        let verifier = try verifierV002(&verifierObject)
        guard let hash = hashForDigestSigning(verifier.key) else {
            throw LogEntryError(.unsupported, "expected an ECDSA key, which signs digests, found \(verifier.key.keyDetails); log Ed25519 signatures as dsse")
        }
        guard digest.count == hash.byteCount else {
            throw LogEntryError(
                .invalidEntry, "expected a \(hash.byteCount)-byte \(hash.rekorName) digest for \(verifier.keyDetails), found \(digest.count) bytes")
        }
        guard verifier.key.isValidSignature(content, digest: digest) else {
            throw LogEntryError(.signatureInvalid, "expected the signature to verify over the digest with the verifier's key, found one that does not")
        }
        var index = EntryIndex()
        index.add(digest: digest, algorithm: hash)
        index.add(verifierDER: verifier.material.der, certificate: verifier.certificate)
        return AdmittedEntry(
            body: .hashedRekordV002(
                .init(hashAlgorithm: hash, digest: digest, signature: content, verifier: verifier.material, keyDetails: verifier.keyDetails)), index: index)
    }

    /// rekor-tiles' `DSSERequestV002`: every envelope signature must verify over the PAE with
    /// one of the verifiers; the entry records each with the verifier that checked it.
    private static func dsseV002(_ dsse: inout ProtoJSONObject) throws -> AdmittedEntry {
        let envelope = try DSSEEnvelope(json: try dsse.required("envelope"), path: dsse.childPath("envelope"))
        var verifiers: [VerifierV002] = []
        for (element, path) in try dsse.array("verifiers") {
            var object = try ProtoJSONObject(element, path: path)
            verifiers.append(try verifierV002(&object))
        }
        try dsse.finish()
        guard !verifiers.isEmpty else {
            throw LogEntryError(.invalidEntry, "request.dsseRequestV002.verifiers: expected at least one verifier, found none")
        }
        guard !envelope.signatures.isEmpty else {
            throw LogEntryError(.invalidEntry, "request.dsseRequestV002.envelope.signatures: expected at least one signature, found none")
        }
        let pae = envelope.preAuthenticationEncoding
        var signatures: [RekorEntryBody.DSSEV002.Signature] = []
        var index = EntryIndex()
        for (position, signature) in envelope.signatures.enumerated() {
            guard let verifier = verifiers.first(where: { $0.key.isValidSignature(signature.signature, message: pae) }) else {
                throw LogEntryError(
                    .signatureInvalid,
                    "request.dsseRequestV002.envelope.signatures[\(position)]: expected a signature over the envelope's PAE by one of the verifiers, found none that verifies"
                )
            }
            signatures.append(.init(content: signature.signature, verifier: verifier.material, keyDetails: verifier.keyDetails))
            index.add(verifierDER: verifier.material.der, certificate: verifier.certificate)
        }
        let payloadHash = sha256(envelope.payload)
        index.add(digest: payloadHash, algorithm: .sha256)
        return AdmittedEntry(body: .dsseV002(.init(payloadHashAlgorithm: .sha256, payloadHash: payloadHash, signatures: signatures)), index: index)
    }

    /// A Rekor v2 `Verifier` read and checked: its key must match its `keyDetails`.
    private struct VerifierV002 {
        var material: RekorEntryBody.HashedRekordV002.Verifier
        var keyDetails: String
        var certificate: Certificate?
        var key: VerificationKey
    }

    private static func verifierV002(_ verifier: inout ProtoJSONObject) throws -> VerifierV002 {
        let keyDetails = try verifier.requiredString("keyDetails")
        let material: RekorEntryBody.HashedRekordV002.Verifier
        var certificate: Certificate?
        if var object = try verifier.message("x509Certificate") {
            let der = try object.requiredBytes("rawBytes")
            try object.finish()
            material = .certificate(der)
            certificate = try parseCertificate(der)
        } else if var object = try verifier.message("publicKey") {
            let der = try object.requiredBytes("rawBytes")
            try object.finish()
            material = .publicKey(der)
        } else {
            throw LogEntryError(.invalidEntry, "\(verifier.path): expected x509Certificate or publicKey, found neither")
        }
        try verifier.finish()
        let key = try verificationKey(certificate?.subjectPublicKeyInfoDER ?? material.der)
        guard keyDetails == key.keyDetails else {
            throw LogEntryError(
                .unsupported,
                "\(verifier.path).keyDetails: expected the verifier key's details (\(key.keyDetails)), found \(ProtoJSONObject.preview(keyDetails))")
        }
        return VerifierV002(material: material, keyDetails: keyDetails, certificate: certificate, key: key)
    }

    /// Runs a reader, reporting what it found wrong as a ``LogEntryError`` (format problems
    /// as `invalid-entry`).
    private static func admitting(_ read: () throws -> AdmittedEntry) throws(LogEntryError) -> AdmittedEntry {
        do {
            return try read()
        } catch let error as LogEntryError {
            throw error
        } catch let error as FormatError {
            throw LogEntryError(.invalidEntry, error.description)
        } catch {
            throw LogEntryError(.invalidEntry, "\(error)")
        }
    }

    private static func hashedRekordV001(_ spec: inout ProtoJSONObject) throws -> AdmittedEntry {
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
            throw LogEntryError(
                .unsupported, "entry.spec.data.hash.algorithm: expected sha256, sha384 or sha512, found \(ProtoJSONObject.preview(algorithmName))")
        }
        guard hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }), let digest = Hex.decode(hex),
            digest.count == algorithm.byteCount
        else {
            throw LogEntryError(
                .invalidEntry,
                "entry.spec.data.hash.value: expected \(algorithm.byteCount * 2) lower-case hex digits, found \"\(ProtoJSONObject.preview(hex))\"")
        }
        let verifier = try verifierMaterial(pem, path: "entry.spec.signature.publicKey.content")
        let key = try verificationKey(verifier.spki)
        guard hashForDigestSigning(key) != nil else {
            throw LogEntryError(.unsupported, "expected an ECDSA or RSA key, which sign digests, found \(key.keyDetails)")
        }
        guard key.isValidSignature(content, digest: digest) else {
            throw LogEntryError(
                .signatureInvalid, "expected the signature to verify over the \(algorithm.rekorName) digest with the entry's key, found one that does not")
        }
        var index = EntryIndex()
        index.add(digest: digest, algorithm: algorithm)
        index.add(verifierDER: verifier.der, certificate: verifier.certificate)
        return AdmittedEntry(
            body: .hashedRekordV001(
                .init(hashAlgorithm: algorithm, digest: digest, signature: content, publicKeyPEM: PEM.encode(verifier.der, label: verifier.label))),
            index: index)
    }

    private static func dsseV001(_ spec: inout ProtoJSONObject) throws -> AdmittedEntry {
        var proposed = try spec.requiredMessage("proposedContent")
        for ignored in ["signatures", "envelopeHash", "payloadHash"] where try spec.optional(ignored) != nil {
            throw LogEntryError(.invalidEntry, "entry.spec.\(ignored): expected null or absent in a proposed entry (the log computes it), found a value")
        }
        try spec.finish()
        let envelopeText = try proposed.requiredString("envelope")
        var verifiers: [(material: VerifierMaterial, key: VerificationKey)] = []
        for (element, path) in try proposed.array("verifiers") {
            guard case .string(let text) = element, let pem = Base64.decode(text) else {
                throw LogEntryError(.invalidEntry, "\(path): expected base64 of a PEM certificate or public key")
            }
            let material = try verifierMaterial(pem, path: path)
            verifiers.append((material, try verificationKey(material.spki)))
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
        var index = EntryIndex()
        for (position, signature) in envelope.signatures.enumerated() {
            guard let verifier = verifiers.first(where: { $0.key.isValidSignature(signature.signature, message: pae) })?.material else {
                throw LogEntryError(
                    .signatureInvalid,
                    "envelope.signatures[\(position)]: expected a signature over the envelope's PAE by one of the verifiers, found none that verifies")
            }
            signatures.append((Base64.encode(signature.signature), PEM.encode(verifier.der, label: verifier.label)))
            index.add(verifierDER: verifier.der, certificate: verifier.certificate)
        }
        let envelopeHash = sha256(envelopeBytes)
        let payloadHash = sha256(envelope.payload)
        index.add(digest: payloadHash, algorithm: .sha256)
        index.add(digest: envelopeHash, algorithm: .sha256)
        return AdmittedEntry(
            body: .dsseV001(.init(envelopeHash: (.sha256, envelopeHash), payloadHash: (.sha256, payloadHash), signatures: signatures)), index: index)
    }

    /// A verifier read from PEM: a certificate (parsed once, for its key and its names) or a
    /// public key.
    private struct VerifierMaterial {
        var label: String
        var der: [UInt8]
        var certificate: Certificate?
        var spki: [UInt8] { certificate?.subjectPublicKeyInfoDER ?? der }
    }

    private static func verifierMaterial(_ pem: [UInt8], path: String) throws -> VerifierMaterial {
        let blocks = try pem.withUnsafeBufferPointer { PEM.decodeAll(utf8: $0, context: path) }.get()
        guard blocks.count == 1 else {
            throw LogEntryError(.invalidEntry, "\(path): expected one PEM block, found \(blocks.count)")
        }
        switch blocks[0].label {
        case "CERTIFICATE": return VerifierMaterial(label: "CERTIFICATE", der: blocks[0].der, certificate: try parseCertificate(blocks[0].der))
        case "PUBLIC KEY": return VerifierMaterial(label: "PUBLIC KEY", der: blocks[0].der)
        default: throw LogEntryError(.unsupported, "\(path): expected a PEM CERTIFICATE or PUBLIC KEY, found \"\(ProtoJSONObject.preview(blocks[0].label))\"")
        }
    }

    private static func parseCertificate(_ der: [UInt8]) throws -> Certificate {
        guard let certificate = try? Certificate(derEncoded: der) else {
            throw LogEntryError(.invalidEntry, "expected a DER X.509 certificate as the verifier, found bytes that do not parse")
        }
        return certificate
    }

    private static func verificationKey(_ spki: [UInt8]) throws -> VerificationKey {
        do { return try VerificationKey(spki: spki) } catch {
            throw LogEntryError(error.code == .unsupported ? .unsupported : .invalidEntry, "the verifier's key: \(error.reason)")
        }
    }

    /// The hash a key signs digests with, or nil for Ed25519, which signs whole messages.
    private static func hashForDigestSigning(_ key: VerificationKey) -> HashAlgorithm? {
        if case .ed25519 = key { return nil }
        return key.defaultHash
    }
}
