import SignetCore
import SignetVerify

/// The gate for one environment, signed for deciding without the server (`signet gate export`,
/// then `signet gate check --offline`): the policies in force, the trusted root, every
/// revocation, and the verdict on each exported subject as the one engine decided it at export
/// time, valid until the export's `expiresAt` (or the verdict's own, if sooner: an exception's
/// expiry, an `enforceFrom` date). The file holds the export's exact bytes and the bundle of
/// the gate's signature over them (`<server>/signet/gate`, issuer `<server>`), logged.
///
/// An offline decision cannot see what happened after the export: a revocation made since is
/// unknown to it until the next export, which is why every export expires.
public struct GateExport: Sendable {
    public static let mediaType = "application/vnd.signet.gate-export+json;version=0.1"
    /// The largest exported file accepted, in bytes.
    public static let maxBytes = 64 << 20
    /// The most verdicts one export carries.
    public static let maxVerdicts = 10_000
    /// The longest an export may be valid.
    public static let maxLifetimeSeconds: Int64 = 7 * 86_400

    /// One subject's decision, as exported.
    public struct Verdict: Sendable, Hashable {
        public var subject: String
        public var allowed: Bool
        public var code: Decision.Code
        public var message: String
        public var policyDigest: String
        public var expiresAt: Timestamp

        public init(subject: String, decision: Decision) {
            self.init(
                subject: subject, allowed: decision.allowed, code: decision.code, message: decision.message, policyDigest: decision.policyDigest,
                expiresAt: decision.expiresAt)
        }

        init(subject: String, allowed: Bool, code: Decision.Code, message: String, policyDigest: String, expiresAt: Timestamp) {
            self.subject = subject
            self.allowed = allowed
            self.code = code
            self.message = message
            self.policyDigest = policyDigest
            self.expiresAt = expiresAt
        }
    }

    /// The server's public URL: the certificate's issuer, and its identity's prefix.
    public var server: String
    public var environment: String
    public var time: Timestamp
    public var expiresAt: Timestamp
    public var policies: [PolicyDocument]
    public var trustedRoot: TrustedRoot
    public var revocations: [RevocationStatement]
    public var verdicts: [Verdict]

    public init(
        server: String, environment: String, time: Timestamp, expiresAt: Timestamp, policies: [PolicyDocument], trustedRoot: TrustedRoot,
        revocations: [RevocationStatement], verdicts: [Verdict]
    ) {
        self.server = server
        self.environment = environment
        self.time = time
        self.expiresAt = expiresAt
        self.policies = policies
        self.trustedRoot = trustedRoot
        self.revocations = revocations
        self.verdicts = verdicts
    }

    /// The identity the gate's statements are certified to: `<server>/signet/gate`.
    public static func signerIdentity(server: String) -> String {
        (server.hasSuffix("/") ? String(server.dropLast()) : server) + "/signet/gate"
    }

    /// The decision for `subject` at `now`: its exported verdict, an admission only while both
    /// it and the export are valid (else `verdict-expired`); a subject without a verdict is
    /// refused (`not-exported`), never admitted.
    public func decision(for subject: String, environment: String, now: Timestamp) -> Decision {
        guard environment == self.environment else {
            return .refused(.unknownEnvironment, "expected the environment of the offline bundle, \(self.environment), found \"\(environment)\"", now: now)
        }
        guard let verdict = verdicts.first(where: { $0.subject == subject }) else {
            return .refused(
                .notExported,
                "expected a verdict on \(ProtoJSONObject.preview(subject, limit: 200)) in the offline bundle of \(time), found none: export it with `signet gate export --name`",
                now: now)
        }
        let expiry = min(expiresAt, verdict.expiresAt)
        // An admission holds only while valid; a refusal stays one.
        guard !verdict.allowed || now < expiry else {
            return .refused(
                .verdictExpired, "expected a verdict valid now, found one of \(time) that expired at \(expiry): export a fresh offline bundle", now: now)
        }
        let applied = policies.map { Decision.AppliedPolicy(name: $0.name, digest: $0.digestText, mode: $0.mode) }
        return Decision(
            allowed: verdict.allowed, code: verdict.code, message: verdict.message + " (offline, as decided at \(time))", policies: applied,
            policyDigest: verdict.policyDigest, evidence: [], warnings: [], checks: [], expiresAt: expiry)
    }

    public var json: JSONValue {
        .object(
            JSONObject([
                ("mediaType", .string(Self.mediaType)), ("server", .string(server)), ("environment", .string(environment)), ("time", .string(time.rfc3339)),
                ("expiresAt", .string(expiresAt.rfc3339)),
                // Each policy as the document whose digest the verdicts name.
                ("policies", .array(policies.map { (try? JSONParser().parse($0.canonicalJSON)) ?? .null })),
                ("trustedRoot", trustedRoot.json), ("revocations", .array(revocations.map(\.json))),
                (
                    "verdicts",
                    .array(
                        verdicts.map { verdict in
                            .object(
                                JSONObject([
                                    ("subject", .string(verdict.subject)), ("allowed", .bool(verdict.allowed)), ("code", .string(verdict.code.rawValue)),
                                    ("message", .string(verdict.message)), ("policyDigest", .string(verdict.policyDigest)),
                                    ("expiresAt", .string(verdict.expiresAt.rfc3339)),
                                ]))
                        })
                ),
            ]))
    }

    public init(jsonBytes bytes: [UInt8]) throws(FormatError) {
        var object = try ProtoJSONObject(try JSONParser(maxBytes: Self.maxBytes, maxDepth: 64).parse(bytes, context: "export"), path: "export")
        let mediaType = try object.requiredString("mediaType")
        guard mediaType == Self.mediaType else {
            throw FormatError(.unsupported, at: object.childPath("mediaType"), "expected \(Self.mediaType), found \"\(ProtoJSONObject.preview(mediaType))\"")
        }
        server = try object.requiredString("server")
        environment = try object.requiredString("environment")
        time = try Self.time(&object, "time")
        expiresAt = try Self.time(&object, "expiresAt")
        policies = try object.array("policies").map { (value, path) throws(FormatError) in
            do { return try PolicyDocument(jsonBytes: value.compactBytes()) } catch {
                throw FormatError(.invalidValue, at: path, "expected a policy document, found one that does not read: \(error)")
            }
        }
        trustedRoot = try TrustedRoot(json: try object.required("trustedRoot"), path: object.childPath("trustedRoot"))
        revocations = try object.array("revocations").map { (value, path) throws(FormatError) in try RevocationStatement(json: value, path: path) }
        let listed = try object.array("verdicts")
        guard listed.count <= Self.maxVerdicts else {
            throw FormatError(.tooLarge, at: object.childPath("verdicts"), "expected at most \(Self.maxVerdicts) verdicts, found \(listed.count)")
        }
        verdicts = try listed.map { (value, path) throws(FormatError) in
            var member = try ProtoJSONObject(value, path: path)
            let codeText = try member.requiredString("code")
            guard let code = Decision.Code(rawValue: codeText) else {
                throw FormatError(.invalidValue, at: member.childPath("code"), "expected a decision code, found \"\(ProtoJSONObject.preview(codeText))\"")
            }
            let allowed = try member.bool("allowed") ?? false
            // A verdict admits only with a code that admits: a forged mix refuses.
            guard allowed == code.allows else {
                throw FormatError(.invalidValue, at: member.childPath("allowed"), "expected allowed to be \(code.allows) for \(codeText), found \(allowed)")
            }
            let verdict = Verdict(
                subject: try member.requiredString("subject"), allowed: allowed, code: code, message: try member.requiredString("message"),
                policyDigest: try member.requiredString("policyDigest"), expiresAt: try Self.time(&member, "expiresAt"))
            try member.finish()
            return verdict
        }
        try object.finish()
    }

    private static func time(_ object: inout ProtoJSONObject, _ name: String) throws(FormatError) -> Timestamp {
        let text = try object.requiredString(name)
        guard let time = Timestamp(rfc3339: text) else {
            throw FormatError(.invalidValue, at: object.childPath(name), "expected an RFC 3339 time, found \"\(ProtoJSONObject.preview(text))\"")
        }
        return time
    }

    /// The exported file: the export's bytes (base64) and the bundle that signs them.
    public struct Signed: Sendable {
        public var exportBytes: [UInt8]
        public var bundle: SigstoreBundle

        public init(exportBytes: [UInt8], bundle: SigstoreBundle) {
            self.exportBytes = exportBytes
            self.bundle = bundle
        }

        public var json: JSONValue {
            .object(JSONObject([("export", .string(Base64.encode(exportBytes))), ("bundle", bundle.json)]))
        }

        public init(jsonBytes bytes: [UInt8]) throws(FormatError) {
            var object = try ProtoJSONObject(try JSONParser(maxBytes: GateExport.maxBytes * 2, maxDepth: 32).parse(bytes, context: "gate"), path: "gate")
            exportBytes = try object.requiredBytes("export")
            bundle = try SigstoreBundle(json: try object.required("bundle"))
            try object.finish()
        }

        /// The export, after verifying it through the one engine: the bundle must sign the
        /// export's exact bytes with a certificate the trusted CA issued to `server`'s gate
        /// (`<server>/signet/gate`, issuer `<server>`), logged.
        public func verified(by verifier: BundleVerifier, server: String) throws(VerificationError) -> GateExport {
            let report = verifier.verify(
                bundle, artifact: Artifact(bytes: exportBytes), policy: .identity(GateExport.signerIdentity(server: server), issuer: server))
            if case .failure(let error) = report.result {
                throw VerificationError(error.code, "the offline bundle's signature: \(error.reason)")
            }
            let export: GateExport
            do { export = try GateExport(jsonBytes: exportBytes) } catch { throw VerificationError(.unusableInput, "the offline bundle: \(error)") }
            guard export.server == server else {
                throw VerificationError(.unusableInput, "expected an offline bundle from \(server), found one from \(export.server)")
            }
            return export
        }
    }
}
