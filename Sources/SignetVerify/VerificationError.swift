import SignetCore

/// The one error type of SignetVerify: why a bundle did not verify. `code` is stable and
/// documented (README, "Error codes"); `reason` says what was expected and what was found.
public struct VerificationError: CodedError, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The bundle, trusted root or artifact could not be read or is malformed.
        case unusableInput = "unusable-input"
        /// The trusted root is malformed or unusable.
        case trustRootInvalid = "trust-root-invalid"
        /// No verified time (RFC 3161 timestamp or signed entry timestamp) was found.
        case noTrustedTime = "no-trusted-time"
        /// An RFC 3161 timestamp did not verify.
        case timestampInvalid = "timestamp-invalid"
        /// The signing certificate does not chain to a trusted CA at the signing time.
        case certificateChainInvalid = "certificate-chain-invalid"
        /// The certificate's signed certificate timestamp did not verify.
        case sctInvalid = "sct-invalid"
        /// A verified time is outside the signing certificate's validity.
        case timeOutsideCertificateValidity = "time-outside-certificate-validity"
        /// The certificate identity (SAN) differs from the one required.
        case identityMismatch = "identity-mismatch"
        /// The certificate's OIDC issuer differs from the one required.
        case issuerMismatch = "issuer-mismatch"
        /// A provenance extension of the certificate (source ref, repository, build config, …)
        /// differs from the value required, or is absent.
        case provenanceMismatch = "provenance-mismatch"
        /// The bundle's signer material does not match what the policy asks for (key vs certificate).
        case signerMismatch = "signer-mismatch"
        /// A transparency-log entry is missing, from an unknown log, or its proof fails.
        case transparencyLogInvalid = "transparency-log-invalid"
        /// The checkpoint does not verify or does not match the inclusion proof.
        case checkpointInvalid = "checkpoint-invalid"
        /// The signed entry timestamp does not verify.
        case signedEntryTimestampInvalid = "signed-entry-timestamp-invalid"
        /// The signature does not verify over the artifact.
        case signatureInvalid = "signature-invalid"
        /// The artifact is not the one the bundle signs (digest or in-toto subject mismatch).
        case artifactMismatch = "artifact-mismatch"
        /// The log entry does not describe this bundle's signature, key or artifact.
        case entryMismatch = "entry-mismatch"
        /// The signature verified, but a revocation covers it (who revoked, when, why).
        case revoked = "revoked"
        /// The signature is registered in a namespace other than the one that owns the name.
        case namespaceMismatch = "namespace-mismatch"
        /// Verification by name asked for no identity and no attested publisher (repository,
        /// owner, build configuration or build signer) without saying any signer will do.
        case signerUnconstrained = "signer-unconstrained"

        /// Whether this failure is a policy mismatch (the signature is sound but not by whom
        /// or what the caller asked for), as opposed to a failed verification.
        public var isPolicyMismatch: Bool {
            switch self {
            case .identityMismatch, .issuerMismatch, .provenanceMismatch, .signerMismatch, .namespaceMismatch: true
            default: false
            }
        }
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public init(_ error: FormatError) {
        self.init(.unusableInput, error.description)
    }
}
