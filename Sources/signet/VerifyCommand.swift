import ArgumentParser
import Foundation
import SignetClient
import SignetCore
import SignetVerify

/// `signet verify`: the verification engine for people, with readable or JSON output; with
/// `--manifest`, a whole release at once.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an artifact against its Sigstore bundle, offline; or every entry of a release manifest.",
        discussion: """
            Exit codes: 0 verified; 1 verification failed; 2 policy mismatch; 3 unusable input.

            With --manifest FILE (JSON entries, sha256sum lines, or Kubernetes YAML/JSON): every \
            entry is checked, none stops the others; files and digests with bundles are verified \
            here on every core against --certificate-identity/--certificate-oidc-issuer or --key; \
            with --environment E, names and images are decided by the gate (--server). Exit codes: \
            0 every entry passed; 1 at least one failed; 3 the manifest or an option is unusable; \
            4 the server could not be asked.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, junit, sarif
    }

    @Argument(help: "The artifact: a file, or sha256:<64 hex> (not with --manifest).")
    var fileOrDigest: String?

    @OptionGroup var options: VerificationOptions

    @Option(name: .long, help: "A regular expression the whole certificate identity must match, instead of --certificate-identity.")
    var certificateIdentityRegexp: String?

    @Option(
        name: .long,
        help:
            "A ClientTrustConfig JSON file (trusted root plus signing config), instead of --trusted-root (default: SIGNET_TRUST_CONFIG, else the one `signet trust init` stored, else Sigstore's public-good root)."
    )
    var trustConfig: String?

    @Option(name: .long, help: "A release manifest: every entry is checked, and each outcome reported.")
    var manifest: String?

    @Option(name: .long, help: "With --manifest: decide every name by the gate's policy for this environment.")
    var environment: String?

    @Option(name: .long, help: "With --environment: the Signet server (default: the CA named by the trust configuration).")
    var server: String?

    @Option(
        name: .long,
        help:
            "With --environment: a Signet API key with the verify scope (default: SIGNET_API_KEY, else an identity token from SIGNET_IDENTITY_TOKEN or the CI)."
    )
    var apiKey: String?

    @Option(name: [.customLong("format"), .customLong("output")], help: "Output format: text or json; with --manifest also junit or sarif.")
    var format: OutputFormat = .text

    func validate() throws {
        if trustConfig != nil && options.trustedRoot != nil {
            throw ValidationError("give either --trusted-root or --trust-config, not both")
        }
        guard manifest != nil else {
            try options.validateSigner(allowRegexp: certificateIdentityRegexp)
            guard fileOrDigest != nil, options.bundle != nil else { throw ValidationError("give the artifact and --bundle FILE, or --manifest FILE") }
            guard format == .text || format == .json else { throw ValidationError("--format junit and sarif need --manifest") }
            guard environment == nil, server == nil, apiKey == nil else { throw ValidationError("--environment, --server and --api-key need --manifest") }
            return
        }
        guard fileOrDigest == nil, options.bundle == nil else {
            throw ValidationError("give --manifest alone: each entry names its artifact and bundle")
        }
        if environment == nil {
            try options.validateSigner(allowRegexp: certificateIdentityRegexp)
        } else if options.certificateIdentity != nil || certificateIdentityRegexp != nil || options.certificateOidcIssuer != nil || options.key != nil {
            throw ValidationError("with --environment the gate's policy names the signers: give no --certificate-identity, --certificate-oidc-issuer or --key")
        }
    }

    func run() async throws {
        if let manifest {
            await Signet.exiting { try await verifyManifest(manifest) }
        }
        await Signet.exiting {
            do {
                let bundle = try InputFiles.bundle(try options.requiredBundle())
                let (verifier, trust) = try self.verifier()
                let artifact = try InputFiles.artifact(argument: fileOrDigest ?? "")
                let policy = try options.policy(identityRegexp: certificateIdentityRegexp)
                let report = verifier.verify(bundle, artifact: artifact, policy: policy)
                print(format == .json ? ReportFormatter.json(report, trust: trust) : ReportFormatter.text(report, artifact: fileOrDigest ?? "", trust: trust))
                return report.exitCode
            } catch let failure as CommandFailure where format == .json {
                print(ReportFormatter.json(failure: failure))
                return failure.exitCode
            }
        }
    }

    /// The verifier for the trusted root named on the command line, else SIGNET_TRUST_CONFIG's,
    /// else the one `signet trust init` stored, else Sigstore's public-good root; and which one
    /// it is, for the report.
    private func verifier() throws(CommandFailure) -> (verifier: BundleVerifier, trust: String) {
        let environment = ProcessInfo.processInfo.environment["SIGNET_TRUST_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let stored = FileManager.default.fileExists(atPath: ClientTrust.storedPath) ? ClientTrust.storedPath : nil
        let (root, trust): (TrustedRoot, String)
        if let path = options.trustedRoot {
            root = try InputFiles.trustedRoot(path: path, trustConfig: nil, staging: false)
            trust = "the trusted root \(path)"
        } else if let path = trustConfig {
            root = try InputFiles.trustedRoot(path: nil, trustConfig: path, staging: false)
            trust = "the trust configuration \(path)"
        } else if options.staging {
            root = try InputFiles.trustedRoot(path: nil, trustConfig: nil, staging: true)
            trust = "Sigstore's public-good staging root (built in)"
        } else if let path = environment ?? stored {
            root = try InputFiles.trustedRoot(path: nil, trustConfig: path, staging: false)
            trust = "the trust configuration \(path) (\(environment != nil ? "SIGNET_TRUST_CONFIG" : "stored by `signet trust init`"))"
        } else {
            root = try InputFiles.trustedRoot(path: nil, trustConfig: nil, staging: false)
            trust = "Sigstore's public-good root (built in)"
        }
        do { return (try BundleVerifier(trustedRoot: root), trust) } catch { throw CommandFailure.unusable("\(trust): \(error)") }
    }

    private func verifyManifest(_ path: String) async throws -> Int32 {
        let manifest = try BatchManifest(bytes: try InputFiles.read(path, what: "manifest", maxBytes: BatchManifest.maxBytes), path: path)
        let outcomes: [BatchVerification.Outcome]
        if let environment {
            let trust = try? ClientTrust.load(path: trustConfig)
            let url = try RegistryOptions.serverURL(server, trust: trust)
            let credential = try await RegistryOptions.credential(apiKey: apiKey, identityToken: nil, required: true)
            do {
                outcomes = try await BatchVerification.decide(
                    manifest.entries, client: ArtifactClient(server: url, credential: credential), environment: environment)
            } catch { throw SigningFlow.failure(error) }
        } else {
            let (verifier, trust) = try verifier()
            if format == .text { print("trust: \(trust)") }
            outcomes = await BatchVerification.verifyLocally(
                manifest.entries, verifier: verifier, policy: try options.policy(identityRegexp: certificateIdentityRegexp))
        }
        let exitCode = outcomes.allSatisfy(\.passed) ? SignetExit.verified : SignetExit.verificationFailed
        switch format {
        case .text: print(BatchReport.text(outcomes))
        case .json: print(BatchReport.json(outcomes, exitCode: exitCode))
        case .junit: print(BatchReport.junit(outcomes, manifest: path))
        case .sarif: print(BatchReport.sarif(outcomes, manifest: path))
        }
        return exitCode
    }
}

/// Renders a verification report for people (text) or programs (JSON).
enum ReportFormatter {
    static func text(_ report: VerificationReport, artifact: String, trust: String) -> String {
        var lines = ["trust: \(trust)"]
        for check in report.checks {
            lines.append("\(check.passed ? "ok  " : "FAIL") \(check.name): \(check.detail)")
        }
        switch report.result {
        case .success(let verified):
            var summary = "Verified \(artifact)"
            if !verified.identities.isEmpty { summary += ", signed by \(verified.identities.joined(separator: ", "))" }
            if let issuer = verified.issuer { summary += " (issuer \(issuer))" }
            lines.append(summary)
        case .failure(let error):
            lines.append("Not verified: \(error)")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ report: VerificationReport, trust: String) -> String {
        var object = JSONObject([
            ("verified", .bool(report.isVerified)),
            ("exitCode", .integer(report.exitCode)),
            ("trust", .string(trust)),
            (
                "checks",
                .array(
                    report.checks.map { check in
                        .object(JSONObject([("name", .string(check.name)), ("passed", .bool(check.passed)), ("detail", .string(check.detail))]))
                    })
            ),
        ])
        switch report.result {
        case .success(let verified):
            object["identities"] = .array(verified.identities.map(JSONValue.string))
            if let issuer = verified.issuer { object["issuer"] = .string(issuer) }
            object["times"] = .array(verified.times.map { .object(JSONObject([("source", .string($0.source)), ("time", .string($0.time.rfc3339))])) })
            object["logEntries"] = .array(verified.logEntries.map { .object(JSONObject([("log", .string($0.log)), ("index", .integer($0.index))])) })
            if let statement = verified.statement { object["predicateType"] = .string(statement.predicateType) }
        case .failure(let error):
            object["error"] = .object(JSONObject([("code", .string(error.code.rawValue)), ("reason", .string(error.reason))]))
        }
        return String(decoding: JSONValue.object(object).compactBytes(), as: UTF8.self)
    }

    static func json(failure: CommandFailure) -> String {
        let object = JSONObject([
            ("verified", .bool(false)),
            ("exitCode", .integer(failure.exitCode)),
            ("checks", .array([])),
            ("error", .object(JSONObject([("code", .string(VerificationError.Code.unusableInput.rawValue)), ("reason", .string(failure.message))]))),
        ])
        return String(decoding: JSONValue.object(object).compactBytes(), as: UTF8.self)
    }
}
