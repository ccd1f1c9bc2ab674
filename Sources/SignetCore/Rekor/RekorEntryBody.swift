/// The canonical body of a transparency-log entry, by kind and version: what the Merkle leaf
/// commits to. Parsed to compare with a bundle; built (as RFC 8785 bytes) by a log.
public enum RekorEntryBody: Sendable, Hashable {
    /// `hashedrekord` 0.0.1 (Rekor v1): a signature over a digest with a PEM key or certificate.
    case hashedRekordV001(HashedRekordV001)
    /// `hashedrekord` 0.0.2 (Rekor v2): the same, with DER verifier material.
    case hashedRekordV002(HashedRekordV002)
    /// `dsse` 0.0.1 (Rekor v1): hashes of a DSSE envelope and its signatures.
    case dsseV001(DSSEV001)
    /// `dsse` 0.0.2 (Rekor v2, deprecated there in favour of a hashedrekord over the PAE): the
    /// payload's hash and each signature with its DER verifier.
    case dsseV002(DSSEV002)
    /// `intoto` 0.0.2 (legacy Rekor v1 attestations).
    case inTotoV002(InTotoV002)

    public struct HashedRekordV001: Sendable, Hashable {
        public var hashAlgorithm: HashAlgorithm
        public var digest: [UInt8]
        public var signature: [UInt8]
        /// The PEM text of the certificate or public key, as stored.
        public var publicKeyPEM: String

        public init(hashAlgorithm: HashAlgorithm, digest: [UInt8], signature: [UInt8], publicKeyPEM: String) {
            self.hashAlgorithm = hashAlgorithm
            self.digest = digest
            self.signature = signature
            self.publicKeyPEM = publicKeyPEM
        }
    }

    public struct HashedRekordV002: Sendable, Hashable {
        /// Rekor v2's `Verifier` (rekor-tiles `verifier.proto`): DER certificate or public key.
        public enum Verifier: Sendable, Hashable {
            case certificate([UInt8])
            case publicKey([UInt8])

            public var der: [UInt8] {
                switch self {
                case .certificate(let der), .publicKey(let der): der
                }
            }
        }

        public var hashAlgorithm: HashAlgorithm
        public var digest: [UInt8]
        public var signature: [UInt8]
        public var verifier: Verifier
        public var keyDetails: String

        public init(hashAlgorithm: HashAlgorithm, digest: [UInt8], signature: [UInt8], verifier: Verifier, keyDetails: String) {
            self.hashAlgorithm = hashAlgorithm
            self.digest = digest
            self.signature = signature
            self.verifier = verifier
            self.keyDetails = keyDetails
        }
    }

    public struct DSSEV001: Sendable, Hashable {
        public var envelopeHash: (algorithm: HashAlgorithm, value: [UInt8])?
        public var payloadHash: (algorithm: HashAlgorithm, value: [UInt8])
        /// Each the base64 signature text from the envelope and the PEM of its verifier.
        public var signatures: [(signature: String, verifierPEM: String)]

        public init(
            envelopeHash: (algorithm: HashAlgorithm, value: [UInt8])?, payloadHash: (algorithm: HashAlgorithm, value: [UInt8]),
            signatures: [(signature: String, verifierPEM: String)]
        ) {
            self.envelopeHash = envelopeHash
            self.payloadHash = payloadHash
            self.signatures = signatures
        }

        public static func == (lhs: DSSEV001, rhs: DSSEV001) -> Bool {
            lhs.envelopeHash?.algorithm == rhs.envelopeHash?.algorithm && lhs.envelopeHash?.value == rhs.envelopeHash?.value
                && lhs.payloadHash == rhs.payloadHash
                && lhs.signatures.map(\.signature) == rhs.signatures.map(\.signature)
                && lhs.signatures.map(\.verifierPEM) == rhs.signatures.map(\.verifierPEM)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(payloadHash.value)
            hasher.combine(signatures.map(\.signature))
        }
    }

    public struct DSSEV002: Sendable, Hashable {
        /// Rekor v2's `Signature`: the signature bytes and the verifier that checks them.
        public struct Signature: Sendable, Hashable {
            public var content: [UInt8]
            public var verifier: HashedRekordV002.Verifier
            public var keyDetails: String

            public init(content: [UInt8], verifier: HashedRekordV002.Verifier, keyDetails: String) {
                self.content = content
                self.verifier = verifier
                self.keyDetails = keyDetails
            }
        }

        public var payloadHashAlgorithm: HashAlgorithm
        public var payloadHash: [UInt8]
        public var signatures: [Signature]

        public init(payloadHashAlgorithm: HashAlgorithm, payloadHash: [UInt8], signatures: [Signature]) {
            self.payloadHashAlgorithm = payloadHashAlgorithm
            self.payloadHash = payloadHash
            self.signatures = signatures
        }
    }

    public struct InTotoV002: Sendable, Hashable {
        public var payloadHash: (algorithm: HashAlgorithm, value: [UInt8])
        public var payloadType: String?
        /// Each the envelope's signature (once decoded from the body's extra base64 layer) and
        /// the PEM of its verifier.
        public var signatures: [(signature: [UInt8], verifierPEM: String)]

        public static func == (lhs: InTotoV002, rhs: InTotoV002) -> Bool {
            lhs.payloadHash == rhs.payloadHash && lhs.payloadType == rhs.payloadType
                && lhs.signatures.map(\.signature) == rhs.signatures.map(\.signature)
                && lhs.signatures.map(\.verifierPEM) == rhs.signatures.map(\.verifierPEM)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(payloadHash.value)
        }
    }

    /// Parses a canonical body whose kind and version the bundle names.
    public init(canonicalBody: [UInt8], kind: String, version: String) throws(FormatError) {
        let path = "canonicalizedBody"
        var object = try ProtoJSONObject(try JSONParser(maxBytes: 32 << 20).parse(canonicalBody, context: path), path: path)
        let bodyKind = try object.requiredString("kind")
        let bodyVersion = try object.requiredString("apiVersion")
        guard bodyKind == kind, bodyVersion == version else {
            throw FormatError(
                .invalidValue, at: path,
                "expected kind \(kind) version \(version) as the bundle says, found \(ProtoJSONObject.preview(bodyKind)) \(ProtoJSONObject.preview(bodyVersion))"
            )
        }
        var spec = try object.requiredMessage("spec")
        switch (kind, version) {
        case ("hashedrekord", "0.0.1"):
            var signature = try spec.requiredMessage("signature")
            let content = try signature.requiredBytes("content")
            var publicKey = try signature.requiredMessage("publicKey")
            let pem = try publicKey.requiredBytes("content")
            var data = try spec.requiredMessage("data")
            var hash = try data.requiredMessage("hash")
            let (algorithm, digest) = try Self.hexHash(&hash)
            self = .hashedRekordV001(
                HashedRekordV001(hashAlgorithm: algorithm, digest: digest, signature: content, publicKeyPEM: String(decoding: pem, as: UTF8.self)))
        case ("hashedrekord", "0.0.2"):
            var inner = try spec.requiredMessage("hashedRekordV002")
            var data = try inner.requiredMessage("data")
            let algorithm = try Self.hashAlgorithmV002(&data)
            let digest = try data.requiredBytes("digest")
            var signature = try inner.requiredMessage("signature")
            let content = try signature.requiredBytes("content")
            var verifier = try signature.requiredMessage("verifier")
            let (material, keyDetails) = try Self.verifierV002(&verifier)
            self = .hashedRekordV002(HashedRekordV002(hashAlgorithm: algorithm, digest: digest, signature: content, verifier: material, keyDetails: keyDetails))
        case ("dsse", "0.0.2"):
            var inner = try spec.requiredMessage("dsseV002")
            var payloadHash = try inner.requiredMessage("payloadHash")
            let algorithm = try Self.hashAlgorithmV002(&payloadHash)
            let digest = try payloadHash.requiredBytes("digest")
            var signatures: [DSSEV002.Signature] = []
            for (element, elementPath) in try inner.array("signatures") {
                var signature = try ProtoJSONObject(element, path: elementPath)
                let content = try signature.requiredBytes("content")
                var verifier = try signature.requiredMessage("verifier")
                let (material, keyDetails) = try Self.verifierV002(&verifier)
                signatures.append(DSSEV002.Signature(content: content, verifier: material, keyDetails: keyDetails))
            }
            self = .dsseV002(DSSEV002(payloadHashAlgorithm: algorithm, payloadHash: digest, signatures: signatures))
        case ("dsse", "0.0.1"):
            var envelopeHash: (HashAlgorithm, [UInt8])?
            if var hash = try spec.message("envelopeHash") { envelopeHash = try Self.hexHash(&hash) }
            var payloadHashObject = try spec.requiredMessage("payloadHash")
            let payloadHash = try Self.hexHash(&payloadHashObject)
            var signatures: [(String, String)] = []
            for (element, elementPath) in try spec.array("signatures") {
                var signature = try ProtoJSONObject(element, path: elementPath)
                let text = try signature.requiredString("signature")
                let verifier = try signature.requiredBytes("verifier")
                signatures.append((text, String(decoding: verifier, as: UTF8.self)))
            }
            self = .dsseV001(DSSEV001(envelopeHash: envelopeHash, payloadHash: payloadHash, signatures: signatures))
        case ("intoto", "0.0.2"):
            var content = try spec.requiredMessage("content")
            var payloadHashObject = try content.requiredMessage("payloadHash")
            let payloadHash = try Self.hexHash(&payloadHashObject)
            var envelope = try content.requiredMessage("envelope")
            let payloadType = try envelope.string("payloadType")
            var signatures: [([UInt8], String)] = []
            for (element, elementPath) in try envelope.array("signatures") {
                var signature = try ProtoJSONObject(element, path: elementPath)
                let doubleEncoded = try signature.requiredBytes("sig")
                guard let decoded = Base64.decode(String(decoding: doubleEncoded, as: UTF8.self)) else {
                    throw FormatError(.syntax, at: signature.childPath("sig"), "expected base64 of a base64 signature")
                }
                let verifier = try signature.requiredBytes("publicKey")
                signatures.append((decoded, String(decoding: verifier, as: UTF8.self)))
            }
            self = .inTotoV002(InTotoV002(payloadHash: payloadHash, payloadType: payloadType, signatures: signatures))
        default:
            throw FormatError(
                .unsupported, at: path,
                "expected hashedrekord 0.0.1 or 0.0.2, dsse 0.0.1 or 0.0.2, or intoto 0.0.2, found \(ProtoJSONObject.preview(kind)) \(ProtoJSONObject.preview(version))"
            )
        }
    }

    /// A `HashOutput`'s algorithm enum name (`SHA2_256`, …).
    private static func hashAlgorithmV002(_ object: inout ProtoJSONObject) throws(FormatError) -> HashAlgorithm {
        let name = try object.requiredString("algorithm")
        guard let algorithm = HashAlgorithm(rawValue: name) else {
            throw FormatError(
                .unsupported, at: object.childPath("algorithm"), "expected SHA2_256, SHA2_384 or SHA2_512, found \"\(ProtoJSONObject.preview(name))\"")
        }
        return algorithm
    }

    /// A Rekor v2 `Verifier`: its material and `keyDetails`.
    private static func verifierV002(_ verifier: inout ProtoJSONObject) throws(FormatError) -> (HashedRekordV002.Verifier, String) {
        let keyDetails = try verifier.requiredString("keyDetails")
        if var certificate = try verifier.message("x509Certificate") {
            return (.certificate(try certificate.requiredBytes("rawBytes")), keyDetails)
        } else if var key = try verifier.message("publicKey") {
            return (.publicKey(try key.requiredBytes("rawBytes")), keyDetails)
        }
        throw FormatError(.missingField, at: verifier.path, "expected x509Certificate or publicKey, found neither")
    }

    private static func hexHash(_ object: inout ProtoJSONObject) throws(FormatError) -> (HashAlgorithm, [UInt8]) {
        let name = try object.requiredString("algorithm")
        guard let algorithm = HashAlgorithm(rekorName: name) else {
            throw FormatError(.unsupported, at: object.childPath("algorithm"), "expected sha256, sha384 or sha512, found \"\(ProtoJSONObject.preview(name))\"")
        }
        let text = try object.requiredString("value")
        guard let value = Hex.decode(text), value.count == algorithm.byteCount else {
            throw FormatError(
                .invalidValue, at: object.childPath("value"),
                "expected \(algorithm.byteCount * 2) hex digits for \(name), found \"\(ProtoJSONObject.preview(text))\"")
        }
        return (algorithm, value)
    }

    /// The kind and version this body is logged as.
    public var kindVersion: (kind: String, version: String) {
        switch self {
        case .hashedRekordV001: ("hashedrekord", "0.0.1")
        case .hashedRekordV002: ("hashedrekord", "0.0.2")
        case .dsseV001: ("dsse", "0.0.1")
        case .dsseV002: ("dsse", "0.0.2")
        case .inTotoV002: ("intoto", "0.0.2")
        }
    }

    /// The RFC 8785 bytes a log stores and hashes for this body.
    public func canonicalBytes() throws(FormatError) -> [UInt8] {
        func hexHash(_ algorithm: HashAlgorithm, _ value: [UInt8]) -> JSONValue {
            .object(JSONObject([("algorithm", .string(algorithm.rekorName)), ("value", .string(Hex.encode(value)))]))
        }
        let spec: JSONValue
        switch self {
        case .hashedRekordV001(let body):
            spec = .object(
                JSONObject([
                    ("data", .object(JSONObject([("hash", hexHash(body.hashAlgorithm, body.digest))]))),
                    (
                        "signature",
                        .object(
                            JSONObject([
                                ("content", .string(Base64.encode(body.signature))),
                                ("publicKey", .object(JSONObject([("content", .string(Base64.encode(Array(body.publicKeyPEM.utf8))))]))),
                            ]))
                    ),
                ]))
        case .hashedRekordV002(let body):
            spec = .object(
                JSONObject([
                    (
                        "hashedRekordV002",
                        .object(
                            JSONObject([
                                (
                                    "data",
                                    .object(JSONObject([("algorithm", .string(body.hashAlgorithm.rawValue)), ("digest", .string(Base64.encode(body.digest)))]))
                                ),
                                ("signature", Self.signatureV002(content: body.signature, verifier: body.verifier, keyDetails: body.keyDetails)),
                            ]))
                    )
                ]))
        case .dsseV002(let body):
            spec = .object(
                JSONObject([
                    (
                        "dsseV002",
                        .object(
                            JSONObject([
                                (
                                    "payloadHash",
                                    .object(
                                        JSONObject([
                                            ("algorithm", .string(body.payloadHashAlgorithm.rawValue)), ("digest", .string(Base64.encode(body.payloadHash))),
                                        ]))
                                ),
                                (
                                    "signatures",
                                    .array(body.signatures.map { Self.signatureV002(content: $0.content, verifier: $0.verifier, keyDetails: $0.keyDetails) })
                                ),
                            ]))
                    )
                ]))
        case .dsseV001(let body):
            var object = JSONObject([
                ("payloadHash", hexHash(body.payloadHash.algorithm, body.payloadHash.value)),
                (
                    "signatures",
                    .array(
                        body.signatures.sorted { $0.signature < $1.signature }.map { signature in
                            .object(
                                JSONObject([
                                    ("signature", .string(signature.signature)),
                                    ("verifier", .string(Base64.encode(Array(signature.verifierPEM.utf8)))),
                                ]))
                        })
                ),
            ])
            if let envelopeHash = body.envelopeHash { object["envelopeHash"] = hexHash(envelopeHash.algorithm, envelopeHash.value) }
            spec = .object(object)
        case .inTotoV002:
            throw FormatError(.unsupported, at: "canonicalizedBody", "intoto 0.0.2 entries are read, never written")
        }
        let (kind, version) = kindVersion
        return try JSONValue.object(JSONObject([("apiVersion", .string(version)), ("kind", .string(kind)), ("spec", spec)])).canonicalBytes()
    }

    /// Rekor v2's `Signature` message as protojson.
    private static func signatureV002(content: [UInt8], verifier: HashedRekordV002.Verifier, keyDetails: String) -> JSONValue {
        let material: (String, JSONValue) =
            switch verifier {
            case .certificate(let der): ("x509Certificate", .object(JSONObject([("rawBytes", .string(Base64.encode(der)))])))
            case .publicKey(let der): ("publicKey", .object(JSONObject([("rawBytes", .string(Base64.encode(der)))])))
            }
        return .object(
            JSONObject([
                ("content", .string(Base64.encode(content))),
                ("verifier", .object(JSONObject([("keyDetails", .string(keyDetails)), material]))),
            ]))
    }
}
