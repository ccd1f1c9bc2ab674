import FuzzDriver
import SignetCore

/// Public keys: DER SubjectPublicKeyInfo and PEM, as `signet verify --key`, trusted roots and
/// the log's entries read them.
@main
enum FuzzVerificationKey {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzVerificationKey) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVerificationKey(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? VerificationKey(spki: bytes)
    _ = try? VerificationKey(pem: String(decoding: bytes, as: UTF8.self))
    return 0
}
