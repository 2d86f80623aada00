import StepLocalASL
import StepLocalJSON

/// Runs state machine definitions: the one entry point the server, the CLI and the scenario
/// runner use. Time and task answers are injected, so the same engine serves live API calls
/// (``SystemClock``) and instant tests (``VirtualClock``).
public struct ExecutionEngine: Sendable {
    public var clock: any ExecutionClock
    public var dispatcher: any TaskDispatcher
    /// Off only for benchmarks that measure the interpreter alone.
    public var recordsHistory: Bool
    /// Which executions keep their history; the others only number their events (error causes
    /// name the ids) and have no event limit. AWS keeps none of an EXPRESS execution
    /// (GetExecutionHistory refuses them; only CloudWatch Logs see their steps), so none ends at
    /// the 25,000-event limit: the server keeps only STANDARD histories (no API of it reads an
    /// EXPRESS one either, and recording it is a share of every StartSyncExecution's cost). The
    /// scenario runner and `steplocal run` keep all (their expectations and output read them).
    public var keptHistories = KeptHistories.all
    /// Hears of every change to the executions ``start(_:input:identity:)`` starts (the
    /// `--data-dir` store); nil keeps them in memory only.
    public var observer: (any ExecutionObserver)?
    /// Where Distributed Map ItemReaders read and ResultWriters write (`--s3-dir`, a scenario's
    /// `s3:` section); nil: such a Map fails with a message saying how to give it one.
    public var objectStore: (any ObjectStore)?
    /// The store of one execution, chosen by its ARN when it starts (a served scenario case's own
    /// S3 data); nil, or a nil answer, falls back to ``objectStore``. A Map's children use their parent's.
    public var objectStoreForExecution: (@Sendable (String) -> (any ObjectStore)?)?

    public init(
        clock: any ExecutionClock = SystemClock(), dispatcher: any TaskDispatcher = UnmockedTaskDispatcher(), recordsHistory: Bool = true,
        observer: (any ExecutionObserver)? = nil, objectStore: (any ObjectStore)? = nil
    ) {
        self.clock = clock
        self.dispatcher = dispatcher
        self.recordsHistory = recordsHistory
        self.observer = observer
        self.objectStore = objectStore
    }

    /// Starts an execution in the background and returns its handle at once (StartExecution). It
    /// runs on ``ExecutionExecutor`` (its Parallel branches and Map iterations too, as child tasks),
    /// apart from the threads that answer requests. `inputText`: the input as the caller sent it
    /// (see ``Execution/inputText``).
    ///
    /// `child`: a nested execution a parent's Task starts (`states:startExecution`). When time
    /// passes instantly it runs on its own time from the parent's (``identity``'s start), on a
    /// virtual clock as under WAIT_TIME_SCALE=0: its waits move only its own time, so the parent's
    /// other branches keep theirs, and the parent's task takes on the child's end when it ends.
    /// `waitedForByTask`: the parent's Task waits for it (`.sync`); started from a Parallel branch
    /// or Map iteration when time passes instantly, it then runs as a thread of that branch instead
    /// (see ``TaskChildThread``), and ``Execution/waitUntilFinishedForParentTask()`` waits for it.
    public func start(
        _ definition: StateMachineDefinition, input: JSONValue, inputText: String? = nil, identity: ExecutionIdentity, child: Bool = false,
        waitedForByTask: Bool = false
    ) -> Execution {
        let thread = child && waitedForByTask ? TimelineSlot.current.map { TaskChildThread(fork: ThreadFork(from: $0.clock), forkedBy: $0.clock) } : nil
        // Under WAIT_TIME_SCALE=0 a child a parent started after skipping waits starts at the parent's time.
        let clock = thread?.fork.threadClock(startingAt: identity.startTime)
            ?? self.clock.forExecution(startingAt: identity.startTime, startedByTask: child)
        let execution = Execution(
            identity: identity, input: input, inputText: inputText, clock: clock, recordsHistory: recordsHistory(of: definition),
            countsEvents: recordsHistory, packsClosedHistory: true, observer: observer, taskChildThread: thread)
        let interpreter = Interpreter(
            definition: definition, execution: execution, clock: clock, dispatcher: dispatcher, objectStore: objectStore(for: identity.executionArn))
        interpreter.recordStarted()
        // Two closures, not one with a branch: the runner's async frame stays for as long as the
        // execution waits, and the thread's variant made every execution's 2 KB larger.
        if let thread {
            execution.setRunner(
                BackgroundExecution.task {
                    await thread.fork.run(on: clock) { await interpreter.runExecution() }
                    thread.end()
                    execution.runnerDidEnd()
                })
        } else {
            execution.setRunner(
                BackgroundExecution.task {
                    await interpreter.runExecution()
                    execution.runnerDidEnd()
                })
        }
        return execution
    }

    /// Runs an execution to its end and returns the final snapshot (StartSyncExecution, `steplocal run`).
    /// It runs in the caller's task, not a new one: no task switch and no continuation per
    /// execution, which StartSyncExecution pays on every request. Cancelling the caller aborts it.
    ///
    /// `inputText` is the input as the caller sent it (see ``Execution/inputText``); `options`
    /// are what TestState, scenario cases and `steplocal run` add (see ``RunOptions``).
    public func run(
        _ definition: StateMachineDefinition, input: JSONValue, inputText: String? = nil, identity: ExecutionIdentity,
        options: RunOptions = RunOptions()
    ) async -> ExecutionSnapshot {
        let clock = self.clock.forExecution()
        let execution = Execution(
            identity: identity, input: input, inputText: inputText, clock: clock, recordsHistory: recordsHistory(of: definition), countsEvents: recordsHistory)
        var interpreter = Interpreter(
            definition: options.startAt.flatMap { definition.startingAt($0) } ?? definition, execution: execution, clock: clock,
            dispatcher: dispatcher)
        interpreter.hooks = RunHooks(options)
        interpreter.objectStore = objectStore(for: identity.executionArn)
        interpreter.recordStarted()
        await interpreter.runExecution(variables: options.variables, startAt: options.startAt)
        // Only cancellation of the caller can leave it running: that is an abort.
        execution.finish(status: .aborted, output: nil, error: nil, cause: nil, eventType: .executionAborted, at: clock.now())
        return execution.snapshot()
    }
}

extension ExecutionEngine {
    /// Whether an execution of `definition` keeps its history (see ``keptHistories``).
    func recordsHistory(of definition: StateMachineDefinition) -> Bool {
        guard recordsHistory else { return false }
        switch keptHistories {
        case .all: return true
        case .standardOnly: return definition.type == .standard
        case .none: return false
        }
    }

    /// The object store an execution reads and writes S3 through.
    func objectStore(for executionArn: String) -> (any ObjectStore)? {
        objectStoreForExecution?(executionArn) ?? objectStore
    }
}

/// Which executions an ``ExecutionEngine`` keeps the history of (see ``ExecutionEngine/keptHistories``).
public enum KeptHistories: Sendable {
    case all
    /// STANDARD executions' only, as AWS keeps them (the server).
    case standardOnly
    /// None: every execution only numbers its events (a test that outcomes do not depend on the history).
    case none
}

/// The mocked outcome of one Map or Parallel state (TestState's `mock` for such a state): its
/// result, which the state's result processing then handles as if its branches had produced it,
/// or its error, which its Retry and Catch then handle.
/// What a run is given beyond its definition and input by the callers that are not
/// StartExecution: TestState (`variables`, `context`, `mock`), scenario cases (`variables`,
/// `context`, `startAt:`) and `steplocal run`. One value, so that these hooks stay out of the
/// interpreter's core: it carries them as one optional reference (see ``RunHooks``).
public struct RunOptions: Sendable {
    /// Set before the first state runs.
    public var variables: [String: JSONValue]
    /// Laid over every Context object (`$$`) the run builds.
    public var contextOverrides: JSONObject?
    /// Answers for one Map or Parallel state instead of running it.
    public var stateMock: StateMock?
    /// Runs from this state instead of `StartAt` (start anywhere): the state receives the input;
    /// a state nested in a Parallel branch or Map processor runs that branch or iteration alone,
    /// which ends the run (see ``StateMachineDefinition/startingAt(_:)``). A name the definition
    /// lacks fails the run with States.Runtime; callers check it first.
    public var startAt: String?

    public init(variables: [String: JSONValue] = [:], contextOverrides: JSONObject? = nil, stateMock: StateMock? = nil, startAt: String? = nil) {
        self.variables = variables
        self.contextOverrides = contextOverrides
        self.stateMock = stateMock
        self.startAt = startAt
    }
}

/// The hooks of ``RunOptions`` the interpreter consults while it runs, boxed: nil for every run
/// that has none, and a copy of the interpreter (one per state) copies one reference.
final class RunHooks: Sendable {
    let contextOverrides: JSONObject?
    let stateMock: StateMock?

    init?(_ options: RunOptions) {
        guard options.contextOverrides != nil || options.stateMock != nil else { return nil }
        contextOverrides = options.contextOverrides
        stateMock = options.stateMock
    }
}

public struct StateMock: Sendable {
    public let stateName: String
    public let outcome: Result<JSONValue, StatesError>
    /// TestState's `stateConfiguration.mapIterationFailureCount`: how many of a mocked Map's
    /// iterations failed. Over the Map's tolerance (when it has one) the state fails with
    /// States.ExceedToleratedFailureThreshold instead of giving the mocked result (recorded on AWS).
    public let iterationFailures: Int?
    /// `stateConfiguration.mapItemReaderData`: what a mocked Distributed Map's ItemReader reads,
    /// as found in its source (a JSON array, CSV, JSON Lines text). Decoded as the reader says, so
    /// its items count for a percentage tolerance and a malformed text fails as the reader would.
    public let itemReaderData: String?

    public init(stateName: String, outcome: Result<JSONValue, StatesError>, iterationFailures: Int? = nil, itemReaderData: String? = nil) {
        self.stateName = stateName
        self.outcome = outcome
        self.iterationFailures = iterationFailures
        self.itemReaderData = itemReaderData
    }
}
