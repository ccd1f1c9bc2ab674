/// A transparency log entry as carried in a bundle (`TransparencyLogEntry`,
/// sigstore_rekor.proto): the canonical body, where it sits in the log, and the log's proofs.
public struct TransparencyLogEntry: Sendable, Hashable {
    /// Rekor v1: the global index (signed by the SET). Rekor v2: the index in the shard.
    public var logIndex: Int64
    /// Rekor v1: SHA-256 of the log key's SPKI. Rekor v2: the checkpoint key ID.
    public var logID: [UInt8]
    public var kind: String
    public var version: String
    /// Seconds since 1970; meaningful only with an inclusion promise.
    public var integratedTime: Int64
    /// The signed entry timestamp (Rekor v1 only).
    public var signedEntryTimestamp: [UInt8]?
    public var inclusionProof: InclusionProof?
    /// The exact bytes hashed into the Merkle leaf.
    public var canonicalizedBody: [UInt8]

    public init(
        logIndex: Int64, logID: [UInt8], kind: String, version: String, integratedTime: Int64,
        signedEntryTimestamp: [UInt8]?, inclusionProof: InclusionProof?, canonicalizedBody: [UInt8]
    ) {
        self.logIndex = logIndex
        self.logID = logID
        self.kind = kind
        self.version = version
        self.integratedTime = integratedTime
        self.signedEntryTimestamp = signedEntryTimestamp
        self.inclusionProof = inclusionProof
        self.canonicalizedBody = canonicalizedBody
    }

    /// An RFC 9162 inclusion proof with the checkpoint it leads to.
    public struct InclusionProof: Sendable, Hashable {
        /// The leaf's index in the tree the proof is for (Rekor v1: shard-local).
        public var logIndex: Int64
        public var rootHash: [UInt8]
        public var treeSize: Int64
        public var hashes: [[UInt8]]
        /// The signed note text of the checkpoint; nil when the bundle has none (v0.1).
        public var checkpoint: String?

        public init(logIndex: Int64, rootHash: [UInt8], treeSize: Int64, hashes: [[UInt8]], checkpoint: String?) {
            self.logIndex = logIndex
            self.rootHash = rootHash
            self.treeSize = treeSize
            self.hashes = hashes
            self.checkpoint = checkpoint
        }
    }

    public init(json value: JSONValue, path: String) throws(FormatError) {
        var object = try ProtoJSONObject(value, path: path)
        logIndex = try object.int64("logIndex") ?? 0
        var logIDObject = try object.requiredMessage("logId")
        logID = try logIDObject.requiredBytes("keyId")
        try logIDObject.finish()
        var kindVersion = try object.requiredMessage("kindVersion")
        kind = try kindVersion.requiredString("kind")
        version = try kindVersion.requiredString("version")
        try kindVersion.finish()
        integratedTime = try object.int64("integratedTime") ?? 0
        if var promise = try object.message("inclusionPromise") {
            signedEntryTimestamp = try promise.requiredBytes("signedEntryTimestamp")
            try promise.finish()
        } else {
            signedEntryTimestamp = nil
        }
        if var proof = try object.message("inclusionProof") {
            let proofIndex = try proof.int64("logIndex") ?? 0
            let rootHash = try proof.requiredBytes("rootHash")
            let treeSize = try proof.int64("treeSize") ?? 0
            var hashes: [[UInt8]] = []
            for (element, elementPath) in try proof.array("hashes") {
                guard case .string(let text) = element, let hash = Base64.decode(text) else {
                    throw FormatError(.syntax, at: elementPath, "expected a base64 hash, found \(element.typeName)")
                }
                hashes.append(hash)
            }
            var checkpoint: String?
            if var checkpointObject = try proof.message("checkpoint") {
                checkpoint = try checkpointObject.requiredString("envelope")
                try checkpointObject.finish()
            }
            try proof.finish()
            inclusionProof = InclusionProof(logIndex: proofIndex, rootHash: rootHash, treeSize: treeSize, hashes: hashes, checkpoint: checkpoint)
        } else {
            inclusionProof = nil
        }
        canonicalizedBody = try object.requiredBytes("canonicalizedBody")
        try object.finish()
        guard logIndex >= 0 else {
            throw FormatError(.invalidValue, at: "\(path).logIndex", "expected a non-negative log index, found \(logIndex)")
        }
        if let proof = inclusionProof {
            guard proof.logIndex >= 0, proof.treeSize >= 0 else {
                throw FormatError(
                    .invalidValue, at: "\(path).inclusionProof", "expected a non-negative index and tree size, found \(proof.logIndex) and \(proof.treeSize)")
            }
        }
        guard integratedTime >= 0 else {
            throw FormatError(.invalidValue, at: "\(path).integratedTime", "expected a non-negative time, found \(integratedTime)")
        }
    }

    /// The protobuf-JSON form (64-bit integers as strings, bytes as base64).
    public var json: JSONValue {
        var object = JSONObject([
            ("logIndex", .string(String(logIndex))),
            ("logId", .object(JSONObject([("keyId", .string(Base64.encode(logID)))]))),
            ("kindVersion", .object(JSONObject([("kind", .string(kind)), ("version", .string(version))]))),
        ])
        if signedEntryTimestamp != nil || integratedTime != 0 {
            object["integratedTime"] = .string(String(integratedTime))
        }
        if let signedEntryTimestamp {
            object["inclusionPromise"] = .object(JSONObject([("signedEntryTimestamp", .string(Base64.encode(signedEntryTimestamp)))]))
        }
        if let proof = inclusionProof {
            var proofObject = JSONObject([
                ("logIndex", .string(String(proof.logIndex))),
                ("rootHash", .string(Base64.encode(proof.rootHash))),
                ("treeSize", .string(String(proof.treeSize))),
                ("hashes", .array(proof.hashes.map { .string(Base64.encode($0)) })),
            ])
            if let checkpoint = proof.checkpoint {
                proofObject["checkpoint"] = .object(JSONObject([("envelope", .string(checkpoint))]))
            }
            object["inclusionProof"] = .object(proofObject)
        }
        object["canonicalizedBody"] = .string(Base64.encode(canonicalizedBody))
        return .object(object)
    }
}
