import StepLocalASL
import StepLocalJSON
import StepLocalIntrinsics

/// The running position of one thread of an execution: the top level, a Parallel branch or a
/// Map iteration. It carries the variables in scope (inner scopes start from a copy of the
/// outer ones, so they read outer variables and cannot change them) and the id of the last
/// history event on this thread, which the next event names as its `previousEventId`.
struct Frame: Sendable {
    var variables: [String: JSONValue]
    var lastEventId: Int
    /// `$$.Map.Item` for states inside a Map iteration.
    var mapItem: (index: Int, value: JSONValue)?
    /// Set by `runProgram` when the program stops without succeeding: where a redrive resumes.
    var redrivePoint: RedrivePoint? = nil
    /// Set by a Parallel or Map state that fails: how its work ended (see ``StopDetail``).
    var stopDetail: StopDetail? = nil
    /// On redrive, for the first state run: the work of it that need not run again.
    var resumeDetail: StopDetail? = nil
    /// A Map or Parallel whose work failed: the `<Type>StateFailed` event it owes the history once
    /// the failure is final. AWS writes it only when no Retry runs the state again (recorded).
    var pendingStateFailedEvent: HistoryEventType? = nil
    /// This thread is a Parallel branch: a Task state whose failure ends it is aborted
    /// (`TaskStateAborted`), as AWS records; a Map iteration's is not (recorded).
    var isParallelBranch = false
    /// Names this thread among all of the execution's threads, the same in every run that takes
    /// the same path: 0 for the execution's own thread, and for a branch or iteration a mix of its
    /// parent's key, the parent's position when it forked and its index (see ``forkBase(after:)``).
    var threadKey: UInt64 = 0
    /// How many events this thread has recorded itself. With ``threadKey`` it names a point of the
    /// thread that does not depend on how other threads' events interleave: task tokens are drawn
    /// from it, so a Task run again after a restart hands out the token it handed out before.
    var threadEvents = 0
    /// The execution's own thread (not a branch or iteration): the one whose checkpoints a store
    /// keeps, and whose Parallel or Map a restart resumes with its kept branches (``ResumedState``).
    var isExecutionThread = false
    /// In the first state a thread continues after a restart: when that state began before the
    /// restart. A Task there keeps counting its TimeoutSeconds from it, as it would have without
    /// the restart, instead of starting a whole new period; a Parallel or Map records its started
    /// event at it again.
    var resumedAttemptStart: Timestamp? = nil
    /// Inside Map iterations, their indexes from the outermost Map in (a ``PendingWait`` names them).
    var iterations: [Int] = []

    init(variables: [String: JSONValue], lastEventId: Int, mapItem: (index: Int, value: JSONValue)?) {
        self.variables = variables
        self.lastEventId = lastEventId
        self.mapItem = mapItem
    }
}

/// How one state ended: where to go next, or that its program ended, or failed.
enum StateOutcome: Sendable {
    case next(String, JSONValue)
    case end(JSONValue)
    case failed(StatesError)
}

/// A program (top level, branch, iteration) ended with output, an error, or was cancelled.
enum ProgramOutcome: Sendable {
    case succeeded(JSONValue)
    case failed(StatesError)
    case cancelled
    /// The execution's own TimeoutSeconds passed (virtual clock).
    case timedOut
}

extension Frame {
    /// What every branch or iteration forked from this thread now starts from: its variables,
    /// chained after `startedId`, keyed by this thread and its position (not yet by the branch's
    /// index: ``forkedBranch(_:)`` adds that).
    func forkBase(after startedId: Int) -> Frame {
        var base = Frame(variables: variables, lastEventId: startedId, mapItem: nil)
        base.iterations = iterations
        base.threadKey = threadKey ^ Frame.mix(UInt64(truncatingIfNeeded: threadEvents))
        return base
    }

    /// Branch or iteration `index` of a ``forkBase(after:)``.
    func forkedBranch(_ index: Int) -> Frame {
        var branch = self
        branch.threadKey = Frame.mix(threadKey ^ UInt64(truncatingIfNeeded: index &+ 1))
        return branch
    }

    /// Where this thread stands, as one number: what a task token is drawn from.
    var threadPosition: UInt64 { Frame.mix(threadKey &+ UInt64(truncatingIfNeeded: threadEvents)) }

    /// Spreads every bit of `value` over the result (one SplitMix64 step).
    static func mix(_ value: UInt64) -> UInt64 { SplitMix64.mix(value) }

    /// Applies a state's Assign: the values become visible from the next state on.
    mutating func assign(_ assigned: JSONObject) {
        for (name, value) in assigned { variables[name] = value }
    }
}
