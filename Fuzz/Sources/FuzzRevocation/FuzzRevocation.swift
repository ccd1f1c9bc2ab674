import FuzzDriver
import SignetCore

/// Revocation snapshots and the statements in them, bare and signed, as offline verification
/// reads them.
@main
enum FuzzRevocation {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzRevocation) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRevocation(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? RevocationSnapshot(jsonBytes: bytes)
    if let signed = try? RevocationSnapshot.Signed(jsonBytes: bytes) {
        _ = try? RevocationSnapshot(jsonBytes: signed.snapshotBytes)
    }
    return 0
}
