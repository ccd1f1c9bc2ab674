import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage plus the peer's address, which the
/// audit trail records as the request's origin.
public struct SignetRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's address (`ip:port`), or `unknown`.
    public let origin: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        if let address = source.channel.remoteAddress, let ip = address.ipAddress {
            origin = address.port.map { "\(ip):\($0)" } ?? ip
        } else {
            origin = "unknown"
        }
    }

    /// Bodies are collected with each endpoint's own, smaller limit; this is the ceiling (an
    /// attestation's registration).
    public var maxUploadSize: Int { SignetServices.maxAttestationRegistrationBytes }
}

extension Request {
    /// The body, refused with 413 beyond `limit` bytes and with 415 unless its content type
    /// is one of `contentTypes` (parameters such as `charset` are ignored).
    func collectBody(limit: Int, contentTypes: [String]) async throws -> [UInt8] {
        let found = headers[.contentType] ?? ""
        let mediaType = found.split(separator: ";", maxSplits: 1).first.map { $0.trimmingOptionalWhitespace.lowercased() } ?? ""
        guard contentTypes.contains(mediaType) else {
            throw APIError(
                .unsupportedMediaType, "unsupported-media-type",
                "expected Content-Type \(contentTypes.joined(separator: " or ")), found \(found.isEmpty ? "none" : "\"\(found.prefix(100))\"")")
        }
        if let length = headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(.contentTooLarge, "body-too-large", "expected a body of at most \(limit) bytes, found Content-Length \(length)")
        }
        do {
            return Array(buffer: try await body.collect(upTo: limit))
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "body-too-large", "expected a body of at most \(limit) bytes, found more")
        }
    }
}

extension Substring {
    /// The text without leading and trailing optional whitespace: spaces and horizontal tabs
    /// (RFC 9110 §5.6.3). Header values are trimmed byte-wise, without Foundation.
    var trimmingOptionalWhitespace: Substring {
        let isWhitespace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = utf8.firstIndex(where: { !isWhitespace($0) }), let last = utf8.lastIndex(where: { !isWhitespace($0) }) else {
            return Substring()
        }
        return self[first...last]
    }
}
