import Hummingbird
import Logging

/// The outermost middleware: turns every error into an ``APIError`` answer, and records each
/// request's route, status and latency in the metrics and the log. Logs name the route
/// pattern and never carry headers or bodies, so tokens and keys never reach them.
struct APIMiddleware: RouterMiddleware {
    typealias Context = SignetRequestContext

    let metrics: Metrics
    let methods: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        var failure: APIError?
        do {
            response = try await next(request, context)
        } catch {
            var answer = APIError(error)
            var allow: String?
            // The router's own 404 (an HTTPError; routes throw APIError) also covers a served
            // path asked with another method: say which methods it serves.
            if let routerError = error as? HTTPError, routerError.status == .notFound, case let allowed = methods.allowed(onPath: request.uri.path),
                !allowed.isEmpty
            {
                let names = allowed.map(\.rawValue).joined(separator: ", ")
                answer = APIError(
                    .methodNotAllowed, "method-not-allowed", "expected one of \(names) on \(request.uri.path.prefix(120)), found \(request.method.rawValue)")
                allow = names
            }
            failure = answer
            response = answer.response
            if let allow { response.headers[.allow] = allow }
            if answer.status.code >= 500 {
                context.logger.error("request failed", metadata: ["route": "\(context.endpointPath ?? "unmatched")", "error": "\(error)"])
            }
        }
        let seconds = (ContinuousClock.now - start).inSeconds
        let route = context.endpointPath ?? "unmatched"
        metrics.observeRequest(route: route, method: request.method.rawValue, status: response.status.code, seconds: seconds)
        var metadata: Logger.Metadata = [
            "route": "\(route)", "method": "\(request.method.rawValue)", "status": "\(response.status.code)", "ms": "\(Int(seconds * 1000))",
            "origin": "\(context.origin)",
        ]
        if let failure { metadata["error"] = "\(failure.code)" }
        context.logger.info("request", metadata: metadata)
        response.headers[.cacheControl] = response.headers[.cacheControl] ?? "no-store"
        return response
    }
}
