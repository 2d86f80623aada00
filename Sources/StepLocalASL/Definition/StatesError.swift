/// A runtime error of an execution: the `Error` and `Cause` that flow through Retry, Catch,
/// the history and DescribeExecution. AWS's wording for each predefined error lives in exactly
/// one static constructor here.
public struct StatesError: Error, Sendable, Hashable, CustomStringConvertible {
    public var error: String
    public var cause: String?
    /// For an evaluation failure: the field of the state whose expression failed (`Output`,
    /// `Output/result`, `Items`, `Timestamp`), as the `EvaluationFailed` event names it. Not part of
    /// the error's identity: Retry, Catch and equality see only `error` and `cause`.
    public var location: String?

    public init(_ error: String, cause: String?, location: String? = nil) {
        self.error = error
        self.cause = cause
        self.location = location
    }

    public static func == (lhs: StatesError, rhs: StatesError) -> Bool {
        lhs.error == rhs.error && lhs.cause == rhs.cause
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(error)
        hasher.combine(cause)
    }

    public var description: String { "\(error): \(cause ?? "")" }

    public static let all = "States.ALL"
    public static let taskFailedName = "States.TaskFailed"

    public static func runtime(_ cause: String) -> StatesError { StatesError("States.Runtime", cause: cause) }
    public static func timeout(_ cause: String? = nil) -> StatesError { StatesError("States.Timeout", cause: cause) }
    public static func heartbeatTimeout() -> StatesError { StatesError("States.HeartbeatTimeout", cause: nil) }
    public static func taskFailed(_ cause: String) -> StatesError { StatesError(taskFailedName, cause: cause) }
    public static func branchFailed(_ cause: String) -> StatesError { StatesError("States.BranchFailed", cause: cause) }
    public static func noChoiceMatched(_ cause: String) -> StatesError { StatesError("States.NoChoiceMatched", cause: cause) }
    public static func intrinsicFailure(_ cause: String) -> StatesError { StatesError("States.IntrinsicFailure", cause: cause) }
    public static func queryEvaluationError(_ cause: String, location: String? = nil) -> StatesError {
        StatesError("States.QueryEvaluationError", cause: cause, location: location)
    }
    public static func dataLimitExceeded(_ cause: String) -> StatesError { StatesError("States.DataLimitExceeded", cause: cause) }
    public static func exceedToleratedFailureThreshold(_ cause: String) -> StatesError {
        StatesError("States.ExceedToleratedFailureThreshold", cause: cause)
    }
    public static func resultPathMatchFailure(_ cause: String) -> StatesError { StatesError("States.ResultPathMatchFailure", cause: cause) }
    public static func parameterPathFailure(_ cause: String) -> StatesError { StatesError("States.ParameterPathFailure", cause: cause) }
    /// A Distributed Map's ItemReader could not read or decode its items.
    public static func itemReaderFailed(_ cause: String) -> StatesError { StatesError("States.ItemReaderFailed", cause: cause) }
    /// A Distributed Map's ResultWriter could not write its results.
    public static func resultWriterFailed(_ cause: String) -> StatesError { StatesError("States.ResultWriterFailed", cause: cause) }

    /// States.ALL matches every error except these two, as AWS documents for retriers and catchers.
    public var isExcludedFromStatesAll: Bool {
        error == "States.Runtime" || error == "States.DataLimitExceeded"
    }
}
