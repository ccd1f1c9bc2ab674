import Crypto
import Foundation
import SignetCore
import SwiftASN1
import Testing
import X509

@testable import SignetVerify

/// Builds small PKIs in code at a fixed reference time.
struct TestPKI {
    static let time = Timestamp(seconds: 1_768_478_400)
    static let start = time.date.addingTimeInterval(-86_400)
    static let end = time.date.addingTimeInterval(86_400)

    static func name(_ commonName: String) -> DistinguishedName {
        try! DistinguishedName { CommonName(commonName) }
    }

    static func certificate(
        subject: String, issuer: String, key: P256.Signing.PrivateKey, signer: P256.Signing.PrivateKey,
        extensions: [Certificate.Extension], notAfter: Date = end
    ) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: start, notValidAfter: notAfter,
            issuer: name(issuer), subject: subject.isEmpty ? DistinguishedName() : name(subject), signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions(extensions), issuerPrivateKey: .init(signer))
    }

    static func ca(pathLength: Int? = nil, isCA: Bool = true) throws -> Certificate.Extension {
        try Certificate.Extension(isCA ? BasicConstraints.isCertificateAuthority(maxPathLength: pathLength) : .notCertificateAuthority, critical: true)
    }

    static func leafExtensions(_ usage: ExtendedKeyUsage.Usage = .codeSigning, critical: Bool = false) throws -> [Certificate.Extension] {
        [
            try Certificate.Extension(KeyUsage(digitalSignature: true), critical: true),
            try Certificate.Extension(ExtendedKeyUsage([usage]), critical: critical),
            try Certificate.Extension(SubjectAlternativeNames([.rfc822Name("a@example.com")]), critical: true),
        ]
    }

    let rootKey = P256.Signing.PrivateKey()
    let intermediateKey = P256.Signing.PrivateKey()
    let leafKey = P256.Signing.PrivateKey()

    func root(pathLength: Int? = nil) throws -> Certificate {
        try Self.certificate(subject: "root", issuer: "root", key: rootKey, signer: rootKey, extensions: [try Self.ca(pathLength: pathLength)])
    }

    func intermediate(isCA: Bool = true, notAfter: Date = end) throws -> Certificate {
        try Self.certificate(
            subject: "intermediate", issuer: "root", key: intermediateKey, signer: rootKey, extensions: [try Self.ca(isCA: isCA)], notAfter: notAfter)
    }

    func leaf(extensions: [Certificate.Extension]? = nil, signer: P256.Signing.PrivateKey? = nil, issuer: String = "intermediate") throws -> Certificate {
        try Self.certificate(subject: "", issuer: issuer, key: leafKey, signer: signer ?? intermediateKey, extensions: try extensions ?? Self.leafExtensions())
    }
}

extension CertificateChainValidator {
    /// Validation through an authority whose links are checked as a trusted root's are: once.
    @discardableResult
    static func validate(leaf: Certificate, authority: [Certificate], at time: Timestamp, purpose: Purpose) throws(VerificationError) -> (
        path: [Certificate], issuerIndex: Int
    ) {
        try validate(leaf: leaf, authority: authority[...], signedLinks: signedLinks(authority)[...], at: time, purpose: purpose)
    }
}

@Suite("Path validation of given chains (RFC 5280 §6)")
struct CertificateChainValidatorTests {
    func expectInvalid(
        _ leaf: Certificate, _ authority: [Certificate], purpose: CertificateChainValidator.Purpose = .codeSigning, _ fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            try CertificateChainValidator.validate(leaf: leaf, authority: authority, at: TestPKI.time, purpose: purpose)
            Issue.record("expected the chain to be refused (\(fragment))", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == .certificateChainInvalid, sourceLocation: sourceLocation)
            #expect(error.reason.contains(fragment), "\(error.reason)", sourceLocation: sourceLocation)
        }
    }

    @Test("a leaf through an intermediate to the root validates; a leaf issued by the root starts there")
    func valid() throws {
        let pki = TestPKI()
        let authority = [try pki.intermediate(), try pki.root()]
        let (path, issuerIndex) = try CertificateChainValidator.validate(leaf: try pki.leaf(), authority: authority, at: TestPKI.time, purpose: .codeSigning)
        #expect(path.count == 3 && issuerIndex == 0)
        let direct = try pki.leaf(signer: pki.rootKey, issuer: "root")
        #expect(try CertificateChainValidator.validate(leaf: direct, authority: authority, at: TestPKI.time, purpose: .codeSigning).issuerIndex == 1)
    }

    @Test("forged signature, unknown issuer, expired intermediate")
    func signatureNamesAndTime() throws {
        let pki = TestPKI()
        let authority = [try pki.intermediate(), try pki.root()]
        expectInvalid(try pki.leaf(signer: P256.Signing.PrivateKey()), authority, "found a signature that does not verify")
        expectInvalid(try pki.leaf(issuer: "someone else"), authority, "expected the leaf's issuer")
        // A link inside the authority, checked once when the root is read, still refuses.
        let forgedIntermediate = try TestPKI.certificate(
            subject: "intermediate", issuer: "root", key: pki.intermediateKey, signer: P256.Signing.PrivateKey(), extensions: [try TestPKI.ca()])
        #expect(CertificateChainValidator.signedLinks([forgedIntermediate, try pki.root()]) == [false])
        expectInvalid(try pki.leaf(), [forgedIntermediate, try pki.root()], "found a signature that does not verify")
        expectInvalid(try pki.leaf(), [try pki.intermediate(notAfter: TestPKI.time.date.addingTimeInterval(-1)), try pki.root()], "to be valid at")
    }

    @Test("issuers must be CAs within their path length")
    func constraints() throws {
        let pki = TestPKI()
        expectInvalid(try pki.leaf(), [try pki.intermediate(isCA: false), try pki.root()], "basicConstraints CA:TRUE")
        expectInvalid(try pki.leaf(), [try pki.intermediate(), try pki.root(pathLength: 0)], "at most 0 intermediate")
        #expect(throws: Never.self) {
            try CertificateChainValidator.validate(
                leaf: try pki.leaf(), authority: [try pki.intermediate(), try pki.root(pathLength: 1)], at: TestPKI.time, purpose: .codeSigning)
        }
    }

    @Test("leaf purpose: codeSigning, no CA flag, no unknown critical extension")
    func leafPurpose() throws {
        let pki = TestPKI()
        let authority = [try pki.intermediate(), try pki.root()]
        expectInvalid(try pki.leaf(extensions: try TestPKI.leafExtensions(.serverAuth)), authority, "codeSigning")
        expectInvalid(try pki.leaf(extensions: try TestPKI.leafExtensions() + [try TestPKI.ca()]), authority, "found a CA certificate")
        let unknown = Certificate.Extension(oid: [1, 3, 6, 1, 4, 1, 99999, 1], critical: true, value: [0x05, 0x00])
        expectInvalid(try pki.leaf(extensions: try TestPKI.leafExtensions() + [unknown]), authority, "unrecognised critical extension")
    }

    @Test("a TSA leaf needs exactly timeStamping, marked critical")
    func timeStamping() throws {
        let pki = TestPKI()
        let authority = [try pki.intermediate(), try pki.root()]
        #expect(throws: Never.self) {
            try CertificateChainValidator.validate(
                leaf: try pki.leaf(extensions: try TestPKI.leafExtensions(.timeStamping, critical: true)), authority: authority, at: TestPKI.time,
                purpose: .timeStamping)
        }
        expectInvalid(
            try pki.leaf(extensions: try TestPKI.leafExtensions(.timeStamping, critical: false)), authority, purpose: .timeStamping,
            "critical extended key usage")
        expectInvalid(
            try pki.leaf(extensions: try TestPKI.leafExtensions(.codeSigning, critical: true)), authority, purpose: .timeStamping, "exactly timeStamping")
    }
}
