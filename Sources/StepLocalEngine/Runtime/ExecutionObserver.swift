import StepLocalASL
import StepLocalJSON

/// Hears that an execution changed: events were appended, it finished, or it was redriven.
/// It exists so that what keeps executions elsewhere (the `--data-dir` store) learns of progress
/// the engine makes on its own, between API calls. Called after the change, outside the
/// execution's lock, on the thread that made it; an implementation must be cheap (mark and return)
/// and read what changed later with ``Execution/progress(after:)``.
public protocol ExecutionObserver: Sendable {
    func executionDidChange(_ execution: Execution)
}

/// What changed in an execution since a number of its history events had been seen: its current
/// outcome fields and the events after that number. The store writes exactly this.
public struct ExecutionProgress: Sendable {
    public var status: ExecutionStatus
    public var output: JSONValue?
    public var error: String?
    public var cause: String?
    public var stopDate: Timestamp?
    public var redriveCount: Int
    public var redriveDate: Timestamp?
    /// The events with ids above the count asked for, oldest first.
    public var newEvents: ArraySlice<HistoryEvent>
    /// How many events the history holds now.
    public var eventCount: Int
    /// Where a restart would continue it (see ``ExecutionCheckpoint``); nil once it has ended.
    public var checkpoint: ExecutionCheckpoint?
    /// Seeds its task tokens, so a Task run again after a restart hands out the same token.
    public var tokenSecret: UInt64
}

/// Where a running execution's own thread stands, kept (when a store observes the execution) each
/// time it enters a top-level state: enough to continue it after a restart. The history is cut
/// back to ``eventCount`` events and the state entered again with the same input, variables and
/// entered time. Work inside that state runs again (a Task's attempts: at least once, as AWS's
/// integrations promise), except the branches of a Parallel and the iterations of an inline Map
/// that had finished (``finishedThreads``): their events are recorded again instead.
public struct ExecutionCheckpoint: Sendable, Equatable {
    public var stateName: String
    public var input: JSONValue
    public var variables: [String: JSONValue]
    /// How many history events preceded the state's entered event.
    public var eventCount: Int
    /// The id the state's entered event names as its `previousEventId`.
    public var lastEventId: Int
    public var enteredTime: Timestamp
    /// When the run began (nil: the execution's start), from which `TimeoutSeconds` counts.
    public var runStartTime: Timestamp?
    /// How many events the execution's own thread had recorded itself (see ``Frame/threadEvents``).
    public var threadEvents: Int
    /// The state's branches or iterations that have finished, while it runs them.
    public var finishedThreads: FinishedThreads?

    public init(
        stateName: String, input: JSONValue, variables: [String: JSONValue], eventCount: Int, lastEventId: Int, enteredTime: Timestamp,
        runStartTime: Timestamp?, threadEvents: Int, finishedThreads: FinishedThreads? = nil
    ) {
        self.threadEvents = threadEvents
        self.finishedThreads = finishedThreads
        self.stateName = stateName
        self.input = input
        self.variables = variables
        self.eventCount = eventCount
        self.lastEventId = lastEventId
        self.enteredTime = enteredTime
        self.runStartTime = runStartTime
    }
}
