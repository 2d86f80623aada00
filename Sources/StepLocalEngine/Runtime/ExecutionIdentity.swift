import StepLocalASL

/// Who an execution is: the names and ARNs that appear in the context object (`$$.Execution`,
/// `$$.StateMachine`) and the API. The server mints them; the engine only reads them.
public struct ExecutionIdentity: Sendable, Hashable {
    public var executionArn: String
    public var name: String
    public var stateMachineArn: String
    public var stateMachineName: String
    public var roleArn: String
    public var startTime: Timestamp
    public var redriveCount: Int

    public init(
        executionArn: String, name: String, stateMachineArn: String, stateMachineName: String,
        roleArn: String, startTime: Timestamp, redriveCount: Int = 0
    ) {
        self.executionArn = executionArn
        self.name = name
        self.stateMachineArn = stateMachineArn
        self.stateMachineName = stateMachineName
        self.roleArn = roleArn
        self.startTime = startTime
        self.redriveCount = redriveCount
    }
}

/// The lifecycle states of an execution, with AWS's spelling.
public enum ExecutionStatus: String, Sendable, Hashable {
    case running = "RUNNING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case timedOut = "TIMED_OUT"
    case aborted = "ABORTED"
    case pendingRedrive = "PENDING_REDRIVE"
}
