import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SignetCore

/// One request to a service and its answer's body, with every failure a ``SigningError``:
/// unreachable, refused (the service's own error message), or an answer too large.
struct HTTPExchange: Sendable {
    /// The largest answer read.
    static let maxAnswerBytes = 16 << 20

    let http: HTTPClient
    let timeout: TimeAmount

    func send(_ method: HTTPMethod, _ url: String, body: [UInt8]? = nil, contentType: String? = nil, headers: [String: String] = [:], what: String) async throws(SigningError) -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        request.headers.add(name: "User-Agent", value: "signet")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw SigningError(.unreachable, "cannot reach \(what) at \(url): \(error)")
        }
        let bytes: [UInt8]
        do {
            bytes = Array(buffer: try await response.body.collect(upTo: Self.maxAnswerBytes))
        } catch {
            throw SigningError(.badResponse, "\(what) answered with more than \(Self.maxAnswerBytes) bytes or broke off: \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            var message = String(decoding: bytes.prefix(500), as: UTF8.self)
            var code: String?
            if case .object(let object)? = try? JSONParser().parse(bytes, context: "error") {
                if case .string(let text)? = object["message"] { message = text }
                if case .string(let text)? = object["error"] { code = text }
            }
            throw SigningError(.refused, "\(what) refused the request (\(response.status.code)\(code.map { " \($0)" } ?? "")): \(message)")
        }
        return bytes
    }
}
