import SwiftASN1

/// `AlgorithmIdentifier` (RFC 5280 §4.1.1.2): an algorithm OID with optional parameters.
public struct AlgorithmIdentifier: DERImplicitlyTaggable, Hashable, Sendable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public var algorithm: ASN1ObjectIdentifier
    public var parameters: ASN1Any?

    public init(algorithm: ASN1ObjectIdentifier, parameters: ASN1Any? = nil) {
        self.algorithm = algorithm
        self.parameters = parameters
    }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        (algorithm, parameters) = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let algorithm = try ASN1ObjectIdentifier(derEncoded: &nodes)
            let parameters = nodes.next().map { ASN1Any(derEncoded: $0) }
            return (algorithm, parameters)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(algorithm)
            if let parameters { try coder.serialize(parameters) }
        }
    }

    /// The hash this identifier names (RFC 5754 §2), if it is SHA-256/384/512.
    public var hashAlgorithm: HashAlgorithm? {
        switch algorithm {
        case .sha256: .sha256
        case .sha384: .sha384
        case .sha512: .sha512
        default: nil
        }
    }

    public static let sha256 = AlgorithmIdentifier(algorithm: .sha256)
    public static let ecdsaWithSHA256 = AlgorithmIdentifier(algorithm: .ecdsaWithSHA256)
    public static let ecdsaWithSHA384 = AlgorithmIdentifier(algorithm: .ecdsaWithSHA384)
}

extension ASN1ObjectIdentifier {
    /// RFC 5754 §2 hash algorithm OIDs.
    public static let sha1: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 26]
    public static let sha256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    public static let sha384: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 2]
    public static let sha512: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 3]
    /// RFC 5758 §3.2 ECDSA signature OIDs.
    public static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    public static let ecdsaWithSHA384: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 3]
    public static let ecdsaWithSHA512: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 4]
    /// RFC 8017 RSA OIDs and RFC 8410 Ed25519.
    public static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 1]
    public static let sha256WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 11]
    public static let sha384WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 12]
    public static let sha512WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 13]
    public static let ed25519: ASN1ObjectIdentifier = [1, 3, 101, 112]
    /// RFC 5652 content types and attributes.
    public static let cmsData: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 1]
    public static let cmsSignedData: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 2]
    public static let cmsContentTypeAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 3]
    public static let cmsMessageDigestAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 4]
    public static let cmsSigningTimeAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 5]
    /// RFC 3161 §2.4.2 id-ct-TSTInfo; RFC 2634 / RFC 5035 ESS signing-certificate attributes.
    public static let tstInfo: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 1, 4]
    public static let signingCertificate: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 12]
    public static let signingCertificateV2: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 47]
    /// Sigstore's TSA policy OID.
    public static let sigstoreTimestampPolicy: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 57264, 2]
}

/// An ASN.1 INTEGER kept as its two's-complement content octets (X.690 §8.3), so that serial
/// numbers and nonces of any sign and size round-trip exactly.
public struct RawInteger: DERImplicitlyTaggable, Hashable, Sendable {
    public static var defaultIdentifier: ASN1Identifier { .integer }

    public var bytes: [UInt8]

    /// An integer from its content octets, as they appear in DER.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// A non-negative integer from its big-endian magnitude.
    public init(unsigned magnitude: [UInt8]) {
        var trimmed = Array(magnitude.drop(while: { $0 == 0 }))
        if trimmed.isEmpty || trimmed[0] & 0x80 != 0 { trimmed.insert(0, at: 0) }
        bytes = trimmed
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        guard node.identifier == identifier, case .primitive(let content) = node.content, !content.isEmpty else {
            throw ASN1Error.unexpectedFieldType(node.identifier)
        }
        if content.count > 1 {
            let first = content[content.startIndex]
            let second = content[content.startIndex + 1]
            if (first == 0x00 && second & 0x80 == 0) || (first == 0xFF && second & 0x80 != 0) {
                throw ASN1Error.invalidASN1IntegerEncoding(reason: "INTEGER is not minimally encoded")
            }
        }
        bytes = Array(content)
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        coder.appendPrimitiveNode(identifier: identifier) { $0.append(contentsOf: bytes) }
    }
}
