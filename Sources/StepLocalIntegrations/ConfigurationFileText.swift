import Foundation

/// Reads a configuration file (a mock config, a scenario file) whole, refusing one larger than
/// ``maximumBytes`` before it is held in memory: such files are hand-written and small, and a
/// multi-gigabyte one (or `/dev/zero`) is a mistake to report, not something to parse.
public enum ConfigurationFileText {
    public static let maximumBytes = 10 * 1024 * 1024

    /// Why a file could not be read; each loader names the file and turns this into its own error.
    public enum Failure: Error, Sendable, Equatable {
        case unreadable
        case tooLarge

        /// What to tell the user, after the file's name.
        public var message: String {
            switch self {
            case .unreadable: "cannot read the file"
            case .tooLarge: "the file is larger than \(ConfigurationFileText.maximumBytes / (1024 * 1024)) MiB, the limit for configuration files"
            }
        }
    }

    /// The file's UTF-8 text; reads at most one byte past the limit, whatever the file claims.
    public static func read(path: String) throws(Failure) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable }
        defer { try? handle.close() }
        let data: Data?
        do {
            data = try handle.read(upToCount: maximumBytes + 1)
        } catch {
            throw .unreadable
        }
        let bytes = data ?? Data()
        guard bytes.count <= maximumBytes else { throw .tooLarge }
        guard let text = String(data: bytes, encoding: .utf8) else { throw .unreadable }
        return text
    }
}
