import Logging

/// swift-log's `StreamLogHandler` (standard error, its line format unchanged), except that
/// setting metadata costs a dictionary store: the stream handler renders its metadata text on every
/// set. Hummingbird sets a request id on each request's logger, so with the stream handler every
/// request paid for sorting and formatting metadata for log lines that, at the default level,
/// are never written (about 3 % of the server's CPU time under load, measured with perf). Here
/// the text is rendered only for a line that is written.
public struct DeferredMetadataLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata = [:]

    public init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
    }

    /// A logger with this handler.
    public static func logger(label: String) -> Logger {
        Logger(label: label) { DeferredMetadataLogHandler(label: $0) }
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var stream = self.stream
        stream.metadata = metadata
        stream.log(event: event)
    }
}
