import Storage

/// MLflow REST 2.0 shapes (protobuf JSON with snake_case names). Conversions from the
/// domain records live here so the controllers stay a thin translation.
enum MLflowWire {
    struct KeyValue: Encodable {
        var key: String
        var value: String
        init(_ tag: Tag) {
            key = tag.key
            value = tag.value
        }
    }

    struct Experiment: Encodable {
        var experiment_id: String
        var name: String
        var artifact_location: String
        var lifecycle_stage: String
        var creation_time: Int64
        var last_update_time: Int64
        var tags: [KeyValue]
        init(_ e: Storage.Experiment) {
            experiment_id = e.experimentID
            name = e.name
            artifact_location = e.artifactLocation
            lifecycle_stage = e.lifecycleStage.rawValue
            creation_time = e.creationTime
            last_update_time = e.lastUpdateTime
            tags = e.tags.map(KeyValue.init)
        }
    }

    struct Metric: Encodable {
        var key: String
        var value: Double
        var timestamp: Int64
        var step: Int64
        init(_ m: Storage.Metric) {
            key = m.key
            value = m.value
            timestamp = m.timestamp
            step = m.step
        }
    }

    struct RunInfo: Encodable {
        var run_id: String
        var run_uuid: String
        var run_name: String
        var experiment_id: String
        var user_id: String
        var status: String
        var start_time: Int64
        var end_time: Int64?
        var artifact_uri: String
        var lifecycle_stage: String
        init(_ i: Storage.RunInfo) {
            run_id = i.runID
            run_uuid = i.runID
            run_name = i.runName
            experiment_id = i.experimentID
            user_id = i.userID
            status = i.status.rawValue
            start_time = i.startTime
            end_time = i.endTime
            artifact_uri = i.artifactURI
            lifecycle_stage = i.lifecycleStage.rawValue
        }
    }

    struct RunData: Encodable {
        var metrics: [Metric]
        var params: [KeyValue]
        var tags: [KeyValue]
    }

    struct ModelOutput: Encodable {
        var model_id: String
        var step: Int64
    }

    struct RunOutputs: Encodable {
        var model_outputs: [ModelOutput]
    }

    struct RunInputs: Encodable {
        var dataset_inputs: [String] = []
        var model_inputs: [String] = []
    }

    struct Run: Encodable {
        var info: RunInfo
        var data: RunData
        var inputs = RunInputs()
        var outputs: RunOutputs
        init(_ r: Storage.Run) {
            info = RunInfo(r.info)
            data = RunData(metrics: r.metrics.map(Metric.init), params: r.params.map(KeyValue.init), tags: r.tags.map(KeyValue.init))
            outputs = RunOutputs(model_outputs: r.outputs.map { ModelOutput(model_id: $0.modelID, step: $0.step) })
        }
    }

    struct ModelAlias: Encodable {
        var alias: String
        var version: String
    }

    struct ModelVersion: Encodable {
        var name: String
        var version: String
        var creation_timestamp: Int64
        var last_updated_timestamp: Int64
        var user_id: String
        var current_stage: String
        var description: String
        var source: String
        var run_id: String
        var status: String
        var status_message: String
        var run_link: String
        var tags: [KeyValue]
        var aliases: [String]
        var model_id: String?
        init(_ v: Storage.ModelVersion) {
            name = v.name
            version = String(v.version)
            creation_timestamp = v.creationTime
            last_updated_timestamp = v.lastUpdatedTime
            user_id = v.userID
            current_stage = v.currentStage.rawValue
            description = v.description
            source = v.source
            run_id = v.runID
            status = v.status
            status_message = v.statusMessage
            run_link = v.runLink
            tags = v.tags.map(KeyValue.init)
            aliases = v.aliases
            model_id = v.modelID.isEmpty ? nil : v.modelID
        }
    }

    struct RegisteredModel: Encodable {
        var name: String
        var creation_timestamp: Int64
        var last_updated_timestamp: Int64
        var description: String
        var latest_versions: [ModelVersion]
        var tags: [KeyValue]
        var aliases: [ModelAlias]
        init(_ m: Storage.RegisteredModel) {
            name = m.name
            creation_timestamp = m.creationTime
            last_updated_timestamp = m.lastUpdatedTime
            description = m.description
            latest_versions = m.latestVersions.map(ModelVersion.init)
            tags = m.tags.map(KeyValue.init)
            aliases = m.aliases.map { ModelAlias(alias: $0.alias, version: String($0.version)) }
        }
    }

    struct LoggedModelInfo: Encodable {
        var model_id: String
        var experiment_id: String
        var name: String
        var artifact_uri: String
        var creation_timestamp_ms: Int64
        var last_updated_timestamp_ms: Int64
        var status: String
        var status_message: String
        var model_type: String
        var source_run_id: String
        var tags: [KeyValue]
    }

    struct LoggedModelData: Encodable {
        var params: [KeyValue]
        var metrics: [Metric]
    }

    struct LoggedModel: Encodable {
        var info: LoggedModelInfo
        var data: LoggedModelData
        init(_ m: Storage.LoggedModel) {
            info = LoggedModelInfo(
                model_id: m.modelID, experiment_id: m.experimentID, name: m.name, artifact_uri: m.artifactLocation,
                creation_timestamp_ms: m.creationTime, last_updated_timestamp_ms: m.lastUpdatedTime, status: m.status,
                status_message: m.statusMessage, model_type: m.modelType, source_run_id: m.sourceRunID, tags: m.tags.map(KeyValue.init))
            data = LoggedModelData(params: m.params.map(KeyValue.init), metrics: [])
        }
    }

    struct FileInfo: Encodable {
        var path: String
        var is_dir: Bool
        var file_size: Int64?
        init(_ f: ArtifactFileInfo) {
            path = f.path
            is_dir = f.isDirectory
            file_size = f.size
        }
    }
}
