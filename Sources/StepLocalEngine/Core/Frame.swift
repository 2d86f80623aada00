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
