import SwiftASN1

/// CMS `SignedData` (RFC 5652 §5.1) wrapped in its `ContentInfo` (§3), as an RFC 3161
/// TimeStampToken is. Only what a timestamp needs is modelled: encapsulated content, embedded
/// certificates (kept as DER) and signer infos.
public struct CMSSignedData: Hashable, Sendable {
    public var version: Int
    public var digestAlgorithms: [AlgorithmIdentifier]
    public var contentType: ASN1ObjectIdentifier
    public var content: [UInt8]?
    /// DER of each certificate in `certificates`, in encoded order.
    public var certificates: [[UInt8]]
    public var signerInfos: [CMSSignerInfo]
    /// Whether the `crls` field is present (never in an RFC 3161 token Signet accepts).
    public var hasRevocationInfo = false

    public init(
        version: Int, digestAlgorithms: [AlgorithmIdentifier], contentType: ASN1ObjectIdentifier, content: [UInt8]?, certificates: [[UInt8]],
        signerInfos: [CMSSignerInfo]
    ) {
        self.version = version
        self.digestAlgorithms = digestAlgorithms
        self.contentType = contentType
        self.content = content
        self.certificates = certificates
        self.signerInfos = signerInfos
    }

    /// Parses a DER `ContentInfo` holding `SignedData`.
    public init(contentInfoDER bytes: [UInt8]) throws {
        try self.init(contentInfoNode: try DER.parse(bytes))
    }

    init(contentInfoNode root: ASN1Node) throws {
        self = try DER.sequence(root, identifier: .sequence) { nodes in
            let contentType = try ASN1ObjectIdentifier(derEncoded: &nodes)
            guard contentType == .cmsSignedData else {
                throw ASN1Error.invalidASN1Object(reason: "expected content type signedData, found \(contentType)")
            }
            return try DER.explicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { node in
                try CMSSignedData(signedDataNode: node)
            }
        }
    }

    init(signedDataNode node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let version = try Int(derEncoded: &nodes)
            let digestAlgorithms = try DER.set(of: AlgorithmIdentifier.self, identifier: .set, nodes: &nodes)
            let (contentType, content) = try DER.sequence(
                nodes.next() ?? { throw ASN1Error.invalidASN1Object(reason: "missing encapContentInfo") }(), identifier: .sequence
            ) { inner in
                let type = try ASN1ObjectIdentifier(derEncoded: &inner)
                let content = try DER.optionalExplicitlyTagged(&inner, tagNumber: 0, tagClass: .contextSpecific) { node in
                    Array(try ASN1OctetString(derEncoded: node).bytes)
                }
                return (type, content)
            }
            var certificates: [[UInt8]] = []
            if let certificateSet = DER.optionalImplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific, { $0 }) {
                guard case .constructed(let children) = certificateSet.content else {
                    throw ASN1Error.invalidASN1Object(reason: "certificates must be constructed")
                }
                certificates = children.map { Array($0.encodedBytes) }
            }
            let crls = DER.optionalImplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific, { $0 })
            let signerInfos = try DER.set(of: CMSSignerInfo.self, identifier: .set, nodes: &nodes)
            var signedData = CMSSignedData(
                version: version, digestAlgorithms: digestAlgorithms, contentType: contentType, content: content, certificates: certificates,
                signerInfos: signerInfos)
            signedData.hasRevocationInfo = crls != nil
            return signedData
        }
    }

    /// The DER `ContentInfo` for this `SignedData`, with the certificate SET in DER order.
    public func contentInfoDER() throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(ASN1ObjectIdentifier.cmsSignedData)
            try coder.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.serialize(version)
                    try coder.serializeSetOf(digestAlgorithms)
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        try coder.serialize(contentType)
                        if let content {
                            try coder.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { coder in
                                try coder.serialize(ASN1OctetString(contentBytes: content[...]))
                            }
                        }
                    }
                    if !certificates.isEmpty {
                        coder.appendConstructedNode(identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) { coder in
                            for certificate in certificates.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                                coder.serializeRawBytes(certificate)
                            }
                        }
                    }
                    try coder.serializeSetOf(signerInfos)
                }
            }
        }
        return coder.serializedBytes
    }
}

/// CMS `SignerInfo` (RFC 5652 §5.3).
public struct CMSSignerInfo: DERImplicitlyTaggable, Hashable, Sendable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    /// `SignerIdentifier`: issuer and serial number (v1) or subject key identifier (v3).
    public enum SignerIdentifier: Hashable, Sendable {
        /// DER of the issuer Name and the serial number's INTEGER content octets.
        case issuerAndSerialNumber(issuer: [UInt8], serialNumber: [UInt8])
        case subjectKeyIdentifier([UInt8])
    }

    public var version: Int
    public var signerIdentifier: SignerIdentifier
    public var digestAlgorithm: AlgorithmIdentifier
    /// The signed attributes, each (type, DER of each value).
    public var signedAttributes: [(type: ASN1ObjectIdentifier, values: [[UInt8]])]?
    /// The exact DER of the signed attributes with the SET OF tag: the bytes the signature
    /// covers (RFC 5652 §5.4).
    public var signedAttributesDER: [UInt8]?
    public var signatureAlgorithm: AlgorithmIdentifier
    public var signature: [UInt8]

    public init(
        version: Int, signerIdentifier: SignerIdentifier, digestAlgorithm: AlgorithmIdentifier,
        signedAttributes: [(type: ASN1ObjectIdentifier, values: [[UInt8]])]?, signatureAlgorithm: AlgorithmIdentifier, signature: [UInt8]
    ) throws {
        self.version = version
        self.signerIdentifier = signerIdentifier
        self.digestAlgorithm = digestAlgorithm
        self.signedAttributes = signedAttributes
        self.signatureAlgorithm = signatureAlgorithm
        self.signature = signature
        self.signedAttributesDER = try signedAttributes.map(Self.encodeAttributes)
    }

    /// DER of a SET OF Attribute, elements in DER (sorted) order.
    public static func encodeAttributes(_ attributes: [(type: ASN1ObjectIdentifier, values: [[UInt8]])]) throws -> [UInt8] {
        let encoded = try attributes.map { attribute in
            var coder = DER.Serializer()
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(attribute.type)
                coder.appendConstructedNode(identifier: .set) { coder in
                    for value in attribute.values.sorted(by: { $0.lexicographicallyPrecedes($1) }) { coder.serializeRawBytes(value) }
                }
            }
            return coder.serializedBytes
        }
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .set) { coder in
            for element in encoded.sorted(by: { $0.lexicographicallyPrecedes($1) }) { coder.serializeRawBytes(element) }
        }
        return coder.serializedBytes
    }

    public func attributeValues(_ type: ASN1ObjectIdentifier) -> [[UInt8]]? {
        signedAttributes?.first(where: { $0.type == type })?.values
    }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let version = try Int(derEncoded: &nodes)
            guard let sidNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "missing sid") }
            let signerIdentifier: SignerIdentifier
            if sidNode.identifier == .sequence {
                signerIdentifier = try DER.sequence(sidNode, identifier: .sequence) { inner in
                    guard let issuer = inner.next() else { throw ASN1Error.invalidASN1Object(reason: "missing issuer") }
                    let serial = try RawInteger(derEncoded: &inner)
                    return .issuerAndSerialNumber(issuer: Array(issuer.encodedBytes), serialNumber: serial.bytes)
                }
            } else if sidNode.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                signerIdentifier = .subjectKeyIdentifier(Array(try ASN1OctetString(derEncoded: sidNode, withIdentifier: sidNode.identifier).bytes))
            } else {
                throw ASN1Error.invalidASN1Object(reason: "unexpected signer identifier \(sidNode.identifier)")
            }
            let digestAlgorithm = try AlgorithmIdentifier(derEncoded: &nodes)
            var attributes: [(ASN1ObjectIdentifier, [[UInt8]])]?
            var attributesDER: [UInt8]?
            if let node = DER.optionalImplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific, { $0 }) {
                guard case .constructed(let children) = node.content else {
                    throw ASN1Error.invalidASN1Object(reason: "signedAttrs must be constructed")
                }
                var parsed: [(ASN1ObjectIdentifier, [[UInt8]])] = []
                for child in children {
                    parsed.append(
                        try DER.sequence(child, identifier: .sequence) { inner in
                            let type = try ASN1ObjectIdentifier(derEncoded: &inner)
                            guard let valuesNode = inner.next(), valuesNode.identifier == .set, case .constructed(let values) = valuesNode.content else {
                                throw ASN1Error.invalidASN1Object(reason: "attribute values must be a SET")
                            }
                            return (type, values.map { Array($0.encodedBytes) })
                        })
                }
                guard Set(parsed.map(\.0)).count == parsed.count else {
                    throw ASN1Error.invalidASN1Object(reason: "duplicate signed attribute")
                }
                attributes = parsed
                // The [0] tag of a constructed node (checked above) is the single byte 0xA0;
                // the signature covers the same bytes under the SET OF tag (RFC 5652 §5.4).
                var der = Array(node.encodedBytes)
                der[0] = 0x31
                attributesDER = der
            }
            let signatureAlgorithm = try AlgorithmIdentifier(derEncoded: &nodes)
            let signature = Array(try ASN1OctetString(derEncoded: &nodes).bytes)
            _ = DER.optionalImplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific, { $0 })
            var info = try CMSSignerInfo(
                version: version, signerIdentifier: signerIdentifier, digestAlgorithm: digestAlgorithm, signedAttributes: nil,
                signatureAlgorithm: signatureAlgorithm, signature: signature)
            info.signedAttributes = attributes
            info.signedAttributesDER = attributesDER
            return info
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(version)
            switch signerIdentifier {
            case .issuerAndSerialNumber(let issuer, let serial):
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    coder.serializeRawBytes(issuer)
                    try coder.serialize(RawInteger(bytes: serial))
                }
            case .subjectKeyIdentifier(let keyID):
                try coder.serialize(ASN1OctetString(contentBytes: keyID[...]), explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific)
            }
            try coder.serialize(digestAlgorithm)
            if var der = signedAttributesDER {
                der[0] = 0xA0
                coder.serializeRawBytes(der)
            }
            try coder.serialize(signatureAlgorithm)
            try coder.serialize(ASN1OctetString(contentBytes: signature[...]))
        }
    }

    public static func == (lhs: CMSSignerInfo, rhs: CMSSignerInfo) -> Bool {
        lhs.signature == rhs.signature && lhs.signedAttributesDER == rhs.signedAttributesDER && lhs.signerIdentifier == rhs.signerIdentifier
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(signature)
    }
}
