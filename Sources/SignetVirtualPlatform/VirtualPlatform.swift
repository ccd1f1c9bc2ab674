import Crypto
import Foundation
import SignetCA
import SignetCore
import SignetLog
import SignetTSA
import SwiftASN1
import X509

/// An in-process Sigstore-compatible platform: a CA with an SCT signer, a Rekor v1-style log
/// (ECDSA key, SETs), a Rekor v2-style log (Ed25519 checkpoints) over one Merkle tree each, and
/// an RFC 3161 TSA. Everything is built in code at a fixed reference time with fresh keys, so
/// tests and benchmarks make real bundles without any network.
public final class VirtualPlatform: @unchecked Sendable {
    /// The reference time every certificate, entry and timestamp is made at.
    public let referenceTime: Timestamp
    public let rootKey = P256.Signing.PrivateKey()
    public let intermediateKey = P256.Signing.PrivateKey()
    public let ctKey = P256.Signing.PrivateKey()
    public let logV1Key = P256.Signing.PrivateKey()
    public let logV2Key = Curve25519.Signing.PrivateKey()
    public let tsaRootKey = P256.Signing.PrivateKey()
    public let tsaKey = P256.Signing.PrivateKey()

    public let rootCertificate: Certificate
    public let intermediateCertificate: Certificate
    public let tsaRootCertificate: Certificate
    public let tsaCertificate: Certificate

    public static let logV1Host = "rekor.signet.test"
    public static let logV2Host = "log2026.signet.test"
    public static let treeID: Int64 = 4_711
    public static let issuer = "https://token.signet.test"

    private let lock = NSLock()
    private var logV1 = MerkleTree()
    private var logV2 = MerkleTree()

    public init(referenceTime: Timestamp = Timestamp(seconds: 1_768_478_400)) throws {
        self.referenceTime = referenceTime
        let start = referenceTime.date.addingTimeInterval(-86_400)
        let end = referenceTime.date.addingTimeInterval(365 * 86_400)
        let rootName = try DistinguishedName {
            OrganizationName("signet.test")
            CommonName("Signet Test Root")
        }
        let intermediateName = try DistinguishedName {
            OrganizationName("signet.test")
            CommonName("Signet Test Intermediate")
        }
        rootCertificate = try Self.caCertificate(
            subject: rootName, issuer: rootName, key: .init(rootKey.publicKey), issuerKey: .init(rootKey), issuerPublicKey: .init(rootKey.publicKey),
            notBefore: start, notAfter: end, serial: 100, codeSigning: false)
        intermediateCertificate = try Self.caCertificate(
            subject: intermediateName, issuer: rootName, key: .init(intermediateKey.publicKey), issuerKey: .init(rootKey),
            issuerPublicKey: .init(rootKey.publicKey), notBefore: start, notAfter: end, serial: 101, codeSigning: true)
        let tsaRootName = try DistinguishedName {
            OrganizationName("signet.test")
            CommonName("Signet Test TSA Root")
        }
        let tsaName = try DistinguishedName {
            OrganizationName("signet.test")
            CommonName("Signet Test TSA")
        }
        tsaRootCertificate = try Self.caCertificate(
            subject: tsaRootName, issuer: tsaRootName, key: .init(tsaRootKey.publicKey), issuerKey: .init(tsaRootKey),
            issuerPublicKey: .init(tsaRootKey.publicKey), notBefore: start, notAfter: end, serial: 200, codeSigning: false)
        tsaCertificate = try Certificate(
            version: .v3, serialNumber: .init(201), publicKey: .init(tsaKey.publicKey), notValidBefore: start, notValidAfter: end,
            issuer: tsaRootName, subject: tsaName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions([
                try Certificate.Extension(KeyUsage(digitalSignature: true), critical: true),
                try Certificate.Extension(ExtendedKeyUsage([.timeStamping]), critical: true),
                try Certificate.Extension(SubjectKeyIdentifier(hash: .init(tsaKey.publicKey)), critical: false),
                try Certificate.Extension(
                    AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: .init(tsaRootKey.publicKey)).keyIdentifier), critical: false),
            ]),
            issuerPrivateKey: .init(tsaRootKey))
    }

    private static func caCertificate(
        subject: DistinguishedName, issuer: DistinguishedName, key: Certificate.PublicKey, issuerKey: Certificate.PrivateKey,
        issuerPublicKey: Certificate.PublicKey, notBefore: Date, notAfter: Date, serial: Int, codeSigning: Bool
    ) throws -> Certificate {
        var extensions = [
            try Certificate.Extension(BasicConstraints.isCertificateAuthority(maxPathLength: codeSigning ? 0 : nil), critical: true),
            try Certificate.Extension(KeyUsage(keyCertSign: true, cRLSign: true), critical: true),
            try Certificate.Extension(SubjectKeyIdentifier(hash: key), critical: false),
            try Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuerPublicKey).keyIdentifier), critical: false),
        ]
        if codeSigning { extensions.append(try Certificate.Extension(ExtendedKeyUsage([.codeSigning]), critical: false)) }
        return try Certificate(
            version: .v3, serialNumber: .init(serial), publicKey: key, notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: issuer, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(extensions), issuerPrivateKey: issuerKey)
    }

    // MARK: Trust

    public var ctLogID: [UInt8] { sha256(ctKey.publicKey.derRepresentation) }
    public var logV1ID: [UInt8] { try! logSigner(.v1).logID }
    public var logV2ID: [UInt8] { try! logSigner(.v2).logID }

    /// The trusted root for this platform (the trust anchors a verifier needs).
    public func trustedRoot() throws -> TrustedRoot {
        let validity = TimeRange(start: Timestamp(seconds: referenceTime.seconds - 86_400))
        let ed25519SPKI = Ed25519PublicKey.spki(rawKey: Array(logV2Key.publicKey.rawRepresentation))
        return TrustedRoot(
            tlogs: [
                .init(
                    baseURL: "https://\(Self.logV1Host)", publicKey: Array(logV1Key.publicKey.derRepresentation), keyDetails: "PKIX_ECDSA_P256_SHA_256",
                    validFor: validity, logID: logV1ID),
                .init(baseURL: "https://\(Self.logV2Host)", publicKey: ed25519SPKI, keyDetails: "PKIX_ED25519", validFor: validity, logID: logV2ID),
            ],
            certificateAuthorities: [
                .init(
                    organization: "signet.test", commonName: "Signet Test CA", uri: "https://ca.signet.test",
                    certificateChain: [try intermediateCertificate.derBytes(), try rootCertificate.derBytes()], validFor: validity)
            ],
            ctlogs: [
                .init(
                    baseURL: "https://ct.signet.test", publicKey: Array(ctKey.publicKey.derRepresentation), keyDetails: "PKIX_ECDSA_P256_SHA_256",
                    validFor: validity, logID: ctLogID)
            ],
            timestampAuthorities: [
                .init(
                    organization: "signet.test", commonName: "Signet Test TSA", uri: "https://tsa.signet.test/api/v1/timestamp",
                    certificateChain: [try tsaCertificate.derBytes(), try tsaRootCertificate.derBytes()], validFor: validity)
            ])
    }

    // MARK: CA

    /// What a leaf certificate should say; tests change one field to break one property.
    public struct LeafOptions: Sendable {
        public var identity = "https://github.com/signet/app/.github/workflows/release.yml@refs/tags/v1.0.0"
        public var issuer = VirtualPlatform.issuer
        /// Seconds from the reference time at which the CA issues.
        public var notBeforeOffset: Int64 = -60
        public var lifetime: Int64 = 300
        public var embedSCT = true
        public var sctSignedByWrongKey = false
        public var provenance: [FulcioExtension: String] = [:]

        public init() {}
    }

    /// Issues a Fulcio-profile leaf for `publicKey` through a ``CertificateAuthority`` with this
    /// platform's intermediate and CT keys, as the server does.
    public func issueLeaf(publicKey: Certificate.PublicKey, options: LeafOptions = LeafOptions()) async throws -> Certificate {
        let ctSigner: (any Signer)? = options.embedSCT ? SoftwareSigner(options.sctSignedByWrongKey ? P256.Signing.PrivateKey() : ctKey) : nil
        let authority = try CertificateAuthority(
            chain: [intermediateCertificate, rootCertificate], signer: SoftwareSigner(intermediateKey), ctSigner: ctSigner,
            lifetimeSeconds: options.lifetime, timeSource: FixedTimeSource(Timestamp(seconds: referenceTime.seconds + options.notBeforeOffset)))
        let subjectName: VerifiedIdentity.SubjectName =
            options.identity.contains("@") && !options.identity.contains("://")
            ? .email(options.identity) : .uri(options.identity)
        let identity = VerifiedIdentity(subjectName: subjectName, issuer: options.issuer, provenance: options.provenance)
        return try await authority.issue(SigningCertificateRequest(publicKey: publicKey, proof: .certificateSigningRequest), for: identity).certificate()
    }

    // MARK: TSA

    /// An RFC 3161 `TimeStampResp` over `signature` from this platform's TSA at `time` (the
    /// reference time by default), made by the same ``TimestampAuthority`` the server runs.
    public func timestamp(signature: [UInt8], at time: Timestamp? = nil) async throws -> [UInt8] {
        let authority = try TimestampAuthority(
            signer: SoftwareSigner(tsaKey), certificateChain: [tsaCertificate, tsaRootCertificate],
            timeSource: FixedTimeSource(time ?? referenceTime))
        let (response, rejection) = try await authority.respond(toRequest: try TimeStampRequest.forSignature(signature).derBytes())
        if let rejection { throw rejection }
        return response
    }

    // MARK: Logs

    /// Which log an entry goes to.
    public enum LogVersion: Sendable {
        /// Rekor v1 style: ECDSA log key, SET, `host - treeID` checkpoint.
        case v1
        /// Rekor v2 style: Ed25519 checkpoint, no SET (needs a TSA timestamp).
        case v2
    }

    /// The signers of the two logs, as the server's logs sign.
    public func logSigner(_ version: LogVersion) throws -> LogSigner {
        switch version {
        case .v1: try LogSigner(signer: SoftwareSigner(logV1Key), hostName: Self.logV1Host, style: .rekorV1(treeID: Self.treeID))
        case .v2: try LogSigner(signer: SoftwareSigner(logV2Key), hostName: Self.logV2Host, style: .rekorV2)
        }
    }

    /// Appends a canonical body and returns the bundle's entry with its proofs.
    public func appendEntry(body: RekorEntryBody, to version: LogVersion, integratedTime: Timestamp? = nil) async throws -> TransparencyLogEntry {
        let canonical = try body.canonicalBytes()
        let (kind, apiVersion) = body.kindVersion
        let signer = try logSigner(version)
        let (index, size, root, proof): (Int64, Int64, [UInt8], [[UInt8]]) = try lock.withLock {
            switch version {
            case .v1:
                let index = logV1.append(leafData: canonical)
                return (index, logV1.size, try logV1.rootHash(size: logV1.size), try logV1.inclusionProof(index: index, size: logV1.size))
            case .v2:
                let index = logV2.append(leafData: canonical)
                return (index, logV2.size, try logV2.rootHash(size: logV2.size), try logV2.inclusionProof(index: index, size: logV2.size))
            }
        }
        let checkpoint = try await signer.signCheckpoint(size: size, rootHash: root).serialized
        let time = version == .v1 ? (integratedTime ?? referenceTime).seconds : 0
        let set = version == .v1 ? try await signer.signedEntryTimestamp(body: canonical, integratedTime: time, logIndex: index) : nil
        return TransparencyLogEntry(
            logIndex: index, logID: signer.logID, kind: kind, version: apiVersion, integratedTime: time, signedEntryTimestamp: set,
            inclusionProof: .init(logIndex: index, rootHash: root, treeSize: size, hashes: proof, checkpoint: checkpoint),
            canonicalizedBody: canonical)
    }
}

/// A clock stopped at one time, for reproducible tests.
public struct FixedTimeSource: TimeSource {
    public var time: Timestamp

    public init(_ time: Timestamp) { self.time = time }

    public func now() -> Timestamp { time }
}
