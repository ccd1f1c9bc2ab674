import Crypto
import Dispatch
import FuzzDriver
import SignetCore
import SignetIdentity

/// OIDC identity tokens (RFC 7519 JWTs in RFC 7515 JWS compact form), as the CA's
/// `signingCert` reads them. Each input is read as a compact token, and, so the fuzzer reaches
/// the claim checks behind the signature, as a claims set that the harness signs with the key
/// of a configured issuer before verifying it. The issuers are `https://fuzz.invalid/<profile>`,
/// one per ``IssuerProfile``; the clock reads 2023-11-14T22:13:20Z (1700000000).
@main
enum FuzzIdentityToken {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzIdentityToken) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIdentityToken(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    verify(String(decoding: bytes, as: UTF8.self))
    let signingInput = header + "." + Base64URL.encode(bytes)
    if let signature = try? issuerKey.signature(for: Array(signingInput.utf8)) {
        verify(signingInput + "." + Base64URL.encode(signature.rawRepresentation))
    }
    return 0
}

private let issuerKey: P256.Signing.PrivateKey = {
    // A fixed scalar: the harness signs claims, it protects nothing.
    guard let key = try? P256.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 0x5A, count: 32)) else {
        fatalError("the harness's fixed P-256 scalar is invalid")
    }
    return key
}()

private let header = Base64URL.encode(Array(#"{"alg":"ES256","kid":"fuzz","typ":"JWT"}"#.utf8))

private struct FixedTime: TimeSource {
    func now() -> Timestamp { Timestamp(seconds: 1_700_000_000) }
}

private let verifier: TokenVerifier = {
    let point = Array(issuerKey.publicKey.x963Representation.dropFirst())
    let jwks =
        #"{"keys":[{"kty":"EC","crv":"P-256","kid":"fuzz","x":""# + Base64URL.encode(point.prefix(32))
        + #"","y":""# + Base64URL.encode(point.suffix(32)) + #""}]}"#
    guard let keySet = try? JSONWebKeySet(jsonBytes: Array(jwks.utf8)), keySet.keys.count == 1 else {
        fatalError("the harness's key set does not parse")
    }
    let issuers = IssuerProfile.allCases.map { TrustedIssuer(url: "https://fuzz.invalid/\($0.rawValue)", profile: $0) }
    return TokenVerifier(
        issuers: issuers,
        keys: StaticJWKSSource(Dictionary(uniqueKeysWithValues: issuers.map { ($0.url, keySet) })),
        timeSource: FixedTime()
    )
}()

/// Runs the asynchronous verifier to completion (its key source never suspends for long).
private func verify(_ token: String) {
    let done = DispatchSemaphore(value: 0)
    Task {
        _ = try? await verifier.verify(token)
        done.signal()
    }
    done.wait()
}
