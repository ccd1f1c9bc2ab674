/// The name of a signed artifact, pinned by digest: `host[:port]/path@sha256:<64 hex>`, in the
/// OCI distribution reference grammar (distribution/reference `reference.go`): a registry host
/// (a dotted domain, an IPv4 address, `localhost`, or any host with a port), one or more
/// lower-case path components, and a SHA-256 digest. A tag alongside the digest is dropped, as
/// registries do: the digest decides what was signed.
///
/// A name without a digest is refused: a tag can be moved to other content after it is signed,
/// so signing or verifying by tag would vouch for whatever it points at later.
public struct ArtifactName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The longest name accepted, in bytes (distribution's limit on the repository part is 255).
    public static let maxBytes = 512

    /// The registry host in lower case, with its port if one other than 443 or 80 was given
    /// (`registry.example.com:5000`).
    public let host: String
    /// The repository path under the host (`team/app`).
    public let path: String
    /// The SHA-256 digest of the artifact (32 bytes).
    public let digest: [UInt8]

    public init(host: String, path: String, digest: [UInt8]) throws(FormatError) {
        guard digest.count == 32 else {
            throw FormatError(.invalidValue, at: "name", "expected a 32-byte SHA-256 digest, found \(digest.count) bytes")
        }
        try self.init(parsing: "\(host)/\(path)@sha256:\(Hex.encode(digest))")
    }

    /// Parses `text`, explaining what to pass instead when it is a tag or a bare name.
    public init(parsing text: String) throws(FormatError) {
        let context = "name"
        guard text.utf8.count <= Self.maxBytes else {
            throw FormatError(.tooLarge, at: context, "expected at most \(Self.maxBytes) bytes, found \(text.utf8.count)")
        }
        guard !text.isEmpty else {
            throw FormatError(.missingField, at: context, "expected host/path@sha256:<64 hex digits>, found an empty name")
        }
        guard text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            throw FormatError(.invalidValue, at: context, "expected printable ASCII without spaces, found \"\(ProtoJSONObject.preview(text))\"")
        }
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        var repository = String(parts[0])
        guard parts.count == 2 else {
            let hint =
                Self.lastComponentHasTag(repository)
                ? "a tag can be moved after it is signed, so Signet signs and verifies content by digest: pass \(Self.stripTag(repository))@sha256:<digest> (for an image, `docker buildx imagetools inspect` or `crane digest` prints it), or --file PATH to name a file by its digest"
                : "a name alone does not say which content was signed: pass \(repository)@sha256:<digest>, or --file PATH to name a file by its digest"
            throw FormatError(
                .invalidValue, at: context,
                "expected a name pinned by digest (host/path@sha256:<64 hex digits>), found \"\(ProtoJSONObject.preview(text))\"; \(hint)")
        }
        let digestText = parts[1]
        guard digestText.hasPrefix("sha256:") else {
            throw FormatError(.unsupported, at: context, "expected a sha256:<64 hex digits> digest, found \"\(ProtoJSONObject.preview(String(digestText)))\"")
        }
        let hex = digestText.dropFirst(7)
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }), let digest = Hex.decode(String(hex))
        else {
            throw FormatError(.invalidValue, at: context, "expected 64 lower-case hex digits after sha256:, found \"\(ProtoJSONObject.preview(String(hex)))\"")
        }
        if Self.lastComponentHasTag(repository) { repository = Self.stripTag(repository) }
        guard let slash = repository.firstIndex(of: "/") else {
            throw FormatError(
                .invalidValue, at: context,
                "expected host/path before the digest (for example registry.example.com/team/app), found \"\(ProtoJSONObject.preview(repository))\" with no host"
            )
        }
        let host = String(repository[..<slash])
        let path = String(repository[repository.index(after: slash)...])
        guard Self.isHost(host) else {
            throw FormatError(
                .invalidValue, at: context,
                "expected a registry host (a dotted domain, an IP address, localhost, or a host with :port) before the first /, found \"\(ProtoJSONObject.preview(host))\""
            )
        }
        guard !path.isEmpty, path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy(Self.isPathComponent) else {
            throw FormatError(
                .invalidValue, at: context,
                "expected lower-case path components of letters and digits joined by '.', '_', '__' or dashes, found \"\(ProtoJSONObject.preview(path))\"")
        }
        self.host = Self.normalizedHost(host)
        self.path = path
        self.digest = digest
    }

    /// A validated host in its one comparable form: lower-case (DNS names are case-insensitive,
    /// RFC 4343), and without a default port (`:443` for HTTPS, `:80` for HTTP, which a
    /// registry client omits) or leading zeros in a port, so every spelling of one registry is
    /// one name. A single label other than `localhost` is a host only with its port, so it keeps
    /// even a default one: the normalised name must read back as itself.
    private static func normalizedHost(_ host: String) -> String {
        let pieces = host.lowercased().split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        // `isHost` accepted the port as 1 to 65535 decimal digits.
        guard pieces.count == 2, let port = Int(pieces[1]) else { return String(pieces[0]) }
        let name = String(pieces[0])
        return (port == 443 || port == 80) && isHost(name) ? name : "\(name):\(port)"
    }

    /// `host/path` without the digest.
    public var repository: String { "\(host)/\(path)" }

    /// The canonical text: `host/path@sha256:<hex>`.
    public var description: String { "\(repository)@sha256:\(Hex.encode(digest))" }

    public static func < (lhs: ArtifactName, rhs: ArtifactName) -> Bool { lhs.description < rhs.description }

    /// Whether the last path component carries `:tag` (a colon after the last slash).
    private static func lastComponentHasTag(_ repository: String) -> Bool {
        guard let colon = repository.lastIndex(of: ":") else { return false }
        guard let slash = repository.lastIndex(of: "/") else { return !isHost(repository) }
        return colon > slash
    }

    private static func stripTag(_ repository: String) -> String {
        guard let colon = repository.lastIndex(of: ":") else { return repository }
        return String(repository[..<colon])
    }

    /// A registry host: domain components of letters, digits and inner dashes, optionally with
    /// a port; a bare single label only as `localhost` or with a port, as Docker reads it.
    private static func isHost(_ text: String) -> Bool {
        let pieces = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = pieces[0]
        if pieces.count == 2 {
            guard let port = Int(pieces[1]), (1...65535).contains(port), pieces[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard
            labels.allSatisfy({ label in
                !label.isEmpty && label.utf8.count <= 63 && label.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
                    && label.utf8.first != UInt8(ascii: "-") && label.utf8.last != UInt8(ascii: "-")
            })
        else { return false }
        return labels.count > 1 || pieces.count == 2 || name == "localhost"
    }

    /// `[a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*`
    private static func isPathComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last) else { return false }
        var index = 0
        while index < bytes.count {
            if isLowerAlphanumeric(bytes[index]) {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count && !isLowerAlphanumeric(bytes[end]) { end += 1 }
            let separator = bytes[index..<end]
            let valid =
                separator.elementsEqual([UInt8(ascii: ".")]) || separator.elementsEqual([UInt8(ascii: "_")])
                || separator.elementsEqual([UInt8(ascii: "_"), UInt8(ascii: "_")]) || separator.allSatisfy { $0 == UInt8(ascii: "-") }
            guard valid else { return false }
            index = end
        }
        return true
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= 0x41 && byte <= 0x5A)
    }
}
