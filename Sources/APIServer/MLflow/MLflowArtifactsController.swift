import Foundation
import Hummingbird
import Platform
import Storage

/// The MLflow artifact proxy (`/api/2.0/mlflow-artifacts/artifacts/...`) that clients use
/// for `mlflow-artifacts:` URIs, plus run artifact listing. Bodies stream in and out.
struct MLflowArtifactsController<Context: RequestContext> {
    let tracking: TrackingService
    let artifacts: ArtifactStore
    let fileIO = FileIO()

    func register(on table: RouteTable<Context>) {
        let p = "/api/2.0/mlflow-artifacts/artifacts", tag = "mlflow-artifacts"
        let artifacts = self.artifacts, fileIO = self.fileIO, tracking = self.tracking

        table.add(.put, "\(p)/**", summary: "Upload an artifact (streamed)", tag: tag) { request, context in
            let path = try ArtifactPath(Self.wildcardPath(context))
            try await artifacts.put(path: path, body: request.body)
            return JSONResponse.empty
        }
        table.add(.get, "\(p)/**", summary: "Download an artifact (streamed)", tag: tag) { _, context in
            let path = try ArtifactPath(Self.wildcardPath(context))
            guard let (info, location) = try await artifacts.file(at: path) else { throw APIError.notFound("no artifact at '\(path)'") }
            let body = try await fileIO.loadFile(path: location.path, context: context)
            return Response(status: .ok, headers: [.contentType: "application/octet-stream", .contentLength: String(info.size ?? 0)], body: body)
        }
        table.add(.delete, "\(p)/**", summary: "Delete an artifact or directory", tag: tag) { _, context in
            try await artifacts.delete(try ArtifactPath(Self.wildcardPath(context)))
            return JSONResponse.empty
        }
        table.add(.get, p, summary: "List artifacts under ?path=", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let directory = try f.string("path").flatMap { $0.isEmpty ? nil : try ArtifactPath($0) }
            return JSONResponse.make(["files": try await artifacts.list(directory: directory).map(MLflowWire.FileInfo.init)])
        }
        table.add(.get, "/api/2.0/mlflow/artifacts/list", summary: "List a run's artifacts", tag: "mlflow-tracking") { request, context in
            let f = try await RequestFields.from(request, context: context)
            let run = try await tracking.run(id: try MLflowTrackingController<Context>.runID(f))
            let root = try ArtifactURI.storePath(of: run.info.artifactURI).value
            let sub = try f.string("path").flatMap { $0.isEmpty ? nil : $0 }
            let directory = try ArtifactPath(sub.map { "\(root)/\($0)" } ?? root)
            let files = try await artifacts.list(directory: directory).map { info -> MLflowWire.FileInfo in
                var entry = MLflowWire.FileInfo(info)
                entry.path = sub.map { "\($0)/\(info.path)" } ?? info.path
                return entry
            }
            return JSONResponse.make(RunArtifacts(root_uri: run.info.artifactURI, files: files))
        }
    }

    /// The part of the path matched by `**`, percent-decoded.
    static func wildcardPath(_ context: Context) throws -> String {
        let raw = context.parameters.getCatchAll().joined(separator: "/")
        return raw.removingPercentEncoding ?? raw
    }

    struct RunArtifacts: Encodable {
        var root_uri: String
        var files: [MLflowWire.FileInfo]
    }
}
