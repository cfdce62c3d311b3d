import Hummingbird
import NIOCore
import Platform
import Prometheus
import Storage

/// Liveness, readiness, version, Prometheus metrics and the OpenAPI document.
struct SystemController<Context: RequestContext> {
    let services: PlatformServices
    let metrics: PrometheusCollectorRegistry
    static var version: String { MLPlaneVersion.current }

    func register(on table: RouteTable<Context>) {
        let services = self.services, metrics = self.metrics
        table.add(.get, "/healthz", summary: "Liveness: the process answers", tag: "system") { _, _ in
            JSONResponse.make(["status": "ok"])
        }
        table.add(.get, "/readyz", summary: "Readiness: the database answers", tag: "system") { _, _ in
            do {
                try await services.checkReady()
                return JSONResponse.make(["status": "ready"])
            } catch {
                return JSONResponse.make(["status": "unavailable", "message": "database: \(error)"], status: .serviceUnavailable)
            }
        }
        table.add(.get, "/health", summary: "MLflow-style health check (plain OK)", tag: "system") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "OK")))
        }
        table.add(.get, "/version", summary: "Server version (plain text)", tag: "system") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: Self.version)))
        }
        table.add(.get, "/api/3.0/mlflow/server-info", summary: "Capabilities MLflow 3 clients probe for", tag: "system") { _, _ in
            JSONResponse.raw([
                "store_type": "SqlStore", "version": Self.version, "server": "mlplane",
                "multipart_uploads_enabled": false, "multipart_downloads_enabled": false,
                "trace_archival_enabled": false, "workspaces_enabled": false,
            ])
        }
        table.add(.get, "/metrics", summary: "Prometheus metrics", tag: "system") { _, _ in
            var buffer: [UInt8] = []
            metrics.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}

/// The version the server reports; MLflow clients compare it to their own for features.
public enum MLPlaneVersion {
    /// Reported as an MLflow-compatible version so 3.x clients enable logged models.
    public static let current = "3.5.0+mlplane.0.1.0"
}
