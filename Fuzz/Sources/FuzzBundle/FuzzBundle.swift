import FuzzDriver
import SignetCore

/// Sigstore bundles (v0.1 to v0.3) and the in-toto statement of a DSSE bundle, as `signet
/// verify` and the artifact API read them; and a Rekor v1 entry response, as the client reads it.
@main
enum FuzzBundle {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzBundle) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundle(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let bundle = try? SigstoreBundle(jsonBytes: bytes), case .dsseEnvelope(let envelope) = bundle.content {
        _ = try? InTotoStatement(payload: envelope.payload)
    }
    _ = try? TransparencyLogEntry(rekorV1Response: bytes)
    return 0
}
