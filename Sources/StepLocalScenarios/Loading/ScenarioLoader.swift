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
            let document = try LocatedDocument(text: readText(path), file: path)
            scenarios.append(try ScenarioParser(document: document).scenario(cache: &cache))
        }
        return scenarios
    }

    public static func load(path: String) throws(ScenarioError) -> Scenario {
        try parse(readText(path), file: path)
    }

    /// The file's text, within ``ConfigurationFileText``'s size limit.
    private static func readText(_ path: String) throws(ScenarioError) -> String {
        do {
            return try ConfigurationFileText.read(path: path)
        } catch {
            throw ScenarioError(file: path, location: "", message: error.message)
        }
    }

    /// Parses scenario text; `file` names it in errors and anchors relative paths.
    public static func parse(_ text: String, file: String) throws(ScenarioError) -> Scenario {
        let document = try LocatedDocument(text: text, file: file)
        return try ScenarioParser(document: document).scenario()
    }
}
