import Crypto
import SignetCore
import SignetVerify
import SignetVirtualPlatform
import Testing

/// One virtual platform and verifier shared by the tests: building the PKI once keeps the
/// suite fast, and every test makes its own bundles.
enum Fixture {
    static let platform = try! VirtualPlatform()
    static let verifier = try! BundleVerifier(trustedRoot: platform.trustedRoot())
    static let artifact = Array("hello, signet\n".utf8)
    static let identity = VirtualPlatform.LeafOptions().identity
    static let policy = VerificationPolicy.identity(identity, issuer: VirtualPlatform.issuer)
    static var now: Timestamp { Timestamp(seconds: platform.referenceTime.seconds + 3600) }

    static func verify(_ bundle: SigstoreBundle, artifact: [UInt8] = artifact, policy: VerificationPolicy = policy) -> VerificationReport {
        verifier.verify(bundle, artifact: Artifact(bytes: artifact), policy: policy, now: now)
    }

    /// Round-trips a bundle through its JSON form, so every test also exercises the writer and
    /// the parser.
    static func roundTrip(_ bundle: SigstoreBundle) throws -> SigstoreBundle {
        try SigstoreBundle(jsonBytes: bundle.json.compactBytes())
    }

    static func statement(for artifact: [UInt8] = artifact) -> InTotoStatement {
        InTotoStatement(
            subjects: [.init(name: "app.tar.gz", digest: ["sha256": Hex.encode(sha256(artifact))])],
            predicateType: "https://slsa.dev/provenance/v1",
            predicate: .object(JSONObject([("buildDefinition", .object(JSONObject([("buildType", .string("https://signet.test/build/v1"))])))])))
    }
}

/// Asserts a report failed with `code` and that the reason says what was expected.
func expectFailure(_ report: VerificationReport, _ code: VerificationError.Code, sourceLocation: SourceLocation = #_sourceLocation) {
    switch report.result {
    case .success:
        Issue.record("expected failure \(code.rawValue), but the bundle verified", sourceLocation: sourceLocation)
    case .failure(let error):
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.reason.contains("expected"), "reason should say what was expected: \(error.reason)", sourceLocation: sourceLocation)
        #expect(report.checks.last?.passed == false, sourceLocation: sourceLocation)
    }
}

func expectVerified(_ report: VerificationReport, sourceLocation: SourceLocation = #_sourceLocation) {
    if case .failure(let error) = report.result {
        Issue.record("expected the bundle to verify, found \(error)", sourceLocation: sourceLocation)
    }
    #expect(report.checks.allSatisfy { $0.passed }, sourceLocation: sourceLocation)
}
