import Hummingbird
import NIOHTTP1
import SignetCA
import SignetCore
import SignetIdentity
import SignetLog
import SignetStore

/// An error answer: the HTTP status, decided here and nowhere else, a stable machine-readable
/// code and a reason that says what was expected and what was found. Rendered as
/// `{"code": <status>, "error": "<code>", "message": "<reason>"}`, the shape of Rekor's error
/// bodies with the stable code added.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// The namespace a refusal concerns, which decides who may read its audit event; never
    /// part of the answer.
    var namespace: String?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// The answer to any error a route let escape.
    public init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as IdentityError:
            self.init(error.code == .keySetUnavailable ? .serviceUnavailable : .unauthorized, error.code.rawValue, error.reason)
        case let error as CertificateAuthorityError:
            self.init(error.code == .signingFailed ? .internalServerError : .badRequest, error.code.rawValue, error.reason)
        case let error as LogEntryError:
            self.init(error.code == .unavailable ? .serviceUnavailable : .badRequest, error.code.rawValue, error.reason)
        case let error as FormatError:
            self.init(.badRequest, "invalid-request", error.description)
        case let error as NamespaceConflict:
            self.init(
                .conflict, "namespace-conflict",
                "expected \(error.name) to be signed into its own namespace \(error.owner), found a request for \(error.requested)")
        case let error as HTTPParserError:
            self.init(.badRequest, "malformed-request", "expected an HTTP/1.1 request within the server's limits, found one the parser refuses (\(error))")
        case let error as HTTPError where error.status == .contentTooLarge:
            self.init(.contentTooLarge, "body-too-large", "expected a request body within the endpoint's limit, found a larger one")
        case let error as HTTPError where error.status == .notFound:
            self.init(.notFound, "not-found", "no such endpoint")
        case let error as HTTPError where error.status == .methodNotAllowed:
            self.init(.methodNotAllowed, "method-not-allowed", "the endpoint does not accept this method")
        case let error as HTTPError:
            self.init(error.status, "http-\(error.status.code)", error.body ?? error.status.reasonPhrase)
        default:
            self.init(.internalServerError, "internal", "the server failed to answer; the failure is in its log")
        }
    }

    /// The error's JSON body.
    var body: [UInt8] {
        JSONValue.object(
            JSONObject([
                ("code", .integer(Int64(status.code))),
                ("error", .string(code)),
                ("message", .string(message)),
            ])
        ).compactBytes()
    }

    /// The error as an HTTP response.
    public var response: Response {
        Response.bytes(body, status: status, contentType: "application/json")
    }
}

extension Response {
    /// A response whose body is `bytes`.
    static func bytes(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, contentType: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON response.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        bytes(value.compactBytes(), status: status, contentType: "application/json", headers: headers)
    }
}
