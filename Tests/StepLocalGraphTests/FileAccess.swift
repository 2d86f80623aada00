import Foundation

/// File helpers for the graph tests (golden files and the example definitions).
struct FileAccessError: Error, CustomStringConvertible {
    let description: String
}

func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else { throw FileAccessError(description: "cannot read \(path)") }
    return String(decoding: data, as: UTF8.self)
}

func fileExists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path)
}

func writeText(_ text: String, to path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
        throw FileAccessError(description: "cannot write \(path)")
    }
}

func directoryListing(_ path: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
}

func environmentValue(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name]
}
