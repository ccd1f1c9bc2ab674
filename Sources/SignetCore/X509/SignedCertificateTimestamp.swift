import SwiftASN1
import X509

/// An RFC 6962 §3.2 signed certificate timestamp, as embedded in a certificate's SCT-list
/// extension (1.3.6.1.4.1.11129.2.4.2, §3.3).
public struct SignedCertificateTimestamp: Hashable, Sendable {
    public static let extensionOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 11129, 2, 4, 2]
    public static let poisonOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 11129, 2, 4, 3]

    public var version: UInt8
    /// SHA-256 of the CT log key's SubjectPublicKeyInfo.
    public var logID: [UInt8]
    /// Milliseconds since 1970.
    public var timestamp: UInt64
    public var extensions: [UInt8]
    /// TLS `HashAlgorithm` (4 = sha256) and `SignatureAlgorithm` (3 = ecdsa, 1 = rsa).
    public var hashAlgorithm: UInt8
    public var signatureAlgorithm: UInt8
    public var signature: [UInt8]

    public init(
        version: UInt8 = 0, logID: [UInt8], timestamp: UInt64, extensions: [UInt8] = [], hashAlgorithm: UInt8 = 4, signatureAlgorithm: UInt8 = 3,
        signature: [UInt8]
    ) {
        self.version = version
        self.logID = logID
        self.timestamp = timestamp
        self.extensions = extensions
        self.hashAlgorithm = hashAlgorithm
        self.signatureAlgorithm = signatureAlgorithm
        self.signature = signature
    }

    /// The SCTs of a certificate's SCT-list extension; empty if it has none.
    public static func embedded(in certificate: Certificate) throws(FormatError) -> [SignedCertificateTimestamp] {
        guard let ext = certificate.extensions[oid: extensionOID] else { return [] }
        let list: [UInt8]
        do {
            list = Array(try ASN1OctetString(derEncoded: Array(ext.value)).bytes)
        } catch {
            throw FormatError(.syntax, at: "certificate.sctList", "expected an OCTET STRING holding the SCT list")
        }
        var reader = TLSReader(list)
        let listBytes = try reader.vector(lengthBytes: 2)
        guard reader.isAtEnd else { throw FormatError(.syntax, at: "certificate.sctList", "expected nothing after the SCT list") }
        var listReader = TLSReader(listBytes)
        var result: [SignedCertificateTimestamp] = []
        while !listReader.isAtEnd {
            var item = TLSReader(try listReader.vector(lengthBytes: 2))
            let version = try item.integer(bytes: 1)
            let logID = try item.bytes(32)
            let timestamp = try item.integer(bytes: 8)
            let extensions = try item.vector(lengthBytes: 2)
            let hash = try item.integer(bytes: 1)
            let signatureAlgorithm = try item.integer(bytes: 1)
            let signature = try item.vector(lengthBytes: 2)
            guard item.isAtEnd else { throw FormatError(.syntax, at: "certificate.sctList", "expected nothing after an SCT's signature") }
            result.append(
                SignedCertificateTimestamp(
                    version: UInt8(version), logID: logID, timestamp: timestamp, extensions: extensions, hashAlgorithm: UInt8(hash),
                    signatureAlgorithm: UInt8(signatureAlgorithm), signature: signature))
        }
        return result
    }

    /// The TLS encoding of one SCT.
    public var encoded: [UInt8] {
        var output: [UInt8] = [version] + logID
        output += TLSWriter.integer(timestamp, bytes: 8)
        output += TLSWriter.vector(extensions, lengthBytes: 2)
        output += [hashAlgorithm, signatureAlgorithm]
        output += TLSWriter.vector(signature, lengthBytes: 2)
        return output
    }

    /// The DER `extnValue` of an SCT-list extension holding `scts`.
    public static func listExtensionValue(_ scts: [SignedCertificateTimestamp]) throws -> [UInt8] {
        let list = TLSWriter.vector(scts.flatMap { TLSWriter.vector($0.encoded, lengthBytes: 2) }, lengthBytes: 2)
        var coder = DER.Serializer()
        try coder.serialize(ASN1OctetString(contentBytes: list[...]))
        return coder.serializedBytes
    }

    /// The `digitally-signed` input for a precertificate entry (RFC 6962 §3.2): version,
    /// signature type, timestamp, entry type 1, the issuer key hash, the TBSCertificate without
    /// the SCT list (or poison), and the extensions.
    public static func signedData(timestamp: UInt64, issuerKeyHash: [UInt8], precertificateTBS: [UInt8], extensions: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0, 0]
        output += TLSWriter.integer(timestamp, bytes: 8)
        output += [0, 1]
        output += issuerKeyHash
        output += TLSWriter.vector(precertificateTBS, lengthBytes: 3)
        output += TLSWriter.vector(extensions, lengthBytes: 2)
        return output
    }

    /// The DER TBSCertificate of `certificate` with the extension `oid` removed: what an SCT
    /// over the final certificate signs.
    public static func tbsRemovingExtension(_ oid: ASN1ObjectIdentifier, from certificate: Certificate) throws(FormatError) -> [UInt8] {
        var serializer = DER.Serializer()
        do {
            try serializer.serialize(certificate)
        } catch {
            throw FormatError(.syntax, at: "certificate", "expected a certificate that can be DER-encoded (\(error))")
        }
        return try tbsRemovingExtension(oid, fromCertificateDER: serializer.serializedBytes)
    }

    /// The same, from the certificate's DER bytes: the extension is spliced out of the TBS and
    /// the three enclosing lengths are re-encoded; every other byte is copied as it is.
    public static func tbsRemovingExtension(_ oid: ASN1ObjectIdentifier, fromCertificateDER der: [UInt8]) throws(FormatError) -> [UInt8] {
        var serializer = DER.Serializer()
        do { try serializer.serialize(oid) } catch {
            throw FormatError(.invalidValue, at: "oid", "expected an encodable OID, found \(oid)")
        }
        let oidTLV = serializer.serializedBytes
        let certificate = try DERElement(der, at: 0, expectedTag: 0x30)
        let tbs = try DERElement(der, at: certificate.contentStart, expectedTag: 0x30)
        var tbsContent: [UInt8] = []
        tbsContent.reserveCapacity(tbs.end - tbs.contentStart)
        var offset = tbs.contentStart
        while offset < tbs.end {
            let child = try DERElement(der, at: offset, limit: tbs.end)
            defer { offset = child.end }
            guard child.tag == 0xA3 else {
                tbsContent.append(contentsOf: der[child.start..<child.end])
                continue
            }
            let list = try DERElement(der, at: child.contentStart, limit: child.end, expectedTag: 0x30)
            var kept: [UInt8] = []
            var extensionOffset = list.contentStart
            while extensionOffset < list.end {
                let ext = try DERElement(der, at: extensionOffset, limit: list.end, expectedTag: 0x30)
                let extensionOID = try DERElement(der, at: ext.contentStart, limit: ext.end, expectedTag: 0x06)
                if !der[extensionOID.start..<extensionOID.end].elementsEqual(oidTLV) {
                    kept.append(contentsOf: der[ext.start..<ext.end])
                }
                extensionOffset = ext.end
            }
            tbsContent.append(contentsOf: DERElement.encode(tag: 0xA3, content: DERElement.encode(tag: 0x30, content: kept)))
        }
        return DERElement.encode(tag: 0x30, content: tbsContent)
    }
}

/// One DER TLV located in a byte array (X.690 §8.1), for splicing without a full parse.
/// Single-byte tags and definite lengths of up to four octets only, as certificates use.
struct DERElement {
    let tag: UInt8
    let start: Int
    let contentStart: Int
    let end: Int

    init(_ bytes: [UInt8], at offset: Int, limit: Int? = nil, expectedTag: UInt8? = nil) throws(FormatError) {
        let limit = limit ?? bytes.count
        guard offset + 2 <= limit else { throw FormatError(.syntax, at: "certificate", "expected a DER element at byte \(offset), found the end") }
        tag = bytes[offset]
        guard tag & 0x1F != 0x1F else { throw FormatError(.syntax, at: "certificate", "expected a single-byte DER tag at byte \(offset)") }
        if let expectedTag, tag != expectedTag {
            throw FormatError(
                .syntax, at: "certificate", "expected DER tag 0x\(String(expectedTag, radix: 16)) at byte \(offset), found 0x\(String(tag, radix: 16))")
        }
        let first = bytes[offset + 1]
        var length = 0
        var header = 2
        if first & 0x80 != 0 {
            let count = Int(first & 0x7F)
            guard (1...4).contains(count), offset + 2 + count <= limit else {
                throw FormatError(.syntax, at: "certificate", "expected a definite DER length at byte \(offset)")
            }
            for index in 0..<count { length = length << 8 | Int(bytes[offset + 2 + index]) }
            guard length >= 0x80, count == 1 || bytes[offset + 2] != 0 else {
                throw FormatError(.syntax, at: "certificate", "expected a minimally encoded DER length at byte \(offset)")
            }
            header += count
        } else {
            length = Int(first)
        }
        start = offset
        contentStart = offset + header
        end = contentStart + length
        guard end <= limit else { throw FormatError(.syntax, at: "certificate", "DER element at byte \(offset) runs past its container") }
    }

    /// Tag, minimal definite length, content.
    static func encode(tag: UInt8, content: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [tag]
        if content.count < 0x80 {
            output.append(UInt8(content.count))
        } else {
            // The content is spliced from one element whose length fit in four octets (checked
            // by `init`), so its count fits in a UInt32.
            let lengthBytes = withUnsafeBytes(of: UInt32(content.count).bigEndian) { Array($0.drop(while: { $0 == 0 })) }
            output.append(0x80 | UInt8(lengthBytes.count))
            output.append(contentsOf: lengthBytes)
        }
        output.append(contentsOf: content)
        return output
    }
}

/// Reads TLS presentation-language structures (RFC 8446 §3) with bounds checks.
struct TLSReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    mutating func bytes(_ count: Int) throws(FormatError) -> [UInt8] {
        guard count >= 0, bytes.count - index >= count else {
            throw FormatError(.syntax, at: "sct", "expected \(count) more bytes, found \(bytes.count - index)")
        }
        defer { index += count }
        return Array(bytes[index..<index + count])
    }

    mutating func integer(bytes count: Int) throws(FormatError) -> UInt64 {
        try bytes(count).reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func vector(lengthBytes: Int) throws(FormatError) -> [UInt8] {
        let length = try integer(bytes: lengthBytes)
        guard let count = Int(exactly: length) else {
            throw FormatError(.syntax, at: "sct", "expected a vector length within Int, found \(length)")
        }
        return try bytes(count)
    }
}

/// Writes TLS presentation-language structures.
enum TLSWriter {
    static func integer(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    static func vector(_ content: [UInt8], lengthBytes: Int) -> [UInt8] {
        integer(UInt64(content.count), bytes: lengthBytes) + content
    }
}
