import SignetCore

/// The address of a tile in a C2SP tlog-tiles log (c2sp.org/tlog-tiles): the path after
/// `tile/`, `<L>/<N>[.p/<W>]` for a tile of Merkle hashes at tile level L, or
/// `entries/<N>[.p/<W>]` for an entry bundle, where N is written in groups of three digits,
/// all but the last prefixed with `x`, and W (1 to 255) makes a partial tile.
///
/// Parsing never traps: every index, width and range is computed with checked arithmetic, so a
/// path at the edges of 64-bit integers is refused with a reason.
public struct TilePath: Hashable, Sendable {
    /// The tile level L (each level is 8 Merkle levels), or `nil` for an entry bundle.
    public var level: Int?
    /// The tile index N.
    public var index: Int64
    /// The number of hashes or entries in the tile: 256 for a full tile, fewer for a partial one.
    public var width: Int64

    /// Hashes or entries in a full tile.
    public static let fullWidth: Int64 = 256
    /// The deepest tile level: 8·63 Merkle levels exceed any 64-bit tree.
    public static let maxLevel = 63

    /// Parses the path segments after `tile/`.
    public init(segments: [Substring]) throws(FormatError) {
        let shown = Self.preview(segments)
        func refuse(_ detail: String) -> FormatError {
            FormatError(
                .invalidValue, at: "tile path",
                "expected a tile path <L>/<N>[.p/<W>] or entries/<N>[.p/<W>] (c2sp.org/tlog-tiles), found \"\(shown)\": \(detail)")
        }
        // An index has at most 7 groups of three digits (N < 10^21 covers every Int64 index).
        guard segments.count >= 2, segments.count <= 9 else { throw refuse("\(segments.count) segments") }
        var rest = segments.map(String.init)
        let first = rest.removeFirst()
        if first == "entries" {
            level = nil
        } else if let value = Int(first), value >= 0, value <= Self.maxLevel, String(value) == first {
            level = value
        } else {
            throw refuse("the level must be \"entries\" or a number from 0 to \(Self.maxLevel)")
        }
        width = Self.fullWidth
        if rest.count >= 2, rest[rest.count - 2].hasSuffix(".p") {
            let text = rest.removeLast()
            guard let value = Int64(text), value >= 1, value < Self.fullWidth, String(value) == text else {
                throw refuse("a partial width must be a number from 1 to \(Self.fullWidth - 1)")
            }
            width = value
            rest[rest.count - 1].removeLast(2)
        }
        var value: Int64 = 0
        for (offset, segment) in rest.enumerated() {
            let isLast = offset == rest.count - 1
            let group = isLast ? Substring(segment) : (segment.hasPrefix("x") ? segment.dropFirst() : "")
            guard group.utf8.count == 3, let digits = Int64(group), group.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw refuse("each index group must be three digits, all but the last prefixed with \"x\"")
            }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 1000)
            let (sum, carry) = shifted.addingReportingOverflow(digits)
            guard !overflow, !carry else { throw refuse("the index exceeds \(Int64.max)") }
            value = sum
        }
        index = value
        guard index <= (Int64.max - width) / Self.fullWidth else {
            throw refuse("the tile's range exceeds \(Int64.max)")
        }
    }

    /// The positions the tile covers at its level: entries for an entry bundle, nodes at Merkle
    /// level 8·L for a hash tile. `init` guarantees `index·256 + width` fits in Int64.
    public var range: Range<Int64> {
        let start = index * Self.fullWidth
        return start..<start + width
    }

    /// The Merkle level whose nodes a hash tile holds (0 for an entry bundle's leaves).
    public var merkleLevel: Int { 8 * (level ?? 0) }

    /// Whether a tree of `size` entries has this tile: every position in `range` is a complete
    /// node at the tile's Merkle level.
    public func isComplete(inTreeOfSize size: Int64) -> Bool {
        // A shift of 8·63 = 504 bits is defined in Swift (the result is 0), so no level traps.
        range.upperBound <= size >> merkleLevel
    }

    /// Whether the tile is full and so never changes.
    public var isFull: Bool { width == Self.fullWidth }

    private static func preview(_ segments: [Substring]) -> String {
        let joined = segments.prefix(12).joined(separator: "/")
        return joined.count > 120 ? String(joined.prefix(120)) + "…" : joined
    }
}
