import SignetCore

extension BundleVerifier {
    /// Verifies the bundle's signature over the artifact: for a message signature, over the
    /// artifact's digest; for DSSE, over the envelope's PAE, and then the artifact must be a
    /// subject of the in-toto statement.
    func verifySignature(_ bundle: SigstoreBundle, signer: Signer, artifact: Artifact) throws(VerificationError) -> (InTotoStatement?, String) {
        let key = try signer.key
        switch bundle.content {
        case .messageSignature(let message):
            if let claimed = message.messageDigest {
                guard let actual = artifact.digests[claimed.algorithm] else {
                    throw VerificationError(
                        .unusableInput, "the bundle's message digest is \(claimed.algorithm.rawValue); give the artifact as a file so it can be computed")
                }
                guard actual == claimed.digest else {
                    throw VerificationError(
                        .artifactMismatch,
                        "expected the artifact's \(claimed.algorithm.rawValue) digest \(Hex.encode(actual)) in the bundle's message digest, found \(Hex.encode(claimed.digest))"
                    )
                }
            }
            if case .ed25519 = key {
                throw VerificationError(
                    .unusableInput, "expected an ECDSA or RSA key for a signature over a digest, found \(key.keyDetails), which signs whole messages")
            }
            // The signature is over the digest the bundle names (a P-384 key may sign a SHA-256
            // digest), else over the key's default hash.
            let hash = message.messageDigest?.algorithm ?? key.defaultHash
            guard let digest = artifact.digests[hash] else {
                throw VerificationError(.unusableInput, "the signature is over the \(hash.rekorName) digest; give the artifact as a file so it can be computed")
            }
            guard key.isValidSignature(message.signature, digest: digest) else {
                throw VerificationError(
                    .signatureInvalid,
                    "expected a signature by the signing key over the artifact (\(hash.rekorName):\(Hex.encode(digest))), found one that does not verify")
            }
            return (nil, "\(key.keyDetails) signature over \(hash.rekorName):\(Hex.encode(digest))")
        case .dsseEnvelope(let envelope):
            guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else {
                throw VerificationError(
                    .unusableInput, "expected DSSE payload type \(DSSEEnvelope.inTotoPayloadType), found \"\(ProtoJSONObject.preview(envelope.payloadType))\"")
            }
            guard let signature = envelope.signatures.first,
                key.isValidSignature(signature.signature, message: envelope.preAuthenticationEncoding)
            else {
                throw VerificationError(.signatureInvalid, "expected a signature by the signing key over the DSSE envelope, found one that does not verify")
            }
            let statement: InTotoStatement
            do {
                statement = try InTotoStatement(payload: envelope.payload)
            } catch {
                throw VerificationError(.unusableInput, "DSSE payload: \(error.description)")
            }
            let matches = statement.subjects.contains { subject in
                subject.digest.contains { name, hex in
                    guard let algorithm = HashAlgorithm(rekorName: name), let digest = artifact.digests[algorithm] else { return false }
                    return Hex.encode(digest) == hex
                }
            }
            guard matches else {
                let wanted = artifact.sha256.map { "sha256:\(Hex.encode($0))" } ?? "the artifact"
                throw VerificationError(
                    .artifactMismatch,
                    "expected \(wanted) among the statement's subjects, found \(statement.subjects.map { $0.name.isEmpty ? "(unnamed)" : $0.name }.joined(separator: ", "))"
                )
            }
            return (statement, "DSSE signature over \(statement.predicateType) statement naming the artifact")
        }
    }

    /// Checks that a log entry's body records exactly this bundle: the same signature, the same
    /// key or certificate, and the same artifact digest (or DSSE payload).
    func checkConsistency(_ entry: TransparencyLogEntry, index: Int, bundle: SigstoreBundle, signer: Signer, artifact: Artifact) throws(VerificationError) {
        let context = "tlogEntries[\(index)]"
        let body: RekorEntryBody
        do {
            body = try RekorEntryBody(canonicalBody: entry.canonicalizedBody, kind: entry.kind, version: entry.version)
        } catch {
            throw VerificationError(.entryMismatch, "\(context): \(error.description)")
        }
        let signerDER: [UInt8]
        switch signer {
        case .certificate: signerDER = bundle.signer.leafCertificate ?? []
        case .publicKey(_, let spki): signerDER = spki
        }
        func mismatch(_ what: String) -> VerificationError {
            VerificationError(
                .entryMismatch, "\(context): expected the \(entry.kind) \(entry.version) entry to record this bundle's \(what), found a different one")
        }
        // Logs store canonical PEM, so compare with it first; decode only what is written otherwise.
        let canonicalPEM = PEM.encode(signerDER, label: signer.pemLabel)
        func verifierMatches(_ pem: String) -> Bool {
            if pem == canonicalPEM { return true }
            guard let blocks = try? PEM.decodeAll(pem, context: context), blocks.count == 1 else { return false }
            return blocks[0].der == signerDER
        }

        switch (body, bundle.content) {
        case (.hashedRekordV001(let record), .messageSignature(let message)):
            guard artifact.digests[record.hashAlgorithm] == record.digest else { throw mismatch("artifact digest") }
            guard record.signature == message.signature else { throw mismatch("signature") }
            guard verifierMatches(record.publicKeyPEM) else { throw mismatch(signerKind(signer)) }
        case (.hashedRekordV002(let record), let content):
            let expectedDigest: [UInt8]?
            let signature: [UInt8]
            switch content {
            case .messageSignature(let message):
                expectedDigest = artifact.digests[record.hashAlgorithm]
                signature = message.signature
            case .dsseEnvelope(let envelope):
                expectedDigest = record.hashAlgorithm.hash(envelope.preAuthenticationEncoding)
                signature = envelope.signatures.first?.signature ?? []
            }
            guard expectedDigest == record.digest else { throw mismatch(content.isDSSE ? "DSSE envelope digest" : "artifact digest") }
            guard record.signature == signature else { throw mismatch("signature") }
            guard record.verifier.der == signerDER else { throw mismatch(signerKind(signer)) }
        case (.dsseV001(let record), .dsseEnvelope(let envelope)):
            guard record.payloadHash.value == record.payloadHash.algorithm.hash(envelope.payload) else { throw mismatch("DSSE payload") }
            guard record.signatures.count == envelope.signatures.count,
                let logged = record.signatures.first, let signature = envelope.signatures.first,
                logged.signature == Base64.encode(signature.signature)
            else { throw mismatch("DSSE signature") }
            guard verifierMatches(logged.verifierPEM) else { throw mismatch(signerKind(signer)) }
        case (.dsseV002(let record), .dsseEnvelope(let envelope)):
            guard record.payloadHash == record.payloadHashAlgorithm.hash(envelope.payload) else { throw mismatch("DSSE payload") }
            guard record.signatures.count == envelope.signatures.count,
                let logged = record.signatures.first, let signature = envelope.signatures.first,
                logged.content == signature.signature
            else { throw mismatch("DSSE signature") }
            guard logged.verifier.der == signerDER else { throw mismatch(signerKind(signer)) }
        case (.inTotoV002(let record), .dsseEnvelope(let envelope)):
            guard record.payloadHash.value == record.payloadHash.algorithm.hash(envelope.payload) else { throw mismatch("DSSE payload") }
            guard record.signatures.count == envelope.signatures.count,
                let logged = record.signatures.first, let signature = envelope.signatures.first,
                logged.signature == signature.signature
            else { throw mismatch("DSSE signature") }
            guard verifierMatches(logged.verifierPEM) else { throw mismatch(signerKind(signer)) }
        case (.hashedRekordV001, .dsseEnvelope), (.dsseV001, .messageSignature), (.dsseV002, .messageSignature), (.inTotoV002, .messageSignature):
            throw VerificationError(
                .entryMismatch,
                "\(context): expected an entry kind for a \(bundle.content.isDSSE ? "DSSE envelope" : "message signature"), found \(entry.kind) \(entry.version)"
            )
        }
    }

    private func signerKind(_ signer: Signer) -> String {
        switch signer {
        case .certificate: "signing certificate"
        case .publicKey: "public key"
        }
    }
}

extension BundleVerifier.Signer {
    /// The PEM label of the signer's material.
    var pemLabel: String {
        switch self {
        case .certificate: "CERTIFICATE"
        case .publicKey: "PUBLIC KEY"
        }
    }
}

extension SigstoreBundle.Content {
    var isDSSE: Bool {
        if case .dsseEnvelope = self { return true }
        return false
    }
}
