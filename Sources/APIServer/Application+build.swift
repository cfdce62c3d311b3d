import Foundation
import Hummingbird
import Logging
import Platform
import Prometheus
import ServiceLifecycle
import Storage

/// How to run the server: where to listen and where to keep data.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The data directory: `mlplane.sqlite` and `artifacts/` live here.
    public var dataDirectory: URL
    /// A PostgreSQL URL to keep metadata there instead of the embedded SQLite file.
    public var databaseURL: String?
    public var logLevel: Logger.Level

    public init(host: String = "127.0.0.1", port: Int = 5000, dataDirectory: URL = URL(fileURLWithPath: ".mlplane"), databaseURL: String? = nil, logLevel: Logger.Level = .info) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.logLevel = logLevel
    }
}

/// Closes the database when the service group shuts down (after the HTTP server stops).
struct PlatformLifecycleService: Service {
    let services: PlatformServices

    func run() async throws {
        try? await gracefulShutdown()
        try await services.shutdown()
    }
}

/// The router with every route of the API, and the routes it serves (for the OpenAPI document).
public func buildRouter(services: PlatformServices, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) -> (router: Router<BasicRequestContext>, routes: [DocumentedRoute]) {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: TracingMiddleware())
    let table = RouteTable(router: router)
    SystemController(services: services, metrics: metrics).register(on: table)
    MLflowTrackingController(tracking: services.tracking).register(on: table)
    MLflowRegistryController(registry: services.registry).register(on: table)
    MLflowLoggedModelsController(tracking: services.tracking).register(on: table)
    MLflowArtifactsController(tracking: services.tracking, artifacts: services.artifacts).register(on: table)
    NativeController(services: services).register(on: table)
    CausalController(services: services).register(on: table)
    CollectionsController(vectors: services.vectors).register(on: table)
    MemoryController(memory: services.memory).register(on: table)
    EmbeddingsController(embeddings: services.embeddings).register(on: table)
    RetrievalController(retrieval: RetrievalService(vectors: services.vectors, embeddings: services.embeddings)).register(on: table)
    DeploymentsController(deployments: services.deployments).register(on: table)
    InferenceController(predictions: services.predictions).register(on: table)
    OverviewPage(services: services).register(on: table)
    var routes = table.routes
    routes.append(DocumentedRoute(method: .get, path: "/openapi.json", summary: "This OpenAPI 3.1 document", tag: "system"))
    let document = JSONResponse.raw(OpenAPIDocument.build(routes: routes))
    router.get("/openapi.json") { _, _ in document }
    return (router, routes)
}

/// Builds the whole application: opens storage, migrates it, wires the routes.
/// The caller runs it with `runService()`; tests drive it with HummingbirdTesting.
public func buildApplication(_ configuration: ServerConfiguration, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "mlplane")
    logger.logLevel = configuration.logLevel
    let services = try await PlatformServices.open(dataDirectory: configuration.dataDirectory, databaseURL: configuration.databaseURL, logger: logger)
    return buildApplication(services: services, configuration: configuration, metrics: metrics, logger: logger)
}

/// Builds the application around already opened services.
public func buildApplication(services: PlatformServices, configuration: ServerConfiguration, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), logger: Logger) -> some ApplicationProtocol {
    let (router, _) = buildRouter(services: services, metrics: metrics)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "mlplane"),
        services: [PlatformLifecycleService(services: services)],
        logger: logger)
}
