import FuzzDriver
import SignetCore

/// A ClientTrustConfig (trusted root plus signing config), as `signet sign --trust-config` and
/// the client read it.
@main
enum FuzzClientTrustConfig {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzClientTrustConfig) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClientTrustConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? ClientTrustConfig(jsonBytes: UnsafeBufferPointer(start: data, count: size))
    return 0
}
