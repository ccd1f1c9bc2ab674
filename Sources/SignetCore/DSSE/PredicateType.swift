/// An attestation's predicate type (in-toto/attestation `spec/v1/statement.md`): an absolute
/// URI, which `signet artifact attest --type` and policies may also give by a short name for
/// the current version of a common predicate.
public struct PredicateType: Sendable, Hashable, CustomStringConvertible {
    /// The URI.
    public let uri: String

    /// The short names and the URIs they stand for: the current versions (SLSA provenance v1,
    /// not cosign's `slsaprovenance`, which means v0.2).
    public static let shortNames: [(name: String, uri: String)] = [
        ("slsa-provenance", "https://slsa.dev/provenance/v1"),
        ("spdx", "https://spdx.dev/Document"),
        ("cyclonedx", "https://cyclonedx.org/bom"),
        ("openvex", "https://openvex.dev/ns"),
        ("vuln", "https://in-toto.io/attestation/vulns/v0.2"),
        ("test-result", "https://in-toto.io/attestation/test-result/v0.1"),
        ("vsa", "https://slsa.dev/verification_summary/v1"),
    ]

    /// SLSA provenance v1.
    public static let slsaProvenance = PredicateType(known: "https://slsa.dev/provenance/v1")
    /// A SLSA verification summary attestation v1.
    public static let verificationSummary = PredicateType(known: "https://slsa.dev/verification_summary/v1")

    /// The longest predicate type accepted, in bytes.
    public static let maxBytes = 512

    private init(known uri: String) {
        self.uri = uri
    }

    /// Reads a short name (``shortNames``) or an absolute URI (RFC 3986 §4.3: a scheme, then
    /// `:` and more), of printable ASCII without spaces, at most ``maxBytes`` bytes.
    public init(parsing text: String) throws(FormatError) {
        if let known = Self.shortNames.first(where: { $0.name == text }) {
            uri = known.uri
            return
        }
        let expected = "a short name (\(Self.shortNames.map(\.name).joined(separator: ", "))) or an absolute URI"
        guard !text.isEmpty, text.utf8.count <= Self.maxBytes else {
            throw FormatError(.invalidValue, at: "predicateType", "expected \(expected) of 1 to \(Self.maxBytes) bytes, found \(text.utf8.count) bytes")
        }
        let bytes = Array(text.utf8)
        // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
        func isSchemeByte(_ byte: UInt8, first: Bool) -> Bool {
            let letter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            return first ? letter : letter || (0x30...0x39).contains(byte) || byte == 0x2B || byte == 0x2D || byte == 0x2E
        }
        let colon = bytes.firstIndex(of: 0x3A)
        guard let colon, colon > 0, colon < bytes.count - 1,
            bytes[..<colon].enumerated().allSatisfy({ isSchemeByte($0.element, first: $0.offset == 0) }),
            bytes.allSatisfy({ (0x21...0x7E).contains($0) })
        else {
            throw FormatError(.invalidValue, at: "predicateType", "expected \(expected), found \"\(ProtoJSONObject.preview(text))\"")
        }
        uri = text
    }

    /// The short name standing for this URI, if one does.
    public var shortName: String? { Self.shortNames.first { $0.uri == uri }?.name }

    public var description: String { uri }
}
