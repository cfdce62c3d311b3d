import APIServer
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Platform
import Prometheus

/// Options shared by `serve` and `demo`; each also reads an `MLPLANE_*` environment variable.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (env MLPLANE_HOST).")
    var host: String = ProcessInfo.processInfo.environment["MLPLANE_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on (env MLPLANE_PORT).")
    var port: Int = Int(ProcessInfo.processInfo.environment["MLPLANE_PORT"] ?? "") ?? 5000

    @Option(name: .customLong("data-dir"), help: "Data directory for the SQLite file and artifacts (env MLPLANE_DATA_DIR).")
    var dataDirectory: String = ProcessInfo.processInfo.environment["MLPLANE_DATA_DIR"] ?? ".mlplane"

    @Option(name: .customLong("database"), help: "postgres://user:password@host:port/db to keep metadata in PostgreSQL (env MLPLANE_DATABASE).")
    var databaseURL: String? = ProcessInfo.processInfo.environment["MLPLANE_DATABASE"]

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env MLPLANE_LOG_LEVEL).")
    var logLevel: String = ProcessInfo.processInfo.environment["MLPLANE_LOG_LEVEL"] ?? "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level '\(logLevel)' is not a log level") }
    }

    func run(seedDemo: Bool) async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "mlplane")
        logger.logLevel = level
        let configuration = ServerConfiguration(
            host: host, port: port, dataDirectory: URL(fileURLWithPath: dataDirectory), databaseURL: databaseURL, logLevel: level)
        let services = try await PlatformServices.open(dataDirectory: configuration.dataDirectory, databaseURL: databaseURL, logger: logger)
        if seedDemo, try await DemoWorkspace.seed(services) {
            logger.info("seeded the demo workspace", metadata: ["experiment": "\(DemoWorkspace.experimentName)", "model": "\(DemoWorkspace.modelName)"])
        }
        let app = buildApplication(services: services, configuration: configuration, metrics: registry, logger: logger)
        logger.info("mlplane serving", metadata: ["url": "http://\(host):\(port)", "data_dir": "\(dataDirectory)", "database": "\(databaseURL == nil ? "sqlite" : "postgres")"])
        try await app.runService()
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the MLPlane server.")
    @OptionGroup var options: ServerOptions
    @Flag(help: "Fill an empty workspace with the demo experiment and model.")
    var demo = false

    func run() async throws {
        try await options.run(seedDemo: demo)
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server with a demo workspace filled in (the quickstart).")
    @OptionGroup var options: ServerOptions

    func run() async throws {
        try await options.run(seedDemo: true)
    }
}
