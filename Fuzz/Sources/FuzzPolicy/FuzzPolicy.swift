import FuzzDriver
import SignetCore
import SignetPolicy

/// Policy documents (JSON or YAML, quorums included), as `POST /policies` and `signet policy`
/// read them, and the release statements (requests, approvals) the gate reads back from
/// registered attestations.
@main
enum FuzzPolicy {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzPolicy) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? PolicyDocument(bytes: bytes)
    if let statement = try? InTotoStatement(payload: bytes) {
        _ = try? ReleaseRequest(statement: statement)
        _ = try? Approval(statement: statement)
    }
    return 0
}
