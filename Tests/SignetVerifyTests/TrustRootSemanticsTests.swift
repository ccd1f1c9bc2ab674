import Crypto
import Foundation
import SignetCore
import SignetVerify
import SignetVirtualPlatform
import SwiftASN1
import Testing
import X509

/// The trusted root's `validFor` windows as the Sigstore protobuf specs define them (closed,
/// optional, an absent end open), beyond the single-window cases of ``TrustRootWindowTests``.
@Suite("Trusted-root semantics: every anchor only within its window, absent windows unbounded")
struct TrustRootSemanticsTests {
    static var reference: Int64 { Fixture.platform.referenceTime.seconds }

    static func verify(_ bundle: SigstoreBundle, _ change: (inout TrustedRoot) -> Void) throws -> VerificationReport {
        var root = try Fixture.platform.trustedRoot()
        change(&root)
        // Through JSON, so the root is one a file could hold.
        let verifier = try BundleVerifier(trustedRoot: try TrustedRoot(jsonBytes: root.json.compactBytes()))
        return verifier.verify(bundle, artifact: Artifact(bytes: Fixture.artifact), policy: Fixture.policy, now: Fixture.now)
    }

    @Test("a root without any validFor loads and verifies v1 and v2 bundles at any time")
    func unbounded() async throws {
        let removeAll: (inout TrustedRoot) -> Void = { root in
            for index in root.tlogs.indices { root.tlogs[index].validFor = .unbounded }
            for index in root.ctlogs.indices { root.ctlogs[index].validFor = .unbounded }
            for index in root.certificateAuthorities.indices { root.certificateAuthorities[index].validFor = .unbounded }
            for index in root.timestampAuthorities.indices { root.timestampAuthorities[index].validFor = .unbounded }
        }
        expectVerified(try Self.verify(try await Fixture.platform.signBlob(Fixture.artifact), removeAll))
        expectVerified(try Self.verify(try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp()), removeAll))
    }

    @Test("a certificate authority counts only within its window: start and end inclusive, one entry out and one in verifies")
    func certificateAuthorityWindow() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        let time = Timestamp(seconds: Self.reference)
        expectVerified(try Self.verify(bundle) { $0.certificateAuthorities[0].validFor = TimeRange(start: time, end: time) })
        expectFailure(try Self.verify(bundle) { $0.certificateAuthorities[0].validFor.end = Timestamp(seconds: Self.reference - 1) }, .certificateChainInvalid)
        expectVerified(
            try Self.verify(bundle) { root in
                var ended = root.certificateAuthorities[0]
                ended.validFor = TimeRange(start: Timestamp(seconds: Self.reference - 86_400), end: Timestamp(seconds: Self.reference - 1))
                root.certificateAuthorities[0].validFor = TimeRange(start: time)
                root.certificateAuthorities.insert(ended, at: 0)
            })
    }

    @Test("a timestamp authority outside its window does not count: with a SET the bundle verifies on the SET alone")
    func timestampAuthorityOutsideWindowDoesNotCount() async throws {
        var options = VirtualPlatform.SigningOptions()
        options.timestamp = true
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: options)
        let notYet = try Self.verify(bundle) { $0.timestampAuthorities[0].validFor.start = Timestamp(seconds: Self.reference + 1) }
        expectVerified(notYet)
        #expect(try notYet.result.get().times.map(\.source) == ["tlog-set"])
        let v2 = try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())
        expectFailure(try Self.verify(v2) { $0.timestampAuthorities[0].validFor.start = Timestamp(seconds: Self.reference + 1) }, .timestampInvalid)
    }

    @Test("the same TSA listed for an ended window and a current one: the current entry is used")
    func timestampAuthorityInTwoWindows() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())
        let report = try Self.verify(bundle) { root in
            var ended = root.timestampAuthorities[0]
            ended.validFor = TimeRange(start: Timestamp(seconds: Self.reference - 86_400), end: Timestamp(seconds: Self.reference - 1))
            root.timestampAuthorities[0].validFor = TimeRange(start: Timestamp(seconds: Self.reference))
            root.timestampAuthorities.insert(ended, at: 0)
        }
        expectVerified(report)
    }

    @Test("a Rekor v2 log key counts only within its window at the timestamped time; its end is inclusive")
    func logV2Window() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())
        let v2Log = try #require(
            try Fixture.platform.trustedRoot().tlogs.firstIndex { $0.logID == bundle.tlogEntries[0].logID || $0.checkpointKeyID == bundle.tlogEntries[0].logID }
        )
        expectVerified(try Self.verify(bundle) { $0.tlogs[v2Log].validFor.end = Timestamp(seconds: Self.reference) })
        expectFailure(try Self.verify(bundle) { $0.tlogs[v2Log].validFor.end = Timestamp(seconds: Self.reference - 1) }, .transparencyLogInvalid)
        expectFailure(try Self.verify(bundle) { $0.tlogs[v2Log].validFor.start = Timestamp(seconds: Self.reference + 1) }, .transparencyLogInvalid)
    }

    @Test("a CT log key counts only within its window at the SCT's time; both ends inclusive")
    func ctWindow() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        // The platform's CA issues, and its SCT is dated, 60 s before the reference time.
        let sctTime = Timestamp(seconds: Self.reference - 60)
        expectVerified(try Self.verify(bundle) { $0.ctlogs[0].validFor = TimeRange(start: sctTime, end: sctTime) })
        expectFailure(try Self.verify(bundle) { $0.ctlogs[0].validFor.end = Timestamp(seconds: sctTime.seconds - 1) }, .sctInvalid)
        expectFailure(try Self.verify(bundle) { $0.ctlogs[0].validFor.start = Timestamp(seconds: sctTime.seconds + 1) }, .sctInvalid)
    }
}

@Suite("RFC 3161 timestamps cannot be repeated or piled up")
struct TimestampCountTests {
    static func signature(of bundle: SigstoreBundle) -> [UInt8] {
        bundle.content.signatureBytes
    }

    /// The failure's reason, or nil when the bundle verified.
    static func reason(_ report: VerificationReport) -> String? {
        if case .failure(let error) = report.result { return error.reason }
        return nil
    }

    @Test("the same timestamp twice is refused, as bytes and re-wrapped around the same token")
    func duplicates() async throws {
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())
        let timestamp = try #require(bundle.rfc3161Timestamps.first)
        var twice = bundle
        twice.rfc3161Timestamps = [timestamp, timestamp]
        expectFailure(Fixture.verify(try Fixture.roundTrip(twice)), .timestampInvalid)
        #expect(Self.reason(Fixture.verify(twice))?.contains("identical") == true)

        var rewrapped = TimeStampResponse(status: 0, tokenDER: try TimeStampResponse(derEncoded: timestamp).tokenDER)
        rewrapped.statusString = "Operation Okay"
        let other = try rewrapped.derEncoded()
        #expect(other != timestamp)
        bundle.rfc3161Timestamps = [timestamp, other]
        expectFailure(Fixture.verify(bundle), .timestampInvalid)
        #expect(Self.reason(Fixture.verify(bundle))?.contains("same signed TSTInfo") == true)

        // Garbage repeated is refused too, before anything is examined.
        bundle.rfc3161Timestamps = [timestamp, [0x30, 0x00], [0x30, 0x00]]
        expectFailure(Fixture.verify(bundle), .timestampInvalid)
    }

    @Test("up to BundleVerifier.maxTimestamps distinct timestamps verify; one more is refused")
    func maximum() async throws {
        #expect(BundleVerifier.maxTimestamps == 32)
        var bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())
        let signature = Self.signature(of: bundle)
        let reference = Fixture.platform.referenceTime.seconds
        var timestamps: [[UInt8]] = []
        for offset in 0..<Int64(BundleVerifier.maxTimestamps) {
            timestamps.append(try await Fixture.platform.timestamp(signature: signature, at: Timestamp(seconds: reference + offset)))
        }
        bundle.rfc3161Timestamps = timestamps
        let report = Fixture.verify(bundle)
        expectVerified(report)
        #expect(try report.result.get().times.count == BundleVerifier.maxTimestamps)
        await bundle.rfc3161Timestamps.append(try Fixture.platform.timestamp(signature: signature, at: Timestamp(seconds: reference + 100)))
        expectFailure(Fixture.verify(bundle), .timestampInvalid)
    }
}

@Suite("Hostile bundles and roots: truncated material and extreme times fail with a code, never trap")
struct HostileVerificationTests {
    @Test("every truncation of the signing certificate fails verification")
    func truncatedLeaf() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        let leaf = try #require(bundle.signer.leafCertificate)
        for length in 0..<leaf.count {
            var truncated = bundle
            truncated.signer = .certificate(Array(leaf.prefix(length)))
            #expect((try? Fixture.verify(truncated).result.get()) == nil, "a \(length)-byte certificate")
        }
    }

    @Test("truncated certificates and keys in the trusted root are refused or unusable, never a trap")
    func truncatedRoot() async throws {
        let root = try Fixture.platform.trustedRoot()
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        let certificate = root.certificateAuthorities[0].certificateChain[0]
        for length in 0..<certificate.count {
            var damaged = root
            damaged.certificateAuthorities[0].certificateChain[0] = Array(certificate.prefix(length))
            #expect { try BundleVerifier(trustedRoot: damaged) } throws: { ($0 as? VerificationError)?.code == .trustRootInvalid }
        }
        let key = root.tlogs[0].publicKey
        for damagedKey in [[0x30, 0x00]] + (0..<key.count).map({ Array(key.prefix($0)) }) {
            var damaged = root
            damaged.tlogs[0].publicKey = damagedKey
            let verifier = try BundleVerifier(trustedRoot: damaged)
            let report = verifier.verify(bundle, artifact: Artifact(bytes: Fixture.artifact), policy: Fixture.policy, now: Fixture.now)
            expectFailure(report, .trustRootInvalid)
        }
    }

    @Test("every truncation of an embedded SCT list, and lengths past its end, are refused with FormatError")
    func truncatedSCTLists() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        let leaf = try Certificate(derEncoded: try #require(bundle.signer.leafCertificate))
        let value = try #require(leaf.extensions[oid: SignedCertificateTimestamp.extensionOID]).value
        let list = Array(try ASN1OctetString(derEncoded: Array(value)).bytes)
        #expect(try SignedCertificateTimestamp.embedded(in: leaf).count == 1)
        let issuerKey = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("sct list test") }
        func certificate(extensionValue: [UInt8]) throws -> Certificate {
            try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(issuerKey.publicKey), notValidBefore: Date(timeIntervalSince1970: 0),
                notValidAfter: Date(timeIntervalSince1970: 60), issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: Certificate.Extensions([
                    Certificate.Extension(oid: SignedCertificateTimestamp.extensionOID, critical: false, value: extensionValue[...])
                ]),
                issuerPrivateKey: .init(issuerKey))
        }
        var values = (0..<value.count).map { Array(value.prefix($0)) }
        values += try (0..<list.count).map { try ASN1OctetString(contentBytes: list.prefix($0)).derBytes() }
        values.append(try ASN1OctetString(contentBytes: [0xFF, 0xFF] + list.dropFirst(2)).derBytes())
        values.append(try ASN1OctetString(contentBytes: list + [0]).derBytes())
        for extensionValue in values {
            let damaged = try certificate(extensionValue: extensionValue)
            #expect(throws: FormatError.self, "\(Hex.encode(extensionValue))") { try SignedCertificateTimestamp.embedded(in: damaged) }
        }
    }

    @Test("integrated times and the caller's now at the Int64 edges fail with a reason")
    func extremeTimes() async throws {
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact)
        for time in [Int64.max, Int64.min, Int64.max - 59, -1] {
            var edited = bundle
            edited.tlogEntries[0].integratedTime = time
            expectFailure(Fixture.verify(edited), .signedEntryTimestampInvalid)
        }
        for now in [Int64.max, Int64.min] {
            let report = Fixture.verifier.verify(bundle, artifact: Artifact(bytes: Fixture.artifact), policy: Fixture.policy, now: Timestamp(seconds: now))
            if now == .max { expectVerified(report) } else { expectFailure(report, .signedEntryTimestampInvalid) }
        }
    }
}
