import StepLocalASL
import StepLocalJSON
import Synchronization

/// A branch of a Parallel, or an iteration of an inline Map, that the execution's own thread
/// started and that succeeded: its output and the ids of every event it recorded. A store keeps
/// them with the ``ExecutionCheckpoint`` so that after a restart only the branches and iterations
/// that had not finished run again; the finished ones have their events recorded again instead.
public struct FinishedThread: Sendable, Equatable {
    public var output: JSONValue
    /// Oldest first; they include the events of threads nested in this one.
    public var eventIds: [Int]

    public init(output: JSONValue, eventIds: [Int]) {
        self.output = output
        self.eventIds = eventIds
    }
}

/// The finished branches or iterations of the state a checkpoint names, for one run of it: the
/// one whose `<Type>StateStarted` event has ``startedEventId`` (a Retry starts another run).
public struct FinishedThreads: Sendable, Equatable {
    public var startedEventId: Int
    /// By branch or iteration index.
    public var threads: [Int: FinishedThread]

    public init(startedEventId: Int, threads: [Int: FinishedThread]) {
        self.startedEventId = startedEventId
        self.threads = threads
    }

    /// Each finished thread's events, found by id in `events` (what a restart cut from the
    /// history). A thread some of whose events are missing is left out: it runs again.
    public func events(in events: [HistoryEvent]) -> [Int: [HistoryEvent]] {
        guard let first = events.first else { return [:] }
        var found: [Int: [HistoryEvent]] = [:]
        for (index, thread) in threads {
            let picked = thread.eventIds.compactMap { id -> HistoryEvent? in
                let position = id - first.id
                return events.indices.contains(position) && events[position].id == id ? events[position] : nil
            }
            if picked.count == thread.eventIds.count, !picked.isEmpty { found[index] = picked }
        }
        return found
    }
}

/// Collects the ids of the events one branch or iteration (and the threads inside it) records,
/// while the execution's own thread waits for it: what ``FinishedThread/eventIds`` keeps.
final class ThreadEventLog: Sendable {
    private let ids = Mutex<[Int]>([])

    func append(_ id: Int) { ids.withLock { $0.append(id) } }

    var eventIds: [Int] { ids.withLock { $0 } }
}

/// After a restart, the finished branches or iterations of the state the execution resumes in:
/// their outputs and the events they had recorded, which are recorded again (under new ids, with
/// their links and timestamps carried over) instead of running them.
struct FinishedThreadReplay: Sendable {
    var startedEventId: Int
    var threads: [Int: (output: JSONValue, events: [HistoryEvent])]

    init?(_ finished: FinishedThreads?, events: [Int: [HistoryEvent]]) {
        guard let finished else { return nil }
        startedEventId = finished.startedEventId
        threads = [:]
        for (index, thread) in finished.threads {
            if let recorded = events[index] { threads[index] = (thread.output, recorded) }
        }
        if threads.isEmpty { return nil }
    }
}

/// What a run continued after a restart takes up again in its first state: the branches or
/// iterations that had finished there, recorded again instead of run (only by the run of that
/// state whose started event has the same id, so a Retry of it runs everything), and how far its
/// Retry had got, with the state's entered time (see ``RetryProgress``).
final class ResumedState: Sendable {
    let finishedThreads: FinishedThreadReplay?
    let retry: (progress: RetryProgress, enteredTime: Timestamp)?

    init(finishedThreads: FinishedThreadReplay?, retry: (progress: RetryProgress, enteredTime: Timestamp)?) {
        self.finishedThreads = finishedThreads
        self.retry = retry
    }
}

/// How a replayed thread ends in the new history.
struct ReplayedThread {
    var output: JSONValue
    /// Its last event's new id.
    var lastEventId: Int
    /// The new id of the event its last event follows (a Map iteration's last inner event).
    var lastInnerEventId: Int
    var lastTimestamp: Timestamp
}

extension Interpreter {
    /// Records again, in the order they first happened, the events of the finished threads of
    /// ``ResumedState/finishedThreads`` (when it belongs to the run whose started event is
    /// `startedId`) and keeps them as finished under their new ids. Returns how each ended, by index.
    func replayFinishedThreads(startedId: Int) -> [Int: ReplayedThread] {
        guard let replay = resumed?.finishedThreads, replay.startedEventId == startedId, execution.recordsHistory else { return [:] }
        var renumbered: [Int: Int] = [:]
        var ended: [Int: ReplayedThread] = [:]
        let ordered = replay.threads.sorted { ($0.value.events.first?.id ?? 0) < ($1.value.events.first?.id ?? 0) }
        for (index, thread) in ordered {
            let newIds = execution.replay(thread.events, renumbering: &renumbered)
            guard newIds.count == thread.events.count, let last = thread.events.last else { break }
            execution.keepFinishedThread(index, of: startedId, output: thread.output, eventIds: newIds)
            ended[index] = ReplayedThread(
                output: thread.output, lastEventId: newIds[newIds.count - 1],
                lastInnerEventId: renumbered[last.previousEventId] ?? last.previousEventId, lastTimestamp: last.timestamp)
        }
        return ended
    }

    /// When time passes instantly, this thread's time moves on to the last replayed event's, as
    /// ``join(_:)`` moves it to the latest of the threads that ran (the real clock is past it already).
    func catchUp(with replayed: [Int: ReplayedThread]) async {
        guard clock.passesTimeInstantly, let latest = replayed.values.map(\.lastTimestamp).max(), latest > clock.now() else { return }
        try? await clock.sleep(until: latest)
    }
}
