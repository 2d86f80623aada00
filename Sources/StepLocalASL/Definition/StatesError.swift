/// A runtime error of an execution: the `Error` and `Cause` that flow through Retry, Catch,
/// the history and DescribeExecution. AWS's wording for each predefined error lives in exactly
/// one static constructor here.
public struct StatesError: Error, Sendable, Hashable, CustomStringConvertible {
    public var error: String
    public var cause: String?

    public init(_ error: String, cause: String?) {
        self.error = error
        self.cause = cause
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
    public static func queryEvaluationError(_ cause: String) -> StatesError { StatesError("States.QueryEvaluationError", cause: cause) }
    public static func dataLimitExceeded(_ cause: String) -> StatesError { StatesError("States.DataLimitExceeded", cause: cause) }
    public static func exceedToleratedFailureThreshold(_ cause: String) -> StatesError {
        StatesError("States.ExceedToleratedFailureThreshold", cause: cause)
    }
    public static func resultPathMatchFailure(_ cause: String) -> StatesError { StatesError("States.ResultPathMatchFailure", cause: cause) }
    public static func parameterPathFailure(_ cause: String) -> StatesError { StatesError("States.ParameterPathFailure", cause: cause) }

    /// States.ALL matches every error except these two, as AWS documents for retriers and catchers.
    public var isExcludedFromStatesAll: Bool {
        error == "States.Runtime" || error == "States.DataLimitExceeded"
    }
}
