import AsyncHTTPClient
import SignetCore

extension SigningClient {
    /// Fetches a server's ClientTrustConfig from `GET <server>/api/v1/trust/config`. Whoever
    /// calls this trusts the answer on first use; show its root fingerprints before keeping it.
    public static func trustConfig(server: String, http: HTTPClient = .shared) async throws(SigningError) -> ClientTrustConfig {
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let bytes: [UInt8]
        do {
            let response = try await http.execute(HTTPClientRequest(url: "\(base)/api/v1/trust/config"), timeout: .seconds(30))
            bytes = Array(buffer: try await response.body.collect(upTo: TrustedRoot.maxBytes))
            guard response.status == .ok else {
                throw SigningError(.refused, "\(base)/api/v1/trust/config answered \(response.status.code)")
            }
        } catch let error as SigningError {
            throw error
        } catch {
            throw SigningError(.unreachable, "cannot reach \(base): \(error)")
        }
        do {
            return try ClientTrustConfig(jsonBytes: bytes)
        } catch {
            throw SigningError(.badResponse, "the server's trust configuration is not usable: \(error)")
        }
    }
}
