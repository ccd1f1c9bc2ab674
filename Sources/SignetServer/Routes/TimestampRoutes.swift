import Hummingbird
import SignetCore
import SignetTSA

/// The RFC 3161 TSA: `POST /api/v1/timestamp` (RFC 3161 §3.4: `application/timestamp-query`
/// in, `application/timestamp-reply` out) and `GET /api/v1/timestamp/certchain`.
extension SignetServices {
    func addTimestampRoutes(to routes: AccessRoutes) {
        routes.open(.post, "/api/v1/timestamp") { request, _ in
            let query = try await request.collectBody(limit: TimestampAuthority.maxRequestBytes, contentTypes: ["application/timestamp-query"])
            let (reply, rejection) = try await self.tsa.respond(toRequest: query)
            // Never a 2xx without a granted token: a rejection carries its status in the body
            // and a 400 on the wire.
            if let rejection {
                var headers = HTTPFields()
                headers[.init("Signet-Error")!] = rejection.reason
                return Response.bytes(reply, status: .badRequest, contentType: "application/timestamp-reply", headers: headers)
            }
            self.metrics.observeIssued("timestamp")
            return Response.bytes(reply, contentType: "application/timestamp-reply")
        }
        routes.open(.get, "/api/v1/timestamp/certchain") { _, _ in
            let pem = try self.tsa.certificateChain.map { PEM.encode(try $0.derBytes(), label: "CERTIFICATE") }.joined()
            return Response.bytes(Array(pem.utf8), contentType: "application/pem-certificate-chain")
        }
    }
}
