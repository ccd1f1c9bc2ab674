import ArgumentParser
import Foundation
import SignetClient
import SignetCore
import SignetVerify
import X509

/// What every signing command shares: the identity token, the instance and the log API.
struct SigningOptions: ParsableArguments {
    @Option(help: "The OIDC identity token (default: SIGNET_IDENTITY_TOKEN).") var identityToken: String?
    @Option(help: "The ClientTrustConfig naming the instance (default: SIGNET_TRUST_CONFIG, else the one `signet trust init` stored).") var trustConfig: String?
    @Option(help: "The Rekor API to log to: 1 or 2 (default: the highest the instance offers).") var rekorVersion: Int?

    func token() throws(CommandFailure) -> String {
        guard let token = identityToken ?? ProcessInfo.processInfo.environment["SIGNET_IDENTITY_TOKEN"], !token.isEmpty else {
            throw .unusable("no identity token: pass --identity-token or set SIGNET_IDENTITY_TOKEN")
        }
        return token
    }

    func rekorAPI() throws(CommandFailure) -> SigningClient.RekorAPI? {
        guard let rekorVersion else { return nil }
        guard let api = SigningClient.RekorAPI(rawValue: rekorVersion) else {
            throw .unusable("expected --rekor-version 1 or 2, found \(rekorVersion)")
        }
        return api
    }
}

/// Signing with a key the signer holds instead of keylessly: a key file or a key in a PKCS #11
/// token, named in the bundle by a hint or by a certificate from the organisation's own PKI.
struct KeyedSigningOptions: ParsableArguments {
    @Option(help: "Sign with this key instead of keylessly: a PEM private key file (see `signet key`) or a pkcs11: URI (RFC 7512).") var key: String?
    @Option(help: "With --key: a PEM certificate for the key from your organisation's PKI, carried in the bundle.") var certificate: String?
    @Option(help: "With --certificate: the PEM chain it must chain to (intermediates, then the root).") var certificateChain: String?
    @OptionGroup var passphrase: KeyPassphraseOptions

    func validate() throws {
        if key == nil && certificate != nil { throw ValidationError("--certificate names the certificate of a --key; give --key too") }
        if (certificate == nil) != (certificateChain == nil) {
            throw ValidationError("give --certificate and --certificate-chain together: the bundle is checked against the chain before it is written")
        }
    }

    /// The key and how the bundle names it; nil when signing keylessly.
    func keyed() throws(CommandFailure) -> KeyedSigning? {
        guard let key else { return nil }
        let signer = try SigningKeys.load(key, passphrase: passphrase)
        let fingerprint = "sha256:" + Hex.encode(sha256(signer.publicKeySPKI))
        guard let certificate, let certificateChain else {
            let verificationKey: VerificationKey
            do { verificationKey = try VerificationKey(spki: signer.publicKeySPKI) } catch { throw .unusable("the key's public key: \(error)") }
            return KeyedSigning(
                signer: signer, material: .publicKey, policy: VerificationPolicy(signer: .publicKey(verificationKey, spki: signer.publicKeySPKI)),
                description: "with key \(fingerprint)")
        }
        let text = String(decoding: try InputFiles.read(certificate, what: "certificate", maxBytes: 1 << 20), as: UTF8.self)
        let leaf: [UInt8]
        do {
            guard let block = try PEM.decodeAll(text, context: "certificate").first(where: { $0.label == "CERTIFICATE" }) else {
                throw CommandFailure.unusable("certificate \"\(certificate)\" holds no CERTIFICATE block")
            }
            leaf = block.der
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw .unusable("certificate \"\(certificate)\" is not PEM: \(error)")
        }
        let anchors = try VerifyAnchors.load(certificateChain)
        let identities = (try? Certificate(derEncoded: leaf).sanIdentities()) ?? []
        return KeyedSigning(
            signer: signer, material: .certificate(leaf), policy: VerificationPolicy(signer: .organizationCertificate(identity: .any, anchors: anchors)),
            description:
                "as \(identities.first ?? "the certificate's subject") (certificate from \(anchors.rootSubjects.joined(separator: ", "))), key \(fingerprint)")
    }
}

/// A key to sign with, how the bundle names it, and the policy a fresh bundle is checked with.
struct KeyedSigning {
    var signer: any Signer
    var material: SigningClient.KeyMaterial
    var policy: VerificationPolicy
    var description: String
}

/// Signing, then checking the result against the trusted root before it is written.
enum SigningFlow {
    static func client(_ config: ClientTrustConfig, api: SigningClient.RekorAPI?) throws(CommandFailure) -> SigningClient {
        do {
            return try SigningClient(signingConfig: config.signingConfig, rekorAPI: api)
        } catch {
            throw .unusable("\(error)")
        }
    }

    /// Verifies a fresh bundle with the one verification engine, for the identity its own
    /// certificate names (or, keyed, for the key or the organisation's anchors it was made
    /// with), so nothing the servers got wrong is ever written. Says who signed.
    private static func check(_ bundle: SigstoreBundle, artifact: Artifact, root: TrustedRoot, keyed: KeyedSigning?) throws(CommandFailure) -> String {
        let policy: VerificationPolicy
        let signer: String
        if let keyed {
            (policy, signer) = (keyed.policy, keyed.description)
        } else {
            guard let leafDER = bundle.signer.leafCertificate, let leaf = try? Certificate(derEncoded: leafDER),
                let identity = try? leaf.sanIdentities().first, let issuer = try? leaf.fulcioIssuer()
            else {
                throw CommandFailure(exitCode: SignetExit.verificationFailed, message: "the CA's certificate names no identity or issuer")
            }
            (policy, signer) = (.identity(identity, issuer: issuer), "as \(identity) (issuer \(issuer))")
        }
        let report: VerificationReport
        do {
            report = try BundleVerifier(trustedRoot: root).verify(bundle, artifact: artifact, policy: policy)
        } catch {
            throw .unusable("the trusted root is not usable: \(error)")
        }
        if case .failure(let error) = report.result {
            throw CommandFailure(
                exitCode: SignetExit.verificationFailed, message: "the new bundle does not verify against the trusted root, so it was not written: \(error)")
        }
        return signer
    }

    /// A file to sign, with its SHA-256 digest.
    static func artifact(_ file: String) throws(CommandFailure) -> (artifact: Artifact, digest: [UInt8]) {
        let artifact = try InputFiles.artifact(at: file)
        guard let digest = artifact.digests[.sha256] else { throw .unusable("no SHA-256 digest of \(file)") }
        return (artifact, digest)
    }

    /// Checks a fresh bundle, writes it, and says who signed it, where it is in the log and
    /// where it was written.
    static func keep(_ bundle: SigstoreBundle, artifact: Artifact, root: TrustedRoot, at path: String, keyed: KeyedSigning? = nil) throws(CommandFailure)
        -> String
    {
        let signer = try check(bundle, artifact: artifact, root: root, keyed: keyed)
        try write(bundle, to: path)
        return "\(signer); log index \(bundle.tlogEntries[0].logIndex); bundle \(path)"
    }

    static func write(_ bundle: SigstoreBundle, to path: String) throws(CommandFailure) {
        do {
            try Data(bundle.json.compactBytes() + [0x0A]).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unusable("cannot write the bundle to \(path): \(error.localizedDescription)")
        }
    }

    static func failure(_ error: any Error) -> CommandFailure {
        if let failure = error as? CommandFailure { return failure }
        if let error = error as? SigningError { return CommandFailure(exitCode: SignetExit.signingFailed, message: error.description) }
        return CommandFailure(exitCode: SignetExit.signingFailed, message: "\(error)")
    }
}

/// `signet sign`: keyless signing of files into v0.3 bundles.
struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign files keylessly: a short-lived certificate, a log entry and a timestamp, in a Sigstore bundle per file."
    )

    @OptionGroup var options: SigningOptions
    @OptionGroup var keyOptions: KeyedSigningOptions
    @Option(help: "Where to write the bundle (one file only; default FILE.sigstore.json).") var bundle: String?
    @Argument(help: "The files to sign.") var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one file to sign") }
        guard bundle == nil || files.count == 1 else {
            throw ValidationError("--bundle names one output; give one file, or omit it to write FILE.sigstore.json for each")
        }
    }

    func run() async throws {
        await Signet.exiting {
            let config = try ClientTrust.load(path: options.trustConfig)
            let client = try SigningFlow.client(config, api: try options.rekorAPI())
            let keyed = try keyOptions.keyed()
            let token = keyed == nil ? try options.token() : ""
            for file in files {
                let (artifact, digest) = try SigningFlow.artifact(file)
                let signed: SigstoreBundle
                do {
                    if let keyed {
                        guard let keyDigest = artifact.digests[keyed.signer.algorithm.hash] else { throw CommandFailure.unusable("no digest of \(file)") }
                        signed = try await client.sign(digest: keyDigest, with: keyed.signer, as: keyed.material)
                    } else {
                        signed = try await client.sign(digest: digest, identityToken: token)
                    }
                } catch {
                    throw SigningFlow.failure(error)
                }
                print(
                    "signed \(file) "
                        + (try SigningFlow.keep(signed, artifact: artifact, root: config.trustedRoot, at: bundle ?? file + ".sigstore.json", keyed: keyed)))
            }
            return SignetExit.verified
        }
    }
}

/// `signet attest`: an in-toto statement about a file, signed as DSSE.
struct AttestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Sign an in-toto attestation (a predicate about a file) as a DSSE envelope in a Sigstore bundle."
    )

    @OptionGroup var options: SigningOptions
    @OptionGroup var keyOptions: KeyedSigningOptions
    @Option(help: "The predicate: a JSON file.") var predicate: String
    @Option(help: "The predicate type URI, e.g. https://slsa.dev/provenance/v1.") var predicateType: String
    @Option(help: "Where to write the bundle (default FILE.sigstore.json).") var bundle: String?
    @Argument(help: "The file the attestation is about.") var file: String

    func run() async throws {
        await Signet.exiting {
            let config = try ClientTrust.load(path: options.trustConfig)
            let client = try SigningFlow.client(config, api: try options.rekorAPI())
            let keyed = try keyOptions.keyed()
            let token = keyed == nil ? try options.token() : ""
            let predicateBytes = try InputFiles.read(predicate, what: "predicate", maxBytes: 1 << 20)
            let predicateValue: JSONValue
            do { predicateValue = try JSONParser().parse(predicateBytes, context: "predicate") } catch {
                throw CommandFailure.unusable("predicate \"\(predicate)\" is not JSON: \(error)")
            }
            guard case .object = predicateValue else { throw CommandFailure.unusable("predicate \"\(predicate)\" must be a JSON object") }
            guard let url = URL(string: predicateType), url.scheme != nil else {
                throw CommandFailure.unusable("expected --predicate-type to be a URI, found \"\(predicateType.prefix(100))\"")
            }
            let (artifact, digest) = try SigningFlow.artifact(file)
            let statement = InTotoStatement(
                subjects: [.init(name: URL(fileURLWithPath: file).lastPathComponent, digest: ["sha256": Hex.encode(digest)])],
                predicateType: predicateType, predicate: predicateValue)
            let signed: SigstoreBundle
            do {
                if let keyed {
                    signed = try await client.attest(statement: statement, with: keyed.signer, as: keyed.material)
                } else {
                    signed = try await client.attest(statement: statement, identityToken: token)
                }
            } catch {
                throw SigningFlow.failure(error)
            }
            print(
                "attested \(file) (\(predicateType)) "
                    + (try SigningFlow.keep(signed, artifact: artifact, root: config.trustedRoot, at: bundle ?? file + ".sigstore.json", keyed: keyed)))
            return SignetExit.verified
        }
    }
}

/// `signet sign-bundle`: the sigstore-conformance signing protocol.
struct SignBundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-bundle",
        abstract: "Sign FILE into a bundle (sigstore-conformance protocol).",
        shouldDisplay: false
    )

    @Flag(help: "Use Sigstore's staging instance (not supported: pass --signing-config).") var staging = false
    @Flag(help: "FILE is an in-toto statement to sign as DSSE.") var inToto = false
    @Option(help: "The OIDC identity token.") var identityToken: String
    @Option(help: "Where to write the bundle.") var bundle: String
    @Option(help: "The trusted root to check the result against.") var trustedRoot: String?
    @Option(help: "The signing config naming the CA, log and TSA.") var signingConfig: String?
    @Option(help: "A ClientTrustConfig (instead of --trusted-root and --signing-config).") var trustConfig: String?
    @Argument(help: "The file to sign.") var file: String

    func run() async throws {
        await Signet.exiting {
            let config: ClientTrustConfig
            if let trustedRoot, let signingConfig {
                let root = try InputFiles.trustedRoot(path: trustedRoot, trustConfig: nil, staging: false)
                let bytes = try InputFiles.read(signingConfig, what: "signing config", maxBytes: 1 << 20)
                do {
                    config = ClientTrustConfig(
                        trustedRoot: root,
                        signingConfig: try SigningConfig(json: try JSONParser().parse(bytes, context: "signing config"), path: "signingConfig"))
                } catch {
                    throw CommandFailure.unusable("signing config \"\(signingConfig)\" is not usable: \(error)")
                }
            } else {
                if staging {
                    throw CommandFailure.unusable("--staging needs Sigstore's live staging instance; pass --trusted-root and --signing-config instead")
                }
                config = try ClientTrust.load(path: trustConfig)
            }
            let client = try SigningFlow.client(config, api: nil)
            let signed: SigstoreBundle
            let artifact: Artifact
            if inToto {
                let bytes = try InputFiles.read(file, what: "in-toto statement", maxBytes: 1 << 20)
                let statement: InTotoStatement
                do { statement = try InTotoStatement(payload: bytes) } catch { throw CommandFailure.unusable("\(file) is not an in-toto statement: \(error)") }
                guard let subject = statement.subjects.first, let hex = subject.digest["sha256"], let digest = Hex.decode(hex) else {
                    throw CommandFailure.unusable("the statement's first subject has no sha256 digest")
                }
                artifact = Artifact(digests: [.sha256: digest])
                do { signed = try await client.attest(statement: statement, identityToken: identityToken) } catch { throw SigningFlow.failure(error) }
            } else {
                let digest: [UInt8]
                (artifact, digest) = try SigningFlow.artifact(file)
                do { signed = try await client.sign(digest: digest, identityToken: identityToken) } catch { throw SigningFlow.failure(error) }
            }
            _ = try SigningFlow.keep(signed, artifact: artifact, root: config.trustedRoot, at: bundle)
            return SignetExit.verified
        }
    }
}
