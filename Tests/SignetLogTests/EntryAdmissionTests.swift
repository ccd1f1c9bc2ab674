import Crypto
import SignetCore
import SignetLog
import SignetVirtualPlatform
import SwiftASN1
import Testing
import X509

@Suite("Entry admission: Rekor v1 proposed entries and Rekor v2 requests")
struct EntryAdmissionTests {
    static let platform = try! VirtualPlatform()
    static let key = P256.Signing.PrivateKey()
    static let leafDER: [UInt8] = {
        let leaf = try! Blocking.run { try await platform.issueLeaf(publicKey: .init(key.publicKey)) }
        var serializer = DER.Serializer()
        try! serializer.serialize(leaf)
        return serializer.serializedBytes
    }()
    static let artifact = Array("artifact".utf8)
    static let signature = Array(try! key.signature(for: artifact).derRepresentation)

    /// What sigstore-python sends for `sign` against a Rekor v1 log.
    static func hashedRekordRequest(
        signature: [UInt8] = signature, pem: String = PEM.encode(leafDER, label: "CERTIFICATE"), hex: String = Hex.encode(sha256(artifact))
    ) -> [UInt8] {
        Array(
            #"{"kind":"hashedrekord","apiVersion":"0.0.1","spec":{"signature":{"content":"\#(Base64.encode(signature))","publicKey":{"content":"\#(Base64.encode(Array(pem.utf8)))"}},"data":{"hash":{"algorithm":"sha256","value":"\#(hex)"}}}}"#
                .utf8)
    }

    /// The search keys of an entry signed by ``leafDER`` over `digest`.
    static func expectedKeys(digest: [UInt8]) throws -> [String] {
        let names = try #require(try Certificate(derEncoded: leafDER).extensions.subjectAlternativeNames)
        let identities = names.compactMap { name -> String? in
            switch name {
            case .rfc822Name(let email): "identity:\(email.lowercased())"
            case .uniformResourceIdentifier(let uri): "identity:\(uri.lowercased())"
            default: nil
            }
        }
        #expect(identities.count == 1)
        return (identities + ["key:sha256:\(Hex.encode(sha256(leafDER)))", "sha256:\(Hex.encode(digest))"]).sorted()
    }

    @Test("hashedrekord 0.0.1 yields the canonical body verifiers rebuild, with the PEM re-encoded canonically, and its search keys")
    func hashedRekord() throws {
        let admitted = try EntryAdmission.rekorV1(jsonBytes: Self.hashedRekordRequest())
        let expected = RekorEntryBody.hashedRekordV001(
            .init(
                hashAlgorithm: .sha256, digest: sha256(Self.artifact), signature: Self.signature, publicKeyPEM: PEM.encode(Self.leafDER, label: "CERTIFICATE")))
        #expect(try admitted.body.canonicalBytes() == expected.canonicalBytes())
        #expect(admitted.indexKeys == (try Self.expectedKeys(digest: sha256(Self.artifact))))
        let oneLine = "-----BEGIN CERTIFICATE-----\n\(Base64.encode(Self.leafDER))\n-----END CERTIFICATE-----\n"
        #expect(try EntryAdmission.rekorV1(jsonBytes: Self.hashedRekordRequest(pem: oneLine)).body.canonicalBytes() == expected.canonicalBytes())
    }

    @Test("dsse 0.0.1 as sigstore-python sends it (explicit nulls) yields Rekor's canonical dsse body")
    func dsse() throws {
        let payload = Array(
            #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"00"}}],"predicateType":"x","predicate":{}}"#.utf8)
        let pae = DSSEEnvelope.preAuthenticationEncoding(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload)
        let signature = Array(try Self.key.signature(for: pae).derRepresentation)
        let envelope = String(
            decoding: DSSEEnvelope(payload: payload, payloadType: DSSEEnvelope.inTotoPayloadType, signatures: [.init(signature: signature)]).json
                .compactBytes(), as: UTF8.self)
        let request = JSONValue.object(
            JSONObject([
                ("kind", .string("dsse")), ("apiVersion", .string("0.0.1")),
                (
                    "spec",
                    .object(
                        JSONObject([
                            (
                                "proposedContent",
                                .object(
                                    JSONObject([
                                        ("envelope", .string(envelope)),
                                        ("verifiers", .array([.string(Base64.encode(Array(PEM.encode(Self.leafDER, label: "CERTIFICATE").utf8)))])),
                                    ]))
                            ),
                            ("signatures", .null), ("envelopeHash", .null), ("payloadHash", .null),
                        ]))
                ),
            ])
        ).compactBytes()
        let admitted = try EntryAdmission.rekorV1(jsonBytes: request)
        guard case .dsseV001(let body) = admitted.body else {
            Issue.record("expected a dsse body")
            return
        }
        #expect(admitted.indexKeys == (try Self.expectedKeys(digest: sha256(payload)) + ["sha256:\(Hex.encode(sha256(Array(envelope.utf8))))"]).sorted())
        #expect(body.payloadHash.value == sha256(payload))
        #expect(body.envelopeHash?.value == sha256(Array(envelope.utf8)))
        #expect(body.signatures.map(\.signature) == [Base64.encode(signature)])
        let forged = String(
            decoding: DSSEEnvelope(
                payload: payload, payloadType: DSSEEnvelope.inTotoPayloadType,
                signatures: [.init(signature: Array(try P256.Signing.PrivateKey().signature(for: pae).derRepresentation))]
            ).json.compactBytes(), as: UTF8.self)
        let forgedRequest = Array(
            String(decoding: request, as: UTF8.self).replacingOccurrences(
                of: envelope.replacingOccurrences(of: "\"", with: "\\\""), with: forged.replacingOccurrences(of: "\"", with: "\\\"")
            ).utf8)
        #expect { try EntryAdmission.rekorV1(jsonBytes: forgedRequest) } throws: { ($0 as? LogEntryError)?.code == .signatureInvalid }
    }

    @Test("refusals: bad signature, wrong digest, unknown kind, malformed JSON, bad hex, unknown members")
    func refusals() {
        let otherSignature = Array(try! P256.Signing.PrivateKey().signature(for: Self.artifact).derRepresentation)
        let cases: [(String, [UInt8], LogEntryError.Code)] = [
            ("signature by another key", Self.hashedRekordRequest(signature: otherSignature), .signatureInvalid),
            ("digest of another artifact", Self.hashedRekordRequest(hex: Hex.encode(sha256([1]))), .signatureInvalid),
            ("upper-case hex", Self.hashedRekordRequest(hex: Hex.encode(sha256(Self.artifact)).uppercased()), .invalidEntry),
            ("short hex", Self.hashedRekordRequest(hex: "abcd"), .invalidEntry),
            ("not PEM", Self.hashedRekordRequest(pem: "garbage"), .invalidEntry),
            ("unknown kind", Array(#"{"kind":"rekord","apiVersion":"0.0.1","spec":{}}"#.utf8), .unsupported),
            ("not JSON", Array("{".utf8), .invalidEntry),
            (
                "unknown member",
                Array(String(decoding: Self.hashedRekordRequest(), as: UTF8.self).replacingOccurrences(of: #""kind""#, with: #""extra":1,"kind""#).utf8),
                .invalidEntry
            ),
        ]
        for (name, request, code) in cases {
            #expect("\(name)") { try EntryAdmission.rekorV1(jsonBytes: request) } throws: { ($0 as? LogEntryError)?.code == code }
        }
    }

    @Test("an empty SEQUENCE (MAA=) and every truncation of a key or certificate, as v1 PEM or v2 raw bytes: invalid-entry, never a trap")
    func truncatedVerifiers() {
        let spki = Array(Self.key.publicKey.derRepresentation)
        let empty: [UInt8] = [0x30, 0x00]
        func v2(_ member: String, _ der: [UInt8], keyDetails: String = "PKIX_ECDSA_P256_SHA_256") -> [UInt8] {
            Array(
                #"{"hashedRekordRequestV002":{"digest":"\#(Base64.encode(sha256(Self.artifact)))","signature":{"content":"\#(Base64.encode(Self.signature))","verifier":{"\#(member)":{"rawBytes":"\#(Base64.encode(der))"},"keyDetails":"\#(keyDetails)"}}}}"#
                    .utf8)
        }
        func dsseV1(_ pem: String) -> [UInt8] {
            Array(#"{"kind":"dsse","apiVersion":"0.0.1","spec":{"proposedContent":{"envelope":"{}","verifiers":["\#(Base64.encode(Array(pem.utf8)))"]}}}"#.utf8)
        }
        var cases: [(String, [UInt8])] = [
            ("v1 MAA= key", Self.hashedRekordRequest(pem: PEM.encode(empty, label: "PUBLIC KEY"))),
            ("v1 MAA= certificate", Self.hashedRekordRequest(pem: PEM.encode(empty, label: "CERTIFICATE"))),
            ("v1 dsse MAA= key", dsseV1(PEM.encode(empty, label: "PUBLIC KEY"))),
            ("v2 MAA= key", v2("publicKey", empty)),
            ("v2 MAA= certificate", v2("x509Certificate", empty)),
            ("v2 empty key", v2("publicKey", [])),
        ]
        for length in 0..<spki.count {
            cases.append(("v1 key of \(length) bytes", Self.hashedRekordRequest(pem: PEM.encode(Array(spki.prefix(length)), label: "PUBLIC KEY"))))
            cases.append(("v2 key of \(length) bytes", v2("publicKey", Array(spki.prefix(length)))))
        }
        for length in 0..<Self.leafDER.count {
            cases.append(("v2 certificate of \(length) bytes", v2("x509Certificate", Array(Self.leafDER.prefix(length)))))
        }
        for (name, request) in cases {
            let v1 = request.starts(with: Array(#"{"kind""#.utf8))
            #expect("\(name)") { v1 ? try EntryAdmission.rekorV1(jsonBytes: request) : try EntryAdmission.rekorV2(jsonBytes: request) } throws: { error in
                (error as? LogEntryError).map { $0.code == .invalidEntry && $0.reason.contains("expected") } ?? false
            }
        }
    }

    @Test("hashedRekordRequestV002 yields the body sigstore-go rebuilds; mismatched key details and digests are refused")
    func rekorV2() throws {
        func request(digest: [UInt8] = sha256(Self.artifact), keyDetails: String = "PKIX_ECDSA_P256_SHA_256", signature: [UInt8] = Self.signature) -> [UInt8] {
            Array(
                #"{"hashedRekordRequestV002":{"digest":"\#(Base64.encode(digest))","signature":{"content":"\#(Base64.encode(signature))","verifier":{"x509Certificate":{"rawBytes":"\#(Base64.encode(Self.leafDER))"},"keyDetails":"\#(keyDetails)"}}}}"#
                    .utf8)
        }
        let admitted = try EntryAdmission.rekorV2(jsonBytes: request())
        let body = admitted.body
        #expect(admitted.indexKeys == (try Self.expectedKeys(digest: sha256(Self.artifact))))
        let expected = RekorEntryBody.hashedRekordV002(
            .init(
                hashAlgorithm: .sha256, digest: sha256(Self.artifact), signature: Self.signature, verifier: .certificate(Self.leafDER),
                keyDetails: "PKIX_ECDSA_P256_SHA_256"))
        #expect(try body.canonicalBytes() == expected.canonicalBytes())
        #expect(
            String(decoding: try body.canonicalBytes(), as: UTF8.self).hasPrefix(
                #"{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{"hashedRekordV002":{"data":{"algorithm":"SHA2_256","digest":"#))
        #expect { try EntryAdmission.rekorV2(jsonBytes: request(keyDetails: "PKIX_ECDSA_P384_SHA_384")) } throws: {
            ($0 as? LogEntryError)?.code == .unsupported
        }
        #expect { try EntryAdmission.rekorV2(jsonBytes: request(digest: [1, 2, 3])) } throws: { ($0 as? LogEntryError)?.code == .invalidEntry }
        #expect { try EntryAdmission.rekorV2(jsonBytes: request(digest: sha256([9]))) } throws: { ($0 as? LogEntryError)?.code == .signatureInvalid }
        #expect { try EntryAdmission.rekorV2(jsonBytes: Array(#"{"neither":{}}"#.utf8)) } throws: { ($0 as? LogEntryError)?.code == .invalidEntry }
    }

    @Test("dsseRequestV002 yields a dsse 0.0.2 body with each signature and its verifier; forged and unmatched signatures are refused")
    func dsseV002() throws {
        let payload = Array(
            #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"00"}}],"predicateType":"x","predicate":{}}"#.utf8)
        let pae = DSSEEnvelope.preAuthenticationEncoding(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload)
        func request(signedBy key: P256.Signing.PrivateKey = Self.key, keyDetails: String = "PKIX_ECDSA_P256_SHA_256", verifiers: Int = 1) throws -> [UInt8] {
            let signature = Array(try key.signature(for: pae).derRepresentation)
            let envelope = DSSEEnvelope(payload: payload, payloadType: DSSEEnvelope.inTotoPayloadType, signatures: [.init(signature: signature)]).json
            let verifier = JSONValue.object(
                JSONObject([
                    ("x509Certificate", .object(JSONObject([("rawBytes", .string(Base64.encode(Self.leafDER)))]))), ("keyDetails", .string(keyDetails)),
                ]))
            return JSONValue.object(
                JSONObject([
                    ("dsseRequestV002", .object(JSONObject([("envelope", envelope), ("verifiers", .array(Array(repeating: verifier, count: verifiers)))])))
                ])
            ).compactBytes()
        }
        let bytes = try request()
        let admitted = try EntryAdmission.rekorV2(jsonBytes: bytes)
        guard case .dsseV002(let body) = admitted.body else {
            Issue.record("expected a dsse 0.0.2 body")
            return
        }
        #expect(body.payloadHashAlgorithm == .sha256 && body.payloadHash == sha256(payload))
        #expect(
            body.signatures.count == 1 && body.signatures[0].verifier == .certificate(Self.leafDER)
                && body.signatures[0].keyDetails == "PKIX_ECDSA_P256_SHA_256")
        #expect(Self.key.publicKey.isValidSignature(try P256.Signing.ECDSASignature(derRepresentation: body.signatures[0].content), for: pae))
        #expect(admitted.indexKeys == (try Self.expectedKeys(digest: sha256(payload))))
        let canonical = String(decoding: try admitted.body.canonicalBytes(), as: UTF8.self)
        #expect(
            canonical.hasPrefix(
                #"{"apiVersion":"0.0.2","kind":"dsse","spec":{"dsseV002":{"payloadHash":{"algorithm":"SHA2_256","digest":"\#(Base64.encode(sha256(payload)))"},"signatures":[{"content":"#
            ))
        // The stored body parses back to the same entry, as a verifier reads it.
        #expect(try RekorEntryBody(canonicalBody: try admitted.body.canonicalBytes(), kind: "dsse", version: "0.0.2") == admitted.body)
        #expect { try EntryAdmission.rekorV2(jsonBytes: try request(signedBy: P256.Signing.PrivateKey())) } throws: {
            ($0 as? LogEntryError)?.code == .signatureInvalid
        }
        #expect { try EntryAdmission.rekorV2(jsonBytes: try request(keyDetails: "PKIX_ED25519")) } throws: { ($0 as? LogEntryError)?.code == .unsupported }
        #expect { try EntryAdmission.rekorV2(jsonBytes: try request(verifiers: 0)) } throws: { ($0 as? LogEntryError)?.code == .invalidEntry }
    }

    @Test("checkpoints verify with the log key under the verifier's key-hint rules; the SET verifies; v1 responses use hex")
    func signing() async throws {
        for version in [VirtualPlatform.LogVersion.v1, .v2] {
            let signer = try Self.platform.logSigner(version)
            let note = try await signer.signCheckpoint(size: 3, rootHash: sha256([1]))
            let reparsed = try SignedNote(parsing: note.serialized)
            let checkpoint = try Checkpoint(text: reparsed.text)
            #expect(checkpoint.size == 3 && checkpoint.rootHash == sha256([1]))
            let key = try VerificationKey(spki: signer.signer.publicKeySPKI)
            #expect(reparsed.signatures.count == 1 && reparsed.isValid(reparsed.signatures[0], key: key))
            #expect(reparsed.signatures[0].keyHint == Array(signer.logID.prefix(4)))
            #expect(checkpoint.origin == (version == .v1 ? "\(VirtualPlatform.logV1Host) - \(VirtualPlatform.treeID)" : VirtualPlatform.logV2Host))
        }
        let v1 = try Self.platform.logSigner(.v1)
        let set = try await v1.signedEntryTimestamp(body: [1, 2], integratedTime: 10, logIndex: 4)
        #expect(
            try VerificationKey(spki: v1.signer.publicKeySPKI).isValidSignature(
                set, message: SignedEntryTimestamp.payload(body: [1, 2], integratedTime: 10, logID: v1.logID, logIndex: 4)))
        #expect(throws: LogEntryError.self) { try LogSigner(signer: SoftwareSigner.generate(.ed25519), hostName: "x", style: .rekorV1(treeID: 1)) }

        let entry = try await Self.platform.appendEntry(body: try EntryAdmission.rekorV1(jsonBytes: Self.hashedRekordRequest()).body, to: .v1)
        guard
            case .object(let response) = try JSONParser().parse(
                LogSigner.rekorV1Response(entry, entryID: LogSigner.entryID(entry, treeID: VirtualPlatform.treeID))),
            let (entryID, value) = response.members.first.map({ ($0.name, $0.value) }), case .object(let fields) = value
        else {
            Issue.record("expected a one-member object")
            return
        }
        #expect(entryID.count == 80 && entryID.hasSuffix(Hex.encode(Merkle.leafHash(entry.canonicalizedBody))))
        #expect(fields.names == ["body", "integratedTime", "logID", "logIndex", "verification"])
        #expect(fields["logID"] == .string(Hex.encode(entry.logID)))
        #expect(fields["logIndex"] == .number(String(entry.logIndex)))
    }
}
