import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// How a client's requests reach a service. ``SigningClient`` and ``ArtifactClient`` send
/// through AsyncHTTPClient's connection pool by default; a load generator gives each of its
/// workers one kept-alive connection instead, so the flows it drives, not its HTTP machinery,
/// take the CPU.
public protocol HTTPTransport: Sendable {
    /// Sends one request and returns the answer's status code and body. Throws a
    /// ``SigningError`` with code `badResponse` when the body exceeds `maxAnswerBytes`, and
    /// anything else when the service cannot be reached or breaks off.
    func send(
        _ method: HTTPMethod, url: String, headers: [(name: String, value: String)], body: [UInt8]?,
        timeout: TimeAmount, maxAnswerBytes: Int
    ) async throws -> (status: UInt, body: [UInt8])
}

extension HTTPClient: HTTPTransport {
    public func send(
        _ method: HTTPMethod, url: String, headers: [(name: String, value: String)], body: [UInt8]?,
        timeout: TimeAmount, maxAnswerBytes: Int
    ) async throws -> (status: UInt, body: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await execute(request, timeout: timeout)
        do {
            return (response.status.code, Array(buffer: try await response.body.collect(upTo: maxAnswerBytes)))
        } catch {
            throw SigningError(.badResponse, "the answer from \(url) exceeds \(maxAnswerBytes) bytes or broke off: \(error)")
        }
    }
}
