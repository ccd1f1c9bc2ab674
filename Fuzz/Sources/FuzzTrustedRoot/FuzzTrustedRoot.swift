import FuzzDriver
import SignetCore

/// A Sigstore trusted root, as `signet verify --trusted-root` and the client read it.
@main
enum FuzzTrustedRoot {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzTrustedRoot) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrustedRoot(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? TrustedRoot(jsonBytes: UnsafeBufferPointer(start: data, count: size))
    return 0
}
