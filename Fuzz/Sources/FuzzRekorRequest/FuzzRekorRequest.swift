import FuzzDriver
import SignetLog

/// Rekor v1 `ProposedEntry` and Rekor v2 `CreateEntryRequest` bodies, as the log's
/// unauthenticated `POST …/log/entries` reads them.
@main
enum FuzzRekorRequest {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzRekorRequest) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRekorRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? EntryAdmission.rekorV1(jsonBytes: bytes)
    _ = try? EntryAdmission.rekorV2(jsonBytes: bytes)
    return 0
}
