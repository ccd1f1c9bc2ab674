import Crypto
import Foundation
import SignetCA
import SignetCore
import SignetVirtualPlatform
import SwiftASN1
import Testing
import X509

@Suite("Fulcio-compatible certificate authority")
struct CertificateAuthorityTests {
    static let platform = try! VirtualPlatform()
    static let authority = try! CertificateAuthority(
        chain: [platform.intermediateCertificate, platform.rootCertificate], signer: SoftwareSigner(platform.intermediateKey),
        ctSigner: SoftwareSigner(platform.ctKey), timeSource: FixedTimeSource(platform.referenceTime))
    static let identity = VerifiedIdentity(
        subjectName: .uri("https://github.com/example/app/.github/workflows/release.yml@refs/tags/v1.0.0"),
        issuer: "https://token.actions.githubusercontent.com",
        provenance: [.sourceRepositoryRef: "refs/tags/v1.0.0", .sourceRepositoryURI: "https://github.com/example/app", .runnerEnvironment: "github-hosted"],
        proofOfPossessionChallenges: ["repo:example/app:ref:refs/tags/v1.0.0"])

    static func der(_ value: some DERSerializable) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(value)
        return serializer.serializedBytes
    }

    /// A request body in the CSR form sigstore-python sends: base64 of a PEM CSR.
    static func csrBody(key: P256.Signing.PrivateKey, signedBy signer: P256.Signing.PrivateKey? = nil) throws -> [UInt8] {
        let csr = try CertificateSigningRequest(
            version: .v1, subject: DistinguishedName(), privateKey: .init(signer ?? key), attributes: CertificateSigningRequest.Attributes(),
            signatureAlgorithm: .ecdsaWithSHA256)
        var tampered = try der(csr)
        if let signer, signer.publicKey.rawRepresentation != key.publicKey.rawRepresentation {
            // Swap the key inside the CSR for `key`, keeping `signer`'s signature.
            let signerSPKI = Array(signer.publicKey.derRepresentation)
            let keySPKI = Array(key.publicKey.derRepresentation)
            let range = tampered.firstRange(of: signerSPKI)!
            tampered.replaceSubrange(range, with: keySPKI)
        }
        let pem = PEM.encode(tampered, label: "CERTIFICATE REQUEST")
        return JSONValue.object(JSONObject([("certificateSigningRequest", .string(Base64.encode(Array(pem.utf8))))])).compactBytes()
    }

    static func keyBody(key: P256.Signing.PrivateKey, challenge: String, token: String? = nil) throws -> [UInt8] {
        var object = JSONObject([
            (
                "publicKeyRequest",
                .object(
                    JSONObject([
                        (
                            "publicKey",
                            .object(
                                JSONObject([
                                    ("algorithm", .string("ECDSA")),
                                    ("content", .string(PEM.encode(Array(key.publicKey.derRepresentation), label: "PUBLIC KEY"))),
                                ]))
                        ),
                        ("proofOfPossession", .string(Base64.encode(Array(try key.signature(for: Array(challenge.utf8)).derRepresentation)))),
                    ]))
            )
        ])
        if let token { object["credentials"] = .object(JSONObject([("oidcIdentityToken", .string(token))])) }
        return JSONValue.object(object).compactBytes()
    }

    @Test("a CSR request gets the Fulcio profile: empty subject, critical SAN, KU, EKU, AKI, both issuer extensions, provenance, one SCT")
    func profile() async throws {
        let key = P256.Signing.PrivateKey()
        let request = try SigningCertificateRequest(jsonBytes: try Self.csrBody(key: key))
        let issued = try await Self.authority.issue(request, for: Self.identity)
        #expect(issued.chainPEM.count == 2)
        let leaf = try issued.certificate()
        #expect(try Self.der(leaf) == issued.der)
        #expect(leaf.serialNumber.bytes == issued.serialNumber[...])
        #expect(leaf.subject.isEmpty)
        #expect(leaf.publicKey == Certificate.PublicKey(key.publicKey))
        #expect(leaf.extensions[oid: .X509ExtensionID.subjectAlternativeName]?.critical == true)
        #expect(try leaf.sanIdentities() == ["https://github.com/example/app/.github/workflows/release.yml@refs/tags/v1.0.0"])
        #expect(leaf.extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
        #expect(try leaf.extensions.keyUsage?.digitalSignature == true)
        #expect(try leaf.extensions.extendedKeyUsage?.contains(.codeSigning) == true)
        #expect(
            try leaf.extensions.authorityKeyIdentifier?.keyIdentifier
                == (try Self.platform.intermediateCertificate.extensions.subjectKeyIdentifier?.keyIdentifier))
        #expect(leaf.extensions[oid: FulcioExtension.issuerV1.oid]?.value == Array("https://token.actions.githubusercontent.com".utf8)[...])
        #expect(try FulcioExtension.issuer.value(in: leaf) == "https://token.actions.githubusercontent.com")
        #expect(try FulcioExtension.sourceRepositoryRef.value(in: leaf) == "refs/tags/v1.0.0")
        #expect(
            leaf.extensions.filter { $0.critical }.map(\.oid).sorted { "\($0)" < "\($1)" }
                == [.X509ExtensionID.keyUsage, .X509ExtensionID.subjectAlternativeName].sorted { "\($0)" < "\($1)" })
        let oids = leaf.extensions.map { "\($0.oid)" }.filter { $0.hasPrefix("1.3.6.1.4.1.57264") }
        #expect(oids == ["1.3.6.1.4.1.57264.1.1", "1.3.6.1.4.1.57264.1.8", "1.3.6.1.4.1.57264.1.11", "1.3.6.1.4.1.57264.1.12", "1.3.6.1.4.1.57264.1.14"])
        #expect(Timestamp(leaf.notValidAfter).seconds - Timestamp(leaf.notValidBefore).seconds == 300)
        #expect(Timestamp(leaf.notValidBefore) == Self.platform.referenceTime)
        // RFC 5280 §4.1.2.2: the DER INTEGER is positive and at most 20 octets.
        let encodedSerial = RawInteger(unsigned: Array(leaf.serialNumber.bytes)).bytes
        #expect(encodedSerial.count <= 20 && encodedSerial[0] & 0x80 == 0)

        let scts = try SignedCertificateTimestamp.embedded(in: leaf)
        #expect(scts.count == 1)
        let sct = try #require(scts.first)
        let tbs = try SignedCertificateTimestamp.tbsRemovingExtension(SignedCertificateTimestamp.extensionOID, from: leaf)
        let signed = SignedCertificateTimestamp.signedData(
            timestamp: sct.timestamp, issuerKeyHash: sha256(Self.platform.intermediateKey.publicKey.derRepresentation), precertificateTBS: tbs,
            extensions: sct.extensions)
        #expect(sct.logID == sha256(Self.platform.ctKey.publicKey.derRepresentation))
        #expect(try VerificationKey(spki: Array(Self.platform.ctKey.publicKey.derRepresentation)).isValidSignature(sct.signature, message: signed))

        let response = try JSONParser().parse(issued.responseJSON())
        guard case .object(let body) = response, case .object(let embedded)? = body["signedCertificateEmbeddedSct"],
            case .object(let chainObject)? = embedded["chain"], case .array(let certificates)? = chainObject["certificates"]
        else {
            Issue.record("unexpected response shape")
            return
        }
        #expect(
            certificates
                == ([PEM.encode(issued.der, label: "CERTIFICATE")] + (try Self.authority.chain.map { PEM.encode(try Self.der($0), label: "CERTIFICATE") })).map(
                    JSONValue.string))
    }

    @Test("serial numbers stay within 20 octets across many issuances")
    func serials() async throws {
        let request = try SigningCertificateRequest(jsonBytes: try Self.csrBody(key: P256.Signing.PrivateKey()))
        for _ in 0..<200 {
            let issued = try await Self.authority.issue(request, for: Self.identity)
            #expect(!issued.serialNumber.isEmpty && issued.serialNumber.count <= 20 && issued.serialNumber[0] != 0)
            #expect(try issued.certificate().serialNumber.bytes == issued.serialNumber[...])
            // RFC 5280 §4.1.2.2 and X.690 §8.3.2: a positive, minimal INTEGER of at most 20 octets.
            let encoded = RawInteger(unsigned: issued.serialNumber).bytes
            #expect(encoded.count <= 20 && encoded[0] & 0x80 == 0)
        }
    }

    @Test("the public-key form proves possession by signing the token's subject or email; the body token is kept")
    func publicKeyForm() async throws {
        let key = P256.Signing.PrivateKey()
        let request = try SigningCertificateRequest(
            jsonBytes: try Self.keyBody(key: key, challenge: "repo:example/app:ref:refs/tags/v1.0.0", token: "eyJ.token"))
        #expect(request.identityToken == "eyJ.token")
        #expect(try await Self.authority.issue(request, for: Self.identity).certificate().publicKey == Certificate.PublicKey(key.publicKey))
        let wrong = try SigningCertificateRequest(jsonBytes: try Self.keyBody(key: key, challenge: "someone-else"))
        await #expect { try await Self.authority.issue(wrong, for: Self.identity) } throws: {
            ($0 as? CertificateAuthorityError)?.code == .invalidProofOfPossession
        }
    }

    @Test("malformed requests, foreign CSR signatures and unsupported keys are refused with a code")
    func refusals() throws {
        let key = P256.Signing.PrivateKey()
        let forged = try Self.csrBody(key: key, signedBy: P256.Signing.PrivateKey())
        #expect { try SigningCertificateRequest(jsonBytes: forged) } throws: { ($0 as? CertificateAuthorityError)?.code == .invalidProofOfPossession }
        let ed25519 = Ed25519PublicKey.spki(rawKey: Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation))
        let edBody = JSONValue.object(
            JSONObject([
                (
                    "publicKeyRequest",
                    .object(
                        JSONObject([
                            ("publicKey", .object(JSONObject([("content", .string(PEM.encode(ed25519, label: "PUBLIC KEY")))]))),
                            ("proofOfPossession", .string("AAAA")),
                        ]))
                )
            ])
        ).compactBytes()
        #expect { try SigningCertificateRequest(jsonBytes: edBody) } throws: { ($0 as? CertificateAuthorityError)?.code == .unsupportedKey }
        let bodies: [String] = [
            "", "not json", "{}", #"{"certificateSigningRequest":"!!!"}"#,
            #"{"certificateSigningRequest":"\#(Base64.encode(Array("not pem".utf8)))"}"#,
            #"{"certificateSigningRequest":"\#(Base64.encode(Array(PEM.encode([1, 2, 3], label: "CERTIFICATE REQUEST").utf8)))"}"#,
            #"{"certificateSigningRequest":"AAAA","extra":1}"#,
            String(decoding: try Self.csrBody(key: key), as: UTF8.self).replacingOccurrences(of: "}", with: #","publicKeyRequest":{}}"#),
        ]
        for body in bodies {
            #expect(throws: CertificateAuthorityError.self, "\(body)") { try SigningCertificateRequest(jsonBytes: Array(body.utf8)) }
        }
    }

    @Test("an empty SEQUENCE (MAA=) and every truncation of a CSR or public key are refused with a code, never a trap")
    func truncatedRequests() throws {
        let key = P256.Signing.PrivateKey()
        let csr = try Self.der(
            try CertificateSigningRequest(
                version: .v1, subject: DistinguishedName(), privateKey: .init(key), attributes: CertificateSigningRequest.Attributes(),
                signatureAlgorithm: .ecdsaWithSHA256))
        let spki = Array(key.publicKey.derRepresentation)
        func csrBody(_ der: [UInt8]) -> [UInt8] {
            let pem = PEM.encode(der, label: "CERTIFICATE REQUEST")
            return JSONValue.object(JSONObject([("certificateSigningRequest", .string(Base64.encode(Array(pem.utf8))))])).compactBytes()
        }
        func keyBody(_ der: [UInt8], pem: Bool) -> [UInt8] {
            let content = pem ? PEM.encode(der, label: "PUBLIC KEY") : Base64.encode(der)
            return JSONValue.object(
                JSONObject([
                    (
                        "publicKeyRequest",
                        .object(
                            JSONObject([
                                ("publicKey", .object(JSONObject([("content", .string(content))]))), ("proofOfPossession", .string("AAAA")),
                            ]))
                    )
                ])
            ).compactBytes()
        }
        var bodies = [csrBody([0x30, 0x00]), keyBody([0x30, 0x00], pem: true), keyBody([0x30, 0x00], pem: false)]
        bodies += (0..<csr.count).map { csrBody(Array(csr.prefix($0))) }
        bodies += (0..<spki.count).flatMap { [keyBody(Array(spki.prefix($0)), pem: true), keyBody(Array(spki.prefix($0)), pem: false)] }
        for body in bodies {
            #expect("\(String(decoding: body, as: UTF8.self))") { try SigningCertificateRequest(jsonBytes: body) } throws: { error in
                (error as? CertificateAuthorityError).map { [.invalidRequest, .unsupportedKey].contains($0.code) && $0.reason.contains("expected") } ?? false
            }
        }
    }

    @Test("a clock before 1970 or a lifetime past the end of Int64 time fails the request, not the process")
    func extremeClocks() async throws {
        let key = P256.Signing.PrivateKey()
        let request = try SigningCertificateRequest(jsonBytes: try Self.csrBody(key: key))
        for (now, lifetime) in [
            (Int64.max - 10, Int64(300)), (Self.platform.referenceTime.seconds, Int64.max), (Int64(-1), Int64(300)), (Int64.min, Int64(300)),
        ] {
            let authority = try CertificateAuthority(
                chain: [Self.platform.intermediateCertificate, Self.platform.rootCertificate], signer: SoftwareSigner(Self.platform.intermediateKey),
                ctSigner: SoftwareSigner(Self.platform.ctKey), lifetimeSeconds: lifetime, timeSource: FixedTimeSource(Timestamp(seconds: now)))
            await #expect("now \(now), lifetime \(lifetime)") { try await authority.issue(request, for: Self.identity) } throws: {
                ($0 as? CertificateAuthorityError)?.code == .signingFailed
            }
        }
    }

    @Test("OpenSSL validates the issued chain (an independent implementation)")
    func openSSLValidates() async throws {
        let issued = try await Self.authority.issue(
            try SigningCertificateRequest(jsonBytes: try Self.csrBody(key: P256.Signing.PrivateKey())), for: Self.identity)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (index, pem) in ([PEM.encode(issued.der, label: "CERTIFICATE")] + issued.chainPEM).enumerated() {
            let url = directory.appendingPathComponent("\(index).pem")
            try Data(pem.utf8).write(to: url)
            paths.append(url.path)
        }
        let result = try OpenSSL.run([
            "verify", "-attime", String(Self.platform.referenceTime.seconds + 60), "-purpose", "any", "-x509_strict",
            "-CAfile", paths[2], "-untrusted", paths[1], paths[0],
        ])
        #expect(result.status == 0 && result.output.contains("OK"), "\(result.output)")
    }
}
