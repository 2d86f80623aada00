public import StepLocalEngine
public import StepLocalIntegrations

/// Everything `steplocal serve` was told: where to listen, which region and account to mint
/// ARNs in, how time passes and who answers Task states. Only the CLI reads flags and the
/// environment; it resolves them into this value and hands it to ``buildApplication(configuration:)``,
/// which tests call with their own. Later features (mock configs, scenarios, a data directory)
/// add members with defaults here, so existing callers keep compiling.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Used when a request carries no SigV4 credential scope (`AWS_DEFAULT_REGION`).
    public var region: String
    /// The account id in every ARN (`AWS_ACCOUNT_ID`); AWS SDKs never send one.
    public var accountId: String
    /// Scales Wait states and retry intervals, like Step Functions Local's `WAIT_TIME_SCALE`.
    public var waitTimeScale: Double
    /// Answers the Task states nothing local answers (behind mocks, task tokens, activities and
    /// nested executions); the default fails every such task loudly, naming how to mock it.
    /// An ``EndpointTaskDispatcher`` here (`--endpoint`, `SQS_ENDPOINT`, ...) calls real
    /// endpoints, and also makes the calls of `.waitForTaskToken` tasks for its services before
    /// they wait (see ``EndpointTokenDispatcher``); with an endpoint for Step Functions itself
    /// (`STEP_FUNCTIONS_ENDPOINT`) it also runs the nested executions, which then never run here.
    public var dispatcher: any TaskDispatcher
    /// Puts dispatchers (mock configs, scenarios) in front of the local integrations: it gets
    /// the local dispatcher, whose own fallback is ``dispatcher``, and returns the one the engine uses.
    public var frontDispatcher: @Sendable (_ local: any TaskDispatcher) -> any TaskDispatcher
    /// The executions' clock; nil means the wall clock scaled by ``waitTimeScale``.
    public var clock: (any ExecutionClock)?
    /// Bodies larger than this are refused before parsing (AWS's own limit is a little over 1 MiB of definition).
    public var maximumBodySize: Int
    /// How long GetActivityTask waits for a task before answering with an empty one (AWS: 60 s).
    public var activityPollTimeout: Duration
    /// Where SendTaskSuccess/Failure/Heartbeat deliver their answers. The default
    /// (``NoTaskCallbacks``) is replaced, when the application is built, by the registry its
    /// `.waitForTaskToken` and activity tasks wait in; inject another only to test the API alone.
    public var taskCallbacks: any TaskCallbackRegistry
    /// Where GetActivityTask takes scheduled activity tasks from. The default (``NoActivityTasks``)
    /// is replaced, when the application is built, by the queue its activity tasks go to.
    public var activityTasks: any ActivityTaskSource
    /// Picks a number in 0..<100 to route a start through an alias; injected so tests are deterministic.
    public var routingDraw: @Sendable () -> Int
    /// Step Functions Local test cases (`SFN_MOCK_CONFIG`, `--mock-config`, `--scenarios`):
    /// StartExecution with `stateMachineArn#TestCase` runs the execution with that case's mocks.
    public var mockConfig: MockConfig
    /// State machines created before the server listens (`--scenarios`); see ``PreloadedStateMachine``.
    public var stateMachines: [PreloadedStateMachine] = []
    /// The connection cap and timeouts (`--max-connections`, `--idle-timeout`).
    public var connectionLimits = ConnectionLimits()
    /// `--max-executions`: how many STANDARD executions are kept; beyond it the oldest closed ones
    /// are forgotten (ExecutionDoesNotExist afterwards), so memory stays bounded. Running ones are kept.
    public var maxExecutions = ServerConfiguration.defaultMaxExecutions
    /// `--data-dir` (`STEPLOCAL_DATA_DIR`): where state machines, activities, tags and executions
    /// are kept so they survive a restart (one SQLite file); nil keeps everything in memory.
    public var dataDirectory: String? = nil
    /// `--s3-dir` (`STEPLOCAL_S3_DIR`): where Distributed Map ItemReaders read and ResultWriters
    /// write (bucket `B`, key `K` is the file `DIR/B/K`); nil: such Maps fail, saying so.
    public var objectStore: (any ObjectStore)? = nil
    /// The default of ``maxExecutions``, far above what a test suite keeps around.
    public static let defaultMaxExecutions = 100_000
    /// Which executions were started with which test case. The init puts a
    /// ``MockSelectionDispatcher`` reading it in front of ``frontDispatcher``'s result.
    public let mockSelections: MockSelections

    public init(
        host: String = "127.0.0.1",
        port: Int = 8083,
        region: String = "us-east-1",
        accountId: String = "123456789012",
        waitTimeScale: Double = 1,
        dispatcher: any TaskDispatcher = UnmockedTaskDispatcher(),
        frontDispatcher: @escaping @Sendable (_ local: any TaskDispatcher) -> any TaskDispatcher = { $0 },
        clock: (any ExecutionClock)? = nil,
        maximumBodySize: Int = 2 * 1024 * 1024,
        activityPollTimeout: Duration = .seconds(60),
        taskCallbacks: any TaskCallbackRegistry = NoTaskCallbacks(),
        activityTasks: any ActivityTaskSource = NoActivityTasks(),
        routingDraw: @escaping @Sendable () -> Int = { Int.random(in: 0..<100) },
        mockConfig: MockConfig = MockConfig()
    ) {
        self.host = host
        self.port = port
        self.region = region
        self.accountId = accountId
        self.waitTimeScale = waitTimeScale
        self.dispatcher = dispatcher
        let selections = MockSelections()
        self.mockSelections = selections
        self.mockConfig = mockConfig
        self.frontDispatcher = { local in MockSelectionDispatcher(selections: selections, fallback: frontDispatcher(local)) }
        self.clock = clock
        self.maximumBodySize = maximumBodySize
        self.activityPollTimeout = activityPollTimeout
        self.taskCallbacks = taskCallbacks
        self.activityTasks = activityTasks
        self.routingDraw = routingDraw
    }

    /// Why ``region`` or ``accountId`` cannot appear in an ARN; nil when both can.
    public var identityProblem: String? {
        if !AWSIdentityRules.isValidRegion(region) {
            return "'\(region)' is not an AWS region name (like us-east-1: two letters, words, a number, joined by '-')"
        }
        if !AWSIdentityRules.isValidAccountId(accountId) { return "'\(accountId)' is not an AWS account id (12 digits)" }
        return nil
    }

    /// The clock executions and API timestamps use.
    public var effectiveClock: any ExecutionClock {
        clock ?? SystemClock(waitTimeScale: waitTimeScale)
    }
}
