import FuzzDriver
import SignetIdentity

/// A JWK Set (RFC 7517 §5), as the CA reads an issuer's keys.
@main
enum FuzzJSONWebKeySet {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzJSONWebKeySet) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONWebKeySet(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? JSONWebKeySet(jsonBytes: Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
