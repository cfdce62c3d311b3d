import Hummingbird

/// A route as documented in `/openapi.json`.
public struct DocumentedRoute: Sendable, Equatable {
    public var method: HTTPRequest.Method
    /// The path in Hummingbird's form (`/api/v1/runs/:run_id`).
    public var path: String
    public var summary: String
    public var tag: String

    /// The path in OpenAPI's form (`/api/v1/runs/{run_id}`).
    public var openAPIPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            if segment.hasPrefix(":") { return "{\(segment.dropFirst())}" }
            if segment == "**" { return "{path}" }
            return String(segment)
        }.joined(separator: "/")
    }
}

/// Registers routes on the router and records each one, so that the OpenAPI document is
/// made from the same list the router serves and cannot drift from it.
final class RouteTable<Context: RequestContext> {
    let router: Router<Context>
    private(set) var routes: [DocumentedRoute] = []

    init(router: Router<Context>) {
        self.router = router
    }

    func add(
        _ method: HTTPRequest.Method, _ path: String, summary: String, tag: String,
        _ handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) {
        routes.append(DocumentedRoute(method: method, path: path, summary: summary, tag: tag))
        router.on(RouterPath(path), method: method, use: handler)
    }
}
