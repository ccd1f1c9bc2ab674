import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import SignetCore
import SignetServer
import SignetStore
import SignetVerify
import SwiftASN1
import Testing
import X509

@Suite("The server's routes, in process")
struct ServerRoutesTests {
    @Test("a certificate for a development token carries the identity, both issuer extensions and an SCT, and is recorded with an audit event")
    func certificate() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        let token = try instance.token()
        let key = P256.Signing.PrivateKey()
        let chainPEMs: [String] = try await instance.test { client in
            let response = try await client.send(
                .post, "/api/v2/signingCert", body: try ServerTestInstance.csrBody(key), headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .ok)
            guard case .object(let object)? = response.json, case .object(let signed)? = object["signedCertificateEmbeddedSct"],
                case .object(let chain)? = signed["chain"], case .array(let pems)? = chain["certificates"]
            else { return [] }
            return pems.compactMap { if case .string(let pem) = $0 { pem } else { nil } }
        }
        #expect(chainPEMs.count == 3)
        let leaf = try Certificate(pemEncoded: try #require(chainPEMs.first))
        #expect(leaf.publicKey == Certificate.PublicKey(key.publicKey))
        #expect(try leaf.sanIdentities() == ["dev@acme.test"])
        #expect(try FulcioExtension.issuerV1.value(in: leaf) == instance.issuer)
        #expect(try FulcioExtension.issuer.value(in: leaf) == instance.issuer)
        #expect(leaf.extensions[oid: SignedCertificateTimestamp.extensionOID] != nil)
        #expect(leaf.notValidAfter.timeIntervalSince(leaf.notValidBefore) == 300)
        let serial = Hex.encode(leaf.serialNumber.bytes)
        #expect(try await instance.services.store.certificate(serial: serial)?.identity == "dev@acme.test")
        let events = try await instance.services.store.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 10)
        #expect(events.map(\.action) == ["certificate.issue"] && events[0].subject == serial)
    }

    @Test("appends: v1 answers 201 with SET and proof, a duplicate answers 200 with the same entry, v2 shares the tree; reads and proofs agree")
    func log() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        let key = P256.Signing.PrivateKey()
        let v1Log = instance.services.log.v1
        let v2Log = instance.services.log.v2
        try await instance.test { client in
            var roots: [(Int64, [UInt8])] = []
            let requests = try (0..<5).map { try ServerTestInstance.hashedRekordV1(key, artifact: Array("artifact \($0)".utf8)) }
            for n in 0..<5 {
                let response = try await client.send(.post, "/api/v1/log/entries", body: requests[n])
                #expect(response.status == .created)
                guard case .object(let map)? = response.json, case .object(let entry) = map.members[0].value,
                    case .object(let verification)? = entry["verification"], case .object(let proof)? = verification["inclusionProof"],
                    case .string(let checkpointText)? = proof["checkpoint"], case .number(let index)? = entry["logIndex"]
                else {
                    Issue.record("not a Rekor v1 LogEntry: \(String(decoding: response.bytes, as: UTF8.self))")
                    return
                }
                #expect(index == String(n))
                #expect(verification["signedEntryTimestamp"] != nil)
                let note = try SignedNote(parsing: checkpointText)
                #expect(note.text.hasPrefix("signet.test - \(instance.services.log.treeID)\n"))
                #expect(note.isValid(note.signatures[0], key: try VerificationKey(spki: v1Log.signer.publicKeySPKI)))
                let checkpoint = try Checkpoint(text: note.text)
                roots.append((checkpoint.size, checkpoint.rootHash))
            }
            let again = try await client.send(.post, "/api/v1/log/entries", body: requests[2])
            #expect(again.status == .ok)
            guard case .object(let againMap)? = again.json, case .object(let againEntry) = againMap.members.first?.value else {
                Issue.record("the duplicate's answer is not a Rekor v1 LogEntry")
                return
            }
            #expect(againEntry["logIndex"] == .number("2"))

            let v2 = try await client.send(.post, "/api/v2/log/entries", body: try ServerTestInstance.hashedRekordV2(key, artifact: Array("artifact v2".utf8)))
            #expect(v2.status == .created)
            let entry = try TransparencyLogEntry(json: try #require(v2.json), path: "entry")
            #expect(
                entry.logIndex == 5 && entry.kind == "hashedrekord" && entry.version == "0.0.2" && entry.integratedTime == 0
                    && entry.signedEntryTimestamp == nil)
            #expect(entry.logID == v2Log.logID)
            let proof = try #require(entry.inclusionProof)
            try Merkle.verifyInclusion(
                index: 5, size: proof.treeSize, leafHash: Merkle.leafHash(entry.canonicalizedBody), proof: proof.hashes, rootHash: proof.rootHash)
            let v2Note = try SignedNote(parsing: try #require(proof.checkpoint))
            #expect(v2Note.text.hasPrefix("signet.test\n6\n"))

            // Reads: by index, by UUID and entry ID, search, tree head, consistency proof.
            let byIndex = try await client.send(.get, "/api/v1/log/entries?logIndex=5")
            #expect(byIndex.status == .ok)
            let uuid = Hex.encode(Merkle.leafHash(entry.canonicalizedBody))
            #expect(try await client.send(.get, "/api/v1/log/entries/\(uuid)").status == .ok)
            let tree = String(UInt64(instance.services.log.treeID), radix: 16)
            #expect(try await client.send(.get, "/api/v1/log/entries/\(String(repeating: "0", count: 16 - tree.count) + tree + uuid)").status == .ok)
            let retrieved = try await client.send(
                .post, "/api/v1/log/entries/retrieve", body: Array(#"{"logIndexes":[0,1,99],"entryUUIDs":["\#(uuid)"]}"#.utf8))
            if case .array(let found)? = retrieved.json { #expect(found.count == 3) } else { Issue.record("retrieve did not answer an array") }
            let search = try await client.send(
                .post, "/api/v1/index/retrieve", body: Array(#"{"hash":"sha256:\#(Hex.encode(sha256(Array("artifact 3".utf8))))"}"#.utf8))
            if case .array(let found)? = search.json { #expect(found.count == 1) } else { Issue.record("index search did not answer an array") }
            let head = try await client.send(.get, "/api/v1/log")
            guard case .object(let info)? = head.json, case .number(let size)? = info["treeSize"], case .string(let rootHex)? = info["rootHash"] else {
                Issue.record("no tree head")
                return
            }
            #expect(size == "6")
            for (oldSize, oldRoot) in roots {
                let response = try await client.send(.get, "/api/v1/log/proof?firstSize=\(oldSize)&lastSize=6")
                guard case .object(let object)? = response.json, case .array(let hashes)? = object["hashes"] else {
                    Issue.record("no proof")
                    return
                }
                let proof = hashes.compactMap { if case .string(let hex) = $0 { Hex.decode(hex) } else { nil } }
                try Merkle.verifyConsistency(oldSize: oldSize, newSize: 6, oldRoot: oldRoot, newRoot: try #require(Hex.decode(rootHex)), proof: proof)
            }

            // tlog-tiles: the partial level-0 tile holds the six leaf hashes; the entry bundle the bodies.
            let tile = try await client.send(.get, "/api/v2/tile/0/000.p/6")
            #expect(tile.status == .ok && tile.bytes.count == 6 * 32)
            #expect(Array(tile.bytes[160..<192]) == Merkle.leafHash(entry.canonicalizedBody))
            let bundle = try await client.send(.get, "/api/v2/tile/entries/000.p/6")
            #expect(bundle.status == .ok)
            #expect(try await client.send(.get, "/api/v2/tile/0/000.p/7").status == .notFound)
            #expect(try await client.send(.get, "/api/v2/tile/0/000").status == .notFound)
            let checkpoint = try await client.send(.get, "/api/v2/checkpoint")
            #expect(String(decoding: checkpoint.bytes, as: UTF8.self).hasPrefix("signet.test\n6\n"))

            let metrics = String(decoding: try await client.send(.get, "/metrics").bytes, as: UTF8.self)
            #expect(metrics.contains("signet_log_tree_size 6"))
            #expect(metrics.contains(#"signet_http_requests_total{route="/api/v1/log/entries",method="POST",status="201"} 5"#))
        }
    }

    @Test(
        "a dsse 0.0.2 entry on the v2 API: a bundle made of the server's certificate, entry and timestamp verifies through the one engine; a changed payload does not"
    )
    func dsseV002() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        let token = try instance.token()
        let key = P256.Signing.PrivateKey()
        let statement = Array(
            #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"app.tar","digest":{"sha256":"\#(Hex.encode(sha256(Array("app".utf8))))"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{}}"#
                .utf8)
        let pae = DSSEEnvelope.preAuthenticationEncoding(payloadType: DSSEEnvelope.inTotoPayloadType, payload: statement)
        let signature = Array(try key.signature(for: pae).derRepresentation)
        let envelope = DSSEEnvelope(payload: statement, payloadType: DSSEEnvelope.inTotoPayloadType, signatures: [.init(signature: signature)])
        let (leafDER, entry, timestamp): ([UInt8], TransparencyLogEntry, [UInt8]) = try await instance.test { client in
            let issued = try await client.send(
                .post, "/api/v2/signingCert", body: try ServerTestInstance.csrBody(key), headers: [.authorization: "Bearer \(token)"])
            let leafPEM: String? =
                if case .object(let object)? = issued.json, case .object(let signed)? = object["signedCertificateEmbeddedSct"],
                    case .object(let chain)? = signed["chain"], case .array(let pems)? = chain["certificates"], case .string(let pem)? = pems.first
                { pem } else { nil }
            let leafDER = try PEM.decodeAll(try #require(leafPEM, "no certificate chain in \(String(decoding: issued.bytes, as: UTF8.self))"), context: "leaf")[
                0
            ].der
            let verifier = JSONValue.object(
                JSONObject([
                    ("x509Certificate", .object(JSONObject([("rawBytes", .string(Base64.encode(leafDER)))]))),
                    ("keyDetails", .string("PKIX_ECDSA_P256_SHA_256")),
                ]))
            let request = JSONValue.object(
                JSONObject([("dsseRequestV002", .object(JSONObject([("envelope", envelope.json), ("verifiers", .array([verifier]))])))]))
            let logged = try await client.send(.post, "/api/v2/log/entries", body: request.compactBytes())
            #expect(logged.status == .created)
            let entry = try TransparencyLogEntry(json: try #require(logged.json), path: "entry")
            let stamp = try await client.send(
                .post, "/api/v1/timestamp", body: try TimeStampRequest.forSignature(signature).derBytes(), contentType: "application/timestamp-query")
            #expect(stamp.status == .ok)
            return (leafDER, entry, Array(stamp.bytes))
        }
        #expect(entry.kind == "dsse" && entry.version == "0.0.2" && entry.integratedTime == 0 && entry.signedEntryTimestamp == nil)
        let trust = try ClientTrustConfig(jsonBytes: instance.services.trustConfigJSON)
        let verifier = try BundleVerifier(trustedRoot: trust.trustedRoot)
        let bundle = SigstoreBundle(signer: .certificate(leafDER), tlogEntries: [entry], rfc3161Timestamps: [timestamp], content: .dsseEnvelope(envelope))
        let report = verifier.verify(bundle, artifact: Artifact(bytes: Array("app".utf8)), policy: .identity("dev@acme.test", issuer: instance.issuer))
        #expect(report.isVerified, "\(report.result)")
        let changed = DSSEEnvelope(payload: statement + [0x20], payloadType: DSSEEnvelope.inTotoPayloadType, signatures: [.init(signature: signature)])
        let tampered = SigstoreBundle(signer: .certificate(leafDER), tlogEntries: [entry], rfc3161Timestamps: [timestamp], content: .dsseEnvelope(changed))
        #expect(
            !verifier.verify(tampered, artifact: Artifact(bytes: Array("app".utf8)), policy: .identity("dev@acme.test", issuer: instance.issuer)).isVerified)
    }

    @Test("a served path asked with a method it does not serve answers 405 with Allow; an unserved path 404; a route's own 404 stays")
    func methodNotAllowed() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        try await instance.test { client in
            for (method, path, allow) in [
                (HTTPRequest.Method.put, "/api/v1/log", "GET"), (.delete, "/api/signet/v1/signatures", "POST"),
                (.post, "/api/v2/tile/0/000.p/1", "GET"), (.patch, "/api/v1/log/entries/abc", "GET"), (.get, "/api/v2/log/entries", "POST"),
                (.options, "/api/v1/log/entries", "GET, POST"),
                // The literal route wins over /api/v1/log/entries/{uuid}, as in the router.
                (.options, "/api/v1/log/entries/retrieve", "POST"), (.get, "/api/v1/log/entries/retrieve", "POST"),
            ] {
                let response = try await client.send(method, path)
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] == allow, "\(method) \(path): \(response.headers[.allow] ?? "no Allow")")
                #expect(response.member("error") == .string("method-not-allowed"))
            }
            let unserved = try await client.send(.get, "/api/v9/nothing")
            #expect(unserved.status == .notFound && unserved.headers[.allow] == nil)
            // A route that matched answers its own 404 (no such entry), not 405.
            let missing = try await client.send(.get, "/api/v1/log/entries/\(String(repeating: "0", count: 64))")
            #expect(missing.status == .notFound && missing.headers[.allow] == nil)
        }
    }

    @Test("bad input: every endpoint answers 4xx naming the problem, nothing reaches the log or the store, and the server keeps serving")
    func badInput() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        let key = P256.Signing.PrivateKey()
        let csr = try ServerTestInstance.csrBody(key)
        let valid = try instance.token()
        var tampered = Array(valid.utf8)
        tampered[tampered.count - 5] = tampered[tampered.count - 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let noneHeader = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let validParts = valid.split(separator: ".")
        let wrongProof = JSONValue.object(
            JSONObject([
                ("credentials", .object(JSONObject([("oidcIdentityToken", .string(valid))]))),
                (
                    "publicKeyRequest",
                    .object(
                        JSONObject([
                            ("publicKey", .object(JSONObject([("algorithm", .string("ECDSA")), ("content", .string(key.publicKey.pemRepresentation))]))),
                            ("proofOfPossession", .string(Base64.encode(Array(try key.signature(for: Array("someone else".utf8)).derRepresentation)))),
                        ]))
                ),
            ])
        ).compactBytes()
        let other = P256.Signing.PrivateKey()
        let badV1Signature = try ServerTestInstance.hashedRekordV1(
            key, artifact: Array("a".utf8), signature: Array(try other.signature(for: Array("a".utf8)).derRepresentation))
        let badV2Signature = try ServerTestInstance.hashedRekordV2(
            key, artifact: Array("a".utf8), signature: Array(try other.signature(for: Array("a".utf8)).derRepresentation))
        let huge = [UInt8](repeating: UInt8(ascii: " "), count: 2 << 20)
        // A signature that verifies, with a verifier so large that the canonical body would not
        // fit the 16-bit entry length of a tlog-tiles entry bundle.
        let bigKey = P256.Signing.PrivateKey()
        let bigName = try DistinguishedName { CommonName("oversized verifier") }
        let bigCertificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(bigKey.publicKey), notValidBefore: Date(), notValidAfter: Date().addingTimeInterval(600),
            issuer: bigName, subject: bigName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions([
                Certificate.Extension(oid: [1, 3, 6, 1, 4, 1, 99999, 1], critical: false, value: ArraySlice(repeating: 0x41, count: 50_000))
            ]),
            issuerPrivateKey: .init(bigKey))
        let oversizedBody = try RekorEntryBody.hashedRekordV001(
            .init(
                hashAlgorithm: .sha256, digest: sha256(Array("a".utf8)), signature: Array(try bigKey.signature(for: Array("a".utf8)).derRepresentation),
                publicKeyPEM: PEM.encode(try bigCertificate.derBytes(), label: "CERTIFICATE"))
        ).canonicalBytes()

        struct Case: Sendable {
            var name: String
            var method: HTTPRequest.Method = .post
            var uri: String
            var body: [UInt8]?
            var contentType: String? = "application/json"
            var headers: HTTPFields = [:]
            var status: HTTPResponse.Status
            /// The stable error code; nil only for the TSA, whose rejections are TimeStampResps.
            var code: String?
        }
        func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
        let cert = "/api/v2/signingCert"
        let cases: [Case] = [
            Case(
                name: "expired token", uri: cert, body: csr,
                headers: bearer(try instance.token(lifetime: 60, at: Timestamp(seconds: SystemTimeSource().now().seconds - 3600))), status: .unauthorized,
                code: "expired"),
            Case(
                name: "wrong aud", uri: cert, body: csr, headers: bearer(try instance.token(audience: "someone-else")), status: .unauthorized,
                code: "wrong-audience"),
            Case(
                name: "unknown kid", uri: cert, body: csr, headers: bearer(try ServerTestInstance.foreignToken(issuer: instance.issuer, keyID: "not-a-key")),
                status: .unauthorized, code: "unknown-key"),
            Case(
                name: "unknown issuer", uri: cert, body: csr, headers: bearer(try ServerTestInstance.foreignToken(issuer: "https://evil.example", keyID: "k")),
                status: .unauthorized, code: "unknown-issuer"),
            Case(
                name: "alg none", uri: cert, body: csr, headers: bearer("\(noneHeader).\(validParts[1])."), status: .unauthorized, code: "unsupported-algorithm"
            ),
            Case(
                name: "tampered signature", uri: cert, body: csr, headers: bearer(String(decoding: tampered, as: UTF8.self)), status: .unauthorized,
                code: "bad-signature"),
            Case(name: "not a JWT", uri: cert, body: csr, headers: bearer("not.a.jwt"), status: .unauthorized, code: "malformed-token"),
            Case(name: "no token", uri: cert, body: csr, status: .unauthorized, code: "missing-token"),
            Case(
                name: "malformed CSR", uri: cert,
                body: Array(
                    #"{"certificateSigningRequest":"\#(Base64.encode(Array("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n".utf8)))"}"#
                        .utf8), headers: bearer(valid), status: .badRequest, code: "invalid-request"),
            Case(name: "wrong proof of possession", uri: cert, body: wrongProof, status: .badRequest, code: "invalid-proof-of-possession"),
            Case(
                name: "CSR request, invalid JSON", uri: cert, body: Array("{\"certificateSigningRequest\":".utf8), headers: bearer(valid), status: .badRequest,
                code: "invalid-request"),
            Case(
                name: "CSR request, wrong content type", uri: cert, body: csr, contentType: "text/plain", headers: bearer(valid), status: .unsupportedMediaType,
                code: "unsupported-media-type"),
            Case(name: "CSR request, oversized", uri: cert, body: huge, headers: bearer(valid), status: .contentTooLarge, code: "body-too-large"),
            Case(name: "v1 entry, signature does not verify", uri: "/api/v1/log/entries", body: badV1Signature, status: .badRequest, code: "signature-invalid"),
            Case(name: "v1 entry, invalid JSON", uri: "/api/v1/log/entries", body: Array("[1,".utf8), status: .badRequest, code: "invalid-entry"),
            Case(
                name: "v1 entry, unsupported kind", uri: "/api/v1/log/entries", body: Array(#"{"apiVersion":"0.0.1","kind":"rekord","spec":{}}"#.utf8),
                status: .badRequest, code: "unsupported"),
            Case(
                name: "v1 entry, wrong content type", uri: "/api/v1/log/entries", body: badV1Signature, contentType: "application/x-www-form-urlencoded",
                status: .unsupportedMediaType, code: "unsupported-media-type"),
            Case(
                name: "v1 entry, no content type", uri: "/api/v1/log/entries", body: badV1Signature, contentType: nil, status: .unsupportedMediaType,
                code: "unsupported-media-type"),
            Case(name: "v1 entry, oversized", uri: "/api/v1/log/entries", body: huge, status: .contentTooLarge, code: "body-too-large"),
            Case(
                name: "v1 entry, canonical body beyond 65535 bytes", uri: "/api/v1/log/entries", body: oversizedBody, status: .badRequest, code: "invalid-entry"
            ),
            Case(name: "v2 entry, signature does not verify", uri: "/api/v2/log/entries", body: badV2Signature, status: .badRequest, code: "signature-invalid"),
            Case(name: "v2 entry, invalid JSON", uri: "/api/v2/log/entries", body: Array("{".utf8), status: .badRequest, code: "invalid-entry"),
            Case(name: "v2 entry, oversized", uri: "/api/v2/log/entries", body: huge, status: .contentTooLarge, code: "body-too-large"),
            Case(
                name: "timestamp, malformed query", uri: "/api/v1/timestamp", body: [0x30, 0x03, 0x02, 0x01], contentType: "application/timestamp-query",
                status: .badRequest),
            Case(
                name: "timestamp, wrong content type", uri: "/api/v1/timestamp", body: [0x30, 0x00], status: .unsupportedMediaType,
                code: "unsupported-media-type"),
            Case(
                name: "timestamp, oversized", uri: "/api/v1/timestamp", body: huge, contentType: "application/timestamp-query", status: .contentTooLarge,
                code: "body-too-large"),
            Case(name: "entry UUID not hex", method: .get, uri: "/api/v1/log/entries/zz'%20OR%201=1", status: .badRequest, code: "invalid-request"),
            Case(name: "unknown entry", method: .get, uri: "/api/v1/log/entries/\(String(repeating: "ab", count: 32))", status: .notFound, code: "not-found"),
            Case(name: "negative log index", method: .get, uri: "/api/v1/log/entries?logIndex=-1", status: .badRequest, code: "invalid-request"),
            Case(name: "log index beyond the tree", method: .get, uri: "/api/v1/log/entries?logIndex=0", status: .notFound, code: "not-found"),
            Case(name: "proof beyond the tree", method: .get, uri: "/api/v1/log/proof?firstSize=1&lastSize=5", status: .badRequest, code: "invalid-request"),
            Case(
                name: "search with too many queries", uri: "/api/v1/log/entries/retrieve", body: Array(#"{"logIndexes":[0,1,2,3,4,5,6,7,8,9,10]}"#.utf8),
                status: .unprocessableContent, code: "too-many-queries"),
            Case(
                name: "search with a bad hash", uri: "/api/v1/index/retrieve", body: Array(#"{"hash":"sha256:xyz"}"#.utf8), status: .badRequest,
                code: "invalid-request"),
            Case(name: "tile path", method: .get, uri: "/api/v2/tile/0/x1/2", status: .notFound, code: "not-found"),
            Case(name: "unknown endpoint", method: .get, uri: "/api/v3/anything", status: .notFound, code: "not-found"),
        ]
        try await instance.test { client in
            for item in cases {
                let response = try await client.send(item.method, item.uri, body: item.body, contentType: item.contentType, headers: item.headers)
                #expect(response.status == item.status, "\(item.name): \(String(decoding: response.bytes.prefix(300), as: UTF8.self))")
                if item.uri == "/api/v1/timestamp" && item.status == .badRequest {
                    // A rejection is a TimeStampResp with a failure status, never a token.
                    let reply = try TimeStampResponse(derEncoded: response.bytes)
                    #expect(reply.status == 2 && reply.tokenDER == nil, "\(item.name)")
                } else {
                    #expect(response.errorCode == item.code, "\(item.name)")
                    let message = response.errorMessage ?? ""
                    #expect(!message.isEmpty && !message.contains(valid), "\(item.name): the message must explain without echoing the token")
                }
            }
            #expect(try await client.send(.get, "/healthz").status == .ok)
            let head = try await client.send(.get, "/api/v1/log")
            #expect(head.member("treeSize") == .number("0"))
        }
        #expect(try await instance.services.store.latestCheckpoint(log: "signet") == nil)
        #expect(try await instance.services.store.auditEvents(since: Timestamp(seconds: 0), namespaces: nil, limit: 10).isEmpty)
        #expect(try await instance.services.store.certificates(identity: "dev@acme.test", limit: 10).isEmpty)
    }
}
