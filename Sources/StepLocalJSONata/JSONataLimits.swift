/// Bounds on one evaluation, so a runaway expression (infinite recursion, endless tail-call loop)
/// fails deterministically with `U1001` instead of hanging or crashing the server.
public struct JSONataLimits: Sendable {
    /// Maximum nesting of expression evaluations (recursion depth).
    public var maximumDepth: Int
    /// Maximum number of expression nodes evaluated in one evaluation.
    public var maximumSteps: Int
    /// Milliseconds since the Unix epoch returned by `$now()`/`$millis()`; `nil` reads the clock once
    /// per evaluation. Tests inject it to be deterministic.
    public var timestamp: Int64?

    public init(maximumDepth: Int = 500, maximumSteps: Int = 50_000_000, timestamp: Int64? = nil) {
        self.maximumDepth = maximumDepth
        self.maximumSteps = maximumSteps
        self.timestamp = timestamp
    }

    public static let `default` = JSONataLimits()
}
