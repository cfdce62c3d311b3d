import Foundation
import Hummingbird
import NIOCore
import Platform
import Storage

/// `/`: a small server-rendered overview of experiments (with their runs' latest metrics)
/// and models (with versions and aliases), so a first visit shows something real.
struct OverviewPage<Context: RequestContext> {
    let services: PlatformServices

    func register(on table: RouteTable<Context>) {
        let services = self.services
        table.add(.get, "/", summary: "HTML overview of experiments, runs and models", tag: "ui") { _, _ in
            let html = try await Self.render(services)
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
    }

    static func render(_ services: PlatformServices) async throws -> String {
        let experiments = try await services.tracking.searchExperiments(filter: nil, orderBy: ["experiment_id ASC"], maxResults: 50).items
        var body = "<h1>MLPlane</h1><p>Experiment tracking and model registry. API: <a href=\"/openapi.json\">/openapi.json</a> · <a href=\"/metrics\">/metrics</a></p>"
        body += "<h2>Experiments</h2>"
        for experiment in experiments {
            let runs = try await services.tracking.searchRuns(experimentIDs: [experiment.experimentID], filter: nil, maxResults: 20).items
            body += "<h3>\(escape(experiment.name)) <small>#\(experiment.experimentID) · \(runs.count) run(s)</small></h3>"
            guard !runs.isEmpty else { continue }
            let metricKeys = Array(Set(runs.flatMap { $0.metrics.map(\.key) })).sorted().prefix(6)
            body += "<table><tr><th>run</th><th>status</th>" + metricKeys.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
            for run in runs {
                let values = Dictionary(run.metrics.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
                body += "<tr><td>\(escape(run.info.runName))</td><td>\(run.info.status.rawValue)</td>"
                body += metricKeys.map { key in "<td>\(values[key].map { String(format: "%.4g", $0) } ?? "")</td>" }.joined() + "</tr>"
            }
            body += "</table>"
        }
        body += "<h2>Models</h2>"
        let models = try await services.registry.searchModels(filter: nil, maxResults: 50).items
        if models.isEmpty { body += "<p>No registered models yet.</p>" }
        for model in models {
            let versions = try await services.registry.searchVersions(filter: "name = '\(model.name.replacingOccurrences(of: "'", with: "''"))'", maxResults: 20).items
            let aliases = model.aliases.map { "\(escape($0.alias)) → v\($0.version)" }.joined(separator: ", ")
            body += "<h3>\(escape(model.name))</h3><p>\(escape(model.description))\(aliases.isEmpty ? "" : " · aliases: \(aliases)")</p>"
            body += "<table><tr><th>version</th><th>stage</th><th>aliases</th><th>run</th><th>source</th></tr>"
            for version in versions.sorted(by: { $0.version < $1.version }) {
                body += "<tr><td>\(version.version)</td><td>\(version.currentStage.rawValue)</td><td>\(escape(version.aliases.joined(separator: ", ")))</td>"
                body += "<td>\(escape(version.runID.prefix(8)))</td><td>\(escape(version.source))</td></tr>"
            }
            body += "</table>"
        }
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>MLPlane</title><style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1rem}
            td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}th{background:#f3f3f3}small{color:#777}
            </style></head><body>\(body)</body></html>
            """
    }

    static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        for c in text {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
