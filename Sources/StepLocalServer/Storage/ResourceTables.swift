import StepLocalEngine

/// All resources of one StepLocal server, keyed by ARN. Handlers read and change them inside
/// one ``ResourceStore/transaction(_:)``, so a check and the change it guards are atomic.
struct ResourceTables: Sendable {
    var stateMachines = TrackedTable<StateMachineRecord>()
    /// Changed only through ``insertExecution(_:)``, ``updateExecution(_:_:)`` and
    /// ``removeExecution(_:sequence:)``, which keep ``executionIndex`` in step.
    private(set) var executions: [String: ExecutionRecord] = [:]
    var activities = TrackedTable<ActivityRecord>()
    /// Tags per resource ARN, in the order they were first set.
    var tags = TrackedTable<[ResourceTag]>()
    /// STANDARD executions inserted or removed since ``takeExecutionChanges()`` (a persistent
    /// store writes them; what the engine changes afterwards reaches it through its observer).
    private var changedExecutions: Set<String> = []
    /// `--max-executions`: beyond this many executions the oldest closed ones are forgotten.
    var maxExecutions: Int
    private(set) var executionIndex = ExecutionIndex()
    /// ARNs forgotten since the store last asked (``takeForgottenExecutions()``).
    private var forgottenExecutions: [String] = []
    private var counter = 0

    init(maxExecutions: Int = ServerConfiguration.defaultMaxExecutions) {
        self.maxExecutions = maxExecutions
    }

    /// Whether changes are remembered for a persistent store.
    var tracksChanges = false {
        didSet {
            stateMachines.tracksChanges = tracksChanges
            activities.tracksChanges = tracksChanges
            tags.tracksChanges = tracksChanges
        }
    }

    /// The executions inserted, changed through ``updateExecution(_:_:)`` or removed since the last call.
    mutating func takeExecutionChanges() -> Set<String> {
        defer { changedExecutions = [] }
        return changedExecutions
    }

    /// Makes sure the next ``nextSequence()`` is above every restored record's.
    mutating func restoreSequence(atLeast sequence: Int) {
        counter = max(counter, sequence)
    }

    /// Puts back an execution a store kept, without remembering it as a change.
    mutating func restoreExecution(_ record: ExecutionRecord) {
        executions[record.arn] = record
        executionIndex.add(.init(sequence: record.sequence, arn: record.arn), listings: Self.listingKeys(of: record))
        restoreSequence(atLeast: record.sequence)
    }

    /// A number that grows with every call: creation order for listings.
    mutating func nextSequence() -> Int {
        counter += 1
        return counter
    }
}

/// Keeping executions: listed per state machine, version and alias; bounded in number.
extension ResourceTables {
    /// The listings ListExecutions can ask for that an execution belongs to.
    static func listingKeys(of record: ExecutionRecord) -> [String] {
        [record.stateMachineArn] + [record.stateMachineVersionArn, record.stateMachineAliasArn].compactMap { $0 }
    }

    /// Whether an index entry still names a stored execution.
    static func isLive(_ entry: ExecutionIndex.Entry, in executions: [String: ExecutionRecord]) -> Bool {
        executions[entry.arn]?.sequence == entry.sequence
    }

    /// Stores a newly started execution (its `sequence` fresh from ``nextSequence()``), then
    /// forgets the oldest closed executions beyond ``maxExecutions``.
    mutating func insertExecution(_ record: ExecutionRecord) {
        precondition(executions[record.arn] == nil, "an execution ARN is stored once")
        executions[record.arn] = record
        executionIndex.add(.init(sequence: record.sequence, arn: record.arn), listings: Self.listingKeys(of: record))
        if tracksChanges { changedExecutions.insert(record.arn) }
        evictClosedExecutions()
    }

    /// Changes a stored execution in place (its identity and listings stay).
    mutating func updateExecution(_ arn: String, _ change: (inout ExecutionRecord) -> Void) {
        guard var record = executions[arn] else { return }
        change(&record)
        executions[arn] = record
        if tracksChanges { changedExecutions.insert(arn) }
    }

    /// Forgets an execution: afterwards it is `ExecutionDoesNotExist`, as an unknown one on AWS.
    /// With `sequence`, only if the ARN still names that execution (not a later one reusing it).
    mutating func removeExecution(_ arn: String, sequence: Int? = nil) {
        guard let record = executions[arn], sequence == nil || record.sequence == sequence else { return }
        executions[arn] = nil
        forgottenExecutions.append(arn)
        if tracksChanges { changedExecutions.insert(arn) }
        let remaining = executions
        executionIndex.remove(listings: Self.listingKeys(of: record)) { Self.isLive($0, in: remaining) }
    }

    /// The ARNs of the executions forgotten since the last call.
    mutating func takeForgottenExecutions() -> [String] {
        defer { forgottenExecutions = [] }
        return forgottenExecutions
    }

    /// Whether an execution's run is over (a redrive makes it RUNNING again).
    static func isClosed(_ record: ExecutionRecord) -> Bool {
        let status = record.execution.status
        return status != .running && status != .pendingRedrive
    }

    /// `--max-executions`: forgets the oldest closed executions while there are more than
    /// ``maxExecutions``. Running ones are never forgotten, so a server with more running
    /// executions than the limit keeps them all (and walks past them on each start).
    mutating func evictClosedExecutions() {
        let excess = executions.count - maxExecutions
        guard excess > 0 else { return }
        let victims: [ExecutionIndex.Entry]
        do {  // the copy must be gone before the removals, or the first one copies the whole table
            let stored = executions
            victims = executionIndex.oldest(excess, isLive: { Self.isLive($0, in: stored) }) { entry in
                stored[entry.arn].map(Self.isClosed) ?? false
            }
        }
        for victim in victims { removeExecution(victim.arn, sequence: victim.sequence) }
    }

    /// DeleteStateMachine: forgets the closed executions of a machine (all its versions and
    /// aliases included) and returns the running ones, which the caller forgets when they close.
    mutating func releaseExecutions(ofStateMachine arn: String) -> [ExecutionRecord] {
        var running: [ExecutionRecord] = []
        let entries = executionIndex.newestFirst(arn, before: nil, limit: .max) { _ in true }.entries
        for entry in entries {
            guard let record = executions[entry.arn], record.sequence == entry.sequence else { continue }
            if Self.isClosed(record) { removeExecution(entry.arn, sequence: entry.sequence) } else { running.append(record) }
        }
        return running
    }
}
