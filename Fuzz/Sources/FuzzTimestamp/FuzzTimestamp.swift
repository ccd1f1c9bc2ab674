import FuzzDriver
import SignetCore
import SignetTSA

/// RFC 3161 time-stamp queries (as the TSA's `POST /api/v1/timestamp` reads them), responses
/// and tokens (CMS SignedData holding a TSTInfo, as the client and the verifier read them).
@main
enum FuzzTimestamp {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzTimestamp) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestamp(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? TimestampAuthority.parse(bytes)
    _ = try? TimeStampResponse(derEncoded: bytes)
    _ = try? TimeStampToken.fromResponse(bytes)
    if let token = try? TimeStampToken(contentInfoDER: bytes) {
        for signer in token.signedData.signerInfos {
            for attribute in signer.signedAttributes ?? [] {
                for value in attribute.values {
                    _ = try? ESSCertificateID(attributeValue: value, version2: true)
                    _ = try? ESSCertificateID(attributeValue: value, version2: false)
                }
            }
        }
    }
    return 0
}
