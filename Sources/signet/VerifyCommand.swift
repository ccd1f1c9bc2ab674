import ArgumentParser
import Foundation
import SignetCore
import SignetVerify

/// `signet verify`: the verification engine for people, with readable or JSON output.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an artifact against its Sigstore bundle, offline.",
        discussion: """
            Exit codes: 0 verified; 1 verification failed; 2 policy mismatch; 3 unusable input.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The artifact: a file, or sha256:<64 hex>.")
    var fileOrDigest: String

    @OptionGroup var options: VerificationOptions

    @Option(name: .long, help: "A regular expression the whole certificate identity must match, instead of --certificate-identity.")
    var certificateIdentityRegexp: String?

    @Option(
        name: .long,
        help: "A ClientTrustConfig JSON file (trusted root plus signing config), instead of --trusted-root (default: SIGNET_TRUST_CONFIG when set).")
    var trustConfig: String?

    @Option(name: .long, help: "Output format: text or json.")
    var output: OutputFormat = .text

    func validate() throws {
        try options.validateSigner(allowRegexp: certificateIdentityRegexp)
        if trustConfig != nil && options.trustedRoot != nil {
            throw ValidationError("give either --trusted-root or --trust-config, not both")
        }
    }

    func run() async throws {
        await Signet.exiting {
            do {
                let bundle = try InputFiles.bundle(options.bundle)
                // SIGNET_TRUST_CONFIG applies only when no root is named on the command line.
                let environmentConfig =
                    options.trustedRoot == nil && !options.staging
                    ? ProcessInfo.processInfo.environment["SIGNET_TRUST_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } : nil
                let root = try InputFiles.trustedRoot(path: options.trustedRoot, trustConfig: trustConfig ?? environmentConfig, staging: options.staging)
                let artifact = try InputFiles.artifact(argument: fileOrDigest)
                let policy = try options.policy(identityRegexp: certificateIdentityRegexp)
                let verifier: BundleVerifier
                do { verifier = try BundleVerifier(trustedRoot: root) } catch { throw CommandFailure.unusable("\(error)") }
                let report = verifier.verify(bundle, artifact: artifact, policy: policy)
                print(output == .json ? ReportFormatter.json(report) : ReportFormatter.text(report, artifact: fileOrDigest))
                return report.exitCode
            } catch let failure as CommandFailure where output == .json {
                print(ReportFormatter.json(failure: failure))
                return failure.exitCode
            }
        }
    }
}

/// Renders a verification report for people (text) or programs (JSON).
enum ReportFormatter {
    static func text(_ report: VerificationReport, artifact: String) -> String {
        var lines: [String] = []
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

    static func json(_ report: VerificationReport) -> String {
        var object = JSONObject([
            ("verified", .bool(report.isVerified)),
            ("exitCode", .integer(report.exitCode)),
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
