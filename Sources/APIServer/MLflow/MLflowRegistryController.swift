import Hummingbird
import Platform
import Storage

/// MLflow REST 2.0 model registry endpoints: registered models, versions, aliases, stages.
struct MLflowRegistryController<Context: RequestContext> {
    let registry: RegistryService

    func register(on table: RouteTable<Context>) {
        let p = "/api/2.0/mlflow", tag = "mlflow-registry"
        let registry = self.registry

        table.add(.post, "\(p)/registered-models/create", summary: "Create a registered model", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let model = try await registry.createModel(name: try f.required("name"), description: try f.string("description") ?? "", tags: try f.tags())
            return JSONResponse.make(["registered_model": MLflowWire.RegisteredModel(model)])
        }
        table.add(.get, "\(p)/registered-models/get", summary: "Get a registered model", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            return JSONResponse.make(["registered_model": MLflowWire.RegisteredModel(try await registry.model(name: try f.required("name")))])
        }
        table.add(.patch, "\(p)/registered-models/update", summary: "Update a registered model's description", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let model = try await registry.updateModel(name: try f.required("name"), description: try f.string("description") ?? "")
            return JSONResponse.make(["registered_model": MLflowWire.RegisteredModel(model)])
        }
        table.add(.post, "\(p)/registered-models/rename", summary: "Rename a registered model", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let model = try await registry.renameModel(name: try f.required("name"), to: try f.required("new_name"))
            return JSONResponse.make(["registered_model": MLflowWire.RegisteredModel(model)])
        }
        table.add(.delete, "\(p)/registered-models/delete", summary: "Delete a registered model and its versions", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await registry.deleteModel(name: try f.required("name"))
            return JSONResponse.empty
        }
        table.add(.get, "\(p)/registered-models/search", summary: "Search registered models", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let page = try await registry.searchModels(
                filter: try f.string("filter"), orderBy: try f.strings("order_by"),
                maxResults: try f.int("max_results", default: 100), pageToken: try f.string("page_token"))
            return JSONResponse.make(ModelsPage(registered_models: page.items.map(MLflowWire.RegisteredModel.init), next_page_token: page.nextPageToken))
        }
        table.add(.post, "\(p)/registered-models/get-latest-versions", summary: "Newest version per stage", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let versions = try await registry.latestVersions(name: try f.required("name"), stages: try f.strings("stages"))
            return JSONResponse.make(["model_versions": versions.map(MLflowWire.ModelVersion.init)])
        }
        table.add(.post, "\(p)/registered-models/set-tag", summary: "Set a registered model tag", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await registry.setModelTag(name: try f.required("name"), Tag(key: try f.required("key"), value: try f.string("value") ?? ""))
            return JSONResponse.empty
        }
        table.add(.delete, "\(p)/registered-models/delete-tag", summary: "Delete a registered model tag", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await registry.deleteModelTag(name: try f.required("name"), key: try f.required("key"))
            return JSONResponse.empty
        }
        table.add(.post, "\(p)/registered-models/alias", summary: "Point an alias at a version", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await registry.setAlias(name: try f.required("name"), alias: try f.required("alias"), version: try f.required("version"), actor: Self.actor(request))
            return JSONResponse.empty
        }
        table.add(.delete, "\(p)/registered-models/alias", summary: "Delete an alias", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await registry.deleteAlias(name: try f.required("name"), alias: try f.required("alias"), actor: Self.actor(request))
            return JSONResponse.empty
        }
        table.add(.get, "\(p)/registered-models/alias", summary: "Get the version an alias points at", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let version = try await registry.version(name: try f.required("name"), alias: try f.required("alias"))
            return JSONResponse.make(["model_version": MLflowWire.ModelVersion(version)])
        }

        table.add(.post, "\(p)/model-versions/create", summary: "Register a new model version (READY at once)", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let version = try await registry.createVersion(
                name: try f.required("name"), source: try f.required("source"), runID: try f.string("run_id") ?? "",
                runLink: try f.string("run_link") ?? "", description: try f.string("description") ?? "",
                userID: Self.actor(request), modelID: try f.string("model_id") ?? "", tags: try f.tags())
            return JSONResponse.make(["model_version": MLflowWire.ModelVersion(version)])
        }
        table.add(.get, "\(p)/model-versions/get", summary: "Get a model version", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let version = try await registry.version(name: try f.required("name"), version: try f.required("version"))
            return JSONResponse.make(["model_version": MLflowWire.ModelVersion(version)])
        }
        table.add(.patch, "\(p)/model-versions/update", summary: "Update a version's description", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let version = try await registry.updateVersion(name: try f.required("name"), version: try f.required("version"), description: try f.string("description") ?? "")
            return JSONResponse.make(["model_version": MLflowWire.ModelVersion(version)])
        }
        table.add(.delete, "\(p)/model-versions/delete", summary: "Delete a model version", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await registry.deleteVersion(name: try f.required("name"), version: try f.required("version"), actor: Self.actor(request))
            return JSONResponse.empty
        }
        table.add(.get, "\(p)/model-versions/search", summary: "Search model versions", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let page = try await registry.searchVersions(
                filter: try f.string("filter"), orderBy: try f.strings("order_by"),
                maxResults: try f.int("max_results", default: 1000), pageToken: try f.string("page_token"))
            return JSONResponse.make(VersionsPage(model_versions: page.items.map(MLflowWire.ModelVersion.init), next_page_token: page.nextPageToken))
        }
        table.add(.get, "\(p)/model-versions/get-download-uri", summary: "Where a version's files are", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            return JSONResponse.make(["artifact_uri": try await registry.downloadURI(name: try f.required("name"), version: try f.required("version"))])
        }
        table.add(.post, "\(p)/model-versions/transition-stage", summary: "Move a version to a stage", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let version = try await registry.transitionStage(
                name: try f.required("name"), version: try f.required("version"), stage: try f.required("stage"),
                archiveExisting: try f.bool("archive_existing_versions") ?? false, actor: Self.actor(request))
            return JSONResponse.make(["model_version": MLflowWire.ModelVersion(version)])
        }
        table.add(.post, "\(p)/model-versions/set-tag", summary: "Set a model version tag", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await registry.setVersionTag(name: try f.required("name"), version: try f.required("version"), Tag(key: try f.required("key"), value: try f.string("value") ?? ""))
            return JSONResponse.empty
        }
        table.add(.delete, "\(p)/model-versions/delete-tag", summary: "Delete a model version tag", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            try await registry.deleteVersionTag(name: try f.required("name"), version: try f.required("version"), key: try f.required("key"))
            return JSONResponse.empty
        }
    }

    /// Who made a change, for the alias and stage history: the `X-MLPlane-User` header until
    /// authentication lands (then the token's user), else `anonymous`.
    static func actor(_ request: Request) -> String {
        request.headers[.init("X-MLPlane-User")!] ?? "anonymous"
    }

    struct ModelsPage: Encodable {
        var registered_models: [MLflowWire.RegisteredModel]
        var next_page_token: String?
    }

    struct VersionsPage: Encodable {
        var model_versions: [MLflowWire.ModelVersion]
        var next_page_token: String?
    }
}
