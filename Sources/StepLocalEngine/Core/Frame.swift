import StepLocalASL
import StepLocalJSON

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
    /// Applies a state's Assign: the values become visible from the next state on.
    mutating func assign(_ assigned: JSONObject) {
        for (name, value) in assigned { variables[name] = value }
    }
}
