import FuzzDriver
import SignetCore

/// Private key files (encrypted PKCS #8 with scrypt or PBKDF2, PKCS #8, SEC 1), as `signet sign
/// --key` and `signet key import` read them: every cost bounded before any work.
@main
enum FuzzPrivateKeyFile {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzPrivateKeyFile) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrivateKeyFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? PrivateKeyFile.read(text) { () throws(PrivateKeyFile.KeyFileError) in Array("fuzz".utf8) }
    return 0
}
