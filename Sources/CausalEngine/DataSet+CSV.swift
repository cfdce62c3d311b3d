import Foundation

extension DataSet {
    /// Parses CSV text with a header row. Every column must be numeric with no missing
    /// values: an empty cell, `NA`, `NaN`, `null` or `?` is a `.missingValue` error and any
    /// other non-number is a `.nonNumericColumn` error; both name the column and the line.
    /// Fields may be double-quoted. O(size of text).
    public init(csv text: String) throws(CausalError) {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw CausalError(.invalidData, "CSV is empty") }
        let names = DataSet.splitCSVLine(header).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else { throw CausalError(.invalidData, "CSV header has an empty column name") }
        var columns = [[Double]](repeating: [], count: names.count)
        for (k, line) in lines.dropFirst().enumerated() {
            let lineNo = k + 2
            let fields = DataSet.splitCSVLine(line)
            guard fields.count == names.count else {
                throw CausalError(.invalidData, "CSV line \(lineNo) has \(fields.count) fields, the header has \(names.count)")
            }
            for (j, raw) in fields.enumerated() {
                let f = raw.trimmingCharacters(in: .whitespaces)
                if f.isEmpty || ["na", "nan", "null", "none", "?"].contains(f.lowercased()) {
                    throw CausalError(.missingValue, "column '\(names[j])' has a missing value at line \(lineNo)")
                }
                guard let v = Double(f), v.isFinite else {
                    throw CausalError(.nonNumericColumn, "column '\(names[j])' is not numeric: '\(f)' at line \(lineNo)")
                }
                columns[j].append(v)
            }
        }
        try self.init(names: names, columns: columns)
    }

    /// Parses JSON columns: either `{"columns": ["a", ...], "rows": [[...], ...]}` or
    /// `{"a": [..], "b": [..]}` (then columns are taken in key-sorted order).
    public init(json data: Data) throws(CausalError) {
        let obj: Any
        do { obj = try JSONSerialization.jsonObject(with: data) } catch {
            throw CausalError(.invalidData, "data is not valid JSON: \(error)")
        }
        guard let dict = obj as? [String: Any] else { throw CausalError(.invalidData, "JSON data must be an object") }
        func number(_ v: Any, _ col: String, _ row: Int) throws(CausalError) -> Double {
            if v is NSNull { throw CausalError(.missingValue, "column '\(col)' has a missing value at row \(row + 1)") }
            if let b = v as? NSNumber, String(cString: b.objCType) != "c" { return b.doubleValue }
            throw CausalError(.nonNumericColumn, "column '\(col)' is not numeric: '\(v)' at row \(row + 1)")
        }
        if let names = dict["columns"] as? [String], let rows = dict["rows"] as? [[Any]] {
            var cols = [[Double]](repeating: [], count: names.count)
            for (i, r) in rows.enumerated() {
                guard r.count == names.count else { throw CausalError(.invalidData, "row \(i + 1) has \(r.count) values, expected \(names.count)") }
                for j in 0..<names.count { cols[j].append(try number(r[j], names[j], i)) }
            }
            try self.init(names: names, columns: cols)
        } else {
            let names = dict.keys.sorted()
            var cols: [[Double]] = []
            for n in names {
                guard let arr = dict[n] as? [Any] else { throw CausalError(.nonNumericColumn, "column '\(n)' is not an array of numbers") }
                var c: [Double] = []
                for (i, v) in arr.enumerated() { c.append(try number(v, n, i)) }
                cols.append(c)
            }
            try self.init(names: names, columns: cols)
        }
    }

    static func splitCSVLine(_ line: String) -> [String] {
        var fields: [String] = []
        var cur = ""
        var inQuotes = false
        var it = line.makeIterator()
        while let ch = it.next() {
            if inQuotes {
                if ch == "\"" { inQuotes = false } else { cur.append(ch) }
            } else if ch == "\"" {
                inQuotes = true
            } else if ch == "," {
                fields.append(cur); cur = ""
            } else {
                cur.append(ch)
            }
        }
        fields.append(cur)
        return fields
    }

    /// CSV text of the data set (header + rows, full precision).
    public var csv: String {
        var s = names.joined(separator: ",") + "\n"
        for i in 0..<rowCount { s += columns.map { "\($0[i])" }.joined(separator: ",") + "\n" }
        return s
    }
}
