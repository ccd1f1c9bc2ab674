import FuzzDriver
import SignetCore
import X509

/// X.509 certificates (DER) through the Fulcio profile reader: issuer, SAN identities, every
/// Fulcio extension, embedded SCTs, the key, and the precertificate TBS used to check an SCT.
@main
enum FuzzCertificate {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzCertificate) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCertificate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let certificate = try? Certificate(derEncoded: bytes) else { return 0 }
    _ = try? certificate.fulcioIssuer()
    _ = try? certificate.sanIdentities()
    for fulcioExtension in FulcioExtension.allCases {
        _ = try? fulcioExtension.value(in: certificate)
    }
    _ = try? SignedCertificateTimestamp.embedded(in: certificate)
    _ = try? VerificationKey(certificate: certificate)
    _ = try? SignedCertificateTimestamp.tbsRemovingExtension(SignedCertificateTimestamp.extensionOID, fromCertificateDER: bytes)
    return 0
}
