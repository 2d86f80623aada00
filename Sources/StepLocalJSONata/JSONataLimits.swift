public import StepLocalJSON

/// Bounds on one evaluation, so a runaway expression (infinite recursion, endless tail-call loop,
/// catastrophic regular expression, a string built to gigabytes) fails with `U1001`/`U1003`
/// instead of hanging, exhausting memory or crashing the server.
public struct JSONataLimits: Sendable {
    /// Maximum nesting of expression evaluations (recursion depth).
    public var maximumDepth: Int
    /// Maximum number of expression nodes evaluated in one evaluation.
    public var maximumSteps: Int
    /// Milliseconds since the Unix epoch returned by `$now()`/`$millis()`; `nil` reads the clock once
    /// per evaluation. Tests inject it to be deterministic.
    public var timestamp: Int64?

    /// Longest an evaluation may run, in wall-clock milliseconds (`U1001`, "Expression evaluation
    /// timeout"). Checked every 1,024 steps and while a regular expression matches, together with
    /// the cancellation of the Swift task running it (StopExecution, an execution's timeout).
    public var maximumMilliseconds: Int

    /// Most bytes of thread stack one parse or evaluation may grow by (`U1001`), whatever the
    /// build's frame sizes: see `StackBudget`.
    public var maximumStackBytes: Int

    public init(
        maximumDepth: Int = 500, maximumSteps: Int = 50_000_000, maximumMilliseconds: Int = 2_000,
        maximumStackBytes: Int = StackBudget.defaultBytes, timestamp: Int64? = nil
    ) {
        self.maximumStackBytes = maximumStackBytes
        self.maximumDepth = maximumDepth
        self.maximumSteps = maximumSteps
        self.maximumMilliseconds = maximumMilliseconds
        self.timestamp = timestamp
    }

    public static let `default` = JSONataLimits()

    /// The most levels of arrays and objects an evaluation may build above the JSON values it reads
    /// (error `U1002`). Without it, a loop (`$reduce`, a tail call) wrapping its accumulator once
    /// per turn builds a value deeper than any walk over it (serialising, comparing, releasing) can
    /// follow on a thread's stack. The JSON it reads is at most `JSONParser.maximumDepth` deep,
    /// like every payload, so a result is at most the sum of the two.
    public static let maximumConstructedNesting = 512

    /// The longest string, in UTF-8 bytes, an evaluation may build (`U1003`): 40 times Step
    /// Functions' 256 KiB payload limit, so that `$pad("", 1e9)` or a string doubled in a loop
    /// fails before it allocates gigabytes, while no string that could reach a payload is refused.
    public static let maximumStringBytes = 10 * 1024 * 1024
}
