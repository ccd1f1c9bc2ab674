import AsyncHTTPClient
import SignetCore

extension SigningClient {
    /// Fetches a server's ClientTrustConfig from `GET <server>/api/v1/trust/config`. Whoever
    /// calls this trusts the answer on first use; show its root fingerprints before keeping it.
    public static func trustConfig(server: String, http: any HTTPTransport = HTTPClient.shared) async throws(SigningError) -> ClientTrustConfig {
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let bytes = try await HTTPExchange(transport: http, timeout: .seconds(30)).send(.GET, "\(base)/api/v1/trust/config", what: "the server")
        do {
            return try ClientTrustConfig(jsonBytes: bytes)
        } catch {
            throw SigningError(.badResponse, "the server's trust configuration is not usable: \(error)")
        }
    }
}
