import StepLocalASL
import StepLocalJSON

/// What a Task state asks of the outside world. The engine builds one per attempt and hands it
/// to a ``TaskDispatcher``; it never knows whether a mock, a nested execution or a real
/// endpoint answers.
public struct TaskRequest: Sendable {
    public var stateName: String
    /// The `Resource` ARN exactly as written in the definition (after JSONata evaluation).
    public var resource: String
    /// The effective parameters (Parameters / Arguments after evaluation).
    public var parameters: JSONValue
    /// Set for `.waitForTaskToken` resources and activities: `$$.Task.Token`.
    public var taskToken: String?
    public var timeoutSeconds: Int?
    public var heartbeatSeconds: Int?
    public var executionArn: String
    /// The top-level execution the task belongs to: ``executionArn`` itself, or for a Task in a
    /// Distributed Map's child execution the execution whose Map Run started it (at any depth). A
    /// mock test case (`arn#TestCase`) is bound to the top-level execution, and its responses
    /// answer the states of the Map's children as they answer an inline Map's iterations.
    public var rootExecutionArn: String
    public var stateMachineArn: String
    /// Zero for the first attempt, then one more per retry: mock responses count invocations.
    public var attempt: Int
    /// The context object (`$$`) as the task saw it.
    public var context: JSONValue
    /// Where a dispatcher records events only it can see (ActivityStarted, TaskSubmitted).
    public var events: TaskEventSink
    /// Names this call among all of the execution's calls, the same when the same attempt is made
    /// again after a restart (drawn, like its task token, from the thread's position and a secret
    /// of the execution); 0 when it cannot be told apart (no history). A dispatcher makes a
    /// repeated call idempotent with it: a nested execution's default name is derived from it
    /// (one-way, so the name does not reveal the secret).
    public var callKey: UInt64 = 0
    /// When the attempt this call repeats began, for a call made again after a restart (nil on a
    /// first call). A task's heartbeat period counts from it (or from a heartbeat kept since), as
    /// its TimeoutSeconds does, rather than from the restart.
    public var resumedAttemptStart: Timestamp?
    /// For a call made again after a restart that had been submitted before it (a `.sync` job
    /// started, a `.waitForTaskToken` message sent: its TaskSubmitted was recorded), what it
    /// recorded then. A dispatcher that makes real calls follows that work (polls the same job,
    /// waits for the same token) instead of starting it a second time; nil on a first call.
    public var submittedBeforeRestart: JSONValue?

    public init(
        stateName: String, resource: String, parameters: JSONValue, taskToken: String?, timeoutSeconds: Int?,
        heartbeatSeconds: Int?, executionArn: String, rootExecutionArn: String? = nil, stateMachineArn: String, attempt: Int,
        context: JSONValue, events: TaskEventSink = TaskEventSink()
    ) {
        self.stateName = stateName
        self.resource = resource
        self.parameters = parameters
        self.taskToken = taskToken
        self.timeoutSeconds = timeoutSeconds
        self.heartbeatSeconds = heartbeatSeconds
        self.executionArn = executionArn
        self.rootExecutionArn = rootExecutionArn ?? executionArn
        self.stateMachineArn = stateMachineArn
        self.attempt = attempt
        self.context = context
        self.events = events
    }
}

/// Answers Task states. Implementations are composed in order (scenario mocks, Step Functions
/// Local mock configs, nested executions, activities); the engine has no mock mode of its own.
///
/// Throw a ``StatesError`` to fail the task with that error and cause; any other error fails it
/// with `States.TaskFailed`.
public protocol TaskDispatcher: Sendable {
    func dispatch(_ request: TaskRequest) async throws -> JSONValue

    /// Called before any of the task's events are recorded: throw to fail the state the way
    /// AWS fails it before scheduling (an activity that does not exist is a States.Runtime
    /// error with no Activity* events). Dispatchers that put themselves in front of another
    /// should forward this for the requests they do not answer. Default: nothing to check.
    func validate(_ request: TaskRequest) async throws(StatesError)

    /// A mocked answer for the ItemReader of a Distributed Map: `request.stateName` names the Map
    /// state, `request.resource` the reader's (`arn:aws:states:::s3:getObject`,
    /// `...:s3:listObjectsV2`) and `request.parameters` its `Bucket` and `Key` or `Prefix`.
    /// Returns what the reader reads instead of S3 (the object's text, or the items as an
    /// array), or nil when this dispatcher mocks no reader for it: S3 is read then. Throw to
    /// fail the read. Dispatchers that put themselves in front of another should forward what
    /// they do not answer. Default: nil.
    func mockedItemReader(_ request: TaskRequest) async throws -> JSONValue?
}

extension TaskDispatcher {
    public func validate(_ request: TaskRequest) async throws(StatesError) {}

    public func mockedItemReader(_ request: TaskRequest) async throws -> JSONValue? { nil }
}

/// The dispatcher of last resort: a Task nobody answers fails loudly, naming the state, the
/// resource and how to mock it, instead of pretending to succeed.
public struct UnmockedTaskDispatcher: TaskDispatcher {
    public init() {}

    public func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        throw StatesError(
            "States.TaskFailed",
            cause: "StepLocal has no answer for state '\(request.stateName)' (resource \(request.resource)): "
                + "no mock is configured for it. Start the execution as '<stateMachineArn>#<TestCase>' with a mock config "
                + "(SFN_MOCK_CONFIG) that maps this state to a mocked response."
        )
    }
}
