import FuzzDriver
import SignetCA
import SignetCore

/// Fulcio `signingCert` request bodies, as the CA's `POST /api/v2/signingCert` reads them. Each
/// input is read as a JSON body, and, so the fuzzer can work on the PKCS#10 structure itself,
/// as the DER of a CSR wrapped into a body the way a client sends one.
@main
enum FuzzSigningRequest {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzSigningRequest) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSigningRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? SigningCertificateRequest(jsonBytes: bytes)
    let pem = PEM.encode(bytes, label: "CERTIFICATE REQUEST")
    let body = #"{"certificateSigningRequest":""# + Base64.encode(Array(pem.utf8)) + #""}"#
    _ = try? SigningCertificateRequest(jsonBytes: Array(body.utf8))
    return 0
}
