import StepLocalJSON

/// What happened in one state during an execution, derived from its history: the console shows it
/// beside the diagram when a node is selected, so that nobody has to read the raw event list.
///
/// A state run more than once (a loop, Map iterations, Parallel branches) is summarised as a whole:
/// the payloads come from its last run, `attempts` and `enteredEventIds` cover every run, and
/// `status` is the most telling one (running, then failed, cancelled, caught, succeeded).
public struct StateRunSummary: Sendable, Equatable {
    public var status: StateRunStatus
    /// The input of the state's last `…StateEntered` event, parsed from its JSON text.
    public var input: JSONValue?
    /// The output of the state's last `…StateExited` event, parsed from its JSON text.
    public var output: JSONValue?
    /// The last `…StateExited` event's `assignedVariables`, as an object of parsed values.
    public var assignedVariables: JSONValue?
    /// The error of the last failure attributed to the state (a task failure, a timeout, a failed
    /// branch, a JSONata evaluation failure, or the execution failing while the state ran).
    public var error: String?
    public var cause: String?
    /// Attempts at the state's work: Task/Activity/Lambda scheduled events and Map/Parallel
    /// started events, so 1 + retries for a state run once. A state without such events (Pass,
    /// Choice, Wait, Succeed, Fail) counts one attempt per time it was entered.
    public var attempts: Int
    /// The ids of its `…StateEntered` events, in history order.
    public var enteredEventIds: [Int]

    public init(
        status: StateRunStatus, input: JSONValue? = nil, output: JSONValue? = nil, assignedVariables: JSONValue? = nil,
        error: String? = nil, cause: String? = nil, attempts: Int = 0, enteredEventIds: [Int] = []
    ) {
        self.status = status
        self.input = input
        self.output = output
        self.assignedVariables = assignedVariables
        self.error = error
        self.cause = cause
        self.attempts = attempts
        self.enteredEventIds = enteredEventIds
    }
}
