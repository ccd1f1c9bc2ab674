import SignetCore
import SignetVerify
import SignetVirtualPlatform
import Testing

@Suite("Verification by artifact name")
struct ArtifactVerifierTests {
    static let name = try! ArtifactName(host: "registry.example.com", path: "team/app", digest: sha256(Fixture.artifact))
    static let verifier = ArtifactVerifier(verifier: Fixture.verifier)

    static func signature(_ id: String, ref: String, artifact: [UInt8] = Fixture.artifact) async throws -> ArtifactVerifier.Signature {
        var options = VirtualPlatform.SigningOptions()
        options.leaf.provenance = [.sourceRepositoryURI: "https://github.com/signet/app", .sourceRepositoryRef: ref]
        return await ArtifactVerifier.Signature(id: id, bundle: try Fixture.platform.signBlob(artifact, options: options))
    }

    static func revocation(_ ref: String, of name: ArtifactName = name, at seconds: Int64, reason: String) -> RevocationStatement {
        RevocationStatement(
            id: "r\(seconds)", namespace: "acme", name: name, sourceRepositoryRef: ref, reason: reason, actor: "security@acme.test",
            time: Timestamp(seconds: seconds))
    }

    static func code(_ report: VerificationReport) -> VerificationError.Code? {
        if case .failure(let error) = report.result { error.code } else { nil }
    }

    @Test("one passing signature verifies the name; a revoked one fails naming who, when and why, while another ref still passes")
    func revocation() async throws {
        let signatures = await [try Self.signature("s1", ref: "refs/tags/v1.0.0"), try Self.signature("s2", ref: "refs/tags/v1.0.1")]
        let clean = Self.verifier.verify(name: Self.name, signatures: signatures, revocations: [], policy: Fixture.policy, now: Fixture.now)
        #expect(clean.verified?.id == "s1")
        #expect(clean.signatures.allSatisfy { $0.report.checks.last?.name == "revocation" && $0.report.isVerified })

        let revoked = Self.revocation("refs/tags/v1.0.0", at: 1_768_500_000, reason: "compromised runner")
        // A revocation of another name from the same ref (a snapshot holds every name's) does not apply.
        let otherName = try ArtifactName(host: "registry.example.com", path: "team/worker", digest: sha256(Fixture.artifact))
        let elsewhere = Self.revocation("refs/tags/v1.0.1", of: otherName, at: 1_768_499_000, reason: "another artifact")
        let report = Self.verifier.verify(name: Self.name, signatures: signatures, revocations: [elsewhere, revoked], policy: Fixture.policy, now: Fixture.now)
        #expect(report.verified?.id == "s2")
        #expect(Self.code(report.signatures[0].report) == .revoked)
        if case .failure(let error) = report.signatures[0].report.result {
            #expect(
                error.reason.contains("security@acme.test") && error.reason.contains("compromised runner") && error.reason.contains("refs/tags/v1.0.0")
                    && error.reason.contains(revoked.time.rfc3339), "\(error.reason)")
        }

        let everything = [revoked, Self.revocation("refs/tags/v1.0.1", at: 1_768_500_100, reason: "also")]
        let none = Self.verifier.verify(name: Self.name, signatures: signatures, revocations: everything, policy: Fixture.policy, now: Fixture.now)
        #expect(none.verified == nil && none.hasSignatures)
        #expect(none.signatures.map { Self.code($0.report) } == [.revoked, .revoked])
    }

    @Test("only signatures registered in the namespace that owns the name count, however sound they are")
    func owningNamespace() async throws {
        var inOwner = try await Self.signature("a", ref: "refs/heads/main")
        inOwner.namespace = "team-a"
        var elsewhere = try await Self.signature("b", ref: "refs/heads/main")
        elsewhere.namespace = "team-b"
        // Another namespace's signature, though it would pass every other check, never counts.
        let report = Self.verifier.verify(
            name: Self.name, owner: "team-a", signatures: [elsewhere, inOwner], revocations: [], policy: Fixture.policy, now: Fixture.now)
        #expect(report.verified?.id == "a")
        #expect(Self.code(report.signatures[0].report) == .namespaceMismatch)
        #expect(report.signatures[0].report.checks.map(\.name) == ["namespace"])
        let only = Self.verifier.verify(name: Self.name, owner: "team-a", signatures: [elsewhere], revocations: [], policy: Fixture.policy, now: Fixture.now)
        #expect(only.verified == nil)
        // No owner (nobody owns the name): nothing registered counts.
        let unowned = Self.verifier.verify(name: Self.name, owner: "", signatures: [inOwner], revocations: [], policy: Fixture.policy, now: Fixture.now)
        #expect(unowned.verified == nil)
        #expect(VerificationError.Code.namespaceMismatch.isPolicyMismatch)
    }

    @Test("constraints and digests apply per signature; no signature is its own answer")
    func constraints() async throws {
        let signatures = await [
            try Self.signature("s1", ref: "refs/tags/v1.0.0"), try Self.signature("other", ref: "refs/tags/v1.0.0", artifact: Array("other".utf8)),
        ]
        let pinned = VerificationPolicy(signer: Fixture.policy.signer, provenance: [.sourceRepositoryRef: "refs/tags/v2.0.0"])
        let report = Self.verifier.verify(name: Self.name, signatures: signatures, revocations: [], policy: pinned, now: Fixture.now)
        #expect(report.verified == nil)
        // Provenance is part of the identity step, which runs before the signature.
        #expect(report.signatures.map { Self.code($0.report) } == [.provenanceMismatch, .provenanceMismatch])
        let digests = Self.verifier.verify(name: Self.name, signatures: signatures, revocations: [], policy: Fixture.policy, now: Fixture.now)
        #expect(digests.verified?.id == "s1")
        #expect(digests.signatures.map { Self.code($0.report) } == [nil, .artifactMismatch])
        let empty = Self.verifier.verify(name: Self.name, signatures: [], revocations: [], policy: Fixture.policy, now: Fixture.now)
        #expect(!empty.hasSignatures && empty.verified == nil)
    }
}
