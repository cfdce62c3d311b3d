import Foundation
import Hummingbird
import Platform

/// `/api/v1/rag/...`: index a server-side directory into a collection, and query it.
///
/// Indexing reads files on the server, so it is limited to directories under the allowed
/// roots: `MLPLANE_RAG_ROOTS` (colon-separated), else the server's working directory.
struct RetrievalController<Context: RequestContext> {
    let retrieval: RetrievalService
    let allowedRoots: [String]

    init(retrieval: RetrievalService, allowedRoots: [String]? = nil) {
        self.retrieval = retrieval
        let configured = ProcessInfo.processInfo.environment["MLPLANE_RAG_ROOTS"]?.split(separator: ":").map(String.init)
        self.allowedRoots = (allowedRoots ?? configured ?? [FileManager.default.currentDirectoryPath]).map {
            URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path
        }
    }

    func register(on table: RouteTable<Context>) {
        let retrieval = self.retrieval, allowedRoots = self.allowedRoots
        table.add(.post, "/api/v1/rag/index", summary: "Chunk, embed and store the files of a server-side {directory} in {collection}", tag: "rag") { request, context in
            let f = try await RequestFields.from(request, context: context)
            let directory = try f.required("directory")
            let resolved = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
            guard allowedRoots.contains(where: { resolved == $0 || resolved.hasPrefix($0 + "/") }) else {
                throw APIError(status: .forbidden, code: "PERMISSION_DENIED", message: "'\(directory)' is outside the directories this server may index (MLPLANE_RAG_ROOTS)")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw APIError.badRequest("'\(directory)' is not a directory on the server")
            }
            let report = try await retrieval.index(
                directory: URL(fileURLWithPath: directory), collection: try f.string("collection") ?? "rag",
                chunkSize: try f.int("chunk_size", default: 256), overlap: try f.int("overlap", default: 32))
            return JSONResponse.make(report)
        }
        table.add(.post, "/api/v1/rag/query", summary: "The chunks nearest in meaning to {query}", tag: "rag") { request, context in
            let f = try await RequestFields.from(request, context: context)
            let n = try f.int("n", default: 5)
            guard (1...100).contains(n) else { throw APIError.badRequest("n must be between 1 and 100") }
            let matches = try await retrieval.query(try f.required("query"), collection: try f.string("collection") ?? "rag", n: n)
            return JSONResponse.make(["matches": matches])
        }
    }
}
