import SignetCore

/// The one error type of SignetCA: why a certificate was not issued. `code` is stable; the
/// HTTP status is decided at the server's edge.
public struct CertificateAuthorityError: CodedError, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The request body is not a Fulcio v2 signing-certificate request.
        case invalidRequest = "invalid-request"
        /// The CSR or public key is malformed or of an algorithm the CA does not certify.
        case unsupportedKey = "unsupported-key"
        /// The CSR's self-signature or the proof of possession does not verify.
        case invalidProofOfPossession = "invalid-proof-of-possession"
        /// The CA could not sign (its key or clock failed).
        case signingFailed = "signing-failed"
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }
}
