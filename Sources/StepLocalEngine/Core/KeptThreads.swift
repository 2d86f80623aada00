import StepLocalASL
import StepLocalJSON
import Synchronization

/// A branch of a Parallel, or an iteration of an inline Map, that the execution's own thread
/// started and that succeeded: its output and the ids of every event it recorded. A store keeps
/// them with the ``ExecutionCheckpoint`` (in ``KeptThreads``) so that after a restart the finished
/// branches and iterations are not run again: their events are recorded again instead.
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
/// program's states, and the events it had recorded before. After a restart those events are
/// recorded again and the thread continues at that state, rather than from its first one.
public struct RunningThread: Sendable, Equatable {
    public var position: ThreadPosition
    /// The thread's events before the state's entered event, oldest first.
    public var eventIds: [Int]

    public init(position: ThreadPosition, eventIds: [Int]) {
        self.position = position
        self.eventIds = eventIds
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

    /// Each kept thread's events (finished or running), found by id in `events` (what a restart cut
    /// from the history). A thread some of whose events are missing is left out: it runs again from
    /// its start.
    public func events(in events: [HistoryEvent]) -> [Int: [HistoryEvent]] {
        guard let first = events.first else { return [:] }
        func pick(_ ids: [Int]) -> [HistoryEvent]? {
            let picked = ids.compactMap { id -> HistoryEvent? in
                let position = id - first.id
                return events.indices.contains(position) && events[position].id == id ? events[position] : nil
            }
            return picked.count == ids.count && !picked.isEmpty ? picked : nil
        }
        var found: [Int: [HistoryEvent]] = [:]
        for (index, thread) in threads { found[index] = pick(thread.eventIds) }
        for (index, thread) in running where threads[index] == nil { found[index] = pick(thread.eventIds) }
        return found
    }
}

/// Collects the ids of the events one branch or iteration (and the threads inside it) records,
/// while the execution's own thread waits for it: what ``FinishedThread/eventIds`` and
/// ``RunningThread/eventIds`` keep.
final class ThreadEventLog: Sendable {
    private let ids: Mutex<[Int]>

    /// `replayed`: the events a resumed thread had recorded before a restart, under their new ids.
    init(replayed: [Int] = []) { ids = Mutex(replayed) }

    func append(_ id: Int) { ids.withLock { $0.append(id) } }

    var eventIds: [Int] { ids.withLock { $0 } }
}

/// After a restart, the branches or iterations of the state the execution resumes in that had
/// finished (their outputs) or were under way (where they stood), with the events each had
/// recorded: those are recorded again (under new ids, with their links and timestamps carried
/// over); finished threads are not run again, running ones continue where they stood.
struct KeptThreadReplay: Sendable {
    var startedEventId: Int
    var threads: [Int: (output: JSONValue?, running: RunningThread?, events: [HistoryEvent])]

    init?(_ kept: KeptThreads?, events: [Int: [HistoryEvent]]) {
        guard let kept else { return nil }
        startedEventId = kept.startedEventId
        threads = [:]
        for (index, recorded) in events {
            if let finished = kept.threads[index] {
                threads[index] = (finished.output, nil, recorded)
            } else if let running = kept.running[index] {
                threads[index] = (nil, running, recorded)
            }
        }
        if threads.isEmpty { return nil }
    }
}

/// What a run continued after a restart takes up again in its first state: the branches or
/// iterations that had finished or were under way there, recorded again instead of run (only by the run of that
/// state whose started event has the same id, so a Retry of it runs everything), and how far its
/// Retry had got, with the state's entered time (see ``RetryProgress``).
final class ResumedState: Sendable {
    let threads: KeptThreadReplay?
    let retry: (progress: RetryProgress, enteredTime: Timestamp)?

    init(threads: KeptThreadReplay?, retry: (progress: RetryProgress, enteredTime: Timestamp)?) {
        self.threads = threads
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

/// A thread that was under way, its events recorded again: where it continues.
struct ResumedThread: Sendable {
    var position: ThreadPosition
    /// Its events' new ids, which its log starts from.
    var eventIds: [Int]
    /// The new id its next event names as previous.
    var lastEventId: Int

}

extension Interpreter {
    /// Records again, in the order they first happened, the events of the threads of
    /// ``ResumedState/threads`` (when it belongs to the run whose started event is
    /// `startedId`), keeping the finished ones as finished under their new ids. Returns how each
    /// finished one ended and where each running one continues, by index.
    func replayKeptThreads(startedId: Int) -> (finished: [Int: ReplayedThread], running: [Int: ResumedThread]) {
        guard let replay = resumed?.threads, replay.startedEventId == startedId, execution.recordsHistory else { return ([:], [:]) }
        var renumbered: [Int: Int] = [:]
        var ended: [Int: ReplayedThread] = [:]
        var running: [Int: ResumedThread] = [:]
        let ordered = replay.threads.sorted { ($0.value.events.first?.id ?? 0) < ($1.value.events.first?.id ?? 0) }
        for (index, thread) in ordered {
            let newIds = execution.replay(thread.events, renumbering: &renumbered)
            guard newIds.count == thread.events.count, let last = thread.events.last else { break }
            if let output = thread.output {
                execution.keepFinishedThread(index, of: startedId, output: output, eventIds: newIds)
                ended[index] = ReplayedThread(
                    output: output, lastEventId: newIds[newIds.count - 1],
                    lastInnerEventId: renumbered[last.previousEventId] ?? last.previousEventId, lastTimestamp: last.timestamp)
            } else if let position = thread.running {
                running[index] = ResumedThread(
                    position: position.position, eventIds: newIds,
                    lastEventId: renumbered[position.position.lastEventId] ?? position.position.lastEventId)
            }
        }
        return (ended, running)
    }

    /// When time passes instantly, this thread's time moves on to the last replayed event's, as
    /// ``join(_:)`` moves it to the latest of the threads that ran (the real clock is past it already).
    func catchUp(with replayed: [Int: ReplayedThread]) async {
        guard clock.passesTimeInstantly, let latest = replayed.values.map(\.lastTimestamp).max(), latest > clock.now() else { return }
        try? await clock.sleep(until: latest)
    }
}
