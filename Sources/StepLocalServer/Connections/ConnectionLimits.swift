/// How many connections the server holds and how long a connection may make it wait. Without
/// these, slow or silent clients (slowloris) kept connections open forever, and at the
/// file-descriptor limit the server spun on `accept` and answered no one.
public struct ConnectionLimits: Sendable, Equatable {
    /// Connections served at once; the next ones are answered 503 `ServiceUnavailable` and closed.
    public var maximumConnections: Int
    /// A connection that sends no request for this long (including one still sending its
    /// headers) is closed, and so is one that takes longer than this to send a request's body.
    /// A request already read is never cut: GetActivityTask's 60-second long poll and
    /// StartSyncExecution answer whenever they finish.
    public var idleTimeout: Duration

    /// The default cap: far below any file-descriptor limit a server runs with, far above what a
    /// local emulator's clients open (SDK pools hold 10 connections each).
    public static let defaultMaximumConnections = 4096
    /// Connections refused politely (answered, then closed) beyond the cap, at most; more than that
    /// are closed at once, so a flood cannot spend the descriptors the answers would.
    static let politeRefusals = 256

    public init(maximumConnections: Int = ConnectionLimits.defaultMaximumConnections, idleTimeout: Duration = .seconds(60)) {
        self.maximumConnections = maximumConnections
        self.idleTimeout = idleTimeout
    }
}
