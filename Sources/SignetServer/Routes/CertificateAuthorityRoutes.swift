import Hummingbird
import SignetCA
import SignetCore
import SignetIdentity
import SignetStore
import SwiftASN1
import X509

/// The Fulcio-compatible CA: `POST /api/v2/signingCert`, `GET /api/v2/trustBundle` and
/// `GET /api/v1/rootCert` (sigstore/fulcio `fulcio.proto`).
extension SignetServices {
    func addCertificateAuthorityRoutes(to routes: AccessRoutes) {
        routes.open(.post, "/api/v2/signingCert") { request, context in
            try await self.issueCertificate(request, context: context)
        }
        routes.open(.get, "/api/v2/trustBundle") { _, _ in
            let chain = self.ca.chainPEM.map(JSONValue.string)
            return Response.json(.object(JSONObject([("chains", .array([.object(JSONObject([("certificates", .array(chain))]))]))])))
        }
        routes.open(.get, "/api/v1/rootCert") { _, _ in
            let pem = self.ca.chainPEM.joined()
            return Response.bytes(Array(pem.utf8), contentType: "application/pem-certificate-chain")
        }
    }

    private func issueCertificate(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let body = try await request.collectBody(limit: SigningCertificateRequest.maxBytes, contentTypes: ["application/json"])
        let signingRequest = try SigningCertificateRequest(jsonBytes: body)
        // Fulcio: a token in the body wins over the Authorization header.
        guard let token = signingRequest.identityToken ?? request.bearerToken else {
            throw APIError(
                .unauthorized, "missing-token",
                "expected an OIDC identity token in credentials.oidcIdentityToken or an Authorization: Bearer header, found neither")
        }
        let leaf = try await issue(signingRequest, for: try await tokens.verify(token), origin: context.origin)
        return Response.bytes(leaf.responseJSON(), contentType: "application/json")
    }
}

extension SignetServices {
    /// Issues a leaf for `identity` and commits it with its audit event (with concurrent
    /// issuances, in one transaction) before it is handed out.
    func issue(_ request: SigningCertificateRequest, for identity: VerifiedIdentity, origin: String) async throws -> IssuedLeaf {
        let leaf = try await ca.issue(request, for: identity)
        let subject = identity.subjectName.value
        let serial = Hex.encode(leaf.serialNumber)
        let now = timeSource.now()
        try await certificateRecords.submit(
            (
                IssuedCertificate(
                    serial: serial, identity: subject, issuer: identity.issuer,
                    provenance: Dictionary(uniqueKeysWithValues: identity.provenance.map { ($0.key.rawValue, $0.value) }),
                    issuedAt: now, der: leaf.der),
                AuditEvent(time: now, actor: subject, action: "certificate.issue", subject: serial, origin: origin, detail: "issuer \(identity.issuer)")
            ))
        metrics.observeIssued("certificate")
        return leaf
    }
}

extension Request {
    /// The token of an `Authorization: Bearer` header (RFC 6750 §2.1).
    var bearerToken: String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1].trimmingOptionalWhitespace)
    }
}
