/// A revocation as the server states, signs and logs it: every signature of `name` made from
/// `sourceRepositoryRef` is revoked, by `actor`, at `time`, for `reason`. The server signs the
/// statement's exact bytes (a message signature over their SHA-256 digest, with a certificate
/// its own CA issues to `<server>/signet/revocations`) and appends the signature to the
/// transparency log, so a revocation cannot be dropped or altered unnoticed.
public struct RevocationStatement: Sendable, Hashable {
    public static let mediaType = "application/vnd.signet.revocation+json;version=0.1"
    /// The longest reason accepted, in bytes.
    public static let maxReasonBytes = 1024

    public var id: String
    public var namespace: String
    public var name: ArtifactName
    public var sourceRepositoryRef: String
    public var reason: String
    public var actor: String
    public var time: Timestamp
    /// The statement's own log entry (absent in the signed statement itself; set in exports).
    public var logIndex: Int64?

    public init(
        id: String, namespace: String, name: ArtifactName, sourceRepositoryRef: String, reason: String, actor: String, time: Timestamp, logIndex: Int64? = nil
    ) {
        self.id = id
        self.namespace = namespace
        self.name = name
        self.sourceRepositoryRef = sourceRepositoryRef
        self.reason = reason
        self.actor = actor
        self.time = time
        self.logIndex = logIndex
    }

    /// Whether this revocation covers a signature of `name` whose certificate names
    /// `sourceRepositoryRef`: the one rule of revocation, which verification, the store's
    /// recorded status, listings, the web UI and snapshots all derive from. A revocation covers
    /// every signature of its name made from its ref, whenever the signature was made or
    /// registered; a signature that names no ref is never covered.
    public func covers(name: ArtifactName, sourceRepositoryRef ref: String?) -> Bool {
        guard let ref else { return false }
        return self.name == name && sourceRepositoryRef == ref
    }

    /// The earliest of `revocations` that covers a signature of `name` made from `ref`.
    public static func covering(_ revocations: some Sequence<RevocationStatement>, name: ArtifactName, sourceRepositoryRef ref: String?) -> RevocationStatement?
    {
        revocations.filter { $0.covers(name: name, sourceRepositoryRef: ref) }.min { ($0.time, $0.id) < ($1.time, $1.id) }
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("mediaType", .string(Self.mediaType)), ("id", .string(id)), ("namespace", .string(namespace)), ("name", .string(name.description)),
            ("sourceRepositoryRef", .string(sourceRepositoryRef)), ("reason", .string(reason)), ("actor", .string(actor)), ("time", .string(time.rfc3339)),
        ]
        if let logIndex { members.append(("logIndex", .integer(logIndex))) }
        return .object(JSONObject(members))
    }

    public init(json value: JSONValue, path: String) throws(FormatError) {
        var object = try ProtoJSONObject(value, path: path)
        let mediaType = try object.requiredString("mediaType")
        guard mediaType == Self.mediaType else {
            throw FormatError(.unsupported, at: object.childPath("mediaType"), "expected \(Self.mediaType), found \"\(ProtoJSONObject.preview(mediaType))\"")
        }
        id = try object.requiredString("id")
        namespace = try object.requiredString("namespace")
        do { name = try ArtifactName(parsing: try object.requiredString("name")) } catch {
            throw FormatError(error.code, at: object.childPath("name"), error.reason)
        }
        sourceRepositoryRef = try object.requiredString("sourceRepositoryRef")
        reason = try object.requiredString("reason")
        actor = try object.requiredString("actor")
        let timeText = try object.requiredString("time")
        guard let time = Timestamp(rfc3339: timeText) else {
            throw FormatError(.invalidValue, at: object.childPath("time"), "expected an RFC 3339 time, found \"\(ProtoJSONObject.preview(timeText))\"")
        }
        self.time = time
        logIndex = try object.int64("logIndex")
        try object.finish()
    }
}

/// Every revocation a server knows at one time, signed by it for verification without the
/// server (`signet revocations export`, then `signet artifact verify --offline`). The file
/// holds the snapshot's exact bytes and the Sigstore bundle of the server's signature over
/// them (`<server>/signet/revocations`, issuer `<server>`), logged like any signature.
public struct RevocationSnapshot: Sendable, Hashable {
    public static let mediaType = "application/vnd.signet.revocations+json;version=0.1"
    /// The largest exported file accepted, in bytes.
    public static let maxBytes = 64 << 20

    /// The server's public URL: the certificate's issuer, and its identity's prefix.
    public var server: String
    public var time: Timestamp
    public var revocations: [RevocationStatement]

    public init(server: String, time: Timestamp, revocations: [RevocationStatement]) {
        self.server = server
        self.time = time
        self.revocations = revocations
    }

    /// The identity the server's statements are certified to: `<server>/signet/revocations`.
    public static func signerIdentity(server: String) -> String {
        (server.hasSuffix("/") ? String(server.dropLast()) : server) + "/signet/revocations"
    }

    public var json: JSONValue {
        .object(
            JSONObject([
                ("mediaType", .string(Self.mediaType)), ("server", .string(server)), ("time", .string(time.rfc3339)),
                ("revocations", .array(revocations.map(\.json))),
            ]))
    }

    public init(jsonBytes bytes: [UInt8]) throws(FormatError) {
        var object = try ProtoJSONObject(try JSONParser(maxBytes: Self.maxBytes, maxDepth: 8).parse(bytes, context: "snapshot"), path: "snapshot")
        let mediaType = try object.requiredString("mediaType")
        guard mediaType == Self.mediaType else {
            throw FormatError(.unsupported, at: object.childPath("mediaType"), "expected \(Self.mediaType), found \"\(ProtoJSONObject.preview(mediaType))\"")
        }
        server = try object.requiredString("server")
        let timeText = try object.requiredString("time")
        guard let time = Timestamp(rfc3339: timeText) else {
            throw FormatError(.invalidValue, at: object.childPath("time"), "expected an RFC 3339 time, found \"\(ProtoJSONObject.preview(timeText))\"")
        }
        self.time = time
        revocations = try object.array("revocations").map { (value, path) throws(FormatError) in try RevocationStatement(json: value, path: path) }
        try object.finish()
    }

    /// The exported file: the snapshot's bytes (base64) and the bundle that signs them.
    public struct Signed: Sendable {
        public var snapshotBytes: [UInt8]
        public var bundle: SigstoreBundle

        public init(snapshotBytes: [UInt8], bundle: SigstoreBundle) {
            self.snapshotBytes = snapshotBytes
            self.bundle = bundle
        }

        public var json: JSONValue {
            .object(JSONObject([("snapshot", .string(Base64.encode(snapshotBytes))), ("bundle", bundle.json)]))
        }

        public init(jsonBytes bytes: [UInt8]) throws(FormatError) {
            var object = try ProtoJSONObject(
                try JSONParser(maxBytes: RevocationSnapshot.maxBytes, maxDepth: 32).parse(bytes, context: "revocations"), path: "revocations")
            snapshotBytes = try object.requiredBytes("snapshot")
            bundle = try SigstoreBundle(json: try object.required("bundle"))
            try object.finish()
        }
    }
}
