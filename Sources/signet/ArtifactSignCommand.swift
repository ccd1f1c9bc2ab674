import ArgumentParser
import Foundation
import SignetClient
import SignetCore
import SignetVerify
import X509

/// `signet artifact sign`: keyless signing of a digest-pinned name with build provenance,
/// registered with the server under the name.
struct ArtifactSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign an artifact by name: a certificate carrying its provenance, a log entry, a timestamp, and registration under the name."
    )

    @OptionGroup var artifact: NameOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var provenance: ProvenanceOptions
    @Option(help: "The OIDC issuer the certificate must name (for an API key: the server's URL).") var certificateOidcIssuer: String
    @Option(help: "The identity the certificate must have, if you want it checked.") var certificateIdentity: String?
    @Option(help: "The namespace to sign into (default: your only one).") var namespace: String?
    @Option(help: "Also write the bundle here.") var bundle: String?

    func validate() throws {
        guard provenance.sourceRepositoryRef != nil else {
            throw ValidationError("give --source-repository-ref: the ref the artifact was built from (refs/tags/v1.0.0)")
        }
    }

    func run() async throws {
        await Signet.exiting {
            let name = try artifact.artifactName()
            let trust = try registry.trust()
            guard let credential = try await registry.credential(required: true) else {
                throw CommandFailure.unusable("no credential: pass --identity-token or --api-key")
            }
            let stated = provenance.values
            let registryClient = try registry.client(trust, credential: credential)
            let authorization = try await Self.authorize(
                name, registryClient, namespace: namespace, stated: stated, issuer: certificateOidcIssuer, identity: certificateIdentity)
            let client = try SigningFlow.client(trust, api: nil)
            let signed: SigstoreBundle
            do { signed = try await client.sign(digest: name.digest, identityToken: credential, statedProvenance: stated) } catch {
                throw SigningFlow.failure(error)
            }
            let registration = try await Self.register(
                signed, name: name, trust: trust, issuer: certificateOidcIssuer, authorization: authorization, copy: bundle, client: registryClient)
            print("signed \(name)\n\(registration.lines)")
            return SignetExit.verified
        }
    }

    /// Authorise before acting: the server decides the namespace, scope and revocation as
    /// registration will, and the issuer and identity are checked, before a certificate is
    /// issued or a log entry made, so a refused signing leaves nothing.
    static func authorize(
        _ name: ArtifactName, _ client: ArtifactClient, namespace: String?, stated: [FulcioExtension: String], issuer: String, identity: String?
    ) async throws -> ArtifactClient.Authorization {
        let authorization: ArtifactClient.Authorization
        do { authorization = try await client.authorize(name: name, namespace: namespace, provenance: stated) } catch {
            throw SigningFlow.failure(error)
        }
        guard authorization.issuer == issuer else {
            throw CommandFailure(
                exitCode: SignetExit.policyMismatch,
                message:
                    "issuer-mismatch: expected the certificate to name issuer \(issuer), found the credential's issuer \(authorization.issuer); nothing was signed"
            )
        }
        if let identity, authorization.identity != identity {
            throw CommandFailure(
                exitCode: SignetExit.policyMismatch,
                message:
                    "identity-mismatch: expected the certificate to name \(identity), found the credential's identity \(authorization.identity); nothing was signed"
            )
        }
        return authorization
    }

    /// Registers a new bundle as authorised, once it verifies with the client's own trust (and
    /// after writing it to `copy`, if given).
    static func register(
        _ signed: SigstoreBundle, name: ArtifactName, trust: ClientTrustConfig, issuer: String, authorization: ArtifactClient.Authorization,
        copy: String?, client: ArtifactClient
    ) async throws -> ArtifactClient.Registration {
        try check(signed, name: name, trust: trust, issuer: issuer, identity: authorization.identity, provenance: authorization.provenance)
        if let copy { try SigningFlow.write(signed, to: copy) }
        do {
            return try await client.register(
                name: name, bundle: signed, namespace: authorization.namespace, statedProvenance: authorization.statedProvenance)
        } catch { throw SigningFlow.failure(error) }
    }

    /// The new bundle must verify with the client's own trust for the issuer and identity
    /// authorised and the provenance the token attests before it is registered.
    static func check(
        _ bundle: SigstoreBundle, name: ArtifactName, trust: ClientTrustConfig, issuer: String, identity: String, provenance: [FulcioExtension: String]
    ) throws(CommandFailure) {
        let report: VerificationReport
        do {
            let policy = VerificationPolicy(signer: .certificate(identity: .exact(identity), issuer: issuer), provenance: provenance)
            report = try BundleVerifier(trustedRoot: trust.trustedRoot).verify(bundle, artifact: Artifact(digest: name.digest), policy: policy)
        } catch {
            throw .unusable("the trusted root is not usable: \(error)")
        }
        if case .failure(let error) = report.result {
            throw CommandFailure(exitCode: report.exitCode, message: "the new signature does not verify as asked, so it was not registered: \(error)")
        }
    }
}
