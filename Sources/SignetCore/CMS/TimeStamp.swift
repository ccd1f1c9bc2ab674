import SwiftASN1

/// `MessageImprint` (RFC 3161 §2.4.1): the hash of the data being timestamped.
public struct MessageImprint: DERImplicitlyTaggable, Hashable, Sendable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public var hashAlgorithm: AlgorithmIdentifier
    public var hashedMessage: [UInt8]

    public init(hashAlgorithm: AlgorithmIdentifier, hashedMessage: [UInt8]) {
        self.hashAlgorithm = hashAlgorithm
        self.hashedMessage = hashedMessage
    }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            MessageImprint(hashAlgorithm: try AlgorithmIdentifier(derEncoded: &nodes), hashedMessage: Array(try ASN1OctetString(derEncoded: &nodes).bytes))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(hashAlgorithm)
            try coder.serialize(ASN1OctetString(contentBytes: hashedMessage[...]))
        }
    }
}

/// `TimeStampReq` (RFC 3161 §2.4.1).
public struct TimeStampRequest: DERImplicitlyTaggable, Hashable, Sendable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public var version: Int
    public var messageImprint: MessageImprint
    public var requestPolicy: ASN1ObjectIdentifier?
    /// The nonce's INTEGER content octets (two's complement).
    public var nonce: [UInt8]?
    public var certificateRequested: Bool
    /// Whether the request carries `extensions` (RFC 3161 §2.4.1), which Signet's TSA supports none of.
    public var hasExtensions = false

    public init(messageImprint: MessageImprint, nonce: [UInt8]?, certificateRequested: Bool = true, requestPolicy: ASN1ObjectIdentifier? = nil) {
        self.version = 1
        self.messageImprint = messageImprint
        self.requestPolicy = requestPolicy
        self.nonce = nonce
        self.certificateRequested = certificateRequested
    }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let version = try Int(derEncoded: &nodes)
            let imprint = try MessageImprint(derEncoded: &nodes)
            let policy: ASN1ObjectIdentifier? = try DER.optionalImplicitlyTagged(&nodes)
            let nonce: RawInteger? = try DER.optionalImplicitlyTagged(&nodes)
            let certReq = try DER.decodeDefault(&nodes, defaultValue: false)
            let extensions = DER.optionalImplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific, { $0 })
            var request = TimeStampRequest(messageImprint: imprint, nonce: nonce?.bytes, certificateRequested: certReq, requestPolicy: policy)
            request.version = version
            request.hasExtensions = extensions != nil
            return request
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(version)
            try coder.serialize(messageImprint)
            if let requestPolicy { try coder.serialize(requestPolicy) }
            if let nonce { try coder.serialize(RawInteger(bytes: nonce)) }
            if certificateRequested { try coder.serialize(true) }
        }
    }
}

extension TimeStampRequest {
    /// The request Sigstore clients send for a signature: a SHA-256 imprint of the signature
    /// bytes, the certificate requested, and a random 64-bit nonce.
    public static func forSignature(_ signature: [UInt8], nonce: [UInt8] = secureRandomBytes(8)) -> TimeStampRequest {
        TimeStampRequest(
            messageImprint: MessageImprint(hashAlgorithm: .sha256, hashedMessage: sha256(signature)),
            nonce: RawInteger(unsigned: nonce).bytes)
    }
}

/// `TSTInfo` (RFC 3161 §2.4.2): what the TSA asserts: this imprint existed at `genTime`.
public struct TSTInfo: DERImplicitlyTaggable, Hashable, Sendable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public var version: Int
    public var policy: ASN1ObjectIdentifier
    public var messageImprint: MessageImprint
    /// The serial number's INTEGER content bytes.
    public var serialNumber: [UInt8]
    public var genTime: GeneralizedTime
    /// DER of the `Accuracy` structure, kept as is.
    public var accuracy: [UInt8]?
    public var ordering: Bool
    public var nonce: [UInt8]?

    public init(
        policy: ASN1ObjectIdentifier, messageImprint: MessageImprint, serialNumber: [UInt8], genTime: GeneralizedTime, accuracySeconds: Int?, nonce: [UInt8]?
    ) throws {
        self.version = 1
        self.policy = policy
        self.messageImprint = messageImprint
        self.serialNumber = serialNumber
        self.genTime = genTime
        self.ordering = false
        self.nonce = nonce
        if let accuracySeconds {
            var coder = DER.Serializer()
            try coder.appendConstructedNode(identifier: .sequence) { coder in try coder.serialize(accuracySeconds) }
            self.accuracy = coder.serializedBytes
        } else {
            self.accuracy = nil
        }
    }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let version = try Int(derEncoded: &nodes)
            let policy = try ASN1ObjectIdentifier(derEncoded: &nodes)
            let imprint = try MessageImprint(derEncoded: &nodes)
            let serial = try RawInteger(derEncoded: &nodes)
            let genTime = try GeneralizedTime(derEncoded: &nodes)
            let accuracy = DER.optionalImplicitlyTagged(&nodes, tagNumber: ASN1Identifier.sequence.tagNumber, tagClass: .universal, { Array($0.encodedBytes) })
            let ordering = try DER.decodeDefault(&nodes, defaultValue: false)
            let nonce: RawInteger? = try DER.optionalImplicitlyTagged(&nodes)
            _ = DER.optionalImplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific, { $0 })
            _ = DER.optionalImplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific, { $0 })
            var info = try TSTInfo(
                policy: policy, messageImprint: imprint, serialNumber: serial.bytes, genTime: genTime, accuracySeconds: nil, nonce: nonce?.bytes)
            info.version = version
            info.accuracy = accuracy
            info.ordering = ordering
            return info
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(version)
            try coder.serialize(policy)
            try coder.serialize(messageImprint)
            try coder.serialize(RawInteger(bytes: serialNumber))
            try coder.serialize(genTime)
            if let accuracy { coder.serializeRawBytes(accuracy) }
            if ordering { try coder.serialize(true) }
            if let nonce { try coder.serialize(RawInteger(bytes: nonce)) }
        }
    }

    /// `genTime` as a ``Timestamp``.
    public var time: Timestamp {
        // swift-asn1 only builds a GeneralizedTime with a real date of years 0 to 9999 and a
        // fraction in [0, 1), so the date exists and nothing below overflows.
        guard let days = Timestamp.daysFromCivil(year: genTime.year, month: genTime.month, day: genTime.day) else {
            return Timestamp(seconds: 0)
        }
        let seconds = Int64(days) * 86400 + Int64(genTime.hours * 3600 + genTime.minutes * 60 + genTime.seconds)
        return Timestamp(seconds: seconds, nanoseconds: min(Int32((genTime.fractionalSeconds * 1e9).rounded(.down)), 999_999_999))
    }
}

/// `TimeStampResp` (RFC 3161 §2.4.2): a status and, when granted, a token.
public struct TimeStampResponse: Hashable, Sendable {
    /// `PKIFailureInfo` (RFC 3161 §2.4.2): why a request was rejected.
    public enum FailureInfo: Int, Sendable, Hashable {
        case badAlgorithm = 0
        case badRequest = 2
        case badDataFormat = 5
        case timeNotAvailable = 14
        case unacceptedPolicy = 15
        case unacceptedExtension = 16
        case systemFailure = 25
    }

    /// `PKIStatus`: 0 granted, 1 granted with modifications, 2 rejection, …
    public var status: Int
    /// DER `ContentInfo` of the token, when present.
    public var tokenDER: [UInt8]?
    /// For a rejection: a human reason (`statusString`) and the failure bit (`failInfo`).
    public var statusString: String?
    public var failureInfo: FailureInfo?

    public init(status: Int, tokenDER: [UInt8]?) {
        self.status = status
        self.tokenDER = tokenDER
    }

    /// A rejection (status 2) with no token.
    public static func rejection(_ failure: FailureInfo, reason: String) -> TimeStampResponse {
        var response = TimeStampResponse(status: 2, tokenDER: nil)
        response.statusString = reason
        response.failureInfo = failure
        return response
    }

    public init(derEncoded bytes: [UInt8]) throws {
        let (status, token) = try Self.parse(bytes)
        self.init(status: status, tokenDER: token.map { Array($0.encodedBytes) })
    }

    /// The status and the token's node, from one parse of the response.
    static func parse(_ bytes: [UInt8]) throws -> (status: Int, token: ASN1Node?) {
        let root = try DER.parse(bytes)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            let status = try DER.sequence(nodes.next() ?? { throw ASN1Error.invalidASN1Object(reason: "missing status") }(), identifier: .sequence) { inner in
                let status = try Int(derEncoded: &inner)
                while inner.next() != nil {}
                return status
            }
            return (status, nodes.next())
        }
    }

    public func derEncoded() throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(status)
                if let statusString {
                    try coder.appendConstructedNode(identifier: .sequence) { coder in try coder.serialize(ASN1UTF8String(statusString)) }
                }
                if let failureInfo {
                    // A named-bit BIT STRING with trailing zero bits removed (X.690 §11.2.2).
                    let bit = failureInfo.rawValue
                    var bytes = [UInt8](repeating: 0, count: bit / 8 + 1)
                    bytes[bit / 8] = 0x80 >> UInt8(bit % 8)
                    try coder.serialize(ASN1BitString(bytes: bytes[...], paddingBits: 7 - bit % 8))
                }
            }
            if let tokenDER { coder.serializeRawBytes(tokenDER) }
        }
        return coder.serializedBytes
    }
}

/// An RFC 3161 `TimeStampToken`: CMS SignedData whose content is a DER `TSTInfo`.
public struct TimeStampToken: Hashable, Sendable {
    public var signedData: CMSSignedData
    public var info: TSTInfo
    /// The exact DER of the TSTInfo that the signer's message digest covers.
    public var infoDER: [UInt8]

    public init(contentInfoDER: [UInt8]) throws(FormatError) {
        do {
            try self.init(signedData: try CMSSignedData(contentInfoDER: contentInfoDER))
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(.syntax, at: "timestamp", "expected a DER CMS SignedData token, found bytes that do not parse (\(error))")
        }
    }

    /// Reads the status and token of a DER `TimeStampResp` in one parse; the token is nil when
    /// the response carries none.
    public static func fromResponse(_ der: [UInt8]) throws(FormatError) -> (status: Int, token: TimeStampToken?) {
        do {
            let (status, node) = try TimeStampResponse.parse(der)
            guard let node else { return (status, nil) }
            return (status, try TimeStampToken(signedData: try CMSSignedData(contentInfoNode: node)))
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(.syntax, at: "timestamp", "expected a DER TimeStampResp with a CMS SignedData token, found bytes that do not parse (\(error))")
        }
    }

    private init(signedData: CMSSignedData) throws(FormatError) {
        self.signedData = signedData
        guard signedData.contentType == .tstInfo, let content = signedData.content else {
            throw FormatError(.invalidValue, at: "timestamp", "expected encapsulated content of type id-ct-TSTInfo, found \(signedData.contentType)")
        }
        do {
            info = try TSTInfo(derEncoded: try DER.parse(content))
        } catch {
            throw FormatError(.syntax, at: "timestamp.tstInfo", "expected a DER TSTInfo, found bytes that do not parse (\(error))")
        }
        infoDER = content
    }
}

/// `ESSCertIDv2` (RFC 5035 §4) and `ESSCertID` (RFC 2634 §5.4.1): which certificate a
/// signer used, by hash.
public struct ESSCertificateID: Hashable, Sendable {
    public var hashAlgorithm: AlgorithmIdentifier
    public var certificateHash: [UInt8]

    public init(hashAlgorithm: AlgorithmIdentifier, certificateHash: [UInt8]) {
        self.hashAlgorithm = hashAlgorithm
        self.certificateHash = certificateHash
    }

    /// Parses the first certificate ID from a `SigningCertificateV2` (v2) or
    /// `SigningCertificate` (v1, SHA-1) attribute value.
    public init(attributeValue der: [UInt8], version2: Bool) throws {
        let root = try DER.parse(der)
        self = try DER.sequence(root, identifier: .sequence) { nodes in
            guard let certs = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "missing certs") }
            while nodes.next() != nil {}
            return try DER.sequence(certs, identifier: .sequence) { certNodes in
                guard let first = certNodes.next() else { throw ASN1Error.invalidASN1Object(reason: "empty certs") }
                while certNodes.next() != nil {}
                return try DER.sequence(first, identifier: .sequence) { inner in
                    var algorithm = AlgorithmIdentifier(algorithm: version2 ? .sha256 : .sha1)
                    if version2, let explicit: AlgorithmIdentifier = try DER.optionalImplicitlyTagged(&inner) {
                        algorithm = explicit
                    }
                    let hash = Array(try ASN1OctetString(derEncoded: &inner).bytes)
                    while inner.next() != nil {}
                    return ESSCertificateID(hashAlgorithm: algorithm, certificateHash: hash)
                }
            }
        }
    }

    /// A `SigningCertificateV2` attribute value naming one certificate by SHA-256.
    public static func signingCertificateV2(certificateDER: [UInt8]) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.serialize(ASN1OctetString(contentBytes: sha256(certificateDER)[...]))
                }
            }
        }
        return coder.serializedBytes
    }
}
