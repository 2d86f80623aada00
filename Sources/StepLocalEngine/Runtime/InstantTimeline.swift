import HeapModule
import Synchronization

/// Puts the threads of one execution in time order when time passes instantly (a virtual clock,
/// or `WAIT_TIME_SCALE=0`). Each Parallel branch and Map iteration runs on its own
/// ``ThreadClock``, so a branch that waits 10 s is stamped 10 s after the fork even while its
/// sibling waits 100 s. Without an order between them, whichever branch the task scheduler ran
/// first recorded its events first: a Wait of 100 s could end, by event id, before a Wait of 10 s.
/// On AWS the history is in time order, so here a thread that waits is held until no thread of
/// its execution can still record an earlier event, and waiting threads go on earliest deadline
/// first (those that share it together, side by side, as on AWS): a discrete-event simulation whose
/// events are the histories' own.
///
/// A thread counts as *running* until it waits: on a deadline (``sleep(until:)``), for the
/// threads it forked (``awaitThread(of:_:)``) or for the world outside (``outside(_:)``: a task
/// token, an activity worker, a child execution). Only when none is running does the earliest
/// deadline pass. A thread waiting for the world outside does not hold the others back, since
/// nobody inside the execution could end its wait.
final class InstantTimeline: Sendable {
    /// The execution's own thread, which forked the first threads (a timeline lives as long as
    /// one top-level Parallel or Map; nested forks join their thread's).
    static let root = 0

    private struct Node {
        var parent: Int?
        /// Threads it forked that have not ended.
        var liveThreads = 0
        /// Threads it forked that ended and whose result it has not taken yet.
        var endedUnseen = 0
        var awaitsThreads = false
    }

    /// A waiting thread's place in the queue: earliest deadline first, then the order they began
    /// to wait in (threads woken together resume in that order).
    private struct Wake: Comparable {
        var deadline: Int64
        var order: Int
        /// The thread's ``sleep(until:)`` call; no longer in `sleepers` once it was cancelled.
        var sleep: Int

        static func < (a: Wake, b: Wake) -> Bool {
            (a.deadline, a.order) < (b.deadline, b.order)
        }
    }

    private struct State {
        var nodes: [Int: Node] = [InstantTimeline.root: Node()]
        var nextNode = InstantTimeline.root + 1
        var running = 1
        /// The waiting threads, by their ``sleep(until:)`` call, and when each goes on. A heap, not
        /// a scan: a Distributed Map's thousands of children may all wait at once.
        var sleepers: [Int: CheckedContinuation<Void, any Error>] = [:]
        var wakes = Heap<Wake>()
        /// The latest deadline that has passed: the execution's time so far.
        var latest = Int64.min
        var nextSequence = 0
        var nextOrder = 0

        /// The waiting threads to go on now, if no thread is running: those whose deadline is the
        /// earliest, together (they wake at the same moment, as on AWS, and work side by side).
        /// They count as running again.
        mutating func next() -> [CheckedContinuation<Void, any Error>] {
            guard running == 0 else { return [] }
            // A cancelled thread's wake is dropped when it comes up, not searched for when cancelled.
            while let first = wakes.min, sleepers[first.sleep] == nil { wakes.removeMin() }
            guard let earliest = wakes.min?.deadline else { return [] }
            var woken: [CheckedContinuation<Void, any Error>] = []
            while let first = wakes.min, first.deadline == earliest {
                wakes.removeMin()
                if let continuation = sleepers.removeValue(forKey: first.sleep) { woken.append(continuation) }
            }
            running += woken.count
            latest = max(latest, earliest)
            return woken
        }
    }

    private let state = Mutex(State())

    /// Changes the state, then lets go on the threads whose deadline that made pass.
    private func update<Result>(_ change: (inout State) -> Result) -> Result {
        let (result, woken) = state.withLock { s in
            let result = change(&s)
            return (result, s.next())
        }
        for continuation in woken { continuation.resume() }
        return result
    }

    /// A thread `parent` forks; it runs from now on, until ``threadEnded(_:)``.
    func addThread(forkedBy parent: Int) -> Int {
        state.withLock { s in
            let node = s.nextNode
            s.nextNode += 1
            s.nodes[node] = Node(parent: parent)
            s.nodes[parent]?.liveThreads += 1
            s.running += 1
            return node
        }
    }

    /// The thread ended. Its parent, if it was waiting for its threads, runs again at once (before
    /// any other thread's time moves on), to take the result and start the next iteration.
    func threadEnded(_ node: Int) {
        update { s in
            guard let ended = s.nodes.removeValue(forKey: node) else { return }
            s.running -= 1
            if let parent = ended.parent, var p = s.nodes[parent] {
                p.liveThreads -= 1
                p.endedUnseen += 1
                if p.awaitsThreads {
                    p.awaitsThreads = false
                    s.running += 1
                }
                s.nodes[parent] = p
            }
        }
    }

    /// Runs `wait` (the forking thread's wait for the next of its threads to end) with `node`
    /// counted as not running while none of its threads has ended unseen.
    func awaitThread<T>(of node: Int, _ wait: () async -> T) async -> T {
        update { s in
            guard var n = s.nodes[node], n.endedUnseen == 0, n.liveThreads > 0 else { return }
            n.awaitsThreads = true
            s.nodes[node] = n
            s.running -= 1
        }
        let result = await wait()
        state.withLock { s in
            guard var n = s.nodes[node] else { return }
            if n.endedUnseen > 0 { n.endedUnseen -= 1 }
            if n.awaitsThreads {
                // Not woken by an ended thread (a wait that returned without one): it runs again.
                n.awaitsThreads = false
                s.running += 1
            }
            s.nodes[node] = n
        }
        return result
    }

    /// The latest deadline that has passed so far.
    func latestMoment() -> Int64 { state.withLock { $0.latest } }

    /// Runs `wait` (for a callback, a worker, a child execution) with the calling thread not
    /// counted as running, so the other threads' time moves on meanwhile. Returns what `wait`
    /// returned and the latest moment the other threads reached meanwhile: the answer came after it.
    func outside<T>(_ wait: () async throws -> T) async rethrows -> (T, Int64) {
        update { $0.running -= 1 }
        let result: T
        do {
            result = try await wait()
        } catch {
            state.withLock { $0.running += 1 }
            throw error
        }
        let latest = state.withLock { s in
            s.running += 1
            return s.latest
        }
        return (result, latest)
    }

    /// Returns when `deadline` is the earliest moment any thread of the execution waits for and
    /// no thread is running; throws `CancellationError` when the thread is cancelled meanwhile.
    func sleep(until deadline: Int64) async throws {
        let sequence = state.withLock { s in
            s.nextSequence += 1
            return s.nextSequence
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Under the lock: a cancellation handler that ran first finds nothing to remove,
                // and the task is then already marked cancelled.
                let cancelled = update { s in
                    if Task.isCancelled { return true }
                    s.sleepers[sequence] = continuation
                    s.nextOrder += 1
                    s.wakes.insert(Wake(deadline: deadline, order: s.nextOrder, sleep: sequence))
                    s.running -= 1
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let cancelled = state.withLock { s -> CheckedContinuation<Void, any Error>? in
                guard let continuation = s.sleepers.removeValue(forKey: sequence) else { return nil }
                s.running += 1
                return continuation
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }
}

/// The instant-time thread a task runs in, so that a dispatcher's wait for the world outside
/// (``ThreadWaits/outside(_:)``) lets the execution's other threads move on.
struct TimelineSlot: Sendable {
    let clock: ThreadClock

    @TaskLocal static var current: TimelineSlot?
}

/// For integrations: says that a Task waits for something outside its execution (a worker's
/// SendTaskSuccess, an activity worker, a child execution) rather than working.
public enum ThreadWaits {
    /// Runs `wait`. When time passes instantly, the execution's other branches and iterations
    /// meanwhile go on with their own waits (see ``InstantTimeline``), and an answer that comes
    /// is stamped no earlier than the latest moment they reached, so the history stays in time
    /// order; otherwise it just runs it.
    public static func outside<T>(_ wait: () async throws -> T) async rethrows -> T {
        guard let thread = TimelineSlot.current?.clock else { return try await wait() }
        // Already waiting outside (a dispatcher inside another's wait): counted once.
        guard !thread.waitsOutside.exchange(true, ordering: .relaxed) else { return try await wait() }
        defer { thread.waitsOutside.store(false, ordering: .relaxed) }
        let (result, latest) = try await thread.timeline.outside(wait)
        thread.catchUp(to: latest)
        return result
    }

    /// Runs `body` outside any branch's timeline: an execution started from inside another one
    /// (a child execution, a Map Run's children) keeps its own time.
    public static func detached<T>(_ body: () async throws -> T) async rethrows -> T {
        try await TimelineSlot.$current.withValue(nil) { try await body() }
    }
}
