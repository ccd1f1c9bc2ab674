import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import SignetCore
import SignetIdentity
import SignetServer
import Synchronization
import Testing

@Suite("Issuer key sets by OIDC discovery, over loopback")
struct DiscoveryJWKSSourceTests {
    /// An issuer serving a discovery document and a JWK Set, counting key-set fetches.
    static func issuerApplication(fetches: Counter, key: P256.Signing.PrivateKey) -> some ApplicationProtocol {
        let router = Router()
        router.get("/.well-known/openid-configuration") { request, _ -> Response in
            // The issuer is always named by its IP address, whatever host the client used.
            let port = (request.head.authority ?? "").split(separator: ":").last.map(String.init) ?? ""
            let base = "http://127.0.0.1:\(port)"
            let body = JSONValue.object(JSONObject([("issuer", .string(base)), ("jwks_uri", .string("\(base)/jwks"))])).compactBytes()
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("/jwks") { _, _ -> Response in
            fetches.increment()
            let point = Array(key.publicKey.x963Representation)
            let body = JSONValue.object(
                JSONObject([
                    (
                        "keys",
                        .array([
                            .object(
                                JSONObject([
                                    ("kty", .string("EC")), ("crv", .string("P-256")), ("kid", .string("k1")),
                                    ("x", .string(Base64URL.encode(point[1...32]))), ("y", .string(Base64URL.encode(point[33...64]))),
                                ]))
                        ])
                    )
                ])
            ).compactBytes()
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test("fetches through discovery, caches, and refreshes at most once per interval")
    func discovery() async throws {
        let fetches = Counter()
        let key = P256.Signing.PrivateKey()
        try await Self.issuerApplication(fetches: fetches, key: key).test(.live) { client in
            let issuer = "http://127.0.0.1:\(client.port!)"
            let bounded = DiscoveryJWKSSource(minRefreshInterval: .seconds(3600))
            let keySet = try await bounded.keySet(forIssuer: issuer, refresh: false)
            #expect(keySet.keys.count == 1 && keySet.keys[0].keyID == "k1")
            _ = try await bounded.keySet(forIssuer: issuer, refresh: false)
            _ = try await bounded.keySet(forIssuer: issuer, refresh: true)
            #expect(fetches.value == 1, "a cached set and a refresh inside the interval fetch nothing")
            let eager = DiscoveryJWKSSource(minRefreshInterval: .zero)
            _ = try await eager.keySet(forIssuer: issuer, refresh: false)
            _ = try await eager.keySet(forIssuer: issuer, refresh: true)
            #expect(fetches.value == 3)
            // The document must name the issuer it was fetched for.
            await #expect { try await eager.keySet(forIssuer: "http://localhost:\(client.port!)", refresh: false) } throws: {
                ($0 as? IdentityError)?.code == .keySetUnavailable && "\($0)".contains("name issuer")
            }
        }
        await #expect { try await DiscoveryJWKSSource().keySet(forIssuer: "http://idp.example.com", refresh: false) } throws: {
            ($0 as? IdentityError)?.code == .keySetUnavailable && "\($0)".contains("https")
        }
    }
}

/// A count shared with request handlers.
final class Counter: Sendable {
    private let storage = Mutex(0)
    var value: Int { storage.withLock { $0 } }
    func increment() { storage.withLock { $0 += 1 } }
}
