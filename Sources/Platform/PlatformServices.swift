import Foundation
import Logging
import Storage

/// Everything the server and CLI need, built from one database and one data directory.
public struct PlatformServices: Sendable {
    public let database: any DatabaseClient
    public let tracking: TrackingService
    public let registry: RegistryService
    public let artifacts: ArtifactStore
    /// Vector collections, next to the artifacts: `<data dir>/vectors/<name>/`.
    public let vectors: VectorCollections
    /// Sentence embeddings (the model loads on first use).
    public let embeddings: EmbeddingService
    /// Agent memory (patterns, episodes) on the vector collections, per namespace.
    public let memory: AgentMemory
    /// Loaded model versions, shared by deployments and direct requests.
    public let runtime: ModelRuntime
    /// Deployments and their rollouts.
    public let deployments: DeploymentService
    /// The predict path every serving protocol uses.
    public let predictions: PredictionService

    /// Opens the database at `databaseURL` (default: `<dataDirectory>/mlplane.sqlite`),
    /// migrates it, and prepares the artifact store under `<dataDirectory>/artifacts`.
    public static func open(dataDirectory: URL, databaseURL: String? = nil, logger: Logger) async throws -> PlatformServices {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let url = databaseURL ?? "sqlite://\(dataDirectory.appendingPathComponent("mlplane.sqlite").path)"
        let database = try await Databases.open(url: url, logger: logger)
        do {
            try await Migrator().migrate(database, logger: logger)
            let services = try PlatformServices(database: database, artifactRoot: dataDirectory.appendingPathComponent("artifacts"))
            try await services.tracking.bootstrap()
            try await services.deployments.bootstrap()
            return services
        } catch {
            try? await database.shutdown()
            throw error
        }
    }

    public init(database: any DatabaseClient, artifactRoot: URL) throws {
        self.database = database
        self.tracking = TrackingService(database: database)
        self.registry = RegistryService(database: database, tracking: tracking)
        self.artifacts = try ArtifactStore(root: artifactRoot, client: database)
        self.vectors = VectorCollections(root: artifactRoot.deletingLastPathComponent().appendingPathComponent("vectors"))
        self.embeddings = EmbeddingService()
        self.memory = AgentMemory(vectors: vectors, embeddings: embeddings)
        self.runtime = ModelRuntime(registry: registry, artifacts: artifacts)
        self.deployments = DeploymentService(store: DeploymentStore(client: database), runtime: runtime)
        self.predictions = PredictionService(runtime: runtime, deployments: deployments)
    }

    public func shutdown() async throws {
        try await database.shutdown()
    }
}

extension PlatformServices {
    /// Throws unless the database answers a trivial query (readiness probes use it).
    public func checkReady() async throws {
        try await tracking.experiments.ping()
    }
}
