import Foundation
import SignetClient
import SignetCore
import SignetVerify

/// Runs a ``BatchManifest``: every entry is checked whatever the others' outcomes, bundles on
/// every core through the one verification engine, names by the gate (`verify:batch`, 1,000
/// per request), and the outcomes come back in manifest order.
enum BatchVerification {
    /// One entry's outcome: `code` is `verified`, a verification error code, a gate decision
    /// code, or `unusable-input` for an entry that could not be read.
    struct Outcome: Sendable {
        var label: String
        var line: Int?
        var passed: Bool
        var code: String
        var message: String
    }

    /// Verifies each entry's bundle over its artifact under `policy`, on every core; a name
    /// entry fails, since only the gate holds a name's evidence.
    static func verifyLocally(_ entries: [BatchManifest.Entry], verifier: BundleVerifier, policy: VerificationPolicy) async -> [Outcome] {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let now = Timestamp(.now)
        var outcomes = [Outcome?](repeating: nil, count: entries.count)
        await withTaskGroup(of: [(Int, Outcome)].self) { group in
            for worker in 0..<min(workers, entries.count) {
                group.addTask {
                    stride(from: worker, to: entries.count, by: workers).map { index in
                        (index, verify(entries[index], verifier: verifier, policy: policy, now: now))
                    }
                }
            }
            for await done in group {
                for (index, outcome) in done { outcomes[index] = outcome }
            }
        }
        return zip(entries, outcomes).map { entry, outcome in
            outcome ?? Outcome(label: entry.label, line: entry.line, passed: false, code: "unusable-input", message: "the entry was not verified")
        }
    }

    static func verify(_ entry: BatchManifest.Entry, verifier: BundleVerifier, policy: VerificationPolicy, now: Timestamp) -> Outcome {
        func outcome(_ passed: Bool, _ code: String, _ message: String) -> Outcome {
            Outcome(label: entry.label, line: entry.line, passed: passed, code: code, message: message)
        }
        switch entry.subject {
        case .unreadable(let reason):
            return outcome(false, VerificationError.Code.unusableInput.rawValue, reason)
        case .name:
            return outcome(
                false, VerificationError.Code.unusableInput.rawValue,
                "expected a file or digest with its bundle, found a name: names are decided by the gate (give --environment)")
        case .bundle(let file, let digest, let bundlePath):
            do {
                let bundle = try InputFiles.bundle(bundlePath)
                let artifact: Artifact
                if let digest, file.map({ !FileManager.default.fileExists(atPath: $0) }) ?? true {
                    artifact = digest
                } else {
                    artifact = try InputFiles.artifact(at: file ?? "")
                    if let listed = digest?.sha256, let found = artifact.sha256, listed != found {
                        return outcome(
                            false, VerificationError.Code.artifactMismatch.rawValue,
                            "expected the file to have the listed digest sha256:\(Hex.encode(listed)), found sha256:\(Hex.encode(found))")
                    }
                }
                switch verifier.verify(bundle, artifact: artifact, policy: policy, now: now).result {
                case .success(let verified):
                    let signer = verified.identities.first.map { "signed by \($0)" } ?? "signed with the given key"
                    return outcome(true, "verified", signer + (verified.issuer.map { " (issuer \($0))" } ?? ""))
                case .failure(let error):
                    return outcome(false, error.code.rawValue, error.reason)
                }
            } catch {
                return outcome(false, VerificationError.Code.unusableInput.rawValue, error.message)
            }
        }
    }

    /// Asks the gate about each name entry in `environment`; any other entry fails, since the
    /// gate decides by name from the evidence it holds.
    static func decide(_ entries: [BatchManifest.Entry], client: ArtifactClient, environment: String) async throws -> [Outcome] {
        var outcomes: [Outcome] = entries.map { entry in
            let reason =
                switch entry.subject {
                case .unreadable(let reason): reason
                case .bundle: "expected a name, found a file or digest: with --environment the gate decides each name from the evidence it holds"
                case .name: "not decided"
                }
            return Outcome(label: entry.label, line: entry.line, passed: false, code: VerificationError.Code.unusableInput.rawValue, message: reason)
        }
        let names = entries.enumerated().compactMap { index, entry -> (Int, String)? in
            if case .name(let name) = entry.subject { return (index, name) }
            return nil
        }
        var start = 0
        while start < names.count {
            let chunk = names[start..<min(start + 1000, names.count)]
            start += chunk.count
            let answer = try await client.verifyBatch(chunk.map(\.1), environment: environment, explain: false)
            guard case .object(let object) = answer, case .array(let results)? = object["results"], results.count == chunk.count else {
                throw CommandFailure(exitCode: SignetExit.signingFailed, message: "the gate answered a batch without one result per subject")
            }
            for ((index, _), result) in zip(chunk, results) {
                guard case .object(let decision) = result, case .bool(let allowed)? = decision["allowed"], case .string(let code)? = decision["code"] else {
                    throw CommandFailure(exitCode: SignetExit.signingFailed, message: "the gate answered a batch entry without a decision")
                }
                var message = SignatureLines.string(decision["message"]) ?? ""
                if case .array(let warnings)? = decision["warnings"], !warnings.isEmpty {
                    message += " (warnings: \(warnings.compactMap { SignatureLines.string($0) }.joined(separator: "; ")))"
                }
                outcomes[index].passed = allowed
                outcomes[index].code = code
                outcomes[index].message = message
            }
        }
        return outcomes
    }
}

/// How `signet verify --manifest` writes its outcomes.
enum BatchReport {
    static func text(_ outcomes: [BatchVerification.Outcome]) -> String {
        var lines = outcomes.map { "\($0.passed ? "ok  " : "FAIL") \($0.label): \($0.code): \($0.message)" }
        let failed = outcomes.filter { !$0.passed }.count
        lines.append("\(outcomes.count) entr\(outcomes.count == 1 ? "y" : "ies"): \(outcomes.count - failed) passed, \(failed) failed")
        return lines.joined(separator: "\n")
    }

    static func json(_ outcomes: [BatchVerification.Outcome], exitCode: Int32) -> String {
        let failed = outcomes.filter { !$0.passed }.count
        let entries = outcomes.map { outcome in
            var members: [(String, JSONValue)] = [("entry", .string(outcome.label))]
            if let line = outcome.line { members.append(("line", .integer(line))) }
            members += [("passed", .bool(outcome.passed)), ("code", .string(outcome.code)), ("message", .string(outcome.message))]
            return JSONValue.object(JSONObject(members))
        }
        let object = JSONObject([
            ("passed", .integer(outcomes.count - failed)), ("failed", .integer(failed)), ("exitCode", .integer(exitCode)), ("entries", .array(entries)),
        ])
        return String(decoding: JSONValue.object(object).compactBytes(), as: UTF8.self)
    }

    /// JUnit XML, as CI systems render test reports: one test case per entry.
    static func junit(_ outcomes: [BatchVerification.Outcome], manifest: String) -> String {
        let failed = outcomes.filter { !$0.passed }.count
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="signet verify" tests="\#(outcomes.count)" failures="\#(failed)">"#,
            #"  <testsuite name="\#(xml(manifest))" tests="\#(outcomes.count)" failures="\#(failed)">"#,
        ]
        for outcome in outcomes {
            let name = #"    <testcase classname="signet.verify" name="\#(xml(outcome.label))""#
            if outcome.passed {
                lines.append(name + #"><system-out>\#(xml("\(outcome.code): \(outcome.message)"))</system-out></testcase>"#)
            } else {
                lines.append(name + #"><failure type="\#(xml(outcome.code))" message="\#(xml(outcome.message))"/></testcase>"#)
            }
        }
        lines += ["  </testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n")
    }

    /// SARIF 2.1.0 (OASIS), as code-scanning dashboards read it: one result per failed entry,
    /// its rule the failure's code, located at its manifest line when known.
    static func sarif(_ outcomes: [BatchVerification.Outcome], manifest: String) -> String {
        let failures = outcomes.filter { !$0.passed }
        let rules = Set(failures.map(\.code)).sorted().map { code in
            JSONValue.object(JSONObject([("id", .string(code)), ("shortDescription", .object(JSONObject([("text", .string(code))])))]))
        }
        let results = failures.map { outcome in
            var location = JSONObject([("artifactLocation", .object(JSONObject([("uri", .string(manifest))])))])
            if let line = outcome.line { location["region"] = .object(JSONObject([("startLine", .integer(line))])) }
            return JSONValue.object(
                JSONObject([
                    ("ruleId", .string(outcome.code)), ("level", .string("error")),
                    ("message", .object(JSONObject([("text", .string("\(outcome.label): \(outcome.message)"))]))),
                    ("locations", .array([.object(JSONObject([("physicalLocation", .object(location))]))])),
                ]))
        }
        let run = JSONObject([
            ("tool", .object(JSONObject([("driver", .object(JSONObject([("name", .string("signet")), ("rules", .array(rules))])))]))),
            ("results", .array(results)),
        ])
        let log = JSONObject([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")), ("version", .string("2.1.0")), ("runs", .array([.object(run)])),
        ])
        return String(decoding: JSONValue.object(log).compactBytes(), as: UTF8.self)
    }

    private static func xml(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            // XML 1.0 allows no other C0 control characters, even escaped.
            case "\t", "\n", "\r": escaped += "&#\(scalar.value);"
            default: escaped.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF ? "?" : scalar)
            }
        }
        return escaped
    }
}
