import Hummingbird
import HummingbirdTesting
import SignetCore
import SignetServer
import Testing

/// Requests schemathesis (`.ci/api-contract`) found answered against the contract, each kept
/// as it was sent.
@Suite("API contract regressions")
struct APIContractRegressionTests {
    @Test("index search with an empty, colon-only or algorithm-only hash answers 400 invalid-request, and the server keeps serving")
    func emptyIndexHash() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        try await instance.test { client in
            for hash in ["", ":", "sha256:", ":00"] {
                let body = JSONValue.object(JSONObject([("hash", .string(hash)), ("email", .null), ("operator", .null)])).compactBytes()
                let response = try await client.send(.post, "/api/v1/index/retrieve", body: body)
                #expect(response.status == .badRequest, "hash \"\(hash)\"")
                #expect(response.errorCode == "invalid-request", "hash \"\(hash)\"")
            }
            let health = try await client.send(.get, "/healthz")
            #expect(health.status == .ok)
        }
    }
}
