import ArgumentParser
import SignetCore
import SignetVerify

/// The options every verify command shares: the bundle, who must have signed, and what to trust.
struct VerificationOptions: ParsableArguments {
    @Option(name: .long, help: "The Sigstore bundle (.sigstore.json).")
    var bundle: String?

    /// The bundle, which every single-artifact verification needs.
    func requiredBundle() throws(CommandFailure) -> String {
        guard let bundle else { throw .unusable("expected --bundle FILE, found none") }
        return bundle
    }

    @Option(name: .long, help: "The exact identity (SAN email or URI) the certificate must have.")
    var certificateIdentity: String?

    @Option(name: .long, help: "The OIDC issuer the certificate must name.")
    var certificateOidcIssuer: String?

    @Option(name: .long, help: "A PEM public key, for bundles signed with a managed key instead of a certificate.")
    var key: String?

    @Option(
        name: .long,
        help:
            "Your organisation's PEM certificate chain (intermediates, then the root), for bundles whose certificate comes from your own PKI instead of the instance's CA."
    )
    var certificateChain: String?

    @Option(name: .long, help: "A trusted root JSON file (default: the Sigstore public-good root).")
    var trustedRoot: String?

    @Flag(name: .long, help: "Use the Sigstore public-good staging root when no trusted root is given.")
    var staging = false

    func validateSigner(allowRegexp regexp: String? = nil) throws {
        let hasIdentity = certificateIdentity != nil || regexp != nil
        if certificateIdentity != nil && regexp != nil {
            throw ValidationError("give either --certificate-identity or --certificate-identity-regexp, not both")
        }
        if certificateChain != nil {
            guard key == nil, certificateOidcIssuer == nil, hasIdentity else {
                throw ValidationError(
                    "with --certificate-chain, give --certificate-identity (a certificate of your own PKI names no OIDC issuer), and neither --key nor --certificate-oidc-issuer"
                )
            }
            return
        }
        if key != nil && (hasIdentity || certificateOidcIssuer != nil) {
            throw ValidationError("give either --key or --certificate-identity with --certificate-oidc-issuer, not both")
        }
        if key == nil && !(hasIdentity && certificateOidcIssuer != nil) {
            throw ValidationError("give --certificate-identity and --certificate-oidc-issuer, or --key")
        }
    }

    func policy(identityRegexp: String? = nil) throws(CommandFailure) -> VerificationPolicy {
        if let key {
            let (verificationKey, spki) = try InputFiles.key(key)
            return VerificationPolicy(signer: .publicKey(verificationKey, spki: spki))
        }
        let matcher: VerificationPolicy.IdentityMatcher = identityRegexp.map { .regularExpression($0) } ?? .exact(certificateIdentity ?? "")
        if let certificateChain {
            return VerificationPolicy(signer: .organizationCertificate(identity: matcher, anchors: try VerifyAnchors.load(certificateChain)))
        }
        return VerificationPolicy(signer: .certificate(identity: matcher, issuer: certificateOidcIssuer ?? ""))
    }
}

/// Reading an organisation's certificate chain from a file.
enum VerifyAnchors {
    static func load(_ path: String) throws(CommandFailure) -> CertificateAnchors {
        let text = String(decoding: try InputFiles.read(path, what: "certificate chain", maxBytes: 1 << 20), as: UTF8.self)
        do {
            return try CertificateAnchors(pem: text, context: path)
        } catch {
            throw .unusable(error.reason)
        }
    }
}

extension VerificationReport {
    /// The exit code for this outcome.
    var exitCode: Int32 {
        switch result {
        case .success: SignetExit.verified
        case .failure(let error): error.exitCode
        }
    }
}

extension VerificationError {
    /// The exit code for this failure.
    var exitCode: Int32 {
        if code == .unusableInput || code == .trustRootInvalid { return SignetExit.unusableInput }
        return code.isPolicyMismatch ? SignetExit.policyMismatch : SignetExit.verificationFailed
    }
}
