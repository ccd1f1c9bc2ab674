import SignetCore
import SignetPolicy
import SignetVerify
import SignetVirtualPlatform
import Testing

/// The negative matrix on the engine every path calls: each way an artifact can fail a
/// policy is refused with its own code, and the same inputs with the evidence fixed are
/// admitted. Bundles are real (the virtual platform's CA, log and keys).
@Suite("Policy engine: the negative matrix")
struct PolicyEngineTests {
    static let repository = "https://github.com/acme/app"
    static let identity = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0"

    /// GitHub-shaped attested provenance for a build at `ref`.
    static func provenance(ref: String = "refs/tags/v1.0.0", repository: String = repository) -> [FulcioExtension: String] {
        [
            .sourceRepositoryURI: repository, .sourceRepositoryRef: ref, .sourceRepositoryDigest: "1111111111111111111111111111111111111111",
            .buildSignerURI: "\(repository)/.github/workflows/release.yml@\(ref)", .buildConfigURI: "\(repository)/.github/workflows/release.yml@\(ref)",
            .runnerEnvironment: "github-hosted",
        ]
    }

    static let policyJSON = """
        {
          "apiVersion": "signet/v1",
          "kind": "Policy",
          "name": "app-production",
          "scope": {"names": ["registry.example.com/team/*"], "environment": "production"},
          "publishers": [
            {"issuer": "\(VirtualPlatform.issuer)", "repository": "\(repository)", "workflow": ".github/workflows/release.yml", "refs": ["refs/tags/*"]}
          ],
          "require": [
            {"type": "slsa-provenance", "conditions": ["predicate.runDetails.builder.id matches 'https://github.com/acme/*'"]},
            {"type": "cyclonedx", "conditions": ["none(predicate.components, it.name matches 'log4j-core*')"]}
          ]
        }
        """

    struct Fixture {
        let platform: VirtualPlatform
        let engine: PolicyEngine
        let artifact: [UInt8]
        let name: ArtifactName

        init() throws {
            platform = try VirtualPlatform()
            engine = PolicyEngine(verifier: ArtifactVerifier(verifier: try BundleVerifier(trustedRoot: try platform.trustedRoot())))
            artifact = Array("app 1.0.0".utf8)
            name = try ArtifactName(host: "registry.example.com", path: "team/app", digest: sha256(artifact))
        }

        func options(provenance: [FulcioExtension: String] = PolicyEngineTests.provenance(), identity: String = PolicyEngineTests.identity)
            -> VirtualPlatform.SigningOptions
        {
            var options = VirtualPlatform.SigningOptions()
            options.leaf.identity = identity
            options.leaf.provenance = provenance
            return options
        }

        func signature(_ options: VirtualPlatform.SigningOptions? = nil, artifact: [UInt8]? = nil) async throws -> Evidence.Item {
            let bundle = try await platform.signBlob(artifact ?? self.artifact, options: options ?? self.options())
            return Evidence.Item(id: Hex.encode(sha256(bundle.json.compactBytes())), bundle: bundle)
        }

        func attestation(
            _ type: String, predicate: JSONValue, options: VirtualPlatform.SigningOptions? = nil, digest: [UInt8]? = nil
        ) async throws -> Evidence.Item {
            let statement = InTotoStatement(
                subjects: [.init(name: name.repository, digest: ["sha256": Hex.encode(digest ?? name.digest)])], predicateType: type, predicate: predicate)
            let bundle = try await platform.attest(statement, options: options ?? self.options())
            return Evidence.Item(id: Hex.encode(sha256(bundle.json.compactBytes())), bundle: bundle)
        }

        func provenanceAttestation(ref: String = "refs/tags/v1.0.0", options: VirtualPlatform.SigningOptions? = nil) async throws -> Evidence.Item {
            try await attestation(
                "https://slsa.dev/provenance/v1", predicate: try SLSAProvenance.predicate(attested: PolicyEngineTests.githubProvenance(ref: ref)),
                options: options)
        }

        func sbom(components: [String] = ["swift-nio", "swift-crypto"], options: VirtualPlatform.SigningOptions? = nil) async throws -> Evidence.Item {
            try await attestation(
                "https://cyclonedx.org/bom",
                predicate: .object(
                    JSONObject([
                        ("bomFormat", .string("CycloneDX")),
                        ("components", .array(components.map { .object(JSONObject([("name", .string($0))])) })),
                    ])), options: options)
        }

        func decide(_ items: [Evidence.Item], revocations: [RevocationStatement] = [], policies: [PolicyDocument]? = nil, environment: String = "production")
            throws -> Decision
        {
            engine.decide(
                environment: environment, policies: try policies ?? [PolicyDocument(jsonBytes: Array(PolicyEngineTests.policyJSON.utf8))],
                evidence: Evidence(name: name, owner: nil, items: items, revocations: revocations), now: platform.referenceTime)
        }
    }

    static func githubProvenance(ref: String) -> [FulcioExtension: String] {
        var values = provenance(ref: ref)
        values[.githubWorkflowRepository] = "acme/app"
        return values
    }

    @Test("the complete evidence is admitted, naming the policy's digest and the evidence used")
    func admitted() async throws {
        let f = try Fixture()
        let decision = try f.decide([try await f.signature(), try await f.provenanceAttestation(), try await f.sbom()])
        #expect(decision.allowed && decision.code == .admitted, "\(decision.message)")
        let policy = try PolicyDocument(jsonBytes: Array(Self.policyJSON.utf8))
        #expect(decision.policies.map(\.digest) == [policy.digestText])
        #expect(decision.evidence.map(\.predicateType) == [nil, "https://slsa.dev/provenance/v1", "https://cyclonedx.org/bom"])
    }

    @Test("each failure is refused with its own code and an expected/found message")
    func negativeMatrix() async throws {
        let f = try Fixture()
        let signature = try await f.signature()
        let provenance = try await f.provenanceAttestation()
        let sbom = try await f.sbom()
        var other = f.options(provenance: Self.provenance(repository: "https://github.com/mallory/app"))
        other.leaf.identity = "https://github.com/mallory/app/.github/workflows/release.yml@refs/tags/v1.0.0"

        let cases: [(String, [Evidence.Item], [RevocationStatement], Decision.Code, String)] = [
            ("no signature", [provenance, sbom], [], .noSignature, "found none"),
            ("signature by an untrusted publisher", [try await f.signature(other), provenance, sbom], [], .untrustedPublisher, "sourceRepositoryURI"),
            (
                "signature from a branch, not a tag",
                [try await f.signature(f.options(provenance: Self.provenance(ref: "refs/heads/main"))), provenance, sbom],
                [], .untrustedPublisher, "refs/tags/*"
            ),
            (
                "signature of another artifact", [try await f.signature(artifact: Array("other".utf8)), provenance, sbom], [], .signatureInvalid,
                "artifact-mismatch"
            ),
            ("no attestation at all", [signature], [], .attestationMissing, "no attestation at all"),
            (
                "attestations of other types only", [signature, try await f.attestation("https://spdx.dev/Document", predicate: .object(JSONObject()))], [],
                .attestationWrongType, "https://spdx.dev/Document"
            ),
            ("the type by the wrong signer", [signature, try await f.provenanceAttestation(options: other), sbom], [], .attestationUntrustedSigner, "mallory"),
            (
                "the type about another digest",
                [signature, try await f.attestation("https://slsa.dev/provenance/v1", predicate: .object(JSONObject()), digest: sha256([1])), sbom], [],
                .attestationSubjectMismatch, "artifact-mismatch"
            ),
            (
                "a predicate contradicting its certificate",
                [
                    signature,
                    try await f.attestation(
                        "https://slsa.dev/provenance/v1", predicate: try SLSAProvenance.predicate(attested: Self.githubProvenance(ref: "refs/tags/v9.9.9"))),
                    sbom,
                ], [], .attestationContradictsCertificate, "refs/tags/v9.9.9"
            ),
            (
                "a predicate failing a condition", [signature, provenance, try await f.sbom(components: ["log4j-core-2.14"])], [], .attestationConditionFailed,
                "log4j-core*"
            ),
        ]
        for (label, items, revocations, code, fragment) in cases {
            let decision = try f.decide(items, revocations: revocations)
            #expect(!decision.allowed && decision.code == code, "\(label): \(decision.code.rawValue): \(decision.message)")
            #expect(decision.message.contains(fragment), "\(label): \(decision.message)")
            #expect(decision.message.contains("expected"), "\(label): \(decision.message)")
        }
    }

    @Test("a revocation of the ref refuses the signature, and the attestation when only it is revoked")
    func revocations() async throws {
        let f = try Fixture()
        let revocation = RevocationStatement(
            id: "r1", namespace: "acme", name: f.name, sourceRepositoryRef: "refs/tags/v1.0.0", reason: "compromised runner", actor: "security@acme",
            time: f.platform.referenceTime)
        let all = [try await f.signature(), try await f.provenanceAttestation(), try await f.sbom()]
        let revoked = try f.decide(all, revocations: [revocation])
        #expect(!revoked.allowed && revoked.code == .revoked && revoked.message.contains("compromised runner"), "\(revoked.message)")
        // The signature from another tag, the attestation still from the revoked one.
        let fresh = try await f.signature(f.options(provenance: Self.provenance(ref: "refs/tags/v1.0.1")))
        let attestationRevoked = try f.decide(
            [fresh, all[1], try await f.sbom(options: f.options(provenance: Self.provenance(ref: "refs/tags/v1.0.1")))], revocations: [revocation])
        #expect(!attestationRevoked.allowed && attestationRevoked.code == .attestationRevoked, "\(attestationRevoked.message)")
    }

    @Test("an unknown environment, a name no policy covers, warn and audit modes, enforceFrom, exceptions live and expired")
    func scopesModesAndExceptions() async throws {
        let f = try Fixture()
        let signature = try await f.signature()
        let unknown = try f.decide([signature], environment: "staging")
        #expect(!unknown.allowed && unknown.code == .unknownEnvironment && unknown.message.contains("production"), "\(unknown.message)")

        func policy(_ edit: (inout String) -> Void) throws -> [PolicyDocument] {
            var text = Self.policyJSON
            edit(&text)
            return [try PolicyDocument(jsonBytes: Array(text.utf8))]
        }
        let elsewhere = try policy { $0 = $0.replacingOccurrences(of: "registry.example.com/team/*", with: "registry.example.com/other/*") }
        let uncovered = try f.decide([signature], policies: elsewhere)
        #expect(!uncovered.allowed && uncovered.code == .noPolicy, "\(uncovered.message)")

        let warn = try f.decide(
            [signature], policies: try policy { $0 = $0.replacingOccurrences(of: "\"kind\": \"Policy\",", with: "\"kind\": \"Policy\", \"mode\": \"warn\",") })
        #expect(warn.allowed && warn.code == .admittedWithWarnings && warn.warnings.count == 1 && warn.warnings[0].contains("attestation-missing"), "\(warn)")
        let audit = try f.decide(
            [signature], policies: try policy { $0 = $0.replacingOccurrences(of: "\"kind\": \"Policy\",", with: "\"kind\": \"Policy\", \"mode\": \"audit\",") })
        #expect(audit.allowed && audit.code == .admittedWithWarnings, "\(audit)")
        let later = Timestamp(seconds: f.platform.referenceTime.seconds + 600)
        let notYet = try f.decide(
            [signature],
            policies: try policy {
                $0 = $0.replacingOccurrences(of: "\"kind\": \"Policy\",", with: "\"kind\": \"Policy\", \"enforceFrom\": \"\(later.rfc3339)\",")
            })
        #expect(notYet.allowed && notYet.code == .admittedWithWarnings && notYet.expiresAt == later, "\(notYet)")

        func excepted(until time: Timestamp) throws -> [PolicyDocument] {
            try policy {
                $0 = $0.replacingOccurrences(
                    of: "\"require\": [",
                    with:
                        "\"exceptions\": [{\"digest\": \"sha256:\(Hex.encode(f.name.digest))\", \"owner\": \"alice@acme\", \"reason\": \"SBOM tooling down\", \"expiresAt\": \"\(time.rfc3339)\"}], \"require\": ["
                )
            }
        }
        let live = try f.decide([signature], policies: try excepted(until: later))
        #expect(live.allowed && live.code == .admittedByException && live.expiresAt == later, "\(live)")
        let expired = try f.decide([signature], policies: try excepted(until: Timestamp(seconds: f.platform.referenceTime.seconds - 1)))
        #expect(
            !expired.allowed && expired.code == .exceptionExpired && expired.message.contains("alice@acme") && expired.message.contains("attestation-missing"),
            "\(expired.message)")
    }

    @Test("a baseline and the most specific environment policy both apply")
    func precedence() async throws {
        let f = try Fixture()
        let baseline = try PolicyDocument(
            jsonBytes: Array(
                """
                {"apiVersion": "signet/v1", "kind": "Policy", "name": "baseline", "scope": {"names": ["*"]},
                 "publishers": [{"issuer": "\(VirtualPlatform.issuer)", "repository": "\(Self.repository)"}]}
                """.utf8))
        let broad = try PolicyDocument(
            jsonBytes: Array(
                """
                {"apiVersion": "signet/v1", "kind": "Policy", "name": "broad", "scope": {"names": ["registry.example.com/*"], "environment": "production"},
                 "publishers": [{"issuer": "\(VirtualPlatform.issuer)", "repository": "https://github.com/other/app"}]}
                """.utf8))
        let specific = try PolicyDocument(jsonBytes: Array(Self.policyJSON.utf8))
        let complete = [try await f.signature(), try await f.provenanceAttestation(), try await f.sbom()]
        let decision = f.engine.decide(
            environment: "production", policies: [broad, specific, baseline], evidence: Evidence(name: f.name, owner: nil, items: complete, revocations: []),
            now: f.platform.referenceTime)
        #expect(decision.allowed && decision.policies.map(\.name) == ["baseline", "app-production"], "\(decision)")
        // The baseline binds too: a publisher it does not trust is refused even where the
        // environment policy would admit.
        let strictBaseline = try PolicyDocument(
            jsonBytes: Array(
                """
                {"apiVersion": "signet/v1", "kind": "Policy", "name": "baseline", "scope": {"names": ["*"]},
                 "publishers": [{"issuer": "\(VirtualPlatform.issuer)", "repository": "https://github.com/only/this"}]}
                """.utf8))
        let refused = f.engine.decide(
            environment: "production", policies: [specific, strictBaseline], evidence: Evidence(name: f.name, owner: nil, items: complete, revocations: []),
            now: f.platform.referenceTime)
        #expect(!refused.allowed && refused.code == .untrustedPublisher && refused.message.contains("policy baseline"), "\(refused.message)")
    }
}
