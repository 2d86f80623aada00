import StepLocalASL
import StepLocalIntrinsics
import StepLocalJSON
import Synchronization

/// Everything known about an execution at one moment: what DescribeExecution and
/// GetExecutionHistory answer from.
public struct ExecutionSnapshot: Sendable {
    public var identity: ExecutionIdentity
    public var input: JSONValue
    public var status: ExecutionStatus
    public var output: JSONValue?
    public var error: String?
    public var cause: String?
    public var stopDate: Timestamp?
    /// When RedriveExecution last restarted it; nil until then. (`identity.redriveCount` counts them.)
    public var redriveDate: Timestamp?
    public var history: [HistoryEvent]

    public init(
        identity: ExecutionIdentity, input: JSONValue, status: ExecutionStatus, output: JSONValue?, error: String?, cause: String?,
        stopDate: Timestamp?, redriveDate: Timestamp?, history: [HistoryEvent]
    ) {
        self.identity = identity
        self.input = input
        self.status = status
        self.output = output
        self.error = error
        self.cause = cause
        self.stopDate = stopDate
        self.redriveDate = redriveDate
        self.history = history
    }
}

/// A running or finished execution, shared between the task that runs it and the API that
/// describes, stops and lists it. All mutable state sits behind one mutex.
public final class Execution: Sendable {
    public let identity: ExecutionIdentity
    /// The input as a value: kept whole for an execution started through the API; a Map Run's
    /// child keeps only its text (``ChildInputs``) and parses it while it runs.
    public var input: JSONValue {
        if let fixedInput { return fixedInput }
        return state.withLock { inputValue(&$0) }
    }
    private let fixedInput: JSONValue?
    /// The input as the caller sent it, when known (StartExecution): AWS records this text
    /// verbatim, spacing and all, in ExecutionStarted and in the first state's entered event
    /// (recorded in the conformance corpus), where every later event holds re-serialized JSON.
    public let inputText: String?

    struct State {
        var status: ExecutionStatus = .running
        var output: JSONValue?
        /// A packed closed execution's output as JSON text (one allocation, where the value can be
        /// a tree of them); read back by ``snapshot()``.
        var closedOutput: String?
        var error: String?
        var cause: String?
        var stopDate: Timestamp?
        /// The history while the execution runs; empty once it is packed into ``closedHistory``.
        var history: [HistoryEvent] = []
        var closedHistory: CompactHistory?
        /// The task running the execution, until it has ended (a finished task kept alive
        /// would keep its allocations: about a kilobyte per execution).
        var runner: Task<Void, Never>?
        var runnerEnded = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Readers of the change feed (``waitForChange(after:status:timeout:)``) waiting for the
        /// next event or a change of status, by the id that lets a cancelled reader leave.
        var changeWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var abortRequest: StatesError?
        /// How the execution ends at its next state transition, once asked (``endAtNextTransition(error:cause:)``).
        var endAtNextTransition: StatesError?
        var redriveCount = 0
        var redriveDate: Timestamp?
        /// Where the last run stopped, kept for RedriveExecution.
        var redrivePoint: RedrivePoint?
        /// The runs of its Distributed Map states, oldest first.
        var mapRuns: [MapRun] = []
        /// Where a restart would continue the run (kept only when a store observes it).
        var checkpoint: ExecutionCheckpoint?
        /// Map Runs a restart interrupted, until their states claim them again.
        var interruptedMapRuns: [InterruptedMapRun] = []
        /// The input parsed from its text, while an execution kept as text runs.
        var parsedInput: JSONValue?
        /// After a restart, the events recorded after the checkpoint that the resumed run has not
        /// recorded again yet, by the id of the event each follows (see ``Execution/expectReplay(of:)``).
        var replayPending: [Int: [HistoryEvent]] = [:]
        /// The ids of the events in ``replayPending``.
        var replayPendingIds: Set<Int> = []
        /// After a restart, each time events already recorded were dropped or replaced
        /// (``dropSupersededTail(after:)``, ``replaceSameEvent(_:previous:details:)``), how many
        /// events before them stayed unchanged, in order. A reader that read past one of these
        /// reads again from there (see ``HistoryReadMark``); empty unless a resumed run diverged.
        var historyRewrites: [Int] = []
        /// After a restart, the events a resumed run put in place of one recorded before
        /// (``replaceSameEvent(_:previous:details:)``): the step they stand for came out otherwise.
        var replacedEventIds: Set<Int> = []
        /// What its threads wait for now, by the id ``Execution/beginWaiting(_:)`` gave (see ``PendingWait``).
        var pendingWaits: [Int: PendingWait] = [:]
        var nextWaitId = 0
        /// Counts every change of ``pendingWaits``, so a reader can tell it has not seen one.
        var waitsVersion = 0

        /// The events an execution that keeps no history has counted (see ``Execution/countEvent(_:)``).
        var countedEvents = 0
        /// The end ``Execution/finish(status:output:error:cause:eventType:at:)`` has decided and
        /// not made visible yet: its observer (the `--data-dir` store) writes it first. Threads
        /// record nothing more once it is set.
        var ending: ExecutionEnding?

        var eventCount: Int { closedHistory?.count ?? (history.isEmpty ? countedEvents : history.count) }

        /// Where a reader that has read the whole history as it stands now is.
        var readMark: HistoryReadMark { HistoryReadMark(eventCount: eventCount, rewrites: historyRewrites.count) }

        /// The output, read back from its text when the execution is packed.
        var outputValue: JSONValue? { output ?? closedOutput.flatMap { try? JSONValue(parsing: $0) } }

        var events: [HistoryEvent] { closedHistory?.events() ?? history }

        /// How many events a checkpoint the execution's own thread takes after recording
        /// `lastEventId` keeps: all of them, except while a resumed run has not recorded again
        /// every event it is expected to (those after its last event are not done yet).
        func eventsBefore(_ lastEventId: Int) -> Int {
            replayPending.isEmpty ? eventCount : min(eventCount, lastEventId)
        }

        /// After a restart, when the resumed run records after `previous` an event other than
        /// the one recorded there before (a call answered otherwise): if that one and every event
        /// after it are still expected again and follow from it (the end of the history, recorded
        /// by the same thread), they are removed, as if the thread had never gone on from there, so
        /// the new event takes their place. Returns whether any were removed. Elsewhere (other
        /// threads recorded after it) they stay.
        mutating func dropSupersededTail(after previous: Int) -> Bool {
            // Checked from the end: once a new event is appended, the last one is not expected and this stops at once.
            guard let last = history.last, replayPendingIds.contains(last.id),
                let first = replayPending[previous]?.map(\.id).min(),
                (first...last.id).allSatisfy(replayPendingIds.contains)
            else { return false }
            var chain: Set<Int> = [first]
            for event in history[first...] {
                guard chain.contains(event.previousEventId) else { return false }
                chain.insert(event.id)
            }
            history.removeSubrange((first - 1)...)
            historyRewrites.append(first - 1)
            for (key, events) in replayPending {
                let kept = events.filter { $0.id < first }
                replayPending[key] = kept.isEmpty ? nil : kept
            }
            replayPendingIds = replayPendingIds.filter { $0 < first }
            return true
        }

        /// Puts the event in place of the pending one after `previous` that stands for the same
        /// step (the same state or iteration and resource) recorded otherwise, keeping its id and
        /// moment: one of the same type with other details first (a Task's parameters with a new
        /// `States.UUID()`), else one of another type (TaskFailed where TaskSucceeded had been
        /// recorded, MapIterationSucceeded for MapIterationFailed). Returns it as replaced, nil
        /// when there is none.
        mutating func replaceSameEvent(_ type: HistoryEventType, previous: Int, details: RecordedDetails) -> HistoryEvent? {
            guard var candidates = replayPending[previous] else { return nil }
            let rendered = details.rendered
            func sameStep(_ original: HistoryEvent) -> Bool {
                ["name", "index", "resource", "resourceType"].allSatisfy { original.details[$0] == rendered[$0] }
            }
            guard
                let index = candidates.firstIndex(where: { $0.type == type.rawValue && $0.detailsKey == type.detailsKey && sameStep($0) })
                    ?? candidates.firstIndex(where: sameStep)
            else { return nil }
            let original = takePending(at: index, of: &candidates, after: previous)
            let replaced = HistoryEvent(id: original.id, previousEventId: previous, timestamp: original.timestamp, type: type, recorded: details)
            history[original.id - 1] = replaced
            historyRewrites.append(original.id - 1)
            replacedEventIds.insert(original.id)
            return replaced
        }

        /// The event recorded before a restart that an event the resumed run records now is
        /// (following `previous`, with the same type and details), taken from the pending ones.
        mutating func takeReplayed(_ type: HistoryEventType, previous: Int, details: RecordedDetails) -> HistoryEvent? {
            guard var candidates = replayPending[previous],
                candidates.contains(where: { $0.type == type.rawValue && $0.detailsKey == type.detailsKey })
            else { return nil }
            let rendered = details.rendered
            guard
                let index = candidates.firstIndex(where: {
                    $0.type == type.rawValue && $0.detailsKey == type.detailsKey && HistoryEvent.sameDetails($0.details, rendered)
                })
            else { return nil }
            return takePending(at: index, of: &candidates, after: previous)
        }

        /// Removes `candidates[index]` (the pending events after `previous`) from the pending ones.
        private mutating func takePending(at index: Int, of candidates: inout [HistoryEvent], after previous: Int) -> HistoryEvent {
            let original = candidates.remove(at: index)
            replayPending[previous] = candidates.isEmpty ? nil : candidates
            replayPendingIds.remove(original.id)
            return original
        }

        /// Makes ``history`` the place to append to again (a redrive, a late Execution* event).
        mutating func unpackHistory() {
            guard let packed = closedHistory else { return }
            history = packed.events()
            closedHistory = nil
        }
    }

    let state: Mutex<State>
    /// How many readers wait on the change feed: recording an event reads only this (one relaxed
    /// load) and takes the lock again to wake them only when there are some.
    let changeReaders = Atomic<Int>(0)
    private let observedChanges = Atomic<Int>(0)
    /// Set when a Distributed Map child of this execution changed since the store last read the
    /// children (see ``MapRunChildObserver``).
    let childrenChanged = Atomic<Bool>(false)
    /// Set once a restart gave this execution events to record again (``expectReplay(of:)``):
    /// an execution that never resumed answers ``recordedBeforeRestart(_:after:forCallScheduledAt:)``
    /// without taking the lock, once per Task.
    private let resumedWithEvents = Atomic<Bool>(false)
    /// Set with ``State/endAtNextTransition``: the interpreter reads only this between states.
    let endsAtNextTransition = Atomic<Bool>(false)
    let clock: any ExecutionClock
    /// When false, no history is kept: only the outcome (and, with ``countsEvents``, the ids).
    let recordsHistory: Bool
    /// Whether events are numbered even when no history is kept: AWS's error causes name the id of
    /// the state's entered event (`entered at the event id #2`), so an execution whose history
    /// nobody can read (EXPRESS, see ``ExecutionEngine/keptHistories``) still counts its
    /// events. Only the benchmark's interpreter-alone runs count nothing.
    let countsEvents: Bool
    /// Whether a closed execution packs its history (``CompactHistory``): for executions kept
    /// after they end (StartExecution), not for those whose caller reads the result at once.
    let packsClosedHistory: Bool
    /// Told of every change the engine makes (the `--data-dir` store); nil in memory.
    let observer: (any ExecutionObserver)?
    /// Whether the interpreter keeps an ``ExecutionCheckpoint`` (only for an observed execution).
    let keepsCheckpoints: Bool
    /// Seeds the execution's task tokens (``TaskToken``): random per execution, kept by a store.
    public let tokenSecret: UInt64
    /// A nested execution its parent's Task waits for, run as a thread of the parent's branch (see
    /// ``TaskChildThread``); nil otherwise.
    let taskChildThread: TaskChildThread?

    /// An execution of `input`, or (when that is nil) of `inputText` parsed while it runs.
    init(
        identity: ExecutionIdentity, input: JSONValue?, inputText: String? = nil, clock: any ExecutionClock, recordsHistory: Bool,
        countsEvents: Bool = false, packsClosedHistory: Bool = false, observer: (any ExecutionObserver)? = nil,
        tokenSecret: UInt64 = Execution.drawTokenSecret(), taskChildThread: TaskChildThread? = nil
    ) {
        precondition(input != nil || inputText != nil, "an execution needs its input as a value or as text")
        self.tokenSecret = tokenSecret
        self.taskChildThread = taskChildThread
        self.identity = identity
        fixedInput = input
        self.inputText = inputText
        self.clock = clock
        self.recordsHistory = recordsHistory
        self.countsEvents = recordsHistory || countsEvents
        self.packsClosedHistory = packsClosedHistory
        self.observer = observer
        keepsCheckpoints = observer != nil
        // Room for a short execution's whole history at once: grown from nothing, an 8-event
        // history was allocated four times.
        var initial = State()
        if recordsHistory { initial.history.reserveCapacity(8) }
        state = Mutex(initial)
    }

    private static let tokenSecretBase = UInt64.random(in: .min ... .max)
    private static let tokenSecretCounter = Atomic<UInt64>(0)

    /// A fresh secret per execution without a system call each time: a process-wide random base
    /// and a counter, mixed by SplitMix64, distinct for every execution of the process.
    static func drawTokenSecret() -> UInt64 {
        var generator = SplitMix64(seed: tokenSecretBase &+ tokenSecretCounter.wrappingAdd(1, ordering: .relaxed).newValue &* 0x9E37_79B9_7F4A_7C15)
        return generator.next()
    }

    /// An execution a store kept (its snapshot when last written, and the secret of its task
    /// tokens), as it was then: closed ones answer as before;
    /// one that was still running has no run behind it yet: ``ExecutionEngine/resume(_:definition:from:)``
    /// continues it (the events after its checkpoint stay, expected again: ``expectReplay(of:)``).
    public static func restored(
        _ stored: ExecutionSnapshot, tokenSecret: UInt64, clock: any ExecutionClock, observer: (any ExecutionObserver)?
    ) -> Execution {
        let execution = Execution(
            identity: stored.identity, input: stored.input, clock: clock, recordsHistory: true, packsClosedHistory: true, observer: observer,
            tokenSecret: tokenSecret)
        execution.state.withLock { s in
            s.status = stored.status
            s.error = stored.error
            s.cause = stored.cause
            s.stopDate = stored.stopDate
            s.redriveCount = stored.identity.redriveCount
            s.redriveDate = stored.redriveDate
            s.runnerEnded = true
            if stored.status != .running, stored.history.count <= CompactHistory.maximumEvents {
                s.closedHistory = CompactHistory(stored.history)
                s.closedOutput = stored.output?.serialized()
            } else {
                s.history = stored.history
                s.output = stored.output
            }
        }
        return execution
    }

    /// The outcome fields now and the history events a reader at `mark` has not read: those
    /// after the events it has read, or, when some of those were rewritten since (a resumed run
    /// recorded something else where it had gone on before the restart), after the last event
    /// that stayed unchanged (``ExecutionProgress/historyRewrittenAfter``). The progress's
    /// ``ExecutionProgress/readMark`` is the reader's next mark. Every reader keeps its own mark:
    /// the store that writes the history and the console's live feed alike.
    public func progress(since mark: HistoryReadMark) -> ExecutionProgress {
        state.withLock { s in
            let rewrittenAfter = mark.rewrites < s.historyRewrites.count ? s.historyRewrites[mark.rewrites...].min() : nil
            let from = min(mark.eventCount, rewrittenAfter ?? .max)
            let newEvents = s.closedHistory?.events(from: from)[...] ?? s.history[min(from, s.history.count)...]
            var progress = ExecutionProgress(
                status: s.status, output: s.outputValue, error: s.error, cause: s.cause,
                stopDate: s.stopDate, redriveCount: s.redriveCount, redriveDate: s.redriveDate,
                newEvents: newEvents, historyRewrittenAfter: from < mark.eventCount ? from : nil, eventCount: s.eventCount,
                readMark: s.readMark,
                checkpoint: s.status == .running ? s.checkpoint : nil, tokenSecret: tokenSecret)
            if let ending = s.ending {
                // Decided and not visible yet: the store writes the end as it will be seen.
                progress.status = ending.status
                progress.output = ending.output
                progress.error = ending.error
                progress.cause = ending.cause
                progress.stopDate = ending.stopDate
                progress.checkpoint = nil
                if let event = ending.event {
                    progress.newEvents = (Array(newEvents) + [event])[...]
                    progress.eventCount += 1
                    progress.readMark.eventCount += 1
                }
            }
            return progress
        }
    }

    /// Where a reader that has read the whole history as it stands now is (see ``HistoryReadMark``).
    public var readMark: HistoryReadMark {
        state.withLock { $0.readMark }
    }

    /// Tells the observer of a change (kept out of line: most executions have none).
    @inline(never)
    func notifyObserver() {
        guard let observer else { return }
        observedChanges.add(1, ordering: .relaxed)
        observer.executionDidChange(self)
    }

    /// Called by a store before it reads this execution's Map Run children: a child that changes
    /// from now on tells the store again.
    public func takeChildrenChanged() {
        childrenChanged.store(false, ordering: .sequentiallyConsistent)
    }

    /// How many changes the observer has been told of: a store that writes a Distributed Map's
    /// children as they go (it hears of them through their parent) rewrites a child's row only
    /// when this moved.
    public var observedChangeCount: Int { observedChanges.load(ordering: .relaxed) }

    /// Keeps where the run stands (see ``ExecutionCheckpoint``); the store reads it with the progress.
    func keep(_ checkpoint: ExecutionCheckpoint) {
        state.withLock { $0.checkpoint = checkpoint }
    }

    /// Replaces the checkpoint with what `make` builds from the previous one and the number of
    /// events recorded so far, in one step; returns the new checkpoint's entered time.
    /// `lastEventId`: the event the execution's own thread recorded last (see ``eventsBefore(_:)``).
    func keepCheckpoint(after lastEventId: Int, _ make: (ExecutionCheckpoint?, Int) -> ExecutionCheckpoint) -> Timestamp {
        state.withLock { s in
            let checkpoint = make(s.checkpoint, s.eventsBefore(lastEventId))
            s.checkpoint = checkpoint
            return checkpoint.position.enteredTime
        }
    }

    /// The input as a value, under the lock: parsed from its text (kept while the execution runs)
    /// when the execution keeps only text.
    private func inputValue(_ s: inout State) -> JSONValue {
        if let fixedInput { return fixedInput }
        if let parsed = s.parsedInput { return parsed }
        let parsed = (try? JSONValue(parsing: inputText ?? "null")) ?? .null
        if s.status == .running { s.parsedInput = parsed }
        return parsed
    }

    public func snapshot() -> ExecutionSnapshot {
        state.withLock { visibleSnapshot(&$0) }
    }

    private func visibleSnapshot(_ s: inout State) -> ExecutionSnapshot {
        var identity = identity
        identity.redriveCount = s.redriveCount
        return ExecutionSnapshot(
            identity: identity, input: inputValue(&s), status: s.status, output: s.outputValue, error: s.error,
            cause: s.cause, stopDate: s.stopDate, redriveDate: s.redriveDate, history: s.events)
    }

    /// The status it has, or the one it is about to have when its end is decided but not yet
    /// visible (see ``ExecutionObserver/executionWillEnd(_:)``): what a store writes.
    public var statusIncludingDecidedEnd: ExecutionStatus {
        state.withLock { $0.ending?.status ?? $0.status }
    }

    /// ``snapshot()`` as it will be once its decided end is visible (status, output, error, cause,
    /// stop date and closing event); the snapshot itself when no end is pending.
    public func snapshotIncludingDecidedEnd() -> ExecutionSnapshot {
        let (snapshot, ending) = state.withLock { s in (visibleSnapshot(&s), s.ending) }
        guard let ending else { return snapshot }
        var ended = snapshot
        ended.status = ending.status
        ended.output = ending.output
        ended.error = ending.error
        ended.cause = ending.cause
        ended.stopDate = ending.stopDate
        if let event = ending.event { ended.history.append(event) }
        return ended
    }

    /// How an execution ended, without its input or history: what a Map Run's results and result
    /// files need of each child (a snapshot would parse a child's input and copy its history).
    struct Ending {
        var status: ExecutionStatus
        var output: JSONValue?
        var error: String?
        var cause: String?
        var stopDate: Timestamp?
        var redriveCount: Int
    }

    func ending() -> Ending {
        state.withLock {
            Ending(
                status: $0.status, output: $0.outputValue, error: $0.error,
                cause: $0.cause, stopDate: $0.stopDate, redriveCount: $0.redriveCount)
        }
    }

    /// What a listing shows: the snapshot without its history (which a closed execution would
    /// unpack); its `output` is nil when the execution is packed, and its `input` null for a Map
    /// Run's child, which keeps its input as text (a listing of 100,000 children would parse them
    /// all for every page).
    public func summary() -> ExecutionSnapshot {
        state.withLock {
            var identity = identity
            identity.redriveCount = $0.redriveCount
            return ExecutionSnapshot(
                identity: identity, input: fixedInput ?? .null, status: $0.status, output: $0.output, error: $0.error,
                cause: $0.cause, stopDate: $0.stopDate, redriveDate: $0.redriveDate, history: [])
        }
    }

    /// How many times RedriveExecution has restarted this execution (`$$.Execution.RedriveCount`).
    public var redriveCount: Int { state.withLock { $0.redriveCount } }

    public var status: ExecutionStatus { state.withLock { $0.status } }

    /// When it ended; nil while it runs.
    var stopDate: Timestamp? { state.withLock { $0.stopDate } }

    /// StopExecution: aborts a running execution with the given error and cause and records
    /// ExecutionAborted. Returns the stop date; a finished execution is left as it is.
    @discardableResult
    public func stop(error: String?, cause: String?) -> Timestamp {
        let now = clock.now()
        let (runner, decidedEnd) = state.withLock { s -> (Task<Void, Never>?, Timestamp?) in
            // An end already decided (being written) stands, as one already visible does.
            if let ending = s.ending { return (nil, ending.stopDate) }
            guard s.status == .running else { return (nil, nil) }
            s.abortRequest = StatesError(error ?? "", cause: cause)
            return (s.runner, nil)
        }
        if let runner {
            runner.cancel()
        } else {
            return decidedEnd ?? snapshot().stopDate ?? now
        }
        finish(status: .aborted, output: nil, error: error, cause: cause, eventType: .executionAborted, at: now)
        return now
    }

    /// Ends the execution, failed with `error` and `cause`, at its next state transition: what
    /// AWS does to the running executions of a state machine being deleted ("On the next state
    /// transition, the state machine's executions are terminated"). A Wait, a retry back-off or a
    /// task waiting for its answer is not cut short; the transition after it ends the execution.
    public func endAtNextTransition(error: String, cause: String) {
        let asked = state.withLock { s -> Bool in
            guard s.status == .running else { return false }
            s.endAtNextTransition = StatesError(error, cause: cause)
            return true
        }
        if asked { endsAtNextTransition.store(true, ordering: .releasing) }
    }

    /// Called between states once ``endsAtNextTransition`` is set: fails the execution as asked
    /// and cancels what else of it runs (other branches and iterations). False when it was not asked.
    func endAsAsked(at now: Timestamp) -> Bool {
        let (end, runner) = state.withLock { s in (s.endAtNextTransition, s.runner) }
        guard let end else { return false }
        finish(status: .failed, output: nil, error: end.error, cause: end.cause, eventType: .executionFailed, at: now)
        runner?.cancel()
        return true
    }

    /// For the parent Task that started this nested execution (`.sync`): suspends until it has
    /// finished, then returns its final snapshot. Meanwhile, when time passes instantly, the
    /// parent's other branches go on: in turn with the child's waits when the child runs as a
    /// thread of the waiting branch (``TaskChildThread``), as waiting for the world outside otherwise.
    ///
    /// `deadline`: when the parent's Task times out (its TimeoutSeconds, or its execution's). For a
    /// child that runs as a thread of the waiting branch, it is a wait of that branch in the
    /// timeline: if it passes before the child has ended, the child is stopped then (as a Task
    /// timing out on the real clock stops its `.sync` child) and this returns nil, with the
    /// branch's time at the deadline. Otherwise the caller compares the child's end with it.
    public func waitUntilFinishedForParentTask(deadline: Timestamp? = nil) async -> ExecutionSnapshot? {
        guard let thread = taskChildThread, TimelineSlot.current?.clock === thread.forkedBy else {
            return await ThreadWaits.outside { await waitUntilFinished() }
        }
        let fork = thread.fork
        guard let deadline else {
            await fork.awaitThread { await thread.waitForEnd() }
            return snapshot()
        }
        // The deadline waits as a thread of its own beside the child's; the branch takes whichever
        // ends first, then the other's end, so the timeline counts both threads out.
        let timer = fork.threadClock()
        let timedOut = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await fork.run(on: timer) { (try? await timer.sleep(until: deadline)) != nil } }
            group.addTask {
                await thread.waitForEnd()
                return false
            }
            let timedOut = await fork.awaitThread { await group.next() ?? false }
            if timedOut {
                thread.forkedBy.catchUp(to: deadline.millisecondsSince1970)
                stop(error: nil, cause: nil)
            } else {
                group.cancelAll()
            }
            _ = await fork.awaitThread { await group.next() }
            return timedOut
        }
        return timedOut ? nil : snapshot()
    }

    /// Suspends until the execution has finished, then returns its final snapshot.
    public func waitUntilFinished() async -> ExecutionSnapshot {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.status != .running { return true }
                s.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
        return snapshot()
    }

    // MARK: - Engine side

    func setRunner(_ task: Task<Void, Never>) {
        state.withLock { s in
            if !s.runnerEnded { s.runner = task }
        }
    }

    /// Called by the runner as its last step: drops it (and tells ``setRunner(_:)`` not to keep
    /// it, when the run ended before its task was even stored).
    func runnerDidEnd() {
        state.withLock { s in
            s.runner = nil
            s.runnerEnded = true
        }
    }

    /// The map runs its Distributed Map states started, oldest first (ListMapRuns).
    public var mapRuns: [MapRun] { state.withLock { $0.mapRuns } }

    func add(_ mapRun: MapRun) {
        state.withLock { $0.mapRuns.append(mapRun) }
    }

    /// Attaches the Map Runs a store kept for this (restored) execution, oldest first.
    public func restore(mapRuns: [MapRun]) {
        state.withLock { $0.mapRuns = mapRuns }
    }

    /// Hands a restored execution the Map Runs that were under way when the server stopped and
    /// that its resumed run has not recorded again yet (their MapRunStarted follows the
    /// checkpoint the state runs again from): the Distributed Map state that started each
    /// continues it. Those no
    /// state continues end ABORTED when the execution ends.
    public func keepInterrupted(_ runs: [InterruptedMapRun]) {
        state.withLock { $0.interruptedMapRuns = runs }
    }

    /// Whether a restart interrupted a run reporting to `stateMachineArn` that no state has claimed yet.
    func hasInterruptedMapRun(stateMachineArn: String) -> Bool {
        state.withLock { s in s.interruptedMapRuns.contains { $0.run.stateMachineArn == stateMachineArn } }
    }

    /// The interrupted run a Distributed Map state (reporting to `stateMachineArn`) started over
    /// these `inputs`, taken off the list; nil when there is none (the state starts a new run).
    /// A run none of whose children had started (the restart came while its reader was still
    /// reading) proves nothing by its items, and nothing of it ran: when no run matches the
    /// items, the state takes such a run as its own rather than leaving it to end ABORTED.
    func claimInterruptedMapRun(stateMachineArn: String, inputs: ChildInputs) -> InterruptedMapRun? {
        state.withLock { s in
            guard !s.interruptedMapRuns.isEmpty else { return nil }
            let matching =
                s.interruptedMapRuns.firstIndex { $0.run.stateMachineArn == stateMachineArn && $0.run.runs(inputs) }
                ?? s.interruptedMapRuns.firstIndex { $0.run.stateMachineArn == stateMachineArn && $0.hasNoChildren }
            guard let index = matching else { return nil }
            return s.interruptedMapRuns.remove(at: index)
        }
    }

    /// The interrupted run a Distributed Map state with an ItemReader takes before it reads (so
    /// that DescribeMapRun counts the items as they are read again): only when every run a
    /// restart interrupted under `stateMachineArn` had no child yet, so that no run with
    /// children, recognisable only by its items, is taken by the wrong state.
    func claimUnreadInterruptedMapRun(stateMachineArn: String) -> MapRun? {
        state.withLock { s in
            let candidates = s.interruptedMapRuns.indices.filter { s.interruptedMapRuns[$0].run.stateMachineArn == stateMachineArn }
            guard let first = candidates.first, candidates.allSatisfy({ s.interruptedMapRuns[$0].hasNoChildren }) else { return nil }
            return s.interruptedMapRuns.remove(at: first).run
        }
    }

    func keepRedrivePoint(_ point: RedrivePoint?) {
        state.withLock { $0.redrivePoint = point }
    }

    /// Appends an event, numbering it and linking it to `previous` (the id of the event it
    /// follows causally, 0 for the first). Returns the new event's id.
    @discardableResult
    func record(_ type: HistoryEventType, details: JSONObject, previous: Int?, at time: Timestamp? = nil) -> Int {
        record(type, recorded: .object(details), previous: previous, at: time)
    }

    /// Records `type` with its details under AWS's member for it (``HistoryEventType/detailsKey``).
    func record(_ type: HistoryEventType, recorded: consuming RecordedDetails, previous: Int?, at time: Timestamp? = nil) -> Int {
        guard recordsHistory else { return countEvent(type) }
        var stamp = time ?? clock.now()
        return record(type, recorded: consume recorded, previous: previous, stampedAt: &stamp)
    }

    /// Records `type` at `stamp`, or at the moment of the event before it if that is later (see
    /// below), and leaves in `stamp` the moment it was recorded at: a state's entered event
    /// tells the state when it was entered (its Wait counts from there).
    func record(_ type: HistoryEventType, recorded: consuming RecordedDetails, previous: Int?, stampedAt stamp: inout Timestamp) -> Int {
        guard recordsHistory else { return countEvent(type) }
        let timestamp = stamp
        // Moved into the lock's closure (`take()`), not captured: a captured value is copied in,
        // retaining every payload once more per event and releasing it after.
        var details: RecordedDetails? = consume recorded
        let (id, stamped) = state.withLock { s -> (Int, Timestamp) in
            guard (s.status == .running && s.ending == nil) || type.isExecutionEvent else { return (0, timestamp) }
            s.unpackHistory()
            var id = s.history.count + 1
            let previousId = previous ?? (id - 1)
            if !s.replayPending.isEmpty {
                // The same event again after a restart: it is the one recorded before (see ``expectReplay(of:)``).
                if let original = s.takeReplayed(type, previous: previousId, details: details!) { return (original.id, original.timestamp) }
                // Another one where the thread had gone on before: what it had recorded from there
                // goes if nothing came after; otherwise the same event answered otherwise (a call
                // with a new `States.UUID()`) takes the place of the one it replaces.
                if s.dropSupersededTail(after: previousId) {
                    id = s.history.count + 1
                } else if let replaced = s.replaceSameEvent(type, previous: previousId, details: details!) {
                    return (replaced.id, replaced.timestamp)
                }
            }
            // Numbered as it is appended, so stamped no earlier than the event before it: two
            // threads that read the clock and then take this lock in the other order would
            // otherwise give a later id an earlier moment (AWS numbers events as they happen).
            let stamped = s.history.last.map { max($0.timestamp, timestamp) } ?? timestamp
            // Moved into the array (see ``HistoryEvent``'s initialisers for why that holds).
            s.history.append(HistoryEvent(id: id, previousEventId: previousId, timestamp: stamped, type: type, recorded: details.take()!))
            return (id, stamped)
        }
        stamp = stamped
        if keepsCheckpoints, id > 0 { notifyObserver() }
        if changeReaders.load(ordering: .relaxed) > 0 { wakeChangeReaders() }
        return id
    }

    /// Makes the events recorded after the checkpoint a resumed run starts from (its
    /// ``ExecutionCheckpoint/eventsKept``) what that run is expected to record again. The history
    /// keeps them: each event the run records that follows the same event, with the same type and
    /// details, as one of them is that event (same id and moment) rather than a new one, so a history
    /// read before the restart reads the same after it (AWS never rewrites an event), a Parallel's
    /// or Map's threads included, whatever order they record in. Finished branches and iterations
    /// are not run again, so their events stay as they are. An event that matches none (a call
    /// answered otherwise, a worker of another name) drops what its thread had recorded from there
    /// when that is the end of the history (``State/dropSupersededTail(after:)``), else takes the
    /// place of the event for the same step (``State/replaceSameEvent(_:previous:details:)``), else
    /// is appended.
    func expectReplay(of events: [HistoryEvent]) {
        guard recordsHistory, !events.isEmpty else { return }
        state.withLock { s in
            s.replayPending = Dictionary(grouping: events, by: \.previousEventId)
            s.replayPendingIds = Set(events.map(\.id))
        }
        resumedWithEvents.store(true, ordering: .releasing)
    }

    /// After a restart, the event of `type` that a Task call had recorded after event `previous`
    /// before it (its TaskSubmitted: the job started, the message sent), when the call made again
    /// is the same call: its scheduled event (`scheduled`) was found unchanged, not replaced, and
    /// that event is still expected again. Nil otherwise (no restart, a call with other
    /// parameters, a call that had not got so far).
    func recordedBeforeRestart(_ type: HistoryEventType, after previous: Int, forCallScheduledAt scheduled: Int) -> HistoryEvent? {
        guard resumedWithEvents.load(ordering: .acquiring) else { return nil }
        return state.withLock { s in
            guard !s.replayPending.isEmpty, !s.replacedEventIds.contains(scheduled) else { return nil }
            return s.replayPending[previous]?.first { $0.type == type.rawValue && $0.detailsKey == type.detailsKey }
        }
    }

    /// Says a thread now waits for `wait`; returns what ``endWaiting(_:)`` takes when it no longer does.
    func beginWaiting(_ wait: PendingWait) -> Int {
        let id = state.withLock { s -> Int in
            guard s.status == .running else { return 0 }
            s.nextWaitId += 1
            s.pendingWaits[s.nextWaitId] = wait
            s.waitsVersion += 1
            return s.nextWaitId
        }
        if changeReaders.load(ordering: .relaxed) > 0 { wakeChangeReaders() }
        return id
    }

    /// The wait ``beginWaiting(_:)`` said began has ended (passed, answered, stopped).
    func endWaiting(_ id: Int) {
        let ended = state.withLock { s in
            guard s.pendingWaits.removeValue(forKey: id) != nil else { return false }
            s.waitsVersion += 1
            return true
        }
        if ended, changeReaders.load(ordering: .relaxed) > 0 { wakeChangeReaders() }
    }

    /// A worker's SendTaskHeartbeat reached the Task waiting as `id` (see ``beginWaiting(_:)``):
    /// its listed wait now says when the next heartbeat is due. A beat older than one already
    /// noted changes nothing.
    func noteHeartbeat(waitId id: Int, at moment: Timestamp) {
        let changed = state.withLock { s in
            guard let wait = s.pendingWaits[id], wait.lastHeartbeat.map({ $0 < moment }) ?? true else { return false }
            s.pendingWaits[id]!.lastHeartbeat = moment
            s.waitsVersion += 1
            return true
        }
        if changed, changeReaders.load(ordering: .relaxed) > 0 { wakeChangeReaders() }
    }

    /// Runs `body` (a thread's wait) with `wait` among the execution's ``pendingWaits``.
    func waiting<T>(_ wait: PendingWait, _ body: () async -> T) async -> T {
        let id = beginWaiting(wait)
        defer { endWaiting(id) }
        return await body()
    }

    /// What the execution's threads wait for now, earliest first (none once it has ended), and
    /// the version of that list (see ``waitForChange(after:waitsVersion:status:timeout:)``).
    public var pendingWaits: (waits: [PendingWait], version: Int) {
        state.withLock { s in
            let waits = s.pendingWaits.sorted { ($0.value.since, $0.key) < ($1.value.since, $1.key) }.map(\.value)
            return (waits, s.waitsVersion)
        }
    }

    /// Numbers an event without keeping it (an execution that counts its events but keeps no
    /// history): the id it would have had, 0 once the execution has ended (or when it counts nothing).
    func countEvent(_ type: HistoryEventType) -> Int {
        guard countsEvents else { return 0 }
        return state.withLock { s in
            guard (s.status == .running && s.ending == nil) || type.isExecutionEvent else { return 0 }
            s.countedEvents += 1
            return s.countedEvents
        }
    }

    var lastEventId: Int { state.withLock { $0.eventCount } }

    /// When event `id` was recorded; nil without a history (or for an id it does not have).
    func timestamp(ofEvent id: Int) -> Timestamp? {
        state.withLock { s in id > 0 && id <= s.history.count ? s.history[id - 1].timestamp : nil }
    }

    /// Keeps, with the checkpoint, where the branch or iteration at `path` stands as it enters one
    /// of its states (see ``RunningThread``).
    func keepThreadPosition(along path: [ThreadStep], _ position: RunningThread) {
        let kept = state.withLock { s -> Bool in
            guard s.status == .running, s.checkpoint != nil else { return false }
            s.checkpoint?.updateThreads(along: path) { threads, index in threads.running[index] = position }
            return true
        }
        if kept { notifyObserver() }
    }

    /// Keeps, with the checkpoint, how far the Retry of the state the branch or iteration at `path`
    /// is in has got, with the ids of every event that thread has recorded so far (its failed
    /// attempts' included; see ``RunningThread/retry``).
    func keepThreadRetry(along path: [ThreadStep], _ progress: RetryProgress, eventIds: [Int]) {
        let kept = state.withLock { s -> Bool in
            guard s.status == .running, s.checkpoint != nil else { return false }
            s.checkpoint?.updateThreads(along: path) { threads, index in
                guard var thread = threads.running[index] else { return }
                thread.retry = progress
                thread.eventIds = eventIds
                thread.nested = nil
                threads.running[index] = thread
            }
            return true
        }
        if kept { notifyObserver() }
    }

    /// Keeps, with the checkpoint, how far the state's Retry has got (see ``RetryProgress``);
    /// `make` is given the number of events recorded so far.
    func keepRetryProgress(after lastEventId: Int, _ make: (Int) -> RetryProgress) {
        let kept = state.withLock { s -> Bool in
            guard s.status == .running, s.checkpoint != nil else { return false }
            let progress = make(s.eventsBefore(lastEventId))
            s.checkpoint?.retry = progress
            s.checkpoint?.threads = nil
            return true
        }
        if kept { notifyObserver() }
    }

    /// Keeps, with the checkpoint, that the branch or iteration at `path` succeeded with `output`
    /// after recording `eventIds` (see ``KeptThreads``).
    func keepFinishedThread(along path: [ThreadStep], output: JSONValue, eventIds: [Int]) {
        let kept = state.withLock { s -> Bool in
            guard s.status == .running, s.checkpoint != nil else { return false }
            s.checkpoint?.updateThreads(along: path) { threads, index in
                threads.threads[index] = FinishedThread(output: output, eventIds: eventIds)
                threads.running[index] = nil
            }
            return true
        }
        if kept { notifyObserver() }
    }

    func finish(status: ExecutionStatus, output: JSONValue?, error: String?, cause: String?, eventType: HistoryEventType, at now: Timestamp) {
        // Runs a restart interrupted that no state continued end with the execution: before its
        // status is, so that whoever sees it ended sees them ended too.
        let unclaimed = state.withLock { s -> [InterruptedMapRun] in
            guard s.status == .running, s.ending == nil, !s.interruptedMapRuns.isEmpty else { return [] }
            defer { s.interruptedMapRuns = [] }
            return s.interruptedMapRuns
        }
        for interrupted in unclaimed { interrupted.run.abandon(at: now) }
        // Decided once (the first of a natural end, a timeout and StopExecution wins), then
        // written by the observer, then made visible: a client that saw the execution ended finds
        // it ended after any crash, never running its last step again.
        let ending = state.withLock { s -> ExecutionEnding? in
            guard s.status == .running, s.ending == nil else { return nil }
            // Not before the last event (see `record`), which a thread may have stamped ahead of
            // the clock that ends the execution.
            let stopDate = s.history.last.map { max($0.timestamp, now) } ?? now
            var event: HistoryEvent?
            if recordsHistory {
                var details = JSONObject(minimumCapacity: 2)
                switch status {
                case .succeeded:
                    details["output"] = .string(output?.serialized() ?? "null")
                    details["outputDetails"] = .notTruncated
                default:
                    if let error, !error.isEmpty { details["error"] = .string(error) }
                    if let cause { details["cause"] = .string(cause) }
                }
                let id = s.history.count + 1
                event = HistoryEvent(id: id, previousEventId: id - 1, timestamp: stopDate, type: eventType, recorded: .object(details))
            }
            let ending = ExecutionEnding(
                status: status, output: output, error: error?.isEmpty == true ? nil : error, cause: cause, stopDate: stopDate, event: event)
            s.ending = ending
            return ending
        }
        guard let ending else { return }
        observer?.executionWillEnd(self)
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { s in
            s.ending = nil
            s.status = ending.status
            s.output = ending.output
            s.parsedInput = nil
            s.pendingWaits = [:]
            s.replayPending = [:]
            s.replayPendingIds = []
            s.error = ending.error
            s.cause = ending.cause
            s.stopDate = ending.stopDate
            if let event = ending.event {
                s.history.append(event)
                if packsClosedHistory, s.history.count <= CompactHistory.maximumEvents {
                    s.closedHistory = CompactHistory(s.history)
                    s.history = []
                    s.closedOutput = ending.output?.serialized()
                    s.output = nil
                }
            }
            let w = s.waiters
            s.waiters = []
            return w + takeChangeWaiters(&s).values
        }
        notifyObserver()
        for waiter in waiters { waiter.resume() }
    }
}

/// How an execution ends, decided under its lock before anyone can see it: what its observer
/// writes before the end is made visible (see ``Execution/finish(status:output:error:cause:eventType:at:)``).
struct ExecutionEnding: Sendable {
    var status: ExecutionStatus
    var output: JSONValue?
    var error: String?
    var cause: String?
    var stopDate: Timestamp
    /// ExecutionSucceeded / Failed / Aborted / TimedOut; nil for an execution that keeps no history.
    var event: HistoryEvent?
}
