import SignetCore

/// The signing half of a transparency log: checkpoints as C2SP signed notes
/// (c2sp.org/tlog-checkpoint) and, for Rekor v1 compatibility, signed entry timestamps.
public struct LogSigner: Sendable {
    /// Which Sigstore log API the checkpoints and IDs follow.
    public enum Style: Sendable, Hashable {
        /// Rekor v1: origin `"<host> - <treeID>"`, key name `<host>`, ECDSA key, SETs, log ID
        /// SHA-256 of the key's SPKI.
        case rekorV1(treeID: Int64)
        /// Rekor v2: origin and key name `<host>`, log ID the full C2SP key ID; no SETs.
        case rekorV2
    }

    public let signer: any Signer
    public let hostName: String
    public let style: Style
    /// The ID bundles carry in `logId.keyId`.
    public let logID: [UInt8]

    public init(signer: any Signer, hostName: String, style: Style) throws {
        guard !hostName.isEmpty, !hostName.contains(where: { $0 == " " || $0 == "\n" || $0 == "+" }) else {
            throw LogEntryError(.invalidEntry, "expected a log host name without spaces, newlines or '+', found \"\(ProtoJSONObject.preview(hostName))\"")
        }
        if case .rekorV1 = style, signer.algorithm == .ed25519 {
            throw LogEntryError(.unsupported, "expected an ECDSA key for a Rekor v1 log (its SETs are ECDSA), found Ed25519")
        }
        self.signer = signer
        self.hostName = hostName
        self.style = style
        if signer.algorithm == .ed25519, let raw = Ed25519PublicKey.rawKey(spki: signer.publicKeySPKI) {
            logID = SignedNote.ed25519KeyID(name: hostName, rawKey: raw)
        } else {
            logID = SignedNote.ecdsaKeyID(spki: signer.publicKeySPKI)
        }
    }

    /// The checkpoint origin line.
    public var origin: String {
        switch style {
        case .rekorV1(let treeID): "\(hostName) - \(treeID)"
        case .rekorV2: hostName
        }
    }

    /// A signed checkpoint for a tree of `size` leaves with root `rootHash`.
    public func signCheckpoint(size: Int64, rootHash: [UInt8]) async throws -> SignedNote {
        let text = Checkpoint(origin: origin, size: size, rootHash: rootHash).text
        let signature = try await signer.sign(Array(text.utf8))
        return SignedNote(text: text, signatures: [.init(name: hostName, keyHint: Array(logID.prefix(4)), signature: signature)])
    }

    /// The Rekor v1 signed entry timestamp for an entry (see ``SignedEntryTimestamp``).
    public func signedEntryTimestamp(body: [UInt8], integratedTime: Int64, logIndex: Int64) async throws -> [UInt8] {
        try await signer.sign(SignedEntryTimestamp.payload(body: body, integratedTime: integratedTime, logID: logID, logIndex: logIndex))
    }

    /// The first 16 hex digits of Rekor's 80-hex entry IDs: the tree ID, zero-padded. The
    /// other 64 are the entry UUID, the hex of its leaf hash (sigstore/rekor `pkg/sharding`).
    public static func entryIDPrefix(treeID: Int64) -> String {
        let treeHex = String(UInt64(bitPattern: treeID), radix: 16)
        return String(repeating: "0", count: max(0, 16 - treeHex.count)) + treeHex
    }

    /// An entry's 80-hex Rekor entry ID in tree `treeID`.
    public static func entryID(_ entry: TransparencyLogEntry, treeID: Int64) -> String {
        entryIDPrefix(treeID: treeID) + Hex.encode(Merkle.leafHash(entry.canonicalizedBody))
    }

    /// The Rekor v1 `LogEntry` response for an entry: a one-member object keyed by its
    /// ``entryID(_:treeID:)``, with `logID`, `rootHash` and `hashes` in hex and integers as
    /// JSON numbers (sigstore/rekor `openapi.yaml`).
    public static func rekorV1Response(_ entry: TransparencyLogEntry, entryID: String) -> [UInt8] {
        var verification = JSONObject()
        if let proof = entry.inclusionProof {
            var proofObject = JSONObject([
                ("hashes", .array(proof.hashes.map { .string(Hex.encode($0)) })),
                ("logIndex", .integer(proof.logIndex)),
                ("rootHash", .string(Hex.encode(proof.rootHash))),
                ("treeSize", .integer(proof.treeSize)),
            ])
            if let checkpoint = proof.checkpoint { proofObject["checkpoint"] = .string(checkpoint) }
            verification["inclusionProof"] = .object(proofObject)
        }
        if let set = entry.signedEntryTimestamp { verification["signedEntryTimestamp"] = .string(Base64.encode(set)) }
        return JSONValue.object(
            JSONObject([
                (
                    entryID,
                    .object(
                        JSONObject([
                            ("body", .string(Base64.encode(entry.canonicalizedBody))),
                            ("integratedTime", .integer(entry.integratedTime)),
                            ("logID", .string(Hex.encode(entry.logID))),
                            ("logIndex", .integer(entry.logIndex)),
                            ("verification", .object(verification)),
                        ]))
                )
            ])
        ).compactBytes()
    }
}
