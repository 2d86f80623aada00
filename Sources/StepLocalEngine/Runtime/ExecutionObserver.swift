import StepLocalASL
import StepLocalJSON

/// Hears that an execution changed: events were appended, it finished, or it was redriven.
/// It exists so that what keeps executions elsewhere (the `--data-dir` store) learns of progress
/// the engine makes on its own, between API calls. Called after the change, outside the
/// execution's lock, on the thread that made it; an implementation must be cheap (mark and return)
/// and read what changed later with ``Execution/progress(after:writer:)``.
public protocol ExecutionObserver: Sendable {
    func executionDidChange(_ execution: Execution)
    /// The execution has decided how it ends and nobody can see it yet: DescribeExecution,
    /// GetExecutionHistory and the change feed still show it running until this returns, and
    /// ``Execution/progress(since:)`` already reports the end (its status, output and closing
    /// event). A store that writes it here never shows an end a crash could take back. Called once,
    /// on the thread that ends the execution; ``executionDidChange(_:)`` follows once it is visible.
    func executionWillEnd(_ execution: Execution)
    /// A child of one of `parent`'s Distributed Map runs has decided how it ends and nobody can
    /// see it yet (as ``executionWillEnd(_:)`` for the parent): DescribeExecution, ListExecutions
    /// and the Map Run's counts still show it running until this returns. Children are kept
    /// through their parent, so this is the parent's observer hearing of it.
    func mapRunChildWillEnd(_ child: Execution, of parent: Execution)
}

extension ExecutionObserver {
    /// Observers that keep nothing of their own hear of the end once it is visible.
    public func executionWillEnd(_ execution: Execution) {}
    public func mapRunChildWillEnd(_ child: Execution, of parent: Execution) {}
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
    /// The events with ids above the count asked for (or above ``historyRewrittenAfter``), oldest first.
    public var newEvents: ArraySlice<HistoryEvent>
    /// When events the reader had read were dropped or replaced since (a resumed run recorded
    /// something else where it had gone on before the restart), how many before them are
    /// unchanged: ``newEvents`` start after them. The store deletes the rows it had written after
    /// that; the console's live feed tells the page to drop its copies from there.
    public var historyRewrittenAfter: Int?
    /// How many events the history holds now.
    public var eventCount: Int
    /// The reader's mark once it has taken these events (see ``Execution/progress(since:)``).
    public var readMark: HistoryReadMark
    /// Where a restart would continue it (see ``ExecutionCheckpoint``); nil once it has ended.
    public var checkpoint: ExecutionCheckpoint?
    /// Seeds its task tokens, so a Task run again after a restart hands out the same token.
    public var tokenSecret: UInt64
}

/// How far one reader of an execution's history (the store writing it, a console's live feed)
/// has read it: how many events, and how many of the history's rewrites it had seen by then. A
/// history only grows, except after a restart, when a resumed run that records something else
/// where it had gone on before drops or replaces events in place; the mark lets each reader learn
/// of every rewrite of events it had read, once, whoever else read the history meanwhile.
public struct HistoryReadMark: Sendable, Equatable {
    public var eventCount: Int
    /// How many rewrites of the history this process had made when the reader read it.
    public var rewrites: Int

    /// `rewrites`: 0 for a reader that should hear of every rewrite this process made to events it
    /// says it has read (one that read them from the file, or in a page loaded earlier).
    public init(eventCount: Int, rewrites: Int = 0) {
        self.eventCount = eventCount
        self.rewrites = rewrites
    }

    /// A reader that has read nothing yet.
    public static let start = HistoryReadMark(eventCount: 0)
}

/// Where one thread of an execution stands as it enters a state: the execution's own thread at a
/// top-level state (``ExecutionCheckpoint``), or a branch or iteration of it (``RunningThread``).
/// Enough to enter that state again after a restart, with the same input, variables and entered
/// time, and to go on recording the thread's events where it left off.
public struct ThreadPosition: Sendable, Equatable {
    public var stateName: String
    public var input: JSONValue
    public var variables: [String: JSONValue]
    /// The id the state's entered event names as its `previousEventId`.
    public var lastEventId: Int
    /// How many events the thread had recorded itself (see ``Frame/threadEvents``): its task tokens' position.
    public var threadEvents: Int
    public var enteredTime: Timestamp

    public init(stateName: String, input: JSONValue, variables: [String: JSONValue], lastEventId: Int, threadEvents: Int, enteredTime: Timestamp) {
        self.stateName = stateName
        self.input = input
        self.variables = variables
        self.lastEventId = lastEventId
        self.threadEvents = threadEvents
        self.enteredTime = enteredTime
    }

    /// Where the thread's program continues: this state, with this input and these variables.
    var point: RedrivePoint { RedrivePoint(stateName: stateName, input: input, variables: variables, detail: nil) }
}

/// Where a running execution stands, kept (when a store observes the execution) each time its own
/// thread enters a top-level state: enough to continue it after a restart. The state is entered
/// again at ``position``; the history keeps every event, and those after the first
/// ``eventCount`` are what the resumed run is expected to record again (found in place, not
/// added: ``Execution/expectReplay(of:)``). Work inside that state runs again (a Task's attempt:
/// at least once, as AWS's integrations promise), except the branches of a Parallel and the
/// iterations of an inline Map that had finished or were under way (``threads``), whose events
/// stay as they are, and the attempts a Retry had already made (``retry``): the state then waits
/// out its back-off.
public struct ExecutionCheckpoint: Sendable, Equatable {
    public var position: ThreadPosition
    /// How many history events preceded the state's entered event.
    public var eventCount: Int
    /// When the run began (nil: the execution's start), from which `TimeoutSeconds` counts.
    public var runStartTime: Timestamp?
    /// The state's branches or iterations, finished or under way, while it runs them.
    public var threads: KeptThreads?
    /// How far the state's Retry had got, while it waits to make another attempt.
    public var retry: RetryProgress?

    public init(position: ThreadPosition, eventCount: Int, runStartTime: Timestamp?, threads: KeptThreads? = nil, retry: RetryProgress? = nil) {
        self.position = position
        self.eventCount = eventCount
        self.runStartTime = runStartTime
        self.threads = threads
        self.retry = retry
    }

    /// How many events of the history a restart keeps: those before the state's entered event,
    /// or, in a Retry's back-off, those of the failed attempts too.
    public var eventsKept: Int { retry?.eventCount ?? eventCount }

    /// The events of `history` (all an execution recorded before a restart) that the run resumed
    /// from here counts as done: those before it (``eventsKept``) and its kept branches' and
    /// iterations' (at any depth), found after it.
    public func eventsDone(in history: [HistoryEvent]) -> [HistoryEvent] {
        let kept = min(eventsKept, history.count)
        return Array(history[..<kept]) + (threads?.replayedEvents(in: Array(history[kept...])) ?? [])
    }

    /// Changes the kept threads of the fork `path` leads to, handing `change` the index of the
    /// thread it names; a level kept for another run of its fork (a Retry started the state
    /// again) is started afresh (see ``KeptThreads/update(along:_:)``).
    mutating func updateThreads(along path: [ThreadStep], _ change: (inout KeptThreads, Int) -> Void) {
        guard let first = path.first else { return }
        if threads?.startedEventId != first.startedEventId { threads = KeptThreads(startedEventId: first.startedEventId, threads: [:]) }
        threads!.update(along: path[...], change)
    }
}

/// How far a top-level Task, Parallel or Map state's `Retry` had got, kept with the
/// ``ExecutionCheckpoint`` when an attempt has failed and the state waits out its back-off. After
/// a restart the first ``eventCount`` events (the failed attempts' included) count as done, the
/// rest of the back-off is waited out (it ends at ``retryAt``) and the next attempt is made with
/// these counters: an attempt that had failed is not made again.
public struct RetryProgress: Sendable, Equatable {
    /// The attempt about to be made (1 for the first retry): `$$.State.RetryCount`.
    public var attempt: Int
    /// Attempts made so far per retrier, and the last back-off each gave (for BackoffRate).
    public var attemptsByRetrier: [Int]
    public var lastDelaySeconds: [Double]
    /// When the back-off ends.
    public var retryAt: Timestamp
    /// How many events the history held as the back-off began.
    public var eventCount: Int
    /// The id the next attempt's first event names as its `previousEventId`.
    public var lastEventId: Int
    /// How many events the execution's own thread had recorded (see ``ExecutionCheckpoint/threadEvents``).
    public var threadEvents: Int
    /// The state's entered event, and the event that one followed.
    public var enteredEventId: Int
    public var enteredAfterEventId: Int

    public init(
        attempt: Int, attemptsByRetrier: [Int], lastDelaySeconds: [Double], retryAt: Timestamp, eventCount: Int, lastEventId: Int,
        threadEvents: Int, enteredEventId: Int, enteredAfterEventId: Int
    ) {
        self.attempt = attempt
        self.attemptsByRetrier = attemptsByRetrier
        self.lastDelaySeconds = lastDelaySeconds
        self.retryAt = retryAt
        self.eventCount = eventCount
        self.lastEventId = lastEventId
        self.threadEvents = threadEvents
        self.enteredEventId = enteredEventId
        self.enteredAfterEventId = enteredAfterEventId
    }
}
