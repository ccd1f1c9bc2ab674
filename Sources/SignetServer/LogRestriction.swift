import SignetCore
import SignetLog
import X509

/// Which entries the log takes from outside (`logAccepts`): any entry whose signatures verify,
/// as a Rekor does (the default), or, restricted to this instance, only one whose every
/// signature was made with a certificate this instance's CA issued (the CA's intermediate
/// signed it) or with a key the configuration registers (`logKeys`). The server's own
/// statements (revocations, policies, gate exports) are certified by its CA, so they pass.
struct LogRestriction: Sendable {
    /// The certificate that signs this instance's leaves.
    let issuer: Certificate
    /// SHA-256 of each registered key's SubjectPublicKeyInfo.
    let registeredKeys: Set<[UInt8]>

    /// Refuses (403 `log-restricted`) an entry signed with anything else.
    func check(_ entry: AdmittedEntry) throws {
        for verifier in entry.verifiers {
            if let certificate = verifier.certificate {
                guard certificate.issuer == issuer.subject, issuer.publicKey.isValidSignature(certificate.signature, for: certificate) else {
                    throw APIError(
                        .forbidden, "log-restricted",
                        "expected a certificate this instance's CA issued (this log takes no other), found one issued by \(certificate.issuer)")
                }
            } else if !registeredKeys.contains(sha256(verifier.der)) {
                throw APIError(
                    .forbidden, "log-restricted",
                    "expected a key the server's configuration registers (logKeys) or a certificate its CA issued, found key sha256:\(Hex.encode(sha256(verifier.der)))"
                )
            }
        }
    }
}
