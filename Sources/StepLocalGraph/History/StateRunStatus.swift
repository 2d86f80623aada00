/// How one state fared in an execution, in the AWS console's vocabulary. The diagrams colour a
/// node by it (`sl-status-<rawValue>` in SVG), and the console reads it from
/// ``ExecutionGraphStatus/summaries(events:)``.
public enum StateRunStatus: String, Sendable, CaseIterable {
    /// The state exited normally (every run of it, for a state run many times).
    case succeeded
    /// The state failed and nothing caught the failure: the execution (or the enclosing branch) failed there.
    case failed
    /// The state failed, and a `Catch` moved the execution on to another state.
    case caught
    /// The state was entered and has not exited yet (including a Task waiting between retries).
    case running
    /// The execution was stopped or timed out while the state was running, or a sibling branch's
    /// failure stopped it.
    case cancelled
    /// The execution never entered the state.
    case notReached
}
