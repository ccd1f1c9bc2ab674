import SignetCore
import Testing

@testable import SignetPolicy

@Suite("An exported gate decides offline: admissions only while valid, never for a subject it does not hold")
struct GateExportTests {
    static let admittedName = "registry.example.com/team/app@sha256:" + String(repeating: "a", count: 64)
    static let refusedName = "registry.example.com/team/app@sha256:" + String(repeating: "b", count: 64)

    static func export(time: Timestamp, validFor: Int64) throws -> GateExport {
        let policy = try PolicyDocument(jsonBytes: Array(PolicyDocumentTests.valid.utf8))
        let expiresAt = Timestamp(seconds: time.seconds + validFor)
        return GateExport(
            server: "https://signet.example", environment: "production", time: time, expiresAt: expiresAt, policies: [policy],
            trustedRoot: TrustedRoot(tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: []), revocations: [],
            verdicts: [
                .init(
                    subject: admittedName,
                    decision: Decision(
                        allowed: true, code: .admitted, message: "ok", policies: [], policyDigest: "sha256:00", evidence: [], warnings: [], checks: [],
                        expiresAt: expiresAt)),
                .init(subject: refusedName, decision: .refused(.attestationMissing, "no SBOM", now: time)),
            ])
    }

    @Test("the verdict while valid; after expiry an admission becomes verdict-expired, a refusal stays one")
    func expiry() throws {
        let time = Timestamp(seconds: 1_800_000_000)
        let export = try Self.export(time: time, validFor: 3600)
        let during = Timestamp(seconds: time.seconds + 60)
        let after = Timestamp(seconds: time.seconds + 3600)
        #expect(export.decision(for: Self.admittedName, environment: "production", now: during).code == .admitted)
        #expect(export.decision(for: Self.admittedName, environment: "production", now: after).code == .verdictExpired)
        #expect(!export.decision(for: Self.admittedName, environment: "production", now: after).allowed)
        #expect(export.decision(for: Self.refusedName, environment: "production", now: after).code == .attestationMissing)
        #expect(export.decision(for: Self.admittedName, environment: "staging", now: during).code == .unknownEnvironment)
        let other = "registry.example.com/team/app@sha256:" + String(repeating: "c", count: 64)
        #expect(export.decision(for: other, environment: "production", now: during).code == .notExported)
    }

    @Test("the export reads back as written; a verdict whose allowed contradicts its code is refused")
    func roundTrip() throws {
        let export = try Self.export(time: Timestamp(seconds: 1_800_000_000), validFor: 3600)
        let bytes = export.json.compactBytes()
        let read = try GateExport(jsonBytes: bytes)
        #expect(read.verdicts == export.verdicts && read.policies.map(\.digest) == export.policies.map(\.digest))
        let forged = String(decoding: bytes, as: UTF8.self).replacingOccurrences(
            of: #""allowed":false,"code":"attestation-missing""#, with: #""allowed":true,"code":"attestation-missing""#)
        #expect(forged != String(decoding: bytes, as: UTF8.self))
        let error = #expect(throws: FormatError.self) { try GateExport(jsonBytes: Array(forged.utf8)) }
        #expect(error?.reason.contains("expected allowed to be false") == true, "\(String(describing: error))")
    }
}
