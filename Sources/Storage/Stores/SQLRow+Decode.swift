import Foundation
import SQLKit

extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try decode(column: column, as: Int64?.self) }
    func double(_ column: String) throws -> Double { try decode(column: column, as: Double.self) }
    func optionalString(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
}

/// Offset-based page tokens: opaque to clients, validated when read back.
enum PageToken {
    static func encode(offset: Int) -> String {
        Data("o:\(offset)".utf8).base64EncodedString()
    }

    static func decode(_ token: String?) throws -> Int {
        guard let token, !token.isEmpty else { return 0 }
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
              text.hasPrefix("o:"), let offset = Int(text.dropFirst(2)), offset >= 0
        else { throw StorageError.invalidInput("invalid page_token '\(token)'") }
        return offset
    }

    /// Builds a page from `limit + 1` fetched rows: the extra row only says there is more.
    static func page<T>(_ rows: [T], offset: Int, limit: Int) -> Page<T> {
        let more = rows.count > limit
        return Page(items: Array(rows.prefix(limit)), nextPageToken: more ? encode(offset: offset + limit) : nil)
    }
}

