import Foundation
import StepLocalIntegrations
import StepLocalJSON

/// The files a scenario file reads besides itself: its definition file, the mock-config files
/// its cases name and the S3 objects its `s3:` sections read from files. `steplocal test --watch` re-runs a scenario when any of them changes.
public enum ScenarioDependencies {
    /// Absolute paths of the files `path` refers to; empty when it cannot be read or parsed (the
    /// next run reports why).
    public static func files(of path: String) -> [String] {
        guard let text = try? ConfigurationFileText.read(path: path), let document = try? LocatedDocument(text: text, file: path) else {
            return []
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        var referenced: [String] = []
        if let definition = document.root["definition"]?.stringValue, !definition.hasPrefix("{") {
            referenced.append(URL(fileURLWithPath: definition, relativeTo: directory).standardizedFileURL.path)
        }
        func objectFiles(_ section: JSONValue?) {
            guard case .object(let buckets)? = section else { return }
            for (_, keys) in buckets {
                guard case .object(let objects) = keys else { continue }
                for (_, content) in objects {
                    if let file = content["file"]?.stringValue {
                        referenced.append(URL(fileURLWithPath: file, relativeTo: directory).standardizedFileURL.path)
                    }
                }
            }
        }
        objectFiles(document.root["s3"])
        for testCase in document.root["cases"]?.arrayValue ?? [] {
            if let file = testCase["mockConfig"]?["file"]?.stringValue {
                referenced.append(URL(fileURLWithPath: file, relativeTo: directory).standardizedFileURL.path)
            }
            objectFiles(testCase["s3"])
        }
        return Array(Set(referenced)).sorted()
    }
}
