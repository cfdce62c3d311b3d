import Hummingbird
import Platform
import Storage

/// MLflow REST 2.0 tracking endpoints: experiments, runs, metrics, params, tags, search.
/// Each handler reads fields, calls ``TrackingService`` and writes the MLflow shape.
struct MLflowTrackingController<Context: RequestContext> {
    let tracking: TrackingService
    static var prefix: String { "/api/2.0/mlflow" }

    func register(on table: RouteTable<Context>) {
        let p = Self.prefix, tag = "mlflow-tracking"
        let tracking = self.tracking

        table.add(.post, "\(p)/experiments/create", summary: "Create an experiment", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let id = try await tracking.createExperiment(name: try f.required("name"), artifactLocation: try f.string("artifact_location"), tags: try f.tags())
            return JSONResponse.make(["experiment_id": id])
        }
        table.add(.get, "\(p)/experiments/get", summary: "Get an experiment by id", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let experiment = try await tracking.experiment(id: try f.required("experiment_id"))
            return JSONResponse.make(["experiment": MLflowWire.Experiment(experiment)])
        }
        table.add(.get, "\(p)/experiments/get-by-name", summary: "Get an experiment by name", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let experiment = try await tracking.experiment(named: try f.required("experiment_name"))
            return JSONResponse.make(["experiment": MLflowWire.Experiment(experiment)])
        }
        for method in [HTTPRequest.Method.post, .get] {
            table.add(method, "\(p)/experiments/search", summary: "Search experiments", tag: tag) { request, context in
                let f = try await RequestFields.from(request, context: context)
                let page = try await tracking.searchExperiments(
                    filter: try f.string("filter"), orderBy: try f.strings("order_by"), viewType: try Self.viewType(f, "view_type"),
                    maxResults: try f.int("max_results", default: 1000), pageToken: try f.string("page_token"))
                return JSONResponse.make(ExperimentsPage(experiments: page.items.map(MLflowWire.Experiment.init), next_page_token: page.nextPageToken))
            }
        }
        table.add(.post, "\(p)/experiments/update", summary: "Rename an experiment", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.renameExperiment(id: try f.required("experiment_id"), to: try f.required("new_name"))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/experiments/delete", summary: "Delete an experiment (restorable)", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.deleteExperiment(id: try f.required("experiment_id"))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/experiments/restore", summary: "Restore a deleted experiment", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.restoreExperiment(id: try f.required("experiment_id"))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/experiments/set-experiment-tag", summary: "Set an experiment tag", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.setExperimentTag(id: try f.required("experiment_id"), Tag(key: try f.required("key"), value: try f.string("value") ?? ""))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/experiments/delete-experiment-tag", summary: "Delete an experiment tag", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.deleteExperimentTag(id: try f.required("experiment_id"), key: try f.required("key"))
            return JSONResponse.empty
        }

        table.add(.post, "\(p)/runs/create", summary: "Start a run", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let run = try await tracking.createRun(
                experimentID: try f.string("experiment_id") ?? "0", userID: try f.string("user_id") ?? "",
                runName: try f.string("run_name"), startTime: try f.int64("start_time"), tags: try f.tags())
            return JSONResponse.make(["run": MLflowWire.Run(run)])
        }
        table.add(.post, "\(p)/runs/update", summary: "Update a run's status, end time or name", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let status = try f.string("status").map { value in
                guard let status = RunStatus(rawValue: value) else {
                    throw APIError.badRequest("invalid status '\(value)'; use one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return status
            }
            let info = try await tracking.updateRun(id: try Self.runID(f), status: status, endTime: try f.int64("end_time"), runName: try f.string("run_name"))
            return JSONResponse.make(["run_info": MLflowWire.RunInfo(info)])
        }
        table.add(.post, "\(p)/runs/delete", summary: "Delete a run (restorable)", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.deleteRun(id: try Self.runID(f))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/runs/restore", summary: "Restore a deleted run", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.restoreRun(id: try Self.runID(f))
            return JSONResponse.empty
        }
        table.add(.get, "\(p)/runs/get", summary: "Get a run with its latest metrics, params and tags", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            return JSONResponse.make(["run": MLflowWire.Run(try await tracking.run(id: try Self.runID(f)))])
        }
        table.add(.post, "\(p)/runs/log-metric", summary: "Log one metric value", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.logMetric(runID: try Self.runID(f), try Self.metric(f))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/runs/log-parameter", summary: "Log a param (immutable once set)", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.logParam(runID: try Self.runID(f), Tag(key: try f.required("key"), value: try f.string("value") ?? ""))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/runs/set-tag", summary: "Set a run tag", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.setTag(runID: try Self.runID(f), Tag(key: try f.required("key"), value: try f.string("value") ?? ""))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/runs/delete-tag", summary: "Delete a run tag", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.deleteTag(runID: try Self.runID(f), key: try f.required("key"))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/runs/log-batch", summary: "Log metrics, params and tags atomically", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let metrics = try f.objects("metrics").map(Self.metric)
            let params = try f.tags("params")
            try await tracking.logBatch(runID: try Self.runID(f), metrics: metrics, params: params, tags: try f.tags("tags"))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/runs/log-model", summary: "Record a logged model's metadata (MLflow 1.x/2.x clients)", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let runID = try Self.runID(f)
            _ = try await tracking.run(id: runID)
            if let json = try f.string("model_json") {
                try await tracking.setTag(runID: runID, Tag(key: "mlflow.log-model.history", value: String(json.prefix(8000))))
            }
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/runs/log-inputs", summary: "Record a run's dataset and model inputs", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            _ = try await tracking.run(id: try f.required("run_id"))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/runs/outputs", summary: "Record logged models as outputs of a run", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let outputs = try f.objects("models").map { RunModelOutput(modelID: try $0.required("model_id"), step: try $0.int64("step") ?? 0) }
            try await tracking.logOutputs(runID: try f.required("run_id"), outputs)
            return JSONResponse.empty
        }
        for method in [HTTPRequest.Method.post, .get] {
            table.add(method, "\(p)/runs/search", summary: "Search runs with an MLflow filter string", tag: tag) { request, context in
                let f = try await RequestFields.from(request, context: context)
                let page = try await tracking.searchRuns(
                    experimentIDs: try f.strings("experiment_ids"), filter: try f.string("filter"),
                    viewType: try Self.viewType(f, "run_view_type"), orderBy: try f.strings("order_by"),
                    maxResults: try f.int("max_results", default: 1000), pageToken: try f.string("page_token"))
                return JSONResponse.make(RunsPage(runs: page.items.map(MLflowWire.Run.init), next_page_token: page.nextPageToken))
            }
        }
        table.add(.get, "\(p)/metrics/get-history", summary: "Every logged value of one metric", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let page = try await tracking.metricHistory(
                runID: try Self.runID(f), key: try f.required("metric_key"),
                maxResults: try f.int("max_results", default: 25000), pageToken: try f.string("page_token"))
            return JSONResponse.make(MetricsPage(metrics: page.items.map(MLflowWire.Metric.init), next_page_token: page.nextPageToken))
        }
    }

    // MARK: - Field helpers

    static func runID(_ f: RequestFields) throws -> String {
        if let id = try f.string("run_id"), !id.isEmpty { return id }
        if let id = try f.string("run_uuid"), !id.isEmpty { return id }
        throw APIError.badRequest("missing value for required field 'run_id'")
    }

    static func metric(_ f: RequestFields) throws -> Metric {
        guard let value = try f.double("value") else { throw APIError.badRequest("missing value for required field 'value' of metric") }
        guard let timestamp = try f.int64("timestamp") else { throw APIError.badRequest("missing value for required field 'timestamp' of metric") }
        return Metric(key: try f.required("key"), value: value, timestamp: timestamp, step: try f.int64("step") ?? 0)
    }

    static func viewType(_ f: RequestFields, _ key: String) throws -> ViewType {
        guard let raw = try f.string(key) else { return .activeOnly }
        switch raw {
        case "1": return .activeOnly
        case "2": return .deletedOnly
        case "3": return .all
        default:
            guard let view = ViewType(rawValue: raw) else { throw APIError.badRequest("invalid \(key) '\(raw)'; use ACTIVE_ONLY, DELETED_ONLY or ALL") }
            return view
        }
    }

    struct ExperimentsPage: Encodable {
        var experiments: [MLflowWire.Experiment]
        var next_page_token: String?
    }

    struct RunsPage: Encodable {
        var runs: [MLflowWire.Run]
        var next_page_token: String?
    }

    struct MetricsPage: Encodable {
        var metrics: [MLflowWire.Metric]
        var next_page_token: String?
    }
}
