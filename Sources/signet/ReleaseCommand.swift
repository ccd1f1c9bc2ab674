import ArgumentParser
import Foundation
import SignetClient
import SignetCore
import SignetPolicy
import SignetVerify
import X509

/// `signet release request | approve | show`: releases that need a quorum of approvers.
struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Release a name under its policy's quorum: open a request, approve or reject it with your own signature, see who is missing.",
        subcommands: [ReleaseRequestCommand.self, ReleaseApproveCommand.self, ReleaseShowCommand.self]
    )

    /// Prints a request as the server shows it, with its tally.
    static func describe(_ value: JSONValue) -> String {
        guard case .object(let request) = value else { return "" }
        func text(_ key: String) -> String {
            if case .string(let value)? = request[key] { return value }
            return ""
        }
        var lines = ["request \(text("request"))", "  environment \(text("environment")), policy \(text("policy")), expires \(text("expiresAt"))"]
        if case .object(let requester)? = request["requester"], case .string(let identity)? = requester["identity"] {
            lines.append("  requested by \(identity)")
        }
        if case .bool(true)? = request["breakGlass"] { lines.append("  BREAK GLASS: \(text("reason"))") }
        if !text("status").isEmpty { lines.append("  status \(text("status"))") }
        if case .array(let approvals)? = request["approvals"] {
            for case .object(let approval) in approvals {
                if case .string(let approver)? = approval["approver"], case .string(let role)? = approval["role"],
                    case .string(let decision)? = approval["decision"]
                {
                    lines.append("  \(decision == "approve" ? "approved" : "rejected") by \(approver) as \(role)")
                }
            }
        }
        if case .array(let missing)? = request["missing"], !missing.isEmpty {
            lines.append("  missing: " + missing.compactMap { if case .string(let item) = $0 { item } else { nil } }.joined(separator: ", "))
        }
        if case .array(let refused)? = request["refused"] {
            for case .object(let item) in refused {
                if case .string(let reason)? = item["reason"] { lines.append("  not counted: \(reason)") }
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// `signet release request --name N@D --environment E`.
struct ReleaseRequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Open a release request: approvers then approve it until the quorum is met (exit 0 opened).")

    @OptionGroup var registry: RegistryOptions
    @Option(help: "The artifact: host[:port]/path@sha256:<64 hex>.") var name: String
    @Option(help: "The environment to release to.") var environment: String
    @Flag(help: "Break glass: the quorum's break-glass approvers, a short validity, always alerted.") var breakGlass = false
    @Option(help: "Why (required with --break-glass).") var reason: String?

    func run() async throws {
        await Signet.exiting {
            let name = try NameOptions.parse(self.name)
            let trust = try registry.trust()
            let client = try registry.client(trust, credential: try await registry.credential(required: true))
            let answer: JSONValue
            do { answer = try await client.requestRelease(name: name, environment: environment, breakGlass: breakGlass, reason: reason ?? "") } catch {
                throw SigningFlow.failure(error)
            }
            print(ReleaseCommand.describe(answer))
            if case .object(let object) = answer, case .string(let reference)? = object["request"] {
                print("approve with: signet release approve '\(reference)' --role ROLE")
            }
            return SignetExit.verified
        }
    }
}

/// `signet release approve REQUEST --role R [--reject] [--reason …]`.
struct ReleaseApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve (or reject) a release request: shows the locally verified digest and provenance, then signs your approval and hands it in.",
        discussion:
            "Exit codes: 0 approval counted; 1 no signature of the name, or no such request, verifies locally (nothing signed); 3 unusable input; 4 refused by the server."
    )

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var keyOptions: KeyedSigningOptions
    @Argument(help: "The request: NAME@sha256:HEX#ID, as `signet release request` printed it.") var request: String
    @Option(help: "The role you approve in.") var role: String
    @Flag(help: "Reject the request instead.") var reject = false
    @Option(help: "Your justification.") var reason: String?

    func run() async throws {
        await Signet.exiting {
            guard let (name, id) = ReleaseRequest.parse(reference: request) else {
                throw CommandFailure.unusable("expected a request as NAME@sha256:HEX#ID, found \"\(ProtoJSONObject.preview(request))\"")
            }
            let trust = try registry.trust()
            let credential = try await registry.credential(required: true) ?? ""
            let client = try registry.client(trust, credential: credential)
            // What is being approved, verified here and not taken from the server's word.
            let signatures: ArtifactClient.Signatures
            do { signatures = try await client.signatures(of: name) } catch { throw SigningFlow.failure(error) }
            let verifier: BundleVerifier
            do { verifier = try BundleVerifier(trustedRoot: trust.trustedRoot) } catch {
                throw CommandFailure.unusable("the trusted root is not usable: \(error)")
            }
            var shown = false
            for signature in signatures.signatures {
                guard let leafDER = signature.bundle.signer.leafCertificate, let leaf = try? Certificate(derEncoded: leafDER),
                    let identity = try? leaf.sanIdentities().first, let issuer = try? leaf.fulcioIssuer()
                else { continue }
                let report = verifier.verify(signature.bundle, artifact: Artifact(digest: name.digest), policy: .identity(identity, issuer: issuer))
                guard case .success(let verified) = report.result else { continue }
                print("verified locally: sha256:\(Hex.encode(name.digest)) of \(name.nameWithoutDigest)")
                print(
                    "  signed by \(identity) (issuer \(issuer)) at \(verified.times.map(\.time).min()?.description ?? "?"), log index \(verified.logEntries.first?.index ?? -1)"
                )
                for field in [FulcioExtension.sourceRepositoryURI, .sourceRepositoryRef, .sourceRepositoryDigest, .buildConfigURI, .runInvocationURI] {
                    if let value = try? field.value(in: leaf) { print("  \(field.fieldName): \(value)") }
                }
                shown = true
                break
            }
            guard shown else {
                throw CommandFailure(exitCode: SignetExit.verificationFailed, message: "no signature of \(name) verifies locally; nothing was signed")
            }
            // The request itself, as the server stated and logged it, verified here too: what is
            // approved is what this shows, not what the server says about it.
            let server = try registry.serverURL(trust)
            let authority = ReleaseRequest.authorityIdentity(server: server)
            let stated: [(bundle: SigstoreBundle, summary: JSONValue)]
            do { stated = try await client.attestations(of: name, type: ReleaseRequest.predicateType) } catch { throw SigningFlow.failure(error) }
            let verifiedRequest = stated.lazy.compactMap { bundle, _ -> ReleaseRequest? in
                guard verifier.verify(bundle, artifact: Artifact(digest: name.digest), policy: .identity(authority, issuer: server)).isVerified,
                    case .dsseEnvelope(let envelope) = bundle.content, let statement = try? InTotoStatement(payload: envelope.payload),
                    let request = try? ReleaseRequest(statement: statement), request.id == id, request.name == name
                else { return nil }
                return request
            }.first
            guard let release = verifiedRequest else {
                throw CommandFailure(
                    exitCode: SignetExit.verificationFailed,
                    message: "no release request \(id) of \(name) stated by \(authority) verifies locally; nothing was signed")
            }
            print("request \(release.reference) (verified locally, stated by \(authority))")
            print(
                "  environment \(release.environment), policy \(release.policy), requested by \(release.requester) at \(release.createdAt), expires \(release.expiresAt)"
            )
            if release.breakGlass { print("  BREAK GLASS: \(release.reason)") }
            let roles =
                release.breakGlass
                ? ["\(ReleaseRequest.breakGlassRole) (min \(release.quorum.breakGlass?.min ?? 0))"] : release.quorum.roles.map { "\($0.name) (min \($0.min))" }
            print("  quorum: \(roles.joined(separator: ", ")); \(release.breakGlass ? release.quorum.breakGlass?.min ?? 0 : release.quorum.total) in all")
            let approval = Approval(request: id, role: role, decision: reject ? .reject : .approve, justification: reason ?? "")
            let signer = try SigningFlow.client(trust, api: nil)
            let bundle: SigstoreBundle
            do {
                if let keyed = try keyOptions.keyed() {
                    bundle = try await signer.attest(statement: approval.statement(for: name), with: keyed.signer, as: keyed.material)
                } else {
                    bundle = try await signer.attest(statement: approval.statement(for: name), identityToken: credential)
                }
            } catch {
                throw SigningFlow.failure(error)
            }
            let answer: JSONValue
            do { answer = try await client.approveRelease(request, bundle: bundle) } catch { throw SigningFlow.failure(error) }
            guard case .object(let object) = answer else { return SignetExit.verified }
            var line = "\(reject ? "rejected" : "approved") \(request) as \(role), log index \(bundle.tlogEntries.first?.logIndex ?? -1)"
            if case .string(let status)? = object["status"] { line += "; status \(status)" }
            if case .array(let missing)? = object["missing"], !missing.isEmpty {
                line += "; missing " + missing.compactMap { if case .string(let item) = $0 { item } else { nil } }.joined(separator: ", ")
            }
            if case .object(let quorum)? = object["quorumAttestation"], case .number(let index)? = quorum["logIndex"] {
                line += "; quorum met, attested at log index \(index)"
            }
            print(line)
            return SignetExit.verified
        }
    }
}

/// `signet release show --name N@D`.
struct ReleaseShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a name's release requests: status, who approved, who is missing.")

    @OptionGroup var registry: RegistryOptions
    @Option(help: "The artifact: host[:port]/path@sha256:<64 hex>.") var name: String
    @Flag(help: "Print the server's JSON.") var json = false

    func run() async throws {
        await Signet.exiting {
            let name = try NameOptions.parse(self.name)
            let trust = try registry.trust()
            let client = try registry.client(trust, credential: try await registry.credential(required: true))
            let answer: JSONValue
            do { answer = try await client.releases(of: name) } catch { throw SigningFlow.failure(error) }
            if json {
                print(String(decoding: answer.compactBytes(), as: UTF8.self))
            } else if case .object(let object) = answer, case .array(let requests)? = object["requests"] {
                print(requests.isEmpty ? "no release requests of \(name)" : requests.map(ReleaseCommand.describe).joined(separator: "\n"))
            }
            return SignetExit.verified
        }
    }
}
