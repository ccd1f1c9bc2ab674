import Hummingbird
import SignetCore
import SignetLog

/// Trust distribution and operations: `GET /api/v1/trust/config`, `/healthz`, `/readyz` and
/// Prometheus `/metrics`.
extension SignetServices {
    func addOperationsRoutes(to routes: AccessRoutes) {
        routes.open(.get, "/api/v1/trust/config") { _, _ in
            Response.bytes(self.trustConfigJSON, contentType: "application/json")
        }
        routes.open(.get, "/healthz") { _, _ in
            Response.bytes(Array("ok\n".utf8), contentType: "text/plain; charset=utf-8")
        }
        routes.open(.get, "/readyz") { _, _ in
            // Ready when the store answers.
            do {
                _ = try await self.store.latestCheckpoint(log: LogService.treeName)
            } catch {
                throw APIError(.serviceUnavailable, "not-ready", "the store does not answer: \(error)")
            }
            return Response.bytes(Array("ready\n".utf8), contentType: "text/plain; charset=utf-8")
        }
        routes.open(.get, "/metrics") { _, _ in
            Response.bytes(Array(self.metrics.render().utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
