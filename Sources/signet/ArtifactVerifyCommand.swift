import ArgumentParser
import Foundation
import SignetClient
import SignetCore
import SignetVerify

/// `signet artifact verify`: the deploy gate. Fetches the name's signatures and revocations
/// from the server and runs each signature through the one engine with the client's own
/// trust; or, with `--offline`, verifies a bundle against an exported revocation snapshot.
struct ArtifactVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an artifact by name: one signature must pass every check and be unrevoked.",
        discussion:
            "Exit codes: 0 verified; 1 no signature passed; 2 signatures exist but none by the issuer, identity or provenance asked for; 3 unusable input; 4 the server could not be asked; 5 no signature for the name."
    )

    @OptionGroup var artifact: NameOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var provenance: ProvenanceOptions
    @Option(help: "The OIDC issuer the certificate must name.") var certificateOidcIssuer: String
    @Option(help: "The identity the certificate must have.") var certificateIdentity: String?
    @Flag(help: "Let provenance the signer stated at registration meet a provenance flag the certificate does not attest.")
    var acceptStatedProvenance = false
    @Flag(
        help:
            "Accept any signer of the issuer: without it, name --certificate-identity or an attested publisher (--source-repository, --source-repository-owner, --build-config-name)."
    )
    var anySigner = false
    @Flag(help: "Verify without the server: --bundle and --revocations.") var offline = false
    @Option(help: "With --offline: the Sigstore bundle.") var bundle: String?
    @Option(help: "With --offline: a snapshot from `signet revocations export`.") var revocations: String?
    @Option(help: "With --offline: the oldest revocation snapshot accepted, as N followed by s, m, h or d.") var maxSnapshotAge = "24h"

    func validate() throws {
        _ = try DurationOption.seconds(maxSnapshotAge, option: "--max-snapshot-age")
        if offline {
            guard bundle != nil, revocations != nil else {
                throw ValidationError("--offline needs --bundle B and --revocations FILE (from `signet revocations export`)")
            }
        } else if bundle != nil || revocations != nil {
            throw ValidationError("--bundle and --revocations are for --offline; online, the server has the signatures")
        }
    }

    func run() async throws {
        await Signet.exiting {
            let name = try artifact.artifactName()
            let trust = try registry.trust()
            let verifier: ArtifactVerifier
            do { verifier = ArtifactVerifier(verifier: try BundleVerifier(trustedRoot: trust.trustedRoot)) } catch {
                throw CommandFailure.unusable("the trusted root is not usable: \(error)")
            }
            var signatures: [ArtifactVerifier.Signature] = []
            var statements: [RevocationStatement] = []
            // Online, only signatures in the namespace that owns the name count.
            var owner: String?
            if offline, let bundle, let revocations {
                let signed: RevocationSnapshot.Signed
                do {
                    signed = try RevocationSnapshot.Signed(
                        jsonBytes: try InputFiles.read(revocations, what: "revocation snapshot", maxBytes: RevocationSnapshot.maxBytes))
                } catch let failure as CommandFailure {
                    throw failure
                } catch { throw CommandFailure.unusable("revocation snapshot \(revocations): \(error)") }
                let snapshot: RevocationSnapshot
                do { snapshot = try verifier.revocations(in: signed, server: try? registry.serverURL(trust)) } catch {
                    throw CommandFailure(exitCode: SignetExit.verificationFailed, message: "\(error)")
                }
                // A snapshot cannot show revocations made after it: refuse one older than the
                // caller accepts, and say its time either way.
                let maxAge = try DurationOption.seconds(maxSnapshotAge, option: "--max-snapshot-age")
                let age = Timestamp(.now).seconds - snapshot.time.seconds
                guard age <= maxAge else {
                    throw CommandFailure(
                        exitCode: SignetExit.verificationFailed,
                        message:
                            "revocation snapshot: expected one made within \(maxSnapshotAge), found one made at \(snapshot.time) (\(age) s ago); export a fresh one with `signet revocations export`"
                    )
                }
                FileHandle.standardError.write(
                    Data("revocation snapshot of \(snapshot.time) (\(max(0, age)) s old), \(snapshot.revocations.count) revocations\n".utf8))
                statements = snapshot.revocations
                signatures = [ArtifactVerifier.Signature(id: bundle, bundle: try InputFiles.bundle(bundle))]
            } else {
                let found: ArtifactClient.Signatures
                do { found = try await registry.client(trust, credential: try await registry.credential(required: false)).signatures(of: name) } catch {
                    throw SigningFlow.failure(error)
                }
                signatures = found.signatures.map { ArtifactVerifier.Signature(id: $0.id, bundle: $0.bundle, summary: $0.summary) }
                statements = found.revocations
                owner = found.namespace ?? ""
            }
            let policy: VerificationPolicy
            do throws(VerificationError) {
                policy = try VerificationPolicy.artifact(
                    issuer: certificateOidcIssuer, identity: certificateIdentity, provenance: provenance.values, acceptingStated: acceptStatedProvenance,
                    anySigner: anySigner)
            } catch { throw CommandFailure.unusable("\(error.code.rawValue): \(error.reason)") }
            let report = verifier.verify(name: name, owner: owner, signatures: signatures, revocations: statements, policy: policy)
            return Self.print(report)
        }
    }

    /// Prints the outcome and returns its exit code.
    static func print(_ report: ArtifactVerifier.Report) -> Int32 {
        if let (id, verified) = report.verified {
            var line = "verified \(report.name)\n  signature \(id)"
            if case .success(let details) = verified.result {
                line += "\n  signed by \(details.identities.first ?? "?") (issuer \(details.issuer ?? "?"))"
                if let certificate = details.certificate {
                    let facts: [(String, FulcioExtension)] = [
                        ("source", .sourceRepositoryURI), ("ref", .sourceRepositoryRef), ("commit", .sourceRepositoryDigest),
                    ]
                    let found = facts.compactMap { label, field in (try? field.value(in: certificate)).flatMap { $0 }.map { "\(label) \($0)" } }
                    if !found.isEmpty { line += "\n  " + found.joined(separator: ", ") }
                }
                if let entry = details.logEntries.first { line += "\n  log index \(entry.index)" }
            }
            Swift.print(line)
            return SignetExit.verified
        }
        guard report.hasSignatures else {
            FileHandle.standardError.write(Data("error: no signature for \(report.name)\n".utf8))
            return SignetExit.noSignature
        }
        let failures = report.failures
        let lines =
            ["error: no signature of \(report.name) passed verification:"]
            + failures.map { "  signature \($0.id): \($0.error.code.rawValue): \($0.error.reason)" }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        // A policy mismatch (or unusable input) only when every signature failed that way.
        let shared = Set(failures.map(\.error.exitCode))
        if shared.count == 1, let code = shared.first, code == SignetExit.policyMismatch || code == SignetExit.unusableInput { return code }
        return SignetExit.verificationFailed
    }
}
