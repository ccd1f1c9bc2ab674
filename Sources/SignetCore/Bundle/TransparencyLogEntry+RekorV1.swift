extension TransparencyLogEntry {
    /// The largest Rekor v1 `LogEntry` answer read (one entry with its proof).
    public static let maxRekorV1ResponseBytes = 4 << 20

    /// Reads a Rekor v1 `LogEntry` answer (sigstore/rekor `openapi.yaml`): a one-member object
    /// keyed by the entry ID, holding the base64 body, integrated time, hex log ID, index, SET
    /// and inclusion proof with its checkpoint. Kind and version come from the body.
    public init(rekorV1Response bytes: [UInt8]) throws(FormatError) {
        let context = "logEntry"
        guard case .object(let map) = try JSONParser(maxBytes: Self.maxRekorV1ResponseBytes, maxDepth: 16).parse(bytes, context: context),
            map.members.count == 1,
            case .object(let entry) = map.members[0].value,
            case .string(let bodyText)? = entry["body"], let body = Base64.decode(bodyText),
            case .number(let timeText)? = entry["integratedTime"], let integratedTime = Int64(timeText),
            case .string(let logIDText)? = entry["logID"], let logID = Hex.decode(logIDText),
            case .number(let indexText)? = entry["logIndex"], let logIndex = Int64(indexText),
            case .object(let verification)? = entry["verification"],
            case .string(let setText)? = verification["signedEntryTimestamp"], let set = Base64.decode(setText),
            case .object(let proof)? = verification["inclusionProof"],
            case .string(let checkpoint)? = proof["checkpoint"], case .array(let hashTexts)? = proof["hashes"],
            case .number(let proofIndexText)? = proof["logIndex"], let proofIndex = Int64(proofIndexText),
            case .string(let rootText)? = proof["rootHash"], let rootHash = Hex.decode(rootText),
            case .number(let sizeText)? = proof["treeSize"], let treeSize = Int64(sizeText)
        else {
            throw FormatError(
                .invalidValue, at: context,
                "expected a Rekor v1 LogEntry with body, integratedTime, logID, logIndex, signedEntryTimestamp and inclusionProof, found otherwise")
        }
        var hashes: [[UInt8]] = []
        for value in hashTexts {
            guard case .string(let text) = value, let hash = Hex.decode(text) else {
                throw FormatError(.invalidValue, at: "\(context).verification.inclusionProof.hashes", "expected hex hashes")
            }
            hashes.append(hash)
        }
        guard case .object(let bodyObject) = try JSONParser(maxBytes: Self.maxRekorV1ResponseBytes, maxDepth: 16).parse(body, context: "\(context).body"),
            case .string(let kind)? = bodyObject["kind"], case .string(let version)? = bodyObject["apiVersion"]
        else {
            throw FormatError(.missingField, at: "\(context).body", "expected the entry body to name its kind and apiVersion")
        }
        self.init(
            logIndex: logIndex, logID: logID, kind: kind, version: version, integratedTime: integratedTime, signedEntryTimestamp: set,
            inclusionProof: .init(logIndex: proofIndex, rootHash: rootHash, treeSize: treeSize, hashes: hashes, checkpoint: checkpoint),
            canonicalizedBody: body)
    }
}
