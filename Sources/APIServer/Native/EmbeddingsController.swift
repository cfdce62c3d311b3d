import Hummingbird
import Platform

/// OpenAI-style `POST /v1/embeddings`, so existing clients can use the native encoder.
struct EmbeddingsController<Context: RequestContext> {
    let embeddings: EmbeddingService

    func register(on table: RouteTable<Context>) {
        let embeddings = self.embeddings
        table.add(.post, "/v1/embeddings", summary: "OpenAI-style embeddings {input: string | [string], model}", tag: "embeddings") { request, context in
            let f = try await RequestFields.from(request, context: context)
            let texts: [String]
            if let single = f.values["input"] as? String {
                texts = [single]
            } else if f.values["input"] is [Any] {
                guard let list = f.values["input"] as? [String] else { throw APIError.badRequest("input must be a string or a list of strings (token arrays are not accepted)") }
                texts = list
            } else {
                throw APIError.badRequest("missing value for required field 'input' (a string or a list of strings)")
            }
            if let format = try f.string("encoding_format"), format != "float" {
                throw APIError.badRequest("encoding_format '\(format)' is not supported; use float")
            }
            let (vectors, tokens) = try await embeddings.embed(texts, model: try f.string("model"))
            return JSONResponse.make(Answer(
                data: vectors.enumerated().map { Item(index: $0.offset, embedding: $0.element) },
                model: EmbeddingService.modelName, usage: Usage(prompt_tokens: tokens, total_tokens: tokens)))
        }
    }

    struct Item: Encodable {
        var object = "embedding"
        var index: Int
        var embedding: [Float]
    }

    struct Usage: Encodable {
        var prompt_tokens: Int
        var total_tokens: Int
    }

    struct Answer: Encodable {
        var object = "list"
        var data: [Item]
        var model: String
        var usage: Usage
    }
}
