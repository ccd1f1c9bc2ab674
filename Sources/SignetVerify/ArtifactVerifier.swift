import Foundation
import SignetCore

/// Verification by artifact name, the deploy gate's question: is there one signature of this
/// digest-pinned name, by whom the caller requires, from the source and build the caller
/// requires, that nobody has revoked? Each signature goes through the one engine
/// (``BundleVerifier``) and then the revocation check, so the server, the CLI and offline
/// verification against an exported snapshot decide alike.
public struct ArtifactVerifier: Sendable {
    public let verifier: BundleVerifier

    public init(verifier: BundleVerifier) {
        self.verifier = verifier
    }

    /// A signature registered under the name.
    public struct Signature: Sendable {
        /// The signature's id (its log entry's UUID).
        public var id: String
        public var bundle: SigstoreBundle
        /// The namespace it is registered in (nil for a bundle given directly).
        public var namespace: String?
        /// The provenance its signer stated at registration beyond what the certificate
        /// attests: it may meet a policy only where the policy accepts stated provenance, and a
        /// stated source ref is revoked like an attested one.
        public var statedProvenance: [FulcioExtension: String]

        public init(id: String, bundle: SigstoreBundle, namespace: String? = nil, statedProvenance: [FulcioExtension: String] = [:]) {
            self.id = id
            self.bundle = bundle
            self.namespace = namespace
            self.statedProvenance = statedProvenance
        }
    }

    /// The answer for a name: each signature's report, and which one (if any) passed.
    public struct Report: Sendable {
        public var name: ArtifactName
        /// Every signature's report, in the order given.
        public var signatures: [(id: String, report: VerificationReport)]

        /// The first signature that passed every check.
        public var verified: (id: String, report: VerificationReport)? {
            signatures.first { $0.report.isVerified }
        }

        /// Whether any signature is registered under the name at all.
        public var hasSignatures: Bool { !signatures.isEmpty }

        /// Why each failing signature failed, in order.
        public var failures: [(id: String, error: VerificationError)] {
            signatures.compactMap { signature in
                guard case .failure(let error) = signature.report.result else { return nil }
                return (signature.id, error)
            }
        }
    }

    /// Verifies the signatures of `name`: each must be registered in `owner`, the namespace
    /// that owns the name (when given: a signature registered elsewhere never counts), sign
    /// the name's digest, satisfy `policy` (identity, issuer and provenance) and not be
    /// covered by one of `revocations` (the name's, by source ref; others are ignored).
    public func verify(
        name: ArtifactName, owner: String? = nil, signatures: [Signature], revocations: [RevocationStatement], policy: VerificationPolicy,
        now: Timestamp = Timestamp(.now)
    ) -> Report {
        let artifact = Artifact(digest: name.digest)
        let reports = signatures.map { signature -> (id: String, report: VerificationReport) in
            if let owner, signature.namespace != owner {
                let error = VerificationError(
                    .namespaceMismatch,
                    "expected a signature registered in \(owner), the namespace that owns \(name), found one in \(signature.namespace ?? "no namespace")")
                return (signature.id, VerificationReport(checks: [.init(name: "namespace", passed: false, detail: error.description)], result: .failure(error)))
            }
            // Stated provenance may meet only what the certificate does not attest: the engine
            // checks the attested values, and the rest is checked here against both.
            var enginePolicy = policy
            if policy.acceptsStatedProvenance { enginePolicy.provenance = [:] }
            var report = verifier.verify(signature.bundle, artifact: artifact, policy: enginePolicy, now: now)
            guard case .success(let verified) = report.result else { return (signature.id, report) }
            let attested: (FulcioExtension) throws(FormatError) -> String? = { (field) throws(FormatError) in
                guard let certificate = verified.certificate else { return nil }
                return try field.value(in: certificate)
            }
            let ref: String?
            do {
                if policy.acceptsStatedProvenance, let failure = try Self.unmet(policy.provenance, attested: attested, stated: signature.statedProvenance) {
                    report.fail("provenance", failure)
                    return (signature.id, report)
                }
                ref = try attested(.sourceRepositoryRef) ?? signature.statedProvenance[.sourceRepositoryRef]
            } catch {
                report.fail("revocation", VerificationError(.unusableInput, "\(error)"))
                return (signature.id, report)
            }
            if let ref, let revocation = RevocationStatement.covering(revocations, name: name, sourceRepositoryRef: ref) {
                report.fail(
                    "revocation",
                    VerificationError(
                        .revoked,
                        "expected a signature nobody revoked, found one made from \(ref) that \(revocation.actor) revoked at \(revocation.time): \(revocation.reason)"
                    ))
            } else {
                report.checks.append(
                    .init(name: "revocation", passed: true, detail: ref.map { "no revocation covers \($0)" } ?? "the certificate names no source ref"))
            }
            return (signature.id, report)
        }
        return Report(name: name, signatures: reports)
    }
}

extension ArtifactVerifier {
    /// The first of `required` neither attested nor stated as required, when stated
    /// provenance is accepted: an attested value always wins over a stated one.
    static func unmet(
        _ required: [FulcioExtension: String], attested: (FulcioExtension) throws(FormatError) -> String?, stated: [FulcioExtension: String]
    ) throws(FormatError) -> VerificationError? {
        for (field, expected) in required.sorted(by: { $0.key.oidOrder < $1.key.oidOrder }) {
            let attestedValue = try attested(field)
            guard let found = attestedValue ?? stated[field] else {
                return VerificationError(
                    .provenanceMismatch, "expected \(field.fieldName) \"\(expected)\", attested or stated, found a signature with neither")
            }
            if found != expected {
                return VerificationError(
                    .provenanceMismatch,
                    "expected \(field.fieldName) \"\(expected)\", found \"\(found)\" (\(attestedValue == nil ? "stated by the signer" : "attested by the certificate"))"
                )
            }
        }
        return nil
    }
}

extension VerificationReport {
    /// Records a failed check after the engine's own checks passed.
    mutating func fail(_ check: String, _ error: VerificationError) {
        checks.append(.init(name: check, passed: false, detail: error.description))
        result = .failure(error)
    }
}

extension ArtifactVerifier {
    /// Reads an exported revocation snapshot after verifying it through the one engine: the
    /// bundle must sign the snapshot's exact bytes, with a certificate the trusted CA issued to
    /// the snapshot's server (`<server>/signet/revocations`, issuer `<server>`), logged. When
    /// `server` is given, the snapshot must come from it.
    public func revocations(in signed: RevocationSnapshot.Signed, server: String?) throws(VerificationError) -> RevocationSnapshot {
        let snapshot: RevocationSnapshot
        do { snapshot = try RevocationSnapshot(jsonBytes: signed.snapshotBytes) } catch {
            throw VerificationError(.unusableInput, "the revocation snapshot: \(error)")
        }
        if let server, server != snapshot.server {
            throw VerificationError(.unusableInput, "expected a revocation snapshot from \(server), found one from \(snapshot.server)")
        }
        let report = verifier.verify(
            signed.bundle, artifact: Artifact(bytes: signed.snapshotBytes),
            policy: .identity(RevocationSnapshot.signerIdentity(server: snapshot.server), issuer: snapshot.server))
        if case .failure(let error) = report.result {
            throw VerificationError(error.code, "the revocation snapshot's signature: \(error.reason)")
        }
        return snapshot
    }
}
