/// A Sigstore bundle (sigstore_bundle.proto): a signature or DSSE envelope with everything needed
/// to verify it offline. Versions 0.1, 0.2 and 0.3 are read (both v0.3 media-type spellings);
/// 0.3 is written.
public struct SigstoreBundle: Sendable, Hashable {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The cases spell the bundle versions as the specification writes them.
    public enum Version: String, Sendable, Hashable {
        case v0_1 = "0.1"
        case v0_2 = "0.2"
        case v0_3 = "0.3"
    }

    /// The media type Signet writes.
    public static let mediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json"

    /// The version a media type names, or nil if Signet does not support it.
    public static func version(ofMediaType mediaType: String) -> Version? {
        switch mediaType {
        case "application/vnd.dev.sigstore.bundle+json;version=0.1": .v0_1
        case "application/vnd.dev.sigstore.bundle+json;version=0.2": .v0_2
        case "application/vnd.dev.sigstore.bundle+json;version=0.3", mediaTypeV03: .v0_3
        default: nil
        }
    }

    /// How the signer is identified.
    public enum SignerMaterial: Sendable, Hashable {
        /// A key known to the verifier out of band (a "managed" key); `hint` names it.
        case publicKey(hint: String?)
        /// DER certificates, leaf first (v0.1 and v0.2).
        case certificateChain([[UInt8]])
        /// The DER leaf certificate (v0.3).
        case certificate([UInt8])

        /// The DER leaf certificate, if any.
        public var leafCertificate: [UInt8]? {
            switch self {
            case .publicKey: nil
            case .certificateChain(let chain): chain.first
            case .certificate(let leaf): leaf
            }
        }
    }

    /// A signature over a message digest (`MessageSignature`).
    public struct MessageSignature: Sendable, Hashable {
        /// The digest the signer claims; informational, never trusted on its own.
        public var messageDigest: (algorithm: HashAlgorithm, digest: [UInt8])?
        public var signature: [UInt8]

        public init(messageDigest: (algorithm: HashAlgorithm, digest: [UInt8])?, signature: [UInt8]) {
            self.messageDigest = messageDigest
            self.signature = signature
        }

        public static func == (lhs: MessageSignature, rhs: MessageSignature) -> Bool {
            lhs.signature == rhs.signature && lhs.messageDigest?.algorithm == rhs.messageDigest?.algorithm
                && lhs.messageDigest?.digest == rhs.messageDigest?.digest
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(signature)
            hasher.combine(messageDigest?.digest)
        }
    }

    public enum Content: Sendable, Hashable {
        case messageSignature(MessageSignature)
        case dsseEnvelope(DSSEEnvelope)

        /// The signature bytes an RFC 3161 timestamp covers.
        public var signatureBytes: [UInt8] {
            switch self {
            case .messageSignature(let message): message.signature
            case .dsseEnvelope(let envelope): envelope.signatures.first?.signature ?? []
            }
        }
    }

    public var mediaType: String
    public var version: Version
    public var signer: SignerMaterial
    public var tlogEntries: [TransparencyLogEntry]
    /// Each a DER `TimeStampResp` (RFC 3161 §2.4.2).
    public var rfc3161Timestamps: [[UInt8]]
    public var content: Content

    public init(signer: SignerMaterial, tlogEntries: [TransparencyLogEntry], rfc3161Timestamps: [[UInt8]], content: Content) {
        self.mediaType = Self.mediaTypeV03
        self.version = .v0_3
        self.signer = signer
        self.tlogEntries = tlogEntries
        self.rfc3161Timestamps = rfc3161Timestamps
        self.content = content
    }

    /// The largest bundle Signet reads: an attestation whose statement holds a 16 MiB predicate
    /// (base64 in its envelope) fits; junk beyond is refused fast.
    public static let maxBytes = 24 << 20

    /// Parses a bundle from JSON bytes, refusing unknown members, unknown media types and
    /// material that does not fit the bundle's version.
    public init(jsonBytes bytes: some Collection<UInt8>) throws(FormatError) {
        try self.init(json: try JSONParser(maxBytes: Self.maxBytes).parse(bytes, context: "bundle"))
    }

    public init(json value: JSONValue) throws(FormatError) {
        var object = try ProtoJSONObject(value, path: "bundle")
        mediaType = try object.requiredString("mediaType")
        guard let version = Self.version(ofMediaType: mediaType) else {
            throw FormatError(
                .unsupported, at: "bundle.mediaType",
                "expected a Sigstore bundle media type of version 0.1, 0.2 or 0.3, found \"\(ProtoJSONObject.preview(mediaType, limit: 80))\"")
        }
        self.version = version

        var material = try object.requiredMessage("verificationMaterial")
        let publicKey = try material.message("publicKey")
        let chain = try material.message("x509CertificateChain")
        let certificate = try material.message("certificate")
        let present = [publicKey != nil, chain != nil, certificate != nil].filter { $0 }.count
        guard present == 1 else {
            throw FormatError(.invalidValue, at: material.path, "expected exactly one of publicKey, x509CertificateChain and certificate, found \(present)")
        }
        if var publicKey {
            signer = .publicKey(hint: try publicKey.string("hint"))
            try publicKey.finish()
        } else if var chain {
            var certificates: [[UInt8]] = []
            for (element, elementPath) in try chain.array("certificates") {
                var entry = try ProtoJSONObject(element, path: elementPath)
                certificates.append(try entry.requiredBytes("rawBytes"))
                try entry.finish()
            }
            try chain.finish()
            guard !certificates.isEmpty else {
                throw FormatError(.missingField, at: chain.path, "expected at least one certificate, found an empty chain")
            }
            signer = .certificateChain(certificates)
        } else if var certificate {
            signer = .certificate(try certificate.requiredBytes("rawBytes"))
            try certificate.finish()
        } else {
            preconditionFailure("exactly one signer material was checked above")
        }
        if version == .v0_3, case .certificateChain = signer {
            throw FormatError(.invalidValue, at: material.path, "expected a single certificate in a v0.3 bundle, found x509CertificateChain")
        }

        tlogEntries = []
        for (element, elementPath) in try material.array("tlogEntries") {
            tlogEntries.append(try TransparencyLogEntry(json: element, path: elementPath))
        }
        rfc3161Timestamps = []
        if var timestampData = try material.message("timestampVerificationData") {
            for (element, elementPath) in try timestampData.array("rfc3161Timestamps") {
                var timestamp = try ProtoJSONObject(element, path: elementPath)
                rfc3161Timestamps.append(try timestamp.requiredBytes("signedTimestamp"))
                try timestamp.finish()
            }
            try timestampData.finish()
        }
        try material.finish()

        let messageValue = try object.optional("messageSignature")
        let envelopeValue = try object.optional("dsseEnvelope")
        switch (messageValue, envelopeValue) {
        case (let message?, nil):
            var messageObject = try ProtoJSONObject(message, path: "bundle.messageSignature")
            var digest: (HashAlgorithm, [UInt8])?
            if var digestObject = try messageObject.message("messageDigest") {
                let algorithmName = try digestObject.requiredString("algorithm")
                guard let algorithm = HashAlgorithm(rawValue: algorithmName) else {
                    throw FormatError(
                        .unsupported, at: digestObject.childPath("algorithm"),
                        "expected SHA2_256, SHA2_384 or SHA2_512, found \"\(ProtoJSONObject.preview(algorithmName))\"")
                }
                let bytes = try digestObject.requiredBytes("digest")
                guard bytes.count == algorithm.byteCount else {
                    throw FormatError(
                        .invalidValue, at: digestObject.childPath("digest"),
                        "expected \(algorithm.byteCount) bytes for \(algorithm.rawValue), found \(bytes.count)")
                }
                digest = (algorithm, bytes)
                try digestObject.finish()
            }
            let signature = try messageObject.requiredBytes("signature")
            try messageObject.finish()
            content = .messageSignature(MessageSignature(messageDigest: digest, signature: signature))
        case (nil, let envelope?):
            let parsed = try DSSEEnvelope(json: envelope, path: "bundle.dsseEnvelope")
            guard parsed.signatures.count == 1 else {
                throw FormatError(.invalidValue, at: "bundle.dsseEnvelope.signatures", "expected exactly one signature, found \(parsed.signatures.count)")
            }
            content = .dsseEnvelope(parsed)
        default:
            throw FormatError(.invalidValue, at: "bundle", "expected exactly one of messageSignature and dsseEnvelope")
        }
        try object.finish()
    }

    /// The bundle as protobuf-JSON, with the v0.3 media type.
    public var json: JSONValue {
        var material = JSONObject()
        switch signer {
        case .publicKey(let hint):
            material["publicKey"] = .object(hint.map { JSONObject([("hint", .string($0))]) } ?? JSONObject())
        case .certificateChain(let chain):
            material["x509CertificateChain"] = .object(
                JSONObject([
                    (
                        "certificates",
                        .array(
                            chain.map {
                                .object(JSONObject([("rawBytes", .string(Base64.encode($0)))]))
                            })
                    )
                ]))
        case .certificate(let leaf):
            material["certificate"] = .object(JSONObject([("rawBytes", .string(Base64.encode(leaf)))]))
        }
        material["tlogEntries"] = .array(tlogEntries.map(\.json))
        material["timestampVerificationData"] = .object(
            JSONObject([
                (
                    "rfc3161Timestamps",
                    .array(
                        rfc3161Timestamps.map {
                            .object(JSONObject([("signedTimestamp", .string(Base64.encode($0)))]))
                        })
                )
            ]))
        var object = JSONObject([("mediaType", .string(mediaType)), ("verificationMaterial", .object(material))])
        switch content {
        case .messageSignature(let message):
            var messageObject = JSONObject()
            if let digest = message.messageDigest {
                messageObject["messageDigest"] = .object(
                    JSONObject([
                        ("algorithm", .string(digest.algorithm.rawValue)), ("digest", .string(Base64.encode(digest.digest))),
                    ]))
            }
            messageObject["signature"] = .string(Base64.encode(message.signature))
            object["messageSignature"] = .object(messageObject)
        case .dsseEnvelope(let envelope):
            object["dsseEnvelope"] = envelope.json
        }
        return .object(object)
    }
}
