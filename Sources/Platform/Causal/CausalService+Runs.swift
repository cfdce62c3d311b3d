import CausalEngine
import Foundation
import Storage

extension CausalService {
    /// A data set made of tracked runs: one row per run of `experimentIDs` (optionally
    /// filtered with an MLflow filter string), one column per requested `metrics.<key>`
    /// (the run's latest value) or `params.<key>` (parsed as a number). A run without the
    /// value, or a param that is not a number, is an error naming the column and the run.
    public static func dataSet(fromRunsOf experimentIDs: [String], columns: [String], filter: String? = nil,
                               tracking: TrackingService) async throws -> DataSet {
        guard columns.count >= 2 else { throw PlatformError.invalid("runs.columns must name at least two metrics.<key> or params.<key>") }
        for column in columns where !(column.hasPrefix("metrics.") || column.hasPrefix("params.")) || column.split(separator: ".", maxSplits: 1).count < 2 {
            throw PlatformError.invalid("column '\(column)' must be metrics.<key> or params.<key>")
        }
        var runs: [Run] = []
        var token: String?
        repeat {
            let page = try await tracking.searchRuns(experimentIDs: experimentIDs, filter: filter, maxResults: 1000, pageToken: token)
            runs += page.items
            token = page.nextPageToken
        } while token != nil && runs.count < 100_000
        guard runs.count >= 3 else { throw PlatformError.invalid("experiments \(experimentIDs) have \(runs.count) matching runs; causal discovery needs at least 3") }
        var values: [[Double]] = Array(repeating: [], count: columns.count)
        for run in runs {
            for (c, column) in columns.enumerated() {
                let key = String(column.split(separator: ".", maxSplits: 1)[1])
                if column.hasPrefix("metrics.") {
                    guard let metric = run.metrics.first(where: { $0.key == key }) else {
                        throw PlatformError.invalid("column '\(column)': run \(run.info.runID) has no metric '\(key)'")
                    }
                    values[c].append(metric.value)
                } else {
                    guard let param = run.params.first(where: { $0.key == key }) else {
                        throw PlatformError.invalid("column '\(column)': run \(run.info.runID) has no param '\(key)'")
                    }
                    guard let number = Double(param.value), number.isFinite else {
                        throw PlatformError.invalid("column '\(column)': run \(run.info.runID) has the non-numeric value '\(param.value)'")
                    }
                    values[c].append(number)
                }
            }
        }
        return try DataSet(names: columns, columns: values)
    }

    /// Stores a causal result as a tracked run in `experiment`: `params` and `metrics`,
    /// `result.json`, and for a graph that is a DAG also `graph.json`, `graph.dot` and
    /// `graph.svg`. Returns the run.
    public func record(_ result: some Encodable, graph: DAG?, experiment: String, runName: String, params: [String: String],
                       metrics: [String: Double], recorder: any ExperimentRecorder) async throws -> RecordedRun {
        let run = try await recorder.startRun(experiment: experiment, name: runName, params: params, tags: ["mlplane.kind": "causal"])
        do {
            try await recorder.logMetrics(run, step: 0, metrics)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try await recorder.logArtifact(run, path: "result.json", contents: try encoder.encode(result))
            if let graph {
                try await recorder.logArtifact(run, path: "graph.json", contents: try graph.jsonData())
                try await recorder.logArtifact(run, path: "graph.dot", contents: Data(graph.dot.utf8))
                try await recorder.logArtifact(run, path: "graph.svg", contents: Data(graph.svg.utf8))
            }
            try await recorder.finishRun(run, succeeded: true)
            return run
        } catch {
            try? await recorder.finishRun(run, succeeded: false)
            throw error
        }
    }
}

extension CausalService.Discovery {
    /// The learned graph as a DAG, when it is one (PC's undirected edges, encoded both ways,
    /// are not).
    public var dag: DAG? {
        try? DAG(nodes: columns, edges: edges.map { ($0.from, $0.to) })
    }
}
