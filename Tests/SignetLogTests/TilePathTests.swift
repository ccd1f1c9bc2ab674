import SignetCore
import SignetLog
import Testing

@Suite("Tile paths (c2sp.org/tlog-tiles): parsed exactly, refused at the 64-bit edges")
struct TilePathTests {
    static func parse(_ path: String) throws(FormatError) -> TilePath {
        try TilePath(segments: path.split(separator: "/", omittingEmptySubsequences: false))
    }

    @Test("full and partial hash tiles and entry bundles")
    func valid() throws {
        let full = try Self.parse("0/x001/234")
        #expect(full.level == 0 && full.index == 1234 && full.width == 256 && full.isFull)
        #expect(full.range == 1234 * 256..<1235 * 256)
        let partial = try Self.parse("2/000.p/7")
        #expect(partial.level == 2 && partial.index == 0 && partial.width == 7 && !partial.isFull)
        #expect(partial.merkleLevel == 16)
        let entries = try Self.parse("entries/005")
        #expect(entries.level == nil && entries.index == 5 && entries.merkleLevel == 0)
        // The largest index whose tile still fits in Int64.
        let last = (Int64.max - 256) / 256
        let digits = String(last)
        let padded = String(repeating: "0", count: (3 - digits.count % 3) % 3) + digits
        var groups: [String] = []
        var rest = Substring(padded)
        while !rest.isEmpty {
            groups.append(String(rest.prefix(3)))
            rest = rest.dropFirst(3)
        }
        let text = "0/" + groups.dropLast().map { "x" + $0 }.joined(separator: "/") + "/" + groups[groups.count - 1]
        #expect(try Self.parse(text).index == last)
    }

    @Test("completeness against the tree size")
    func completeness() throws {
        #expect(try Self.parse("0/000.p/6").isComplete(inTreeOfSize: 6))
        #expect(try !Self.parse("0/000.p/7").isComplete(inTreeOfSize: 6))
        #expect(try !Self.parse("0/000").isComplete(inTreeOfSize: 255))
        #expect(try Self.parse("1/000.p/1").isComplete(inTreeOfSize: 256))
        #expect(try !Self.parse("63/000.p/1").isComplete(inTreeOfSize: Int64.max))
    }

    @Test(
        "malformed paths and paths at the Int64 edges are refused with a reason",
        arguments: [
            "0/x999/x999/x999/x999/x999/999",  // the reproduction: index·256 overflows Int64
            "0/x009/x223/x372/x036/x854/x775/807",  // Int64.max itself
            "0/x999/x999/x999/x999/x999/x999/999",  // beyond Int64
            "0/x036/x028/x797/x018/x963/x967/x999",
            "entries/x999/x999/x999/x999/x999/999.p/255",
            "64/000", "-1/000", "00/000", "a/000", "0/00", "0/0000", "0/x1/2", "0/001/002",
            "0/000.p/0", "0/000.p/256", "0/000.p/-1", "0/000.p/01", "0/+12", "0/ 12", "0/१२३",
            "0", "", "0/x000/x000/x000/x000/x000/x000/x000/x000/000",
        ])
    func refused(path: String) {
        #expect(throws: FormatError.self) { try Self.parse(path) }
    }
}
