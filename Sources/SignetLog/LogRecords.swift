import SignetCore

/// A log entry as stored: what every log response is built from.
public struct LogEntryRecord: Sendable, Hashable {
    public var index: Int64
    /// The canonical body, the leaf's data.
    public var body: [UInt8]
    public var kind: String
    public var version: String
    /// Seconds since the epoch; 0 for Rekor v2 kinds, which carry no log time.
    public var integratedTime: Int64

    public init(index: Int64, body: [UInt8], kind: String, version: String, integratedTime: Int64) {
        self.index = index
        self.body = body
        self.kind = kind
        self.version = version
        self.integratedTime = integratedTime
    }
}

/// A signed checkpoint as stored: one tree head and one signed note per log key (a Rekor v1
/// note, origin `host - treeID` with the ECDSA key; a Rekor v2 note, origin `host` with the
/// Ed25519 key), all over the same tree.
public struct CheckpointRecord: Sendable, Hashable {
    public var size: Int64
    public var rootHash: [UInt8]
    /// Serialized signed notes by the signing log's ID.
    public var notes: [[UInt8]: String]

    public init(size: Int64, rootHash: [UInt8], notes: [[UInt8]: String]) {
        self.size = size
        self.rootHash = rootHash
        self.notes = notes
    }
}

/// An entry to append, in its canonical form.
public struct NewLogEntry: Sendable {
    /// The largest canonical body a log holds: C2SP tlog-tiles entry bundles prefix each
    /// entry with a 16-bit length.
    public static let maxCanonicalBytes = 0xFFFF

    public var canonicalBody: [UInt8]
    public var kind: String
    public var version: String
    public var integratedTime: Int64
    /// The keys the entry is found under by search (see ``EntryIndex``).
    public var indexKeys: [String]

    public init(body: RekorEntryBody, indexKeys: [String], integratedTime: Int64) throws {
        self.canonicalBody = try body.canonicalBytes()
        (self.kind, self.version) = body.kindVersion
        self.integratedTime = integratedTime
        self.indexKeys = indexKeys
    }

    /// The RFC 6962 leaf hash of the canonical body.
    public var leafHash: [UInt8] { Merkle.leafHash(canonicalBody) }
}
