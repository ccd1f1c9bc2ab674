import FuzzDriver
import SignetLog

/// Tile paths (c2sp.org/tlog-tiles), as the log's unauthenticated `GET /api/v2/tile/**` reads
/// the segments after `tile/`, and the check of a parsed tile against trees at the Int64 edges.
@main
enum FuzzTilePath {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzTilePath) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTilePath(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let path = try? TilePath(segments: text.split(separator: "/", omittingEmptySubsequences: false)) else { return 0 }
    for treeSize in [0, 1, 255, 256, Int64.max - 1, Int64.max] {
        _ = path.isComplete(inTreeOfSize: treeSize)
    }
    _ = path.isFull
    return 0
}
