import Hummingbird
import Platform
import Storage

/// MLflow 3 logged-model endpoints, used by `mlflow.<flavor>.log_model(...)`.
struct MLflowLoggedModelsController<Context: RequestContext> {
    let tracking: TrackingService

    func register(on table: RouteTable<Context>) {
        let p = "/api/2.0/mlflow/logged-models", tag = "mlflow-logged-models"
        let tracking = self.tracking

        table.add(.post, p, summary: "Create a logged model (pending until finalized)", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let model = try await tracking.createLoggedModel(
                experimentID: try f.required("experiment_id"), name: try f.string("name"), modelType: try f.string("model_type") ?? "",
                sourceRunID: try f.string("source_run_id") ?? "", params: try f.tags("params"), tags: try f.tags("tags"))
            return JSONResponse.make(["model": MLflowWire.LoggedModel(model)])
        }
        table.add(.get, "\(p)/:model_id", summary: "Get a logged model", tag: tag) { _, context in
            let id = try context.parameters.require("model_id")
            return JSONResponse.make(["model": MLflowWire.LoggedModel(try await tracking.loggedModels.get(id))])
        }
        table.add(.patch, "\(p)/:model_id", summary: "Finalize a logged model's upload status", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let model = try await tracking.finalizeLoggedModel(id: try context.parameters.require("model_id"), status: try Self.status(f))
            return JSONResponse.make(["model": MLflowWire.LoggedModel(model)])
        }
        table.add(.delete, "\(p)/:model_id", summary: "Delete a logged model", tag: tag) { _, context in
            try await tracking.loggedModels.delete(try context.parameters.require("model_id"), now: Clock.nowMillis())
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/search", summary: "Search logged models of experiments", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let maxResults = try f.int("max_results", default: 100)
            guard (1...10000).contains(maxResults) else { throw APIError.badRequest("max_results must be between 1 and 10000") }
            let page = try await tracking.loggedModels.search(experimentIDs: try f.strings("experiment_ids"), maxResults: maxResults, pageToken: try f.string("page_token"))
            return JSONResponse.make(ModelsPage(models: page.items.map(MLflowWire.LoggedModel.init), next_page_token: page.nextPageToken))
        }
        table.add(.patch, "\(p)/:model_id/tags", summary: "Set logged model tags", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.loggedModels.setTags(try context.parameters.require("model_id"), try f.tags())
            return JSONResponse.empty
        }
        table.add(.delete, "\(p)/:model_id/tags/:tag_key", summary: "Delete a logged model tag", tag: tag) { _, context in
            try await tracking.loggedModels.deleteTag(try context.parameters.require("model_id"), key: try context.parameters.require("tag_key"))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/:model_id/params", summary: "Log logged model params", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await tracking.loggedModels.logParams(try context.parameters.require("model_id"), try f.tags("params"))
            return JSONResponse.empty
        }
    }

    /// The status as a name or as the proto enum number.
    static func status(_ f: RequestFields) throws -> String {
        let raw = try f.required("status")
        switch raw {
        case "1": return "LOGGED_MODEL_PENDING"
        case "2": return "LOGGED_MODEL_READY"
        case "3": return "LOGGED_MODEL_UPLOAD_FAILED"
        default: return raw
        }
    }

    struct ModelsPage: Encodable {
        var models: [MLflowWire.LoggedModel]
        var next_page_token: String?
    }
}
