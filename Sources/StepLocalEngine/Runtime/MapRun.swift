import StepLocalASL
import StepLocalJSON
import Synchronization

/// One run of a Distributed Map state. Its items run as child executions with histories of
/// their own, which the API lists (ListMapRuns, DescribeMapRun, ListExecutions by map run), and
/// UpdateMapRun can change its concurrency and failure tolerance while it runs, as on AWS.
public final class MapRun: Sendable {
    /// `arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID`.
    public let arn: String
    /// The execution whose Map state started this run.
    public let executionArn: String
    /// `MACHINE-ARN/LABEL`: the state machine the child executions are reported to run.
    public let stateMachineArn: String
    public let startDate: Timestamp
    /// How many child executions the run has: one per item, or one per batch with an ItemBatcher.
    /// While its ItemReader reads, the children of the items read so far.
    public var total: Int { state.withLock { $0.total } }
    /// With an ItemBatcher, how many items each child's batch holds (in child order); nil when
    /// each child runs one item. DescribeMapRun's `itemCounts` count items, its
    /// `executionCounts` children, as AWS's API reference defines them.
    public var itemsPerChild: [Int]? { state.withLock { $0.itemsPerChild } }

    /// The lifecycle of a map run, with AWS's spelling.
    public enum Status: String, Sendable {
        case running = "RUNNING", succeeded = "SUCCEEDED", failed = "FAILED", aborted = "ABORTED"
    }

    /// The settings UpdateMapRun may change while the run goes on.
    /// Tolerances are nil when never set: then any failed child fails the run.
    public struct Settings: Sendable, Equatable {
        public var maxConcurrency: Int
        public var toleratedFailurePercentage: Double?
        public var toleratedFailureCount: Int?

        public init(maxConcurrency: Int, toleratedFailurePercentage: Double?, toleratedFailureCount: Int?) {
            self.maxConcurrency = maxConcurrency
            self.toleratedFailurePercentage = toleratedFailurePercentage
            self.toleratedFailureCount = toleratedFailureCount
        }
    }

    /// How many child executions, or how many of their items, are in each status.
    public struct Counts: Sendable, Equatable {
        public var pending = 0, running = 0, succeeded = 0, failed = 0, timedOut = 0, aborted = 0, total = 0
        /// Children whose results a ResultWriter wrote to S3.
        public var resultsWritten = 0

        public init(total: Int = 0) {
            self.total = total
        }
    }

    /// What DescribeMapRun answers.
    public struct Snapshot: Sendable {
        public var status: Status
        public var stopDate: Timestamp?
        public var settings: Settings
        /// Child executions by status (DescribeMapRun's `executionCounts`).
        public var counts: Counts
        /// Items by the status of the child that runs them (`itemCounts`): the same as `counts`
        /// unless an ItemBatcher put several items in one child.
        public var itemCounts: Counts
        public var redriveCount: Int
        public var redriveDate: Timestamp?

        public init(
            status: Status, stopDate: Timestamp?, settings: Settings, counts: Counts = Counts(), itemCounts: Counts? = nil, redriveCount: Int,
            redriveDate: Timestamp?
        ) {
            self.status = status
            self.stopDate = stopDate
            self.settings = settings
            self.counts = counts
            self.itemCounts = itemCounts ?? counts
            self.redriveCount = redriveCount
            self.redriveDate = redriveDate
        }
    }

    struct State {
        var status: Status = .running
        var stopDate: Timestamp?
        var redriveCount = 0
        var redriveDate: Timestamp?
        var settings: Settings
        var total: Int
        /// Non-nil when children run batches (so item counts differ from child counts); empty
        /// while a batched run's reader reads.
        var itemsPerChild: [Int]?
        /// How many items the run has: `total`, or the batches' items added up.
        var itemTotal: Int
        var children: [Execution] = []
        var resultsWritten = 0
        /// Wakes the run's scheduler so a raised concurrency takes effect at once.
        var wakeUp: AsyncStream<Int>.Continuation?
        /// Children a store read back as running, by index: where each continues (taken once).
        var resumePoints: [Int: ChildResumePoint] = [:]
    }

    let state: Mutex<State>

    init(
        arn: String, executionArn: String, stateMachineArn: String, startDate: Timestamp, total: Int, settings: Settings,
        itemsPerChild: [Int]? = nil
    ) {
        self.arn = arn
        self.executionArn = executionArn
        self.stateMachineArn = stateMachineArn
        self.startDate = startDate
        let perChild = itemsPerChild?.count == total ? itemsPerChild : nil
        self.state = Mutex(
            State(
                settings: settings, total: total, itemsPerChild: perChild, itemTotal: perChild?.reduce(0, +) ?? total))
    }

    /// How many items child `index` runs: its batch's size, or 1.
    public func itemCount(ofChild index: Int) -> Int {
        state.withLock { Self.itemCount(ofChild: index, in: $0.itemsPerChild) }
    }

    private static func itemCount(ofChild index: Int, in itemsPerChild: [Int]?) -> Int {
        guard let itemsPerChild, itemsPerChild.indices.contains(index) else { return 1 }
        return itemsPerChild[index]
    }

    /// What the ItemReader has read so far (DescribeMapRun shows the counts grow, as on AWS):
    /// `children` inputs made of `items` items (more than `children` when batched).
    func reading(children: Int, items: Int, batched: Bool) {
        state.withLock { s in
            s.total = children
            s.itemTotal = items
            s.itemsPerChild = batched ? [] : nil
        }
    }

    /// Every item has been read: the run's children are these.
    func read(_ inputs: ChildInputs) {
        state.withLock { s in
            s.total = inputs.count
            s.itemsPerChild = inputs.itemsPerChild
            s.itemTotal = inputs.itemsPerChild?.reduce(0, +) ?? inputs.count
        }
    }

    /// A run a store kept (``Execution/restore(mapRuns:)`` attaches it to its parent again), with
    /// its children as they were written; `resumePoints`: where those that were running continue,
    /// by index (a child without one starts again from its beginning).
    public static func restored(
        arn: String, executionArn: String, stateMachineArn: String, startDate: Timestamp, total: Int, itemsPerChild: [Int]? = nil,
        snapshot: Snapshot, children: [Execution], resumePoints: [Int: ChildResumePoint] = [:]
    ) -> MapRun {
        let run = MapRun(
            arn: arn, executionArn: executionArn, stateMachineArn: stateMachineArn, startDate: startDate, total: total,
            settings: snapshot.settings, itemsPerChild: itemsPerChild)
        run.state.withLock { s in
            s.status = snapshot.status
            s.stopDate = snapshot.stopDate
            s.redriveCount = snapshot.redriveCount
            s.redriveDate = snapshot.redriveDate
            s.children = children
            s.resumePoints = resumePoints
        }
        return run
    }

    /// Where child `index`, read back as running, continues; nil when it starts again (taken once).
    func takeResumePoint(at index: Int) -> ChildResumePoint? {
        state.withLock { $0.resumePoints.removeValue(forKey: index) }
    }

    /// Where the children read back as running continue, by their index in ``children``, until
    /// the run takes them up.
    public var childResumePoints: [Int: ChildResumePoint] { state.withLock { $0.resumePoints } }

    /// The child executions started so far, in item order.
    public var children: [Execution] { state.withLock { $0.children } }

    /// The children from `index` on (none when fewer have started): a store that has written the
    /// ones before reads only the rest.
    public func children(from index: Int) -> ArraySlice<Execution> {
        state.withLock { s in index < s.children.count ? s.children[index...] : [] }
    }

    /// One child, without copying the list (the scheduler asks once per finished child).
    func child(at index: Int) -> Execution { state.withLock { $0.children[index] } }

    /// When the run ended; nil while it runs.
    public var stopDate: Timestamp? { state.withLock { $0.stopDate } }

    /// The run's status, without counting its children as ``snapshot()`` does.
    public var status: Status { state.withLock { $0.status } }

    public var settings: Settings { state.withLock { $0.settings } }

    /// ``snapshot()`` without its counts (left at zero), which ask every child for its status:
    /// what a store writes each time a child ends.
    public func snapshotWithoutCounts() -> Snapshot {
        state.withLock { s in
            Snapshot(status: s.status, stopDate: s.stopDate, settings: s.settings, redriveCount: s.redriveCount, redriveDate: s.redriveDate)
        }
    }

    public func snapshot() -> Snapshot {
        let s = state.withLock { $0 }
        let (status, stopDate, settings, children, redriveCount, redriveDate, resultsWritten) =
            (s.status, s.stopDate, s.settings, s.children, s.redriveCount, s.redriveDate, s.resultsWritten)
        let (total, itemTotal, itemsPerChild) = (s.total, s.itemTotal, s.itemsPerChild)
        // Each child counts once in `counts` and as many times as it has items in `items`.
        func tally(total: Int, weight: (Int) -> Int) -> Counts {
            var counts = Counts(total: total)
            var started = 0
            for (index, child) in children.enumerated() {
                let n = weight(index)
                started += n
                if index < resultsWritten { counts.resultsWritten += n }
                switch child.status {
                case .running, .pendingRedrive: counts.running += n
                case .succeeded: counts.succeeded += n
                case .failed: counts.failed += n
                case .timedOut: counts.timedOut += n
                case .aborted: counts.aborted += n
                }
            }
            counts.pending = total - started
            return counts
        }
        let counts = tally(total: total) { _ in 1 }
        let items = itemsPerChild != nil ? tally(total: itemTotal) { Self.itemCount(ofChild: $0, in: itemsPerChild) } : counts
        return Snapshot(
            status: status, stopDate: stopDate, settings: settings, counts: counts, itemCounts: items, redriveCount: redriveCount,
            redriveDate: redriveDate)
    }

    /// UpdateMapRun: takes effect for the children not yet started (and wakes the scheduler).
    public func update(maxConcurrency: Int?, toleratedFailurePercentage: Double?, toleratedFailureCount: Int?) {
        let wakeUp = state.withLock { s -> AsyncStream<Int>.Continuation? in
            if let maxConcurrency { s.settings.maxConcurrency = maxConcurrency }
            if let toleratedFailurePercentage { s.settings.toleratedFailurePercentage = toleratedFailurePercentage }
            if let toleratedFailureCount { s.settings.toleratedFailureCount = toleratedFailureCount }
            return s.wakeUp
        }
        wakeUp?.yield(-1)
    }

    /// The most child executions a run has at once: AWS runs "up to 10,000 parallel child workflow
    /// executions" ("Distributed Map state"), which is also what MaxConcurrency 0 (unset) means.
    static let mostChildrenAtOnce = 10_000

    /// How many children may run at once under `maxConcurrency` (0: as many as AWS runs).
    static func concurrencyLimit(_ maxConcurrency: Int) -> Int {
        maxConcurrency > 0 ? min(maxConcurrency, mostChildrenAtOnce) : mostChildrenAtOnce
    }

    /// Whether `failures` failed children break the run's tolerance.
    func exceedsTolerance(failures: Int) -> Bool {
        let settings = self.settings
        return FailureTolerance(count: settings.toleratedFailureCount, percentage: settings.toleratedFailurePercentage)
            .isExceeded(failures: failures, of: total)
    }

    func add(_ child: Execution) {
        state.withLock { $0.children.append(child) }
    }

    /// A ResultWriter wrote the results of `count` children.
    func recordResultsWritten(_ count: Int) {
        state.withLock { $0.resultsWritten = count }
    }

    func setWakeUp(_ continuation: AsyncStream<Int>.Continuation?) {
        state.withLock { $0.wakeUp = continuation }
    }

    /// The redrive of a run that did not succeed (its parent was redriven): RUNNING again, one
    /// more redrive counted. Returns the redrive count.
    func beginRedrive(at now: Timestamp) -> Int {
        state.withLock { s in
            s.status = .running
            s.stopDate = nil
            s.redriveCount += 1
            s.redriveDate = now
            return s.redriveCount
        }
    }

    /// The child execution of item `index`, if it was started.
    func existingChild(at index: Int) -> Execution? {
        state.withLock { index < $0.children.count ? $0.children[index] : nil }
    }

    /// Whether this run is the one a Distributed Map state started over `inputs`: as many
    /// children as inputs, and every child started so far running the input at its index. A
    /// resumed state continues only a run it can prove is its own (two iterations of an inline
    /// Map may run Distributed Maps of the same label side by side).
    func runs(_ inputs: ChildInputs) -> Bool {
        guard total == inputs.count else { return false }
        return children.enumerated().allSatisfy { index, child in child.inputText ?? child.input.serialized() == inputs.text(at: index) }
    }

    /// Puts `child` in the place of child `index` (one that was running when the server
    /// stopped, started again from its beginning under the same ARN).
    func replaceChild(at index: Int, with child: Execution) {
        state.withLock { $0.children[index] = child }
    }

    /// Ends a run that nothing continues after a restart (its state was not entered again, or
    /// its items changed): ABORTED, with the children that were running.
    func abandon(at now: Timestamp) {
        for child in children where child.status == .running {
            child.finish(status: .aborted, output: nil, error: nil, cause: nil, eventType: .executionAborted, at: now)
        }
        finish(.aborted, at: now)
    }

    func finish(_ status: Status, at now: Timestamp) {
        state.withLock { s in
            guard s.status == .running else { return }
            s.status = status
            s.stopDate = now
            s.wakeUp = nil
        }
    }
}

/// A Map Run that was under way when the server stopped, kept for the Distributed Map state that
/// started it: when the state is entered again after the restart it records the event that had
/// started the run again (`startedBy`: MapRunStarted, or MapRunRedriven on a redrive) and
/// continues it. Children that had ended keep their outcome; those that were running start
/// again from their beginning; items never started start.
public struct InterruptedMapRun: Sendable {
    public let run: MapRun
    public let startedBy: HistoryEventType

    public init(run: MapRun, startedBy: HistoryEventType) {
        self.run = run
        self.startedBy = startedBy
    }

    /// A run started (not redriven) that no child had started in before the restart.
    var hasNoChildren: Bool { startedBy == .mapRunStarted && run.children.isEmpty }
}

/// Where a Distributed Map's child that was running when the server stopped continues: its
/// checkpoint (the top-level state it was in, and its branches and iterations) and the events it
/// had recorded after that checkpoint, which stay in its history, as for a top-level execution (see
/// ``ExecutionEngine/resume(_:definition:from:eventsAfterCheckpoint:)``).
public struct ChildResumePoint: Sendable {
    public let checkpoint: ExecutionCheckpoint
    public let eventsAfterCheckpoint: [HistoryEvent]

    public init(checkpoint: ExecutionCheckpoint, eventsAfterCheckpoint: [HistoryEvent]) {
        self.checkpoint = checkpoint
        self.eventsAfterCheckpoint = eventsAfterCheckpoint
    }
}

/// Tells a Distributed Map's parent that one of its children changed, so that a store keeping
/// the parent (`--data-dir`) writes the child's history and checkpoint as the child goes, and a
/// restart continues the child where it stood. Holds the parent weakly: the parent holds its
/// runs, which hold their children.
///
/// The parent hears once until the store has read its children again
/// (``Execution/takeChildrenChanged()``): hundreds of children recording events on every thread
/// each told the store, whose locks they then queued on (a 2,000-child run of 20 Pass states took
/// 2.4 s instead of 0.12 s).
final class MapRunChildObserver: ExecutionObserver {
    private weak let parent: Execution?

    init(parent: Execution) {
        self.parent = parent
    }

    func executionDidChange(_ execution: Execution) {
        guard let parent, !parent.childrenChanged.load(ordering: .relaxed) else { return }
        if !parent.childrenChanged.exchange(true, ordering: .acquiringAndReleasing) { parent.notifyObserver() }
    }

    /// A child's end is written before it is visible, as a top-level execution's is: unlike its
    /// other changes, not batched with the parent's next write.
    func executionWillEnd(_ execution: Execution) {
        guard let parent else { return }
        parent.observer?.mapRunChildWillEnd(execution, of: parent)
    }
}
