/// The trust anchors a verifier accepts (`TrustedRoot`, sigstore_trustroot.proto): transparency
/// logs, certificate authorities, certificate-transparency logs and timestamp authorities, each
/// with the closed time range in which it may be trusted (`validFor`; absent means always).
public struct TrustedRoot: Sendable, Hashable {
    /// The media type Signet writes; the one every Sigstore client accepts.
    public static let mediaType01 = "application/vnd.dev.sigstore.trustedroot+json;version=0.1"
    static let acceptedMediaTypes: Set<String> = [
        mediaType01,
        "application/vnd.dev.sigstore.trustedroot.v0.1+json",
        "application/vnd.dev.sigstore.trustedroot.v0.2+json",
    ]

    /// A transparency log or CT log key (`TransparencyLogInstance`).
    public struct LogInstance: Sendable, Hashable {
        public var baseURL: String
        public var hashAlgorithm: HashAlgorithm
        /// DER SubjectPublicKeyInfo of the log key.
        public var publicKey: [UInt8]
        public var keyDetails: String
        public var validFor: TimeRange
        public var logID: [UInt8]
        public var checkpointKeyID: [UInt8]?

        public init(
            baseURL: String, hashAlgorithm: HashAlgorithm = .sha256, publicKey: [UInt8], keyDetails: String, validFor: TimeRange, logID: [UInt8],
            checkpointKeyID: [UInt8]? = nil
        ) {
            self.baseURL = baseURL
            self.hashAlgorithm = hashAlgorithm
            self.publicKey = publicKey
            self.keyDetails = keyDetails
            self.validFor = validFor
            self.logID = logID
            self.checkpointKeyID = checkpointKeyID
        }
    }

    /// A certificate authority or timestamp authority (`CertificateAuthority`).
    public struct Authority: Sendable, Hashable {
        public var organization: String
        public var commonName: String
        public var uri: String
        /// DER certificates, leaf-most first, trust anchor last.
        public var certificateChain: [[UInt8]]
        public var validFor: TimeRange

        public init(organization: String, commonName: String, uri: String, certificateChain: [[UInt8]], validFor: TimeRange) {
            self.organization = organization
            self.commonName = commonName
            self.uri = uri
            self.certificateChain = certificateChain
            self.validFor = validFor
        }
    }

    public var tlogs: [LogInstance]
    public var certificateAuthorities: [Authority]
    public var ctlogs: [LogInstance]
    public var timestampAuthorities: [Authority]

    public init(tlogs: [LogInstance], certificateAuthorities: [Authority], ctlogs: [LogInstance], timestampAuthorities: [Authority]) {
        self.tlogs = tlogs
        self.certificateAuthorities = certificateAuthorities
        self.ctlogs = ctlogs
        self.timestampAuthorities = timestampAuthorities
    }

    public static let maxBytes = 4 << 20

    public init(jsonBytes bytes: some Collection<UInt8>) throws(FormatError) {
        try self.init(json: try JSONParser(maxBytes: Self.maxBytes).parse(bytes, context: "trustedRoot"), path: "trustedRoot")
    }

    public init(json value: JSONValue, path: String) throws(FormatError) {
        var object = try ProtoJSONObject(value, path: path)
        let mediaType = try object.requiredString("mediaType")
        guard Self.acceptedMediaTypes.contains(mediaType) else {
            throw FormatError(
                .unsupported, at: object.childPath("mediaType"), "expected \(Self.mediaType01), found \"\(ProtoJSONObject.preview(mediaType, limit: 80))\"")
        }
        tlogs = try Self.logs(&object, "tlogs")
        certificateAuthorities = try Self.authorities(&object, "certificateAuthorities")
        ctlogs = try Self.logs(&object, "ctlogs")
        timestampAuthorities = try Self.authorities(&object, "timestampAuthorities")
        try object.finish()
    }

    private static func logs(_ object: inout ProtoJSONObject, _ name: String) throws(FormatError) -> [LogInstance] {
        var result: [LogInstance] = []
        for (element, path) in try object.array(name) {
            var log = try ProtoJSONObject(element, path: path)
            let baseURL = try log.requiredString("baseUrl")
            let hashName = try log.requiredString("hashAlgorithm")
            guard let hash = HashAlgorithm(rawValue: hashName) else {
                throw FormatError(.unsupported, at: log.childPath("hashAlgorithm"), "expected SHA2_256, found \"\(ProtoJSONObject.preview(hashName))\"")
            }
            var key = try log.requiredMessage("publicKey")
            let rawBytes = try key.requiredBytes("rawBytes")
            let keyDetails = try key.requiredString("keyDetails")
            let validFor = try timeRange(&key)
            try key.finish()
            var logID = try log.requiredMessage("logId")
            let keyID = try logID.requiredBytes("keyId")
            try logID.finish()
            var checkpointKeyID: [UInt8]?
            if var checkpoint = try log.message("checkpointKeyId") {
                checkpointKeyID = try checkpoint.requiredBytes("keyId")
                try checkpoint.finish()
            }
            _ = try log.string("operator")
            try log.finish()
            result.append(
                LogInstance(
                    baseURL: baseURL, hashAlgorithm: hash, publicKey: rawBytes, keyDetails: keyDetails, validFor: validFor, logID: keyID,
                    checkpointKeyID: checkpointKeyID))
        }
        return result
    }

    private static func authorities(_ object: inout ProtoJSONObject, _ name: String) throws(FormatError) -> [Authority] {
        var result: [Authority] = []
        for (element, path) in try object.array(name) {
            var authority = try ProtoJSONObject(element, path: path)
            var organization = ""
            var commonName = ""
            if var subject = try authority.message("subject") {
                organization = try subject.string("organization") ?? ""
                commonName = try subject.string("commonName") ?? ""
                try subject.finish()
            }
            let uri = try authority.string("uri") ?? ""
            var chainObject = try authority.requiredMessage("certChain")
            var chain: [[UInt8]] = []
            for (certificate, certificatePath) in try chainObject.array("certificates") {
                var entry = try ProtoJSONObject(certificate, path: certificatePath)
                chain.append(try entry.requiredBytes("rawBytes"))
                try entry.finish()
            }
            try chainObject.finish()
            guard !chain.isEmpty else {
                throw FormatError(.missingField, at: chainObject.path, "expected at least one certificate, found none")
            }
            let validFor = try timeRange(&authority)
            _ = try authority.string("operator")
            try authority.finish()
            result.append(Authority(organization: organization, commonName: commonName, uri: uri, certificateChain: chain, validFor: validFor))
        }
        return result
    }

    /// Reads `validFor` (`TimeRange`, sigstore_common.proto). The specs make it optional: an
    /// entry without it is trusted at every time. When present, its `start` is required (as
    /// sigstore-go requires it), since a range that names an end but lost its start is more
    /// likely damaged than meant to trust a key for all of history; an absent `end` is open.
    static func timeRange(_ object: inout ProtoJSONObject) throws(FormatError) -> TimeRange {
        guard var range = try object.message("validFor") else { return .unbounded }
        guard let start = try range.timestamp("start") else {
            throw FormatError(.missingField, at: range.path, "expected a start time, found none")
        }
        let end = try range.timestamp("end")
        try range.finish()
        if let end, end < start {
            throw FormatError(.invalidValue, at: range.path, "expected end (\(end)) at or after start (\(start))")
        }
        return TimeRange(start: start, end: end)
    }

    /// The `validFor` member of `range`, or nil for an unbounded range (written without it).
    /// A range with an end but no start is written from the first RFC 3339 time, which admits
    /// the same times and reads back.
    static func timeRangeJSON(_ range: TimeRange) -> JSONValue? {
        guard range.start != nil || range.end != nil else { return nil }
        let start = range.start ?? Timestamp(seconds: Timestamp.rfc3339Seconds.lowerBound)
        var object = JSONObject([("start", .string(start.rfc3339))])
        if let end = range.end { object["end"] = .string(end.rfc3339) }
        return .object(object)
    }

    /// The protobuf-JSON form with the 0.1 media type and all four arrays present.
    public var json: JSONValue {
        func log(_ log: LogInstance) -> JSONValue {
            var publicKey = JSONObject([
                ("rawBytes", .string(Base64.encode(log.publicKey))),
                ("keyDetails", .string(log.keyDetails)),
            ])
            publicKey["validFor"] = Self.timeRangeJSON(log.validFor)
            var object = JSONObject([
                ("baseUrl", .string(log.baseURL)),
                ("hashAlgorithm", .string(log.hashAlgorithm.rawValue)),
                ("publicKey", .object(publicKey)),
                ("logId", .object(JSONObject([("keyId", .string(Base64.encode(log.logID)))]))),
            ])
            if let checkpointKeyID = log.checkpointKeyID {
                object["checkpointKeyId"] = .object(JSONObject([("keyId", .string(Base64.encode(checkpointKeyID)))]))
            }
            return .object(object)
        }
        func authority(_ authority: Authority) -> JSONValue {
            var object = JSONObject([
                ("subject", .object(JSONObject([("organization", .string(authority.organization)), ("commonName", .string(authority.commonName))]))),
                ("uri", .string(authority.uri)),
                (
                    "certChain",
                    .object(
                        JSONObject([
                            (
                                "certificates",
                                .array(
                                    authority.certificateChain.map {
                                        .object(JSONObject([("rawBytes", .string(Base64.encode($0)))]))
                                    })
                            )
                        ]))
                ),
            ])
            object["validFor"] = Self.timeRangeJSON(authority.validFor)
            return .object(object)
        }
        return .object(
            JSONObject([
                ("mediaType", .string(Self.mediaType01)),
                ("tlogs", .array(tlogs.map(log))),
                ("certificateAuthorities", .array(certificateAuthorities.map(authority))),
                ("ctlogs", .array(ctlogs.map(log))),
                ("timestampAuthorities", .array(timestampAuthorities.map(authority))),
            ]))
    }
}
