import Hummingbird
import Platform
import Storage

/// The native REST API under `/api/v1`: resource-style paths over the same services the
/// MLflow adapter uses, plus what MLflow has no call for (lineage, compare, alias history).
struct NativeController<Context: RequestContext> {
    let services: PlatformServices

    func register(on table: RouteTable<Context>) {
        let p = "/api/v1", tag = "native"
        let tracking = services.tracking, registry = services.registry

        table.add(.get, "\(p)/experiments", summary: "List experiments", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let page = try await tracking.searchExperiments(
                filter: try f.string("filter"), orderBy: try f.strings("order_by"),
                maxResults: try f.int("max_results", default: 100), pageToken: try f.string("page_token"))
            return JSONResponse.make(MLflowTrackingController<Context>.ExperimentsPage(experiments: page.items.map(MLflowWire.Experiment.init), next_page_token: page.nextPageToken))
        }
        table.add(.post, "\(p)/experiments", summary: "Create an experiment", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let id = try await tracking.createExperiment(name: try f.required("name"), tags: try f.tags())
            return JSONResponse.make(["experiment": MLflowWire.Experiment(try await tracking.experiment(id: id))], status: .created)
        }
        table.add(.get, "\(p)/experiments/:experiment_id", summary: "Get an experiment", tag: tag) { _, context in
            JSONResponse.make(["experiment": MLflowWire.Experiment(try await tracking.experiment(id: try context.parameters.require("experiment_id")))])
        }
        table.add(.get, "\(p)/experiments/:experiment_id/runs", summary: "Search an experiment's runs", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let page = try await tracking.searchRuns(
                experimentIDs: [try context.parameters.require("experiment_id")], filter: try f.string("filter"),
                orderBy: try f.strings("order_by"), maxResults: try f.int("max_results", default: 100), pageToken: try f.string("page_token"))
            return JSONResponse.make(MLflowTrackingController<Context>.RunsPage(runs: page.items.map(MLflowWire.Run.init), next_page_token: page.nextPageToken))
        }
        table.add(.post, "\(p)/runs", summary: "Start a run", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let run = try await tracking.createRun(experimentID: try f.string("experiment_id") ?? "0", userID: try f.string("user_id") ?? "", runName: try f.string("run_name"), tags: try f.tags())
            return JSONResponse.make(["run": MLflowWire.Run(run)], status: .created)
        }
        table.add(.get, "\(p)/runs/:run_id", summary: "Get a run", tag: tag) { _, context in
            JSONResponse.make(["run": MLflowWire.Run(try await tracking.run(id: try context.parameters.require("run_id")))])
        }
        table.add(.post, "\(p)/runs/:run_id/log", summary: "Log metrics, params and tags atomically", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.logBatch(
                runID: try context.parameters.require("run_id"), metrics: try f.objects("metrics").map(MLflowTrackingController<Context>.metric),
                params: try f.tags("params"), tags: try f.tags("tags"))
            return JSONResponse.empty
        }
        table.add(.get, "\(p)/runs/:run_id/metrics/:key", summary: "A metric's history", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let page = try await tracking.metricHistory(
                runID: try context.parameters.require("run_id"), key: try context.parameters.require("key"),
                maxResults: try f.int("max_results", default: 25000), pageToken: try f.string("page_token"))
            return JSONResponse.make(MLflowTrackingController<Context>.MetricsPage(metrics: page.items.map(MLflowWire.Metric.init), next_page_token: page.nextPageToken))
        }
        table.add(.get, "\(p)/runs/:run_id/artifacts", summary: "A run's artifacts under ?path=, with sizes and SHA-256 digests", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let run = try await tracking.run(id: try context.parameters.require("run_id"))
            let root = try ArtifactURI.storePath(of: run.info.artifactURI).value
            let sub = try f.string("path").flatMap { $0.isEmpty ? nil : $0 }
            let files = try await services.artifacts.list(directory: try ArtifactPath(sub.map { "\(root)/\($0)" } ?? root))
            return JSONResponse.make(["files": files.map { ArtifactEntry(path: $0.path, is_dir: $0.isDirectory, size: $0.size, sha256: $0.digest) }])
        }
        table.add(.get, "\(p)/models", summary: "List registered models", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let page = try await registry.searchModels(filter: try f.string("filter"), maxResults: try f.int("max_results", default: 100), pageToken: try f.string("page_token"))
            return JSONResponse.make(MLflowRegistryController<Context>.ModelsPage(registered_models: page.items.map(MLflowWire.RegisteredModel.init), next_page_token: page.nextPageToken))
        }
        table.add(.get, "\(p)/models/:name", summary: "Get a registered model", tag: tag) { _, context in
            JSONResponse.make(["registered_model": MLflowWire.RegisteredModel(try await registry.model(name: try context.parameters.require("name")))])
        }
        table.add(.get, "\(p)/models/:name/versions/:version", summary: "Get a model version", tag: tag) { _, context in
            let version = try await registry.version(name: try context.parameters.require("name"), version: try context.parameters.require("version"))
            return JSONResponse.make(["model_version": MLflowWire.ModelVersion(version)])
        }
        table.add(.get, "\(p)/models/:name/versions/:version/lineage", summary: "Run and parent versions behind a version", tag: tag) { _, context in
            let lineage = try await registry.lineage(name: try context.parameters.require("name"), version: try context.parameters.require("version"))
            return JSONResponse.make(Lineage(
                model_version: MLflowWire.ModelVersion(lineage.version), run: lineage.run.map(MLflowWire.Run.init),
                ancestors: lineage.ancestors.map(MLflowWire.ModelVersion.init), deployments: []))
        }
        table.add(.get, "\(p)/models/:name/compare", summary: "Params, metrics and tags that differ between ?left= and ?right= versions", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let differences = try await registry.compare(name: try context.parameters.require("name"), version: try f.required("left"), with: try f.required("right"))
            return JSONResponse.make(["differences": differences.map { Difference(kind: $0.kind.rawValue, key: $0.key, left: $0.left, right: $0.right) }])
        }
        table.add(.get, "\(p)/models/:name/history", summary: "Alias and stage moves, oldest first", tag: tag) { _, context in
            let events = try await registry.history(name: try context.parameters.require("name"))
            return JSONResponse.make(["events": events.map { Event(kind: $0.kind.rawValue, subject: $0.subject, from: $0.from, to: $0.to, actor: $0.actor, time: $0.time) }])
        }
        table.add(.put, "\(p)/models/:name/aliases/:alias", summary: "Point an alias at {\"version\": N}", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await registry.setAlias(
                name: try context.parameters.require("name"), alias: try context.parameters.require("alias"),
                version: try f.required("version"), actor: MLflowRegistryController<Context>.actor(request))
            return JSONResponse.empty
        }
    }

    struct ArtifactEntry: Encodable {
        var path: String
        var is_dir: Bool
        var size: Int64?
        var sha256: String?
    }

    struct Lineage: Encodable {
        var model_version: MLflowWire.ModelVersion
        var run: MLflowWire.Run?
        var ancestors: [MLflowWire.ModelVersion]
        var deployments: [String]
    }

    struct Difference: Encodable {
        var kind: String
        var key: String
        var left: String?
        var right: String?
    }

    struct Event: Encodable {
        var kind: String
        var subject: String
        var from: String?
        var to: String?
        var actor: String
        var time: Int64
    }
}
