import StepLocalASL
import StepLocalJSON
import Synchronization

/// A branch of a Parallel, or an iteration of an inline Map, that the execution's own thread
/// started and that succeeded: its output and the ids of every event it recorded. A store keeps
/// them with the ``ExecutionCheckpoint`` (in ``KeptThreads``) so that after a restart the finished
/// branches and iterations are not run again: their events stay in the history.
public struct FinishedThread: Sendable, Equatable {
    public var output: JSONValue
    /// Oldest first; they include the events of threads nested in this one.
    public var eventIds: [Int]

    public init(output: JSONValue, eventIds: [Int]) {
        self.output = output
        self.eventIds = eventIds
    }
}

/// A branch or iteration that had not finished: where it stood as it entered one of its own
/// program's states, and the events it had recorded before. After a restart those events stay
/// as they are and the thread continues at that state, rather than from its first one.
public struct RunningThread: Sendable, Equatable {
    public var position: ThreadPosition
    /// The thread's events before the state's entered event, oldest first.
    public var eventIds: [Int]
    /// While that state is a Parallel or an inline Map: its own branches or iterations, kept the
    /// same way (so a Parallel inside a Map iteration resumes only its unfinished branches).
    public var nested: KeptThreads?
    /// While that state waits out a Retry back-off: how far its Retry had got (``eventIds`` then
    /// run to the failed attempts' last event, which stay too). Its
    /// ``RetryProgress/eventCount`` is not used for a thread.
    public var retry: RetryProgress?

    public init(position: ThreadPosition, eventIds: [Int], nested: KeptThreads? = nil, retry: RetryProgress? = nil) {
        self.position = position
        self.eventIds = eventIds
        self.nested = nested
        self.retry = retry
    }
}

/// One step down the tree of kept threads: branch or iteration ``index`` of the fork (a Parallel
/// or inline Map run) whose `<Type>StateStarted` event is ``startedEventId``. A thread's path is
/// the steps from the execution's own thread to it.
public struct ThreadStep: Sendable, Equatable {
    public var startedEventId: Int
    public var index: Int

    public init(startedEventId: Int, index: Int) {
        self.startedEventId = startedEventId
        self.index = index
    }
}

/// The branches or iterations of the state a checkpoint names, for one run of it: the one whose
/// `<Type>StateStarted` event has ``startedEventId`` (a Retry starts another run).
public struct KeptThreads: Sendable, Equatable {
    public var startedEventId: Int
    /// By branch or iteration index.
    public var threads: [Int: FinishedThread]
    /// Those that had started and not finished, where each stood (see ``RunningThread``).
    public var running: [Int: RunningThread]

    public init(startedEventId: Int, threads: [Int: FinishedThread], running: [Int: RunningThread] = [:]) {
        self.startedEventId = startedEventId
        self.threads = threads
        self.running = running
    }

    /// Changes the threads of the fork `path` leads to (its first step names a fork of this level),
    /// handing `change` the index its last step names. A level kept for another run of its fork
    /// (a Retry started the state again) is started afresh; a path through a thread not kept as
    /// running changes nothing.
    mutating func update(along path: ArraySlice<ThreadStep>, _ change: (inout KeptThreads, Int) -> Void) {
        guard let step = path.first else { return }
        if startedEventId != step.startedEventId { self = KeptThreads(startedEventId: step.startedEventId, threads: [:]) }
        let rest = path.dropFirst()
        guard let next = rest.first else { return change(&self, step.index) }
        guard var thread = running[step.index] else { return }
        var nested = thread.nested ?? KeptThreads(startedEventId: next.startedEventId, threads: [:])
        nested.update(along: rest, change)
        thread.nested = nested
        running[step.index] = thread
    }

    /// Every event of these threads and of those kept inside the ones under way, found by id in
    /// `afterCheckpoint` (the events after the checkpoint): what the resumed run counts as already done.
    public func replayedEvents(in afterCheckpoint: [HistoryEvent]) -> [HistoryEvent] {
        var all: [HistoryEvent] = []
        for (index, picked) in events(in: afterCheckpoint) {
            all += picked
            if threads[index] == nil, let nested = running[index]?.nested { all += nested.replayedEvents(in: afterCheckpoint) }
        }
        return all
    }

    /// Each kept thread's events (finished or running), found by id in `events` (those after the
    /// checkpoint). A thread some of whose events are missing is left out: it runs again from
    /// its start.
    func events(in events: [HistoryEvent]) -> [Int: [HistoryEvent]] {
        guard let first = events.first else { return [:] }
        // In id order: a thread's log gets the events of the threads inside it as they come, which
        // side by side need not be the order their ids were given in; replayed in id order, every
        // event's previous event is replayed before it.
        func pick(_ ids: [Int]) -> [HistoryEvent]? {
            let picked = ids.sorted().compactMap { id -> HistoryEvent? in
                let position = id - first.id
                return events.indices.contains(position) && events[position].id == id ? events[position] : nil
            }
            return picked.count == ids.count ? picked : nil
        }
        var found: [Int: [HistoryEvent]] = [:]
        for (index, thread) in threads where !thread.eventIds.isEmpty { found[index] = pick(thread.eventIds) }
        // One still in its first state has recorded nothing before it (a Parallel branch): it continues there all the same.
        for (index, thread) in running where threads[index] == nil { found[index] = pick(thread.eventIds) }
        return found
    }
}

/// Collects the ids of the events one branch or iteration (and the threads inside it) records,
/// while the thread that forked it waits for it: what ``FinishedThread/eventIds`` and
/// ``RunningThread/eventIds`` keep. An event is logged by its thread and every thread around it.
final class ThreadEventLog: Sendable {
    private let ids: Mutex<[Int]>
    /// Where the thread sits in the tree of kept threads.
    let path: [ThreadStep]
    /// The log of the kept thread this one was forked in; nil for a branch of the execution's own thread.
    let parent: ThreadEventLog?

    /// `replayed`: the events a resumed thread had recorded before a restart (already in its
    /// parents' logs).
    init(replayed: [Int] = [], path: [ThreadStep], parent: ThreadEventLog?) {
        ids = Mutex(replayed)
        self.path = path
        self.parent = parent
    }

    func append(_ id: Int) { append(contentsOf: CollectionOfOne(id)) }

    func append(contentsOf newIds: some Collection<Int>) {
        var log: ThreadEventLog? = self
        while let current = log {
            current.ids.withLock { $0.append(contentsOf: newIds) }
            log = current.parent
        }
    }

    var eventIds: [Int] { ids.withLock { $0 } }
}

/// After a restart, the branches or iterations of the state the execution resumes in that had
/// finished (their outputs) or were under way (where they stood), with the events each had
/// recorded: those stay in the history where they are; finished threads are not run again,
/// running ones continue where they stood.
struct KeptThreadReplay: Sendable {
    /// The started event of the run of the state these threads belong to, when they were kept.
    var startedEventId: Int
    var threads: [Int: (output: JSONValue?, running: RunningThread?, events: [HistoryEvent])]

    /// `recorded`: the events after the checkpoint, where the kept threads' events are found.
    init?(_ kept: KeptThreads?, recorded: [HistoryEvent]) {
        guard let kept else { return nil }
        startedEventId = kept.startedEventId
        threads = [:]
        for (index, events) in kept.events(in: recorded) {
            if let finished = kept.threads[index] {
                threads[index] = (finished.output, nil, events)
            } else if let running = kept.running[index] {
                threads[index] = (nil, running, events)
            }
        }
        if threads.isEmpty { return nil }
    }
}

/// What a run continued after a restart takes up again in its first state: the branches or
/// iterations that had finished or were under way there (only for the run of that state whose
/// started event is the one they were kept for: a Retry of it runs everything), and how far its
/// Retry had got, with the state's entered time (see ``RetryProgress``).
final class ResumedState: Sendable {
    let threads: KeptThreadReplay?
    let retry: (progress: RetryProgress, enteredTime: Timestamp)?
    /// The events recorded after the checkpoint: nested kept threads find theirs here.
    let recorded: [HistoryEvent]

    init(threads: KeptThreadReplay?, retry: (progress: RetryProgress, enteredTime: Timestamp)?, recorded: [HistoryEvent]) {
        self.threads = threads
        self.retry = retry
        self.recorded = recorded
    }

    /// The kept threads, for the run of a Parallel or Map whose started event is `startedId`.
    /// A resumed run records that event again as the one it was (see
    /// ``Execution/expectReplay(of:)``), so it has the same id; a run that recorded it anew (its
    /// input changed meanwhile) runs all its threads.
    func claim(startedId: Int) -> KeptThreadReplay? {
        threads?.startedEventId == startedId ? threads : nil
    }
}

/// How a finished thread kept across a restart ended in the history.
struct ReplayedThread {
    var output: JSONValue
    /// Its last event's id.
    var lastEventId: Int
    /// The id of the event its last event follows (a Map iteration's last inner event).
    var lastInnerEventId: Int
    var lastTimestamp: Timestamp
}

/// A thread that was under way when the server stopped: where it continues.
struct ResumedThread: Sendable {
    var position: ThreadPosition
    /// Its events' ids, which its log starts from.
    var eventIds: [Int]
    /// The id its next event names as previous.
    var lastEventId: Int
    /// The threads kept inside the state it continues at (a nested Parallel or Map).
    var nested: KeptThreads?
    /// How far that state's Retry had got: it waits out the back-off
    /// and makes the next attempt.
    var retry: RetryProgress?
}

extension Interpreter {
    /// The threads of ``ResumedState/threads`` (when it belongs to the run whose started event is
    /// `startedId`): their events stay in the history where they were recorded; the finished ones
    /// are kept as finished again. Returns how each finished one ended and where each running one
    /// continues, by index.
    func replayKeptThreads(startedId: Int) -> (finished: [Int: ReplayedThread], running: [Int: ResumedThread]) {
        guard execution.recordsHistory, let replay = resumed?.claim(startedId: startedId) else { return ([:], [:]) }
        var ended: [Int: ReplayedThread] = [:]
        var running: [Int: ResumedThread] = [:]
        for (index, thread) in replay.threads {
            let ids = thread.events.map(\.id)
            // The threads around this one log its events as theirs too.
            threadLog?.append(contentsOf: ids)
            if let output = thread.output, let last = thread.events.last {
                execution.keepFinishedThread(along: keptPath(startedId, index), output: output, eventIds: ids)
                ended[index] = ReplayedThread(
                    output: output, lastEventId: last.id, lastInnerEventId: last.previousEventId, lastTimestamp: last.timestamp)
            } else if let position = thread.running {
                // Kept again at once, not when it next enters a state: one waiting out a Retry
                // back-off enters none until the back-off ends, and a second restart meanwhile
                // would otherwise run it from its first state.
                execution.keepThreadPosition(along: keptPath(startedId, index), position)
                running[index] = ResumedThread(
                    position: position.position, eventIds: ids, lastEventId: position.position.lastEventId,
                    nested: position.retry == nil ? position.nested : nil, retry: position.retry)
            }
        }
        return (ended, running)
    }

    /// The path of branch or iteration `index` of the fork started by `startedId` in this thread.
    func keptPath(_ startedId: Int, _ index: Int) -> [ThreadStep] {
        (threadLog?.path ?? []) + [ThreadStep(startedEventId: startedId, index: index)]
    }

    /// Whether a Parallel or Map this thread runs keeps its branches or iterations (see
    /// ``KeptThreads``): in the execution's own thread and in every kept thread, when a store
    /// observes the execution.
    func keepsThreads(_ frame: Frame) -> Bool {
        execution.keepsCheckpoints && (frame.isExecutionThread || threadLog != nil)
    }

    /// This interpreter as kept branch or iteration `index` of the fork started by `startedId`:
    /// logging its events (starting from those replayed for it, if it is resumed) and, if it
    /// continues in a Parallel or Map whose own threads were kept, resuming those.
    func keptThread(_ startedId: Int, _ index: Int, resumed thread: ResumedThread?) -> Interpreter {
        var kept = self
        kept.threadLog = ThreadEventLog(replayed: thread?.eventIds ?? [], path: keptPath(startedId, index), parent: threadLog)
        kept.resumed = nil
        if let nested = thread?.nested, let recorded = resumed?.recorded {
            kept.resumed = ResumedState(threads: KeptThreadReplay(nested, recorded: recorded), retry: nil, recorded: recorded)
        }
        return kept
    }

    /// When time passes instantly, this thread's time moves on to the last replayed event's, as
    /// ``join(_:)`` moves it to the latest of the threads that ran (the real clock is past it already).
    func catchUp(with replayed: [Int: ReplayedThread]) async {
        guard clock.passesTimeInstantly, let latest = replayed.values.map(\.lastTimestamp).max(), latest > clock.now() else { return }
        try? await clock.sleep(until: latest)
    }
}
