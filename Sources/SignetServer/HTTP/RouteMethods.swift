import Hummingbird

/// Which methods the router serves on each path, so a request for a served path with another
/// method is answered `405 method-not-allowed` with an `Allow` header (RFC 9110 §15.5.6) rather
/// than the router's `404`.
struct RouteMethods: Sendable {
    private let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    init(_ routes: [Router<SignetRequestContext>.RouteDescription]) {
        self.routes = routes.map { ($0.path, $0.method) }
    }

    /// The methods served on `path`, sorted; empty when no route matches it. Like the router,
    /// a literal segment wins over a parameter and a parameter over a recursive wildcard, so
    /// the methods are those of the one route path the router would pick.
    func allowed(onPath path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let ranked = routes.compactMap { route in Self.rank(route.path, segments).map { (route, $0) } }
        guard let best = ranked.map(\.1).max(by: { $0.lexicographicallyPrecedes($1) }) else { return [] }
        let methods = Set(ranked.filter { $0.1 == best }.map(\.0.method.rawValue))
        return methods.sorted().compactMap { HTTPRequest.Method($0) }
    }

    /// How a route's path matches the request's segments, element by element (2 a literal, 1 a
    /// parameter or wildcard, 0 a recursive wildcard, which takes one or more segments); nil
    /// when it does not match.
    private static func rank(_ path: RouterPath, _ segments: [Substring]) -> [Int]? {
        var ranks: [Int] = []
        var next = 0
        for element in path.components {
            if element.description == "**" { return next < segments.count ? ranks + [0] : nil }
            guard next < segments.count, element ~= segments[next] else { return nil }
            ranks.append(element.description == segments[next] ? 2 : 1)
            next += 1
        }
        return next == segments.count ? ranks : nil
    }
}
