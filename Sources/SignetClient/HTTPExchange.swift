import NIOCore
import NIOHTTP1
import SignetCore

/// One request to a service and its answer's body, with every failure a ``SigningError``:
/// unreachable, refused (the service's own error message), or an answer too large.
struct HTTPExchange: Sendable {
    /// The largest answer read: a name's attestations with their bundles, each holding a
    /// predicate of up to 16 MiB, fit.
    static let maxAnswerBytes = 64 << 20

    let transport: any HTTPTransport
    let timeout: TimeAmount

    func send(_ method: HTTPMethod, _ url: String, body: [UInt8]? = nil, contentType: String? = nil, headers: [String: String] = [:], what: String)
        async throws(SigningError) -> [UInt8]
    {
        var fields: [(name: String, value: String)] = [("User-Agent", "signet")]
        if let contentType { fields.append(("Content-Type", contentType)) }
        for (name, value) in headers { fields.append((name, value)) }
        let status: UInt
        let bytes: [UInt8]
        do {
            (status, bytes) = try await transport.send(method, url: url, headers: fields, body: body, timeout: timeout, maxAnswerBytes: Self.maxAnswerBytes)
        } catch let error as SigningError {
            throw SigningError(error.code, "\(what): \(error.reason)")
        } catch {
            throw SigningError(.unreachable, "cannot reach \(what) at \(url): \(error)")
        }
        guard (200..<300).contains(status) else {
            var message = String(decoding: bytes.prefix(500), as: UTF8.self)
            var code: String?
            if case .object(let object)? = try? JSONParser().parse(bytes, context: "error") {
                if case .string(let text)? = object["message"] { message = text }
                if case .string(let text)? = object["error"] { code = text }
            }
            throw SigningError(.refused, "\(what) refused the request (\(status)\(code.map { " \($0)" } ?? "")): \(message)")
        }
        return bytes
    }
}
