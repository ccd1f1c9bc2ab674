import SignetCore

extension BundleVerifier {
    /// Verifies each log entry's inclusion proof and checkpoint against its log in the trusted
    /// root. v0.1 bundles may rely on the signed entry timestamp alone; later versions need
    /// an inclusion proof with a checkpoint.
    func verifyLogEntries(_ bundle: SigstoreBundle, times: [(source: String, time: Timestamp)]) throws(VerificationError) -> [(log: String, index: Int64)] {
        var verified: [(String, Int64)] = []
        for (index, entry) in bundle.tlogEntries.enumerated() {
            let context = "tlogEntries[\(index)]"
            guard let log = trust.transparencyLog(id: entry.logID) else {
                throw VerificationError(
                    .transparencyLogInvalid, "\(context): expected a log of the trusted root, found log ID \(Hex.encode(entry.logID)) that it does not list")
            }
            let key = try log.verificationKey(context: context)
            let isRekorV2Entry = entry.kind == "hashedrekord" && entry.version == "0.0.2"
            if isRekorV2Entry && entry.signedEntryTimestamp != nil {
                throw VerificationError(
                    .transparencyLogInvalid, "\(context): expected no inclusion promise on a \(entry.kind) \(entry.version) entry, found one")
            }
            if entry.signedEntryTimestamp == nil {
                for (source, time) in times where source == "rfc3161" && !log.info.validFor.contains(time) {
                    throw VerificationError(
                        .transparencyLogInvalid,
                        "\(context): expected the signing time \(time) within the validity of log \(log.info.baseURL) \(log.info.validFor.description)")
                }
            }
            guard let proof = entry.inclusionProof else {
                if bundle.version == .v0_1 && entry.signedEntryTimestamp != nil {
                    verified.append((log.info.baseURL, entry.logIndex))
                    continue
                }
                throw VerificationError(
                    .transparencyLogInvalid, "\(context): expected an inclusion proof with a checkpoint (required from bundle v0.2 on), found none")
            }
            if isRekorV2Entry && proof.logIndex != entry.logIndex {
                throw VerificationError(
                    .transparencyLogInvalid, "\(context): expected the inclusion proof's index \(proof.logIndex) to equal the entry's index \(entry.logIndex)")
            }
            if let checkpointText = proof.checkpoint {
                try verifyCheckpoint(checkpointText, proof: proof, log: log, key: key, context: context)
            } else if bundle.version != .v0_1 {
                throw VerificationError(
                    .transparencyLogInvalid, "\(context): expected a checkpoint in the inclusion proof (required from bundle v0.2 on), found none")
            }
            do {
                try Merkle.verifyInclusion(
                    index: proof.logIndex, size: proof.treeSize, leafHash: Merkle.leafHash(entry.canonicalizedBody), proof: proof.hashes,
                    rootHash: proof.rootHash)
            } catch {
                throw VerificationError(
                    .transparencyLogInvalid, "\(context): inclusion proof of entry \(proof.logIndex) in a tree of \(proof.treeSize) does not verify: \(error)")
            }
            verified.append((log.info.baseURL, entry.logIndex))
        }
        return verified
    }

    /// Verifies that a checkpoint is signed by the log and commits to the proof's root and size.
    /// Signatures by other keys (witnesses, other logs) are ignored; at least one line must be
    /// by the log's key and verify.
    private func verifyCheckpoint(_ text: String, proof: TransparencyLogEntry.InclusionProof, log: TrustMaterial.Log, key: VerificationKey, context: String)
        throws(VerificationError)
    {
        let note: SignedNote
        let checkpoint: Checkpoint
        do {
            note = try SignedNote(parsing: text, context: "\(context).checkpoint")
            checkpoint = try Checkpoint(text: note.text, context: "\(context).checkpoint")
        } catch {
            throw VerificationError(.checkpointInvalid, error.description)
        }
        let expectedHint = log.checkpointKeyHint
        let signedByLog = note.signatures.contains { signature in
            guard signature.keyHint == expectedHint else { return false }
            let keyHint: [UInt8]
            switch key {
            case .ed25519(let edKey):
                // The Ed25519 key ID commits to the key name.
                keyHint = Array(SignedNote.ed25519KeyID(name: signature.name, rawKey: Array(edKey.rawRepresentation)).prefix(4))
            default:
                // The ECDSA key ID does not, so the name is unauthenticated: Rekor v1 deployments
                // use their host name, which need not be the base URL's (sigstore-python and
                // sigstore-go do not check it either). Only the key hint and signature count.
                keyHint = log.ecdsaKeyHint
            }
            return keyHint == signature.keyHint && note.isValid(signature, key: key)
        }
        guard signedByLog else {
            throw VerificationError(
                .checkpointInvalid,
                "\(context): expected a checkpoint signature by \(log.info.baseURL) (key hint \(Hex.encode(expectedHint))), found none that verifies among \(note.signatures.count) signature line(s)"
            )
        }
        guard checkpoint.rootHash == proof.rootHash else {
            throw VerificationError(
                .checkpointInvalid,
                "\(context): expected the checkpoint's root hash to equal the inclusion proof's \(Hex.encode(proof.rootHash)), found \(Hex.encode(checkpoint.rootHash))"
            )
        }
        guard checkpoint.size == proof.treeSize else {
            throw VerificationError(
                .checkpointInvalid, "\(context): expected the checkpoint's tree size to equal the inclusion proof's \(proof.treeSize), found \(checkpoint.size)"
            )
        }
    }
}
