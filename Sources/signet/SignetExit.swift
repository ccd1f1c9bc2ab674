import ArgumentParser

/// The exit codes of `signet`, stable and documented in the README.
enum SignetExit {
    /// The bundle verified and matches the policy.
    static let verified: Int32 = 0
    /// Verification failed: a signature, proof, chain, timestamp or log entry is wrong.
    static let verificationFailed: Int32 = 1
    /// The bundle is sound but not signed by whom the policy names (identity, issuer, key).
    static let policyMismatch: Int32 = 2
    /// An input could not be used: a missing or unreadable file, malformed JSON, a bad trust root.
    static let unusableInput: Int32 = 3
    /// Signing failed: the CA, log or TSA refused the request, could not be reached, or
    /// answered with something that does not verify.
    static let signingFailed: Int32 = 4
    /// Verification by name found no signature registered under the name.
    static let noSignature: Int32 = 5
}

/// A failure that ends the command with a one-line message and a stable exit code.
struct CommandFailure: Error, CustomStringConvertible {
    var exitCode: Int32
    var message: String

    static func unusable(_ message: String) -> CommandFailure {
        CommandFailure(exitCode: SignetExit.unusableInput, message: message)
    }

    var description: String { message }
}
