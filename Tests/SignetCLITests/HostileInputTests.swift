import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import SignetCore
import Testing

/// What an unauthenticated attacker can send a running `signet server` over loopback: every
/// request that once killed the process, keys, tile paths and token times at the edges, and
/// requests the HTTP parser refuses. Each gets a 4xx in the API's JSON error shape, and the
/// server keeps serving.
@Suite("Hostile input over loopback")
struct HostileInputTests {
    static let issuer = "https://idp.hostile.test"

    /// A configuration trusting a test issuer whose key set is a file, so the test can mint
    /// tokens with any claims; short timeouts for the connection tests.
    static func configuration(in directory: URL, key: P256.Signing.PrivateKey) throws -> String {
        let point = Array(key.publicKey.x963Representation)
        let jwks = JSONValue.object(
            JSONObject([
                (
                    "keys",
                    .array([
                        .object(
                            JSONObject([
                                ("kty", .string("EC")), ("crv", .string("P-256")), ("kid", .string("k1")), ("alg", .string("ES256")), ("use", .string("sig")),
                                ("x", .string(Base64URL.encode(Array(point[1..<33])))), ("y", .string(Base64URL.encode(Array(point[33..<65])))),
                            ]))
                    ])
                )
            ]))
        let jwksPath = directory.appendingPathComponent("jwks.json").path
        try Data(jwks.compactBytes()).write(to: URL(fileURLWithPath: jwksPath))
        let config = JSONValue.object(
            JSONObject([
                ("issuers", .array([.object(JSONObject([("url", .string(issuer)), ("profile", .string("email")), ("jwksFile", .string(jwksPath))]))])),
                ("idleTimeoutSeconds", .integer(2)), ("requestTimeoutSeconds", .integer(2)),
            ]))
        let path = directory.appendingPathComponent("config.json").path
        try Data(config.compactBytes()).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// An ES256 token of the test issuer whose time claims are the raw JSON numbers given.
    static func token(_ key: P256.Signing.PrivateKey, exp: String, nbf: String? = nil, iat: String? = nil) throws -> String {
        let now = Int64(Date().timeIntervalSince1970)
        let payload =
            "{\"iss\":\"\(issuer)\",\"sub\":\"a@hostile.test\",\"email\":\"a@hostile.test\",\"email_verified\":true,\"aud\":\"sigstore\",\"iat\":\(iat ?? String(now)),\"nbf\":\(nbf ?? String(now)),\"exp\":\(exp)}"
        let input = Base64URL.encode(Array(#"{"alg":"ES256","kid":"k1","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return input + "." + Base64URL.encode(Array(try key.signature(for: Array(input.utf8)).rawRepresentation))
    }

    static func request(_ method: String, _ path: String, body: [UInt8] = [], headers: [String] = []) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if !body.isEmpty || method == "POST" { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        for header in headers { head += header + "\r\n" }
        return Array((head + "\r\n").utf8) + body
    }

    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("every crash reproduction, key, tile path and token time at the edges gets a 4xx with a reason, and the server keeps serving")
    func reproductions() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let key = P256.Signing.PrivateKey()
        let config = try Self.configuration(in: harness.directory, key: key)
        try await ServerProcess.with(data: harness.directory.appendingPathComponent("data"), arguments: ["--config", config]) { server in
            let port = try #require(URLComponents(string: server.url)?.port)
            let digest = Base64.encode(sha256(Array("x".utf8)))
            // Truncations and edges of a real key: every prefix of its DER, an empty
            // SEQUENCE, a SEQUENCE holding only the algorithm.
            let realKey = Array(key.publicKey.derRepresentation)
            var keys: [[UInt8]] = [
                [0x30, 0x00], [0x30, 0x02, 0x30, 0x00], [0x30, 0x0B, 0x30, 0x09, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01], [], [0x30],
                [0x30, 0x80], [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF],
            ]
            for length in stride(from: 1, to: realKey.count, by: 7) { keys.append(Array(realKey.prefix(length))) }

            var cases: [(label: String, request: [UInt8])] = []
            for (n, der) in keys.enumerated() {
                let raw = Base64.encode(der)
                let pem = Base64.encode(Array(PEM.encode(der, label: "PUBLIC KEY").utf8))
                cases.append(
                    (
                        "v2 hashedrekord key \(n)",
                        Self.request(
                            "POST", "/api/v2/log/entries",
                            body: Self.json(
                                #"{"hashedRekordRequestV002":{"digest":"\#(digest)","signature":{"content":"MEUCIQ==","verifier":{"publicKey":{"rawBytes":"\#(raw)"},"keyDetails":"PKIX_ECDSA_P256_SHA_256"}}}}"#
                            ))
                    ))
                cases.append(
                    (
                        "v2 dsse key \(n)",
                        Self.request(
                            "POST", "/api/v2/log/entries",
                            body: Self.json(
                                #"{"dsseRequestV002":{"envelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"MEUCIQ==","keyid":""}]},"verifiers":[{"publicKey":{"rawBytes":"\#(raw)"},"keyDetails":"PKIX_ECDSA_P256_SHA_256"}]}}"#
                            ))
                    ))
                let hashedRekord =
                    #"{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":"\#(Hex.encode(sha256(Array("x".utf8))))"}},"signature":{"content":"MEUCIQ==","publicKey":{"content":"\#(pem)"}}}}"#
                cases.append(("v1 hashedrekord key \(n)", Self.request("POST", "/api/v1/log/entries", body: Self.json(hashedRekord))))
                cases.append(
                    ("v1 retrieve key \(n)", Self.request("POST", "/api/v1/log/entries/retrieve", body: Self.json(#"{"entries":[\#(hashedRekord)]}"#))))
                let envelope = #"{\"payload\":\"e30=\",\"payloadType\":\"application/vnd.in-toto+json\",\"signatures\":[{\"sig\":\"MEUCIQ==\"}]}"#
                cases.append(
                    (
                        "v1 dsse key \(n)",
                        Self.request(
                            "POST", "/api/v1/log/entries",
                            body: Self.json(
                                #"{"apiVersion":"0.0.1","kind":"dsse","spec":{"proposedContent":{"envelope":"\#(envelope)","verifiers":["\#(pem)"]}}}"#))
                    ))
            }
            // Truncated certificates where a log entry carries one instead of a key: the
            // server's own root, cut at every length.
            let rootPEM = String(decoding: try await DurabilityTests.get(server.client, "\(server.url)/api/v1/rootCert"), as: UTF8.self)
            let rootDER = try #require(try PEM.decodeAll(rootPEM, context: "root").first?.der)
            for length in stride(from: 0, to: rootDER.count, by: 37) {
                let der = Array(rootDER.prefix(length))
                let pem = Base64.encode(Array(PEM.encode(der, label: "CERTIFICATE").utf8))
                cases.append(
                    (
                        "v2 hashedrekord certificate \(length)",
                        Self.request(
                            "POST", "/api/v2/log/entries",
                            body: Self.json(
                                #"{"hashedRekordRequestV002":{"digest":"\#(digest)","signature":{"content":"MEUCIQ==","verifier":{"x509Certificate":{"rawBytes":"\#(Base64.encode(der))"},"keyDetails":"PKIX_ECDSA_P256_SHA_256"}}}}"#
                            ))
                    ))
                cases.append(
                    (
                        "v1 hashedrekord certificate \(length)",
                        Self.request(
                            "POST", "/api/v1/log/entries",
                            body: Self.json(
                                #"{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":"\#(Hex.encode(sha256(Array("x".utf8))))"}},"signature":{"content":"MEUCIQ==","publicKey":{"content":"\#(pem)"}}}}"#
                            ))
                    ))
            }
            // Tile paths at the Int64 edges.
            for path in [
                "0/x999/x999/x999/x999/x999/999", "0/x009/x223/x372/x036/x854/x775/807", "entries/x999/x999/x999/x999/x999/x999/999",
                "63/x036/x028/x797/x018/x963/x967/999", "0/x999/x999/x999/x999/x999/999.p/255", "64/000", "0/-01",
            ] {
                cases.append(("tile \(path)", Self.request("GET", "/api/v2/tile/\(path)")))
            }
            // Token times at the Int64 edges, and beyond.
            let edges = [
                "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "1e300", "-1e300", "1.5", "0", "-1",
                "99999999999999999999999999999",
            ]
            for edge in edges {
                for (label, token) in [
                    ("exp", try Self.token(key, exp: edge)), ("nbf", try Self.token(key, exp: edge, nbf: edge)),
                    ("iat", try Self.token(key, exp: "9223372036854775807", iat: edge)),
                ] {
                    cases.append(
                        (
                            "token \(label) \(edge)",
                            Self.request(
                                "POST", "/api/signet/v1/signatures/authorize",
                                body: Self.json(#"{"name":"registry.example.com/a@sha256:\#(String(repeating: "0", count: 64))"}"#),
                                headers: ["Authorization: Bearer \(token)"])
                        ))
                }
            }
            // Truncated certificate requests and CMS timestamp queries.
            for length in [0, 1, 2, 10, 40] {
                let csr = Base64.encode(Array(PEM.encode(Array([UInt8](repeating: 0x30, count: length)), label: "CERTIFICATE REQUEST").utf8))
                cases.append(
                    (
                        "csr \(length)",
                        Self.request(
                            "POST", "/api/v2/signingCert",
                            body: Self.json(
                                #"{"credentials":{"oidcIdentityToken":"\#(try Self.token(key, exp: "9223372036854775807"))"},"certificateSigningRequest":"\#(csr)"}"#
                            ))
                    ))
                var query = Self.request("POST", "/api/v1/timestamp", body: [])
                query =
                    Array(
                        String(decoding: query, as: UTF8.self).replacingOccurrences(of: "application/json", with: "application/timestamp-query")
                            .replacingOccurrences(of: "Content-Length: 0", with: "Content-Length: \(length)").utf8) + [UInt8](repeating: 0x30, count: length)
                cases.append(("timestamp query \(length)", query))
            }

            for (label, request) in cases {
                let response = try RawConnection.exchange(port: port, request)
                #expect((400..<500).contains(response.status), "\(label): \(response.text)")
                if label.hasPrefix("timestamp query") {
                    // RFC 3161 §2.4.2: a refused query is answered with a TimeStampResp whose
                    // status says why; the reason is also in a header.
                    #expect(response.headers.contains { $0.0 == "content-type" && $0.1 == "application/timestamp-reply" }, "\(label): \(response.headers)")
                    #expect(response.headers.contains { $0.0 == "signet-error" && !$0.1.isEmpty }, "\(label): \(response.headers)")
                } else {
                    #expect(response.errorCode != nil, "\(label): expected a JSON error, found \(response.text)")
                }
            }
            let health = try RawConnection.exchange(port: port, Self.request("GET", "/healthz"))
            #expect(health.status == 200, "\(health.text)")
            #expect(server.process.isRunning)
        }
    }

    @Test("requests the HTTP parser refuses are answered 4xx in the JSON error shape")
    func httpLevel() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let config = try Self.configuration(in: harness.directory, key: P256.Signing.PrivateKey())
        try await ServerProcess.with(data: harness.directory.appendingPathComponent("data"), arguments: ["--config", config]) { server in
            let port = try #require(URLComponents(string: server.url)?.port)
            let body = Array(#"{"entries":[]}"#.utf8)
            let cases: [(String, [UInt8])] = [
                ("a request line over the limit", Array("GET /\(String(repeating: "a", count: 40_000)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
                ("a header over the limit", Array("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 40_000))\r\n\r\n".utf8)),
                (
                    "a Content-Length that is not a number",
                    Array("POST /api/v1/log/entries/retrieve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ten\r\n\r\n".utf8) + body
                ),
                (
                    "two different Content-Lengths",
                    Array(
                        "POST /api/v1/log/entries/retrieve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 14\r\nContent-Length: 15\r\n\r\n"
                            .utf8) + body
                ),
                ("not HTTP at all", Array("\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}\r\n\r\n".utf8)),
                (
                    "a malformed chunked body",
                    Array(
                        "POST /api/v1/log/entries/retrieve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
                            .utf8)
                ),
                (
                    "an oversize chunked body",
                    Array("POST /api/v1/log/entries/retrieve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                        + Array(String(repeating: "1000\r\n\(String(repeating: "x", count: 4096))\r\n", count: 40).utf8) + Array("0\r\n\r\n".utf8)
                ),
            ]
            for (label, request) in cases {
                let response = try RawConnection.exchange(port: port, request)
                #expect((400..<500).contains(response.status), "\(label): \(response.text)")
                #expect(response.errorCode != nil, "\(label): expected a JSON error, found \(response.text)")
            }
            let health = try RawConnection.exchange(port: port, Self.request("GET", "/healthz"))
            #expect(health.status == 200, "\(health.text)")
        }
    }

    @Test("hundreds of silent and slow connections are closed by the timeouts while /healthz keeps answering")
    func slowConnections() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let config = try Self.configuration(in: harness.directory, key: P256.Signing.PrivateKey())
        try await ServerProcess.with(data: harness.directory.appendingPathComponent("data"), arguments: ["--config", config]) { server in
            let port = try #require(URLComponents(string: server.url)?.port)
            // Silent connections, slow heads (a partial request line), and slow bodies (a head
            // promising more body than ever arrives).
            var silent: [RawConnection] = []
            var slowHeads: [RawConnection] = []
            var slowBodies: [RawConnection] = []
            for _ in 0..<200 { silent.append(try RawConnection(port: port)) }
            for _ in 0..<100 {
                let connection = try RawConnection(port: port)
                try connection.send("GET /heal")
                slowHeads.append(connection)
            }
            for _ in 0..<100 {
                let connection = try RawConnection(port: port)
                try connection.send("POST /api/v1/log/entries/retrieve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                slowBodies.append(connection)
            }
            // The server answers others while they hang.
            let health = try RawConnection.exchange(port: port, Self.request("GET", "/healthz"), timeout: .seconds(5))
            #expect(health.status == 200, "\(health.text)")
            // Keep trickling: a slow head and a slow body send a byte every half second, which
            // must not keep them open past the timeouts (2 s each in this configuration).
            let start = ContinuousClock.now
            while ContinuousClock.now - start < .seconds(3) {
                for connection in slowHeads { try? connection.send("t") }
                for connection in slowBodies { try? connection.send(" ") }
                try await Task.sleep(for: .milliseconds(500))
            }
            var timedOutBodies = 0
            for (group, connections) in [("silent", silent), ("slow head", slowHeads), ("slow body", slowBodies)] {
                for connection in connections {
                    let (bytes, closed) = connection.readUntilClosed(timeout: .seconds(10))
                    #expect(closed, "a \(group) connection is still open")
                    if group == "slow body", RawResponse(bytes)?.status == 408 { timedOutBodies += 1 }
                }
            }
            #expect(timedOutBodies == slowBodies.count, "each slow body is answered 408 before its connection closes")
            let after = try RawConnection.exchange(port: port, Self.request("GET", "/healthz"))
            #expect(after.status == 200, "\(after.text)")
            #expect(server.process.isRunning)
        }
    }

    @Test("a request answered before its body ends gets that one answer, never a second 408 when the body stalls")
    func earlyAnswerThenStall() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let config = try Self.configuration(in: harness.directory, key: P256.Signing.PrivateKey())
        try await ServerProcess.with(data: harness.directory.appendingPathComponent("data"), arguments: ["--config", config]) { server in
            let port = try #require(URLComponents(string: server.url)?.port)
            // No credential: refused from the head, while the promised body never comes.
            let connection = try RawConnection(port: port)
            try connection.send("POST /api/signet/v1/signatures HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
            let (bytes, closed) = connection.readUntilClosed(timeout: .seconds(15))
            #expect(closed, "the connection is still open")
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.components(separatedBy: "HTTP/1.1 ").count - 1 == 1, "expected one answer, found: \(text)")
            #expect(RawResponse(bytes)?.status == 401, "\(text)")
        }
    }
}
