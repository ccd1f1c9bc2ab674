import Hummingbird
import SignetStore

/// Who may call a route. Every route is added with one through ``AccessRoutes``, which checks
/// it before the route's handler runs; the table of routes and their rules is what the access
/// tests walk, so no route is served without a decision about who may call it.
enum RouteAccess: Sendable, Hashable {
    /// Anyone: the Sigstore-compatible endpoints real clients call without a credential
    /// (Fulcio, Rekor v1 and v2, the TSA, the trust configuration), the operations endpoints,
    /// the OpenAPI document, the development identity provider and the way into the web UI.
    case open
    /// A caller (an OIDC identity token or an API key in `Authorization: Bearer`) holding at
    /// least one of these scopes in some namespace; the handler narrows that to the namespace
    /// the request concerns. Anonymous: 401; no such scope anywhere: 403.
    case caller(anyOf: Set<AccessScope>)
    /// A page of the web UI, for a signed-in session (``WebSignIn``) holding at least one of
    /// these scopes in some namespace: a browser without one is sent to sign in (303), one
    /// without the scope is shown a refusal (403).
    case page(anyOf: Set<AccessScope>)

    /// The scopes that let a caller read a namespace's signatures, attestations, revocations
    /// and traces.
    static let reading: Set<AccessScope> = [.read, .verify]
}

/// Adds routes to a router, each with its ``RouteAccess``, and keeps the table of them. A
/// request refused with 401, 403 or 409 by a route of Signet's own API leaves an audit event
/// (who, what, from where, why), never its credential.
final class AccessRoutes {
    /// One route and its rule.
    struct Route: Sendable, Hashable {
        var method: HTTPRequest.Method
        var path: String
        var access: RouteAccess
    }

    let router: Router<SignetRequestContext>
    let services: SignetServices
    private(set) var table: [Route] = []

    init(router: Router<SignetRequestContext>, services: SignetServices) {
        self.router = router
        self.services = services
    }

    /// Adds a route anyone may call.
    func open(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, SignetRequestContext) async throws -> Response) {
        table.append(Route(method: method, path: path, access: .open))
        router.on(RouterPath(path), method: method, use: handler)
    }

    /// Adds a route only a caller holding one of `scopes` somewhere may call; the handler gets
    /// the caller.
    func caller(
        _ method: HTTPRequest.Method, _ path: String, anyOf scopes: Set<AccessScope>,
        _ handler: @escaping @Sendable (Request, SignetRequestContext, Caller) async throws -> Response
    ) {
        table.append(Route(method: method, path: path, access: .caller(anyOf: scopes)))
        let services = services
        let route = "\(method.rawValue) \(path)"
        router.on(RouterPath(path), method: method) { request, context in
            var known: Caller?
            do {
                let caller = try await services.authenticatedCaller(request)
                known = caller
                try services.requireAnyScope(caller, scopes)
                return try await handler(request, context, caller)
            } catch {
                let answer = APIError(error)
                if [401, 403, 409].contains(answer.status.code) {
                    try await services.auditRefusal(answer, route: route, request: request, caller: known, origin: context.origin)
                }
                throw error
            }
        }
    }

    /// Adds a page of the web UI only a signed-in session holding one of `scopes` somewhere
    /// may see; the handler gets the session. Refusals are pages too, and audited.
    func page(
        _ path: String, anyOf scopes: Set<AccessScope>,
        _ handler: @escaping @Sendable (Request, SignetRequestContext, SignetServices.WebSessionState) async throws -> Response
    ) {
        table.append(Route(method: .get, path: path, access: .page(anyOf: scopes)))
        let services = services
        router.on(RouterPath(path), method: .get) { request, context in
            guard let session = try await services.webSession(request) else {
                let next = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
                return Response(status: .seeOther, headers: [.location: "/ui/login?next=\(HTMLPage.queryValue(next))"])
            }
            do {
                try services.requireAnyScope(session.caller, scopes)
                return try await handler(request, context, session)
            } catch let refusal as APIError where [401, 403, 409].contains(refusal.status.code) {
                try await services.auditRefusal(refusal, route: "GET \(path)", request: request, caller: session.caller, origin: context.origin)
                return services.refusalPage(refusal, session: session)
            }
        }
    }
}
