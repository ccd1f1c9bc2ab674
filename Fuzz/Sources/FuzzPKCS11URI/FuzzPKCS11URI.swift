import FuzzDriver
import SignetPKCS11

/// PKCS #11 URIs (RFC 7512), as `--key-store`, `keyStore`, `signet sign --key pkcs11:…` and
/// `signet key generate --pkcs11` read them; a URI shown again (and short enough to be read)
/// must read the same.
@main
enum FuzzPKCS11URI {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzPKCS11URI) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPKCS11URI(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if var uri = try? PKCS11URI(text) {
        uri.pinValue = nil
        let shown = uri.description
        if shown.utf8.count <= PKCS11URI.maxLength {
            guard let again = try? PKCS11URI(shown), again == uri else { fatalError("\(shown) does not read back as itself") }
        }
    }
    return 0
}
