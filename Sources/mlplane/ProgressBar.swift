import Foundation

/// A one-line progress bar on standard error (`[#####.....] 40/100 chunks  detail`), redrawn
/// in place; standard output stays clean for `--json`.
enum ProgressBar {
    static func draw(_ done: Int, of total: Int, unit: String, detail: String = "") {
        let width = 30, filled = total <= 0 ? width : min(width, width * done / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) \(unit)\(detail.isEmpty ? "" : "  " + detail)".utf8))
    }

    /// Ends the bar's line.
    static func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
