import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON

/// Reads scenario files (`*.yaml`, `*.yml`, `*.json`) and turns each into a ``Scenario``,
/// validating everything up front: member types, state names against the definition,
/// invocation ranges, referenced definition and mock-config files. The first problem in a
/// file is reported as one ``ScenarioError`` with file, location and line.
public enum ScenarioLoader {
    /// Scenario files under `paths` (files as given; directories searched recursively, skipping
    /// `*.asl.json` definitions and `*.schema.json`), sorted for a stable order.
    public static func discover(_ paths: [String]) throws(ScenarioError) -> [String] {
        var found: [String] = []
        let fileManager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .unreadable(path) }
            guard isDirectory.boolValue else {
                found.append(path)
                continue
            }
            let base = URL(fileURLWithPath: path)
            guard let enumerator = fileManager.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            var inDirectory: [String] = []
            for case let url as URL in enumerator where isScenarioFile(url.lastPathComponent) {
                inDirectory.append(path.hasSuffix("/") ? path + relative(url, to: base) : path + "/" + relative(url, to: base))
            }
            found.append(contentsOf: inDirectory.sorted())
        }
        return found
    }

    static func isScenarioFile(_ name: String) -> Bool {
        guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json") else { return false }
        return !name.hasSuffix(".asl.json") && !name.hasSuffix(".schema.json") && !name.hasPrefix(".")
    }

    private static func relative(_ url: URL, to base: URL) -> String {
        let full = url.standardizedFileURL.path
        let prefix = base.standardizedFileURL.path
        return full.hasPrefix(prefix + "/") ? String(full.dropFirst(prefix.count + 1)) : url.lastPathComponent
    }

    /// Loads many files, loading each distinct definition once (a thousand cases over one
    /// workflow parse and validate it once).
    public static func load(paths: [String]) throws(ScenarioError) -> [Scenario] {
        var cache = DefinitionCache()
        var scenarios: [Scenario] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw .unreadable(path)
            }
            let document = try LocatedDocument(text: text, file: path)
            scenarios.append(try ScenarioParser(document: document).scenario(cache: &cache))
        }
        return scenarios
    }

    public static func load(path: String) throws(ScenarioError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path)
        }
        return try parse(text, file: path)
    }

    /// Parses scenario text; `file` names it in errors and anchors relative paths.
    public static func parse(_ text: String, file: String) throws(ScenarioError) -> Scenario {
        let document = try LocatedDocument(text: text, file: file)
        return try ScenarioParser(document: document).scenario()
    }
}
