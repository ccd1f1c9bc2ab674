import Crypto
import CryptoExtras
import SignetCore
import SignetVerify
import SignetVirtualPlatform
import SwiftASN1
import Testing

@Suite("Valid bundles verify")
struct ValidBundleTests {
    @Test("message signature on a Rekor v1 log")
    func messageV1() async throws {
        let bundle = try await Fixture.roundTrip(try Fixture.platform.signBlob(Fixture.artifact))
        let report = Fixture.verify(bundle)
        expectVerified(report)
        #expect(
            report.checks.map(\.name) == [
                "bundle", "trusted-time", "certificate-chain", "sct", "identity", "transparency-log", "signature", "entry-consistency",
            ])
        let verified = try report.result.get()
        #expect(verified.identities == [Fixture.identity])
        #expect(verified.issuer == VirtualPlatform.issuer)
        #expect(verified.times.map(\.source) == ["tlog-set"])
    }

    @Test("message signature on a Rekor v2 log with a TSA timestamp")
    func messageV2() async throws {
        let bundle = try await Fixture.roundTrip(try Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp()))
        let report = Fixture.verify(bundle)
        expectVerified(report)
        let verified = try report.result.get()
        #expect(verified.times.map(\.source) == ["rfc3161"])
    }

    @Test("v1 entry with a TSA timestamp establishes two times")
    func messageV1WithTimestamp() async throws {
        var options = VirtualPlatform.SigningOptions()
        options.timestamp = true
        let report = await Fixture.verify(try Fixture.roundTrip(try Fixture.platform.signBlob(Fixture.artifact, options: options)))
        expectVerified(report)
        let verified = try report.result.get()
        #expect(verified.times.count == 2)
    }

    @Test("artifact given by digest only")
    func byDigest() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        let report = Fixture.verifier.verify(bundle, artifact: Artifact(digest: sha256(Fixture.artifact)), policy: Fixture.policy, now: Fixture.now)
        expectVerified(report)
    }

    @Test("DSSE attestation on v1 (dsse 0.0.1) and v2 (hashedrekord over PAE)", arguments: [false, true])
    func dsse(v2: Bool) async throws {
        let bundle = try await Fixture.roundTrip(try Fixture.platform.attest(Fixture.statement(), options: v2 ? .v2WithTimestamp() : .init()))
        let report = Fixture.verify(bundle)
        expectVerified(report)
        let verified = try report.result.get()
        #expect(verified.statement?.predicateType == "https://slsa.dev/provenance/v1")
    }

    @Test("managed key on v1 and v2", arguments: [false, true])
    func managedKey(v2: Bool) async throws {
        let key = P256.Signing.PrivateKey()
        let bundle = try await Fixture.roundTrip(try Fixture.platform.signBlob(Fixture.artifact, managedKey: .p256(key), log: v2 ? .v2 : .v1))
        let spki = Array(key.publicKey.derRepresentation)
        let policy = VerificationPolicy(signer: .publicKey(try VerificationKey(spki: spki), spki: spki))
        expectVerified(Fixture.verify(bundle, policy: policy))
    }

    @Test("managed RSA keys, PKCS#1 v1.5 and PSS, over the artifact digest", arguments: [false, true])
    func managedRSAKey(pss: Bool) async throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let bundle = try await Fixture.roundTrip(try Fixture.platform.signBlob(Fixture.artifact, managedKey: .rsa(key, pss: pss)))
        let spki = Array(key.publicKey.derRepresentation)
        let policy = VerificationPolicy(signer: .publicKey(try VerificationKey(spki: spki), spki: spki))
        expectVerified(Fixture.verify(bundle, policy: policy))
        expectFailure(Fixture.verify(bundle, artifact: Array("other".utf8), policy: policy), .artifactMismatch)
        var message = try #require(bundle.content.messageSignatureValue)
        var tampered = bundle
        message.signature[message.signature.count / 2] ^= 1
        tampered.content = .messageSignature(message)
        expectFailure(Fixture.verify(tampered, policy: policy), .signatureInvalid)
        let other = Array(try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey.derRepresentation)
        expectFailure(Fixture.verify(bundle, policy: VerificationPolicy(signer: .publicKey(try VerificationKey(spki: other), spki: other))), .signatureInvalid)
    }

    @Test("a P-384 leaf signing the SHA-256 digest the bundle names")
    func p384LeafSHA256() async throws {
        let key = P384.Signing.PrivateKey()
        let leaf = try await Fixture.platform.issueLeaf(publicKey: .init(key.publicKey))
        var serializer = DER.Serializer()
        try serializer.serialize(leaf)
        let leafDER = serializer.serializedBytes
        let digest = SHA256.hash(data: Fixture.artifact)
        let signature = Array(try key.signature(for: digest).derRepresentation)
        let entry = try await Fixture.platform.appendEntry(
            body: .hashedRekordV001(
                .init(
                    hashAlgorithm: .sha256, digest: Array(digest), signature: signature, publicKeyPEM: PEM.encode(leafDER, label: "CERTIFICATE"))), to: .v1)
        let bundle = SigstoreBundle(
            signer: .certificate(leafDER), tlogEntries: [entry], rfc3161Timestamps: [],
            content: .messageSignature(.init(messageDigest: (.sha256, Array(digest)), signature: signature)))
        expectVerified(Fixture.verify(try Fixture.roundTrip(bundle)))
        expectVerified(Fixture.verifier.verify(bundle, artifact: Artifact(digest: Array(digest)), policy: Fixture.policy, now: Fixture.now))
    }

    @Test("a timestamp that does not verify is ignored when another verified time remains, and reported")
    func ignoredTimestamp() async throws {
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        bundle.rfc3161Timestamps = await [try VirtualPlatform().timestamp(signature: bundle.content.signatureBytes)]
        let report = Fixture.verify(bundle)
        expectVerified(report)
        #expect(report.checks.first { $0.name == "trusted-time" }?.detail.contains("ignored: rfc3161Timestamps[0]") == true)
        let verified = try report.result.get()
        #expect(verified.times.map(\.source) == ["tlog-set"])
    }

    @Test("identity by regular expression")
    func regexIdentity() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        let policy = VerificationPolicy(
            signer: .certificate(identity: .regularExpression("https://github\\.com/signet/.*@refs/tags/v1\\..*"), issuer: VirtualPlatform.issuer))
        expectVerified(Fixture.verify(bundle, policy: policy))
        let partial = VerificationPolicy(signer: .certificate(identity: .regularExpression("signet"), issuer: VirtualPlatform.issuer))
        expectFailure(Fixture.verify(bundle, policy: partial), .identityMismatch)
    }
}

@Suite("Each property broken one at a time fails with its own reason")
struct BrokenBundleTests {
    @Test("another artifact")
    func wrongArtifact() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        expectFailure(Fixture.verify(bundle, artifact: Array("other".utf8)), .artifactMismatch)
    }

    @Test("another artifact without a message digest fails on the signature")
    func wrongArtifactNoDigest() async throws {
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        var message = try #require(bundle.content.messageSignatureValue)
        message.messageDigest = nil
        bundle.content = .messageSignature(message)
        expectFailure(Fixture.verify(bundle, artifact: Array("other".utf8)), .signatureInvalid)
    }

    @Test("signature from another key")
    func wrongSignature() async throws {
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        var message = try #require(bundle.content.messageSignatureValue)
        message.signature = Array(try P256.Signing.PrivateKey().signature(for: Fixture.artifact).derRepresentation)
        bundle.content = .messageSignature(message)
        expectFailure(Fixture.verify(bundle), .signatureInvalid)
    }

    @Test("identity and issuer policy")
    func identityPolicy() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        expectFailure(Fixture.verify(bundle, policy: .identity("https://github.com/evil/app", issuer: VirtualPlatform.issuer)), .identityMismatch)
        expectFailure(Fixture.verify(bundle, policy: .identity(Fixture.identity, issuer: "https://accounts.example.com")), .issuerMismatch)
    }

    @Test("provenance constraints: every one given must be present and equal, and a failure names the field")
    func provenancePolicy() async throws {
        var options = VirtualPlatform.SigningOptions()
        options.leaf.provenance = [
            .sourceRepositoryURI: "https://github.com/signet/app", .sourceRepositoryRef: "refs/tags/v1.0.0", .runnerEnvironment: "github-hosted",
        ]
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: options)
        func policy(_ provenance: [FulcioExtension: String]) -> VerificationPolicy {
            VerificationPolicy(signer: Fixture.policy.signer, provenance: provenance)
        }
        expectVerified(
            Fixture.verify(bundle, policy: policy([.sourceRepositoryRef: "refs/tags/v1.0.0", .sourceRepositoryURI: "https://github.com/signet/app"])))
        let differs = Fixture.verify(bundle, policy: policy([.sourceRepositoryRef: "refs/tags/v1.0.1"]))
        expectFailure(differs, .provenanceMismatch)
        if case .failure(let error) = differs.result {
            #expect(
                error.reason.contains("sourceRepositoryRef") && error.reason.contains("\"refs/tags/v1.0.1\"")
                    && error.reason.contains("found \"refs/tags/v1.0.0\""), "\(error.reason)")
        }
        let absent = Fixture.verify(bundle, policy: policy([.buildConfigDigest: "abc"]))
        expectFailure(absent, .provenanceMismatch)
        if case .failure(let error) = absent.result {
            #expect(error.reason.contains("buildConfigDigest") && error.reason.contains("without it"), "\(error.reason)")
        }
        #expect(VerificationError.Code.provenanceMismatch.isPolicyMismatch)
    }

    @Test("a managed-key bundle needs a key policy, and the right key")
    func managedKeyPolicy() async throws {
        let key = P256.Signing.PrivateKey()
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact, managedKey: .p256(key))
        expectFailure(Fixture.verify(bundle), .signerMismatch)
        let other = Array(P256.Signing.PrivateKey().publicKey.derRepresentation)
        let wrong = VerificationPolicy(signer: .publicKey(try VerificationKey(spki: other), spki: other))
        expectFailure(Fixture.verify(bundle, policy: wrong), .signatureInvalid)
    }

    @Test("leaf without an SCT, or with an SCT by an unknown key")
    func sct() async throws {
        var options = VirtualPlatform.SigningOptions()
        options.leaf.embedSCT = false
        await expectFailure(Fixture.verify(try Fixture.platform.signBlob(Fixture.artifact, options: options)), .sctInvalid)
        options.leaf.embedSCT = true
        options.leaf.sctSignedByWrongKey = true
        await expectFailure(Fixture.verify(try Fixture.platform.signBlob(Fixture.artifact, options: options)), .sctInvalid)
    }

    @Test("integrated time outside the certificate's validity")
    func timeOutsideValidity() async throws {
        var options = VirtualPlatform.SigningOptions()
        options.leaf.notBeforeOffset = -3600
        await expectFailure(Fixture.verify(try Fixture.platform.signBlob(Fixture.artifact, options: options)), .timeOutsideCertificateValidity)
    }

    @Test("certificate from a CA the trusted root does not list")
    func untrustedCA() async throws {
        let other = try VirtualPlatform()
        let bundle = try await other.signBlob(Fixture.artifact)
        let report = Fixture.verify(bundle)
        // The other platform's log is unknown too; the first failure is the SET's log.
        expectFailure(report, .transparencyLogInvalid)
        let mixedRoot = try BundleVerifier(
            trustedRoot: {
                var root = try Fixture.platform.trustedRoot()
                root.tlogs = try other.trustedRoot().tlogs
                return root
            }())
        expectFailure(mixedRoot.verify(bundle, artifact: Artifact(bytes: Fixture.artifact), policy: Fixture.policy, now: Fixture.now), .certificateChainInvalid)
    }

    @Test("tampered signed entry timestamp")
    func tamperedSET() async throws {
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        bundle.tlogEntries[0].signedEntryTimestamp = Array(try P256.Signing.PrivateKey().signature(for: [1, 2, 3]).derRepresentation)
        expectFailure(Fixture.verify(bundle), .signedEntryTimestampInvalid)
    }

    @Test("integrated time in the future")
    func futureIntegratedTime() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        let report = Fixture.verifier.verify(
            bundle, artifact: Artifact(bytes: Fixture.artifact), policy: Fixture.policy, now: Timestamp(seconds: Fixture.platform.referenceTime.seconds - 3600))
        expectFailure(report, .signedEntryTimestampInvalid)
    }

    @Test("inclusion proof with a flipped bit")
    func corruptedProof() async throws {
        _ = try await Fixture.platform.signBlob(Array("padding entry".utf8))
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        guard var proof = bundle.tlogEntries[0].inclusionProof, !proof.hashes.isEmpty else {
            Issue.record("expected a non-trivial inclusion proof")
            return
        }
        proof.hashes[0][0] ^= 1
        bundle.tlogEntries[0].inclusionProof = proof
        expectFailure(Fixture.verify(bundle), .transparencyLogInvalid)
    }

    @Test("checkpoint signed by another key, or for another root")
    func checkpoint() async throws {
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())
        var proof = bundle.tlogEntries[0].inclusionProof!
        var note = try SignedNote(parsing: proof.checkpoint!)
        note.signatures[0].signature = Array(try Curve25519.Signing.PrivateKey().signature(for: Array(note.text.utf8)))
        proof.checkpoint = note.serialized
        bundle.tlogEntries[0].inclusionProof = proof
        expectFailure(Fixture.verify(bundle), .checkpointInvalid)

        var stale = try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())
        let later = try await Fixture.platform.signBlob(Array("later".utf8), options: .v2WithTimestamp())
        stale.tlogEntries[0].inclusionProof!.checkpoint = later.tlogEntries[0].inclusionProof!.checkpoint
        expectFailure(Fixture.verify(stale), .checkpointInvalid)
    }

    @Test("v0.2 and later bundles need an inclusion proof")
    func missingProof() async throws {
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        bundle.tlogEntries[0].inclusionProof = nil
        expectFailure(Fixture.verify(bundle), .transparencyLogInvalid)
    }

    @Test("Rekor v2 entry without a timestamp has no trusted time")
    func v2WithoutTimestamp() async throws {
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())
        bundle.rfc3161Timestamps = []
        expectFailure(Fixture.verify(bundle), .noTrustedTime)
    }

    @Test("timestamp by an untrusted TSA, over other data, or outside the certificate")
    func timestamps() async throws {
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())
        let signature = bundle.content.signatureBytes
        bundle.rfc3161Timestamps = await [try VirtualPlatform().timestamp(signature: signature)]
        expectFailure(Fixture.verify(bundle), .timestampInvalid)
        bundle.rfc3161Timestamps = await [try Fixture.platform.timestamp(signature: [1, 2, 3])]
        expectFailure(Fixture.verify(bundle), .timestampInvalid)
        bundle.rfc3161Timestamps = await [
            try Fixture.platform.timestamp(signature: signature, at: Timestamp(seconds: Fixture.platform.referenceTime.seconds + 3600))
        ]
        expectFailure(Fixture.verify(bundle), .timeOutsideCertificateValidity)
        bundle.rfc3161Timestamps = [[0x30, 0x03, 0x02, 0x01, 0x02]]
        expectFailure(Fixture.verify(bundle), .timestampInvalid)
    }

    @Test("log entry for another signature, artifact or certificate")
    func entryMismatch() async throws {
        for v2 in [false, true] {
            let options: VirtualPlatform.SigningOptions = v2 ? .v2WithTimestamp() : .init()
            var bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: options)
            let other = try await Fixture.platform.signBlob(Fixture.artifact, options: options)
            // The other entry's proofs (and SET) are valid; only its body differs.
            bundle.tlogEntries = other.tlogEntries
            expectFailure(Fixture.verify(bundle), .entryMismatch)
        }
    }

    @Test("DSSE: bad signature, other subject, entry for another envelope")
    func dsseBroken() async throws {
        var bundle = try await Fixture.platform.attest(Fixture.statement())
        expectFailure(Fixture.verify(bundle, artifact: Array("not a subject".utf8)), .artifactMismatch)
        var envelope = try #require(bundle.content.dsseEnvelopeValue)
        let original = envelope
        envelope.signatures[0].signature = Array(try P256.Signing.PrivateKey().signature(for: envelope.preAuthenticationEncoding).derRepresentation)
        bundle.content = .dsseEnvelope(envelope)
        expectFailure(Fixture.verify(bundle), .signatureInvalid)
        bundle.content = .dsseEnvelope(original)
        bundle.tlogEntries = try await Fixture.platform.attest(Fixture.statement()).tlogEntries
        expectFailure(Fixture.verify(bundle), .entryMismatch)
    }

    @Test("bundle chain carrying a root certificate")
    func chainWithRoot() async throws {
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        let leaf = bundle.signer.leafCertificate!
        var serializer = DER.Serializer()
        try serializer.serialize(Fixture.platform.rootCertificate)
        bundle.signer = .certificateChain([leaf, serializer.serializedBytes])
        bundle.version = .v0_2
        expectFailure(Fixture.verify(bundle), .certificateChainInvalid)
    }
}

@Suite("Trusted-root validity windows are closed intervals and are enforced")
struct TrustRootWindowTests {
    static func verifier(_ change: (inout TrustedRoot) -> Void) throws -> BundleVerifier {
        var root = try Fixture.platform.trustedRoot()
        change(&root)
        return try BundleVerifier(trustedRoot: root)
    }

    static func verify(_ verifier: BundleVerifier, _ bundle: SigstoreBundle) -> VerificationReport {
        verifier.verify(bundle, artifact: Artifact(bytes: Fixture.artifact), policy: Fixture.policy, now: Fixture.now)
    }

    @Test("a timestamp authority's window must contain the timestamp; its end is inclusive")
    func tsaWindow() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())
        let time = Fixture.platform.referenceTime
        let ended = try Self.verifier { $0.timestampAuthorities[0].validFor.end = Timestamp(seconds: time.seconds - 1) }
        expectFailure(Self.verify(ended, bundle), .timestampInvalid)
        let endsNow = try Self.verifier { $0.timestampAuthorities[0].validFor.end = time }
        expectVerified(Self.verify(endsNow, bundle))
    }

    @Test("a log key's window must contain the integrated time; its end is inclusive")
    func logWindow() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        let time = Fixture.platform.referenceTime
        let ended = try Self.verifier { $0.tlogs[0].validFor.end = Timestamp(seconds: time.seconds - 1) }
        expectFailure(Self.verify(ended, bundle), .transparencyLogInvalid)
        let endsNow = try Self.verifier { $0.tlogs[0].validFor.end = time }
        expectVerified(Self.verify(endsNow, bundle))
    }

    @Test("a certificate authority's window must contain the signing time")
    func caWindow() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        let notYet = try Self.verifier { $0.certificateAuthorities[0].validFor.start = Timestamp(seconds: Fixture.platform.referenceTime.seconds + 1) }
        expectFailure(Self.verify(notYet, bundle), .certificateChainInvalid)
    }

    @Test("a CT log's window must contain the SCT's time")
    func ctWindow() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        let ended = try Self.verifier { $0.ctlogs[0].validFor.end = Timestamp(seconds: Fixture.platform.referenceTime.seconds - 3600) }
        expectFailure(Self.verify(ended, bundle), .sctInvalid)
    }
}
