import Storage

/// Artifact URIs this server serves: `mlflow-artifacts:/<path>` names `<path>` in the
/// content-addressed artifact store.
public enum ArtifactURI {
    public static let scheme = "mlflow-artifacts:"

    /// The store path of `uri` (`mlflow-artifacts:/1/abc/artifacts` -> `1/abc/artifacts`).
    public static func storePath(of uri: String) throws -> ArtifactPath {
        guard uri.hasPrefix(scheme) else { throw PlatformError.invalid("artifact URI '\(uri)' is not served by this server") }
        var rest = Substring(uri.dropFirst(scheme.count))
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        return try ArtifactPath(String(rest))
    }
}
