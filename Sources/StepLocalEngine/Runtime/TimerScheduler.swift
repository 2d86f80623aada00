import HeapModule
import Synchronization

/// Every real-time wait of every execution in the process, in one heap driven by one task: a
/// Wait state's end, a Retry back-off, a Task's TimeoutSeconds and HeartbeatSeconds, an
/// execution's TimeoutSeconds, on the wall clock and under any `WAIT_TIME_SCALE` above 0
/// (``SystemClock`` sleeps here). One driver instead of one system timer per waiting thread: a
/// thread that waits costs a heap entry and a continuation, the driver sleeps until the earliest
/// deadline only, and a graceful shutdown can stop time for every execution at once
/// (``hold()``), so what it writes is where each execution stands, not a moment before a Wait
/// ended. Clocks on which time passes instantly (virtual, `WAIT_TIME_SCALE=0`) never sleep here:
/// their executions order their own waits (``InstantTimeline``).
public final class TimerScheduler: Sendable {
    /// The process's scheduler: every ``SystemClock`` sleeps on it.
    public static let shared = TimerScheduler()

    /// One sleeping thread's place: earliest deadline first, then the order they began to sleep.
    private struct Timer: Comparable {
        var deadline: ContinuousClock.Instant
        var id: UInt64

        static func < (a: Timer, b: Timer) -> Bool {
            (a.deadline, a.id) < (b.deadline, b.id)
        }
    }

    private struct State {
        var timers = Heap<Timer>()
        /// The sleeping threads by timer id; a cancelled one leaves here at once and its heap
        /// entry is dropped when it reaches the top.
        var sleepers: [UInt64: UnsafeContinuation<Void, any Error>] = [:]
        /// Heap entries of cancelled sleeps not dropped yet: when they outnumber the live ones the
        /// heap is rebuilt, so stopped hour-long waits do not stay in memory for the hour.
        var cancelled = 0
        var nextId: UInt64 = 0
        /// The driver task and the deadline it sleeps until; nil when nothing waits (or held).
        var driver: Task<Void, Never>?
        var driverDeadline: ContinuousClock.Instant?
        /// Counts drivers started, so one replaced by an earlier deadline leaves without acting.
        var driverGeneration: UInt64 = 0
        var held = false

        /// Takes the sleepers whose deadline has passed, and drops cancelled entries on top.
        mutating func takeDue(at now: ContinuousClock.Instant) -> [UnsafeContinuation<Void, any Error>] {
            var due: [UnsafeContinuation<Void, any Error>] = []
            while let first = timers.min {
                guard let continuation = sleepers[first.id] else {
                    timers.removeMin()
                    cancelled -= 1
                    continue
                }
                guard first.deadline <= now else { break }
                timers.removeMin()
                sleepers[first.id] = nil
                due.append(continuation)
            }
            return due
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// Returns at `deadline` (at once if it has passed); throws `CancellationError` at once when
    /// the calling task is cancelled (StopExecution, a sibling branch's failure, a timeout).
    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        if deadline <= .now {
            try Task.checkCancellation()
            return
        }
        let id = state.withLock { s -> UInt64 in
            s.nextId += 1
            return s.nextId
        }
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let start = state.withLock { s -> (() -> Void)? in
                    // Cancelled before it could be kept: the handler below found nothing to end.
                    if Task.isCancelled { return { continuation.resume(throwing: CancellationError()) } }
                    s.sleepers[id] = continuation
                    s.timers.insert(Timer(deadline: deadline, id: id))
                    return armDriver(&s)
                }
                start?()
            }
        } onCancel: {
            let continuation = state.withLock { s -> UnsafeContinuation<Void, any Error>? in
                guard let continuation = s.sleepers.removeValue(forKey: id) else { return nil }
                s.cancelled += 1
                if s.cancelled > 1024, s.cancelled > s.sleepers.count {
                    s.timers = Heap(s.timers.unordered.filter { s.sleepers[$0.id] != nil })
                    s.cancelled = 0
                }
                return continuation
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Sleeps `duration` from now (see ``sleep(until:)``).
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: .now + duration)
    }

    /// How many threads sleep here now.
    public var sleeping: Int {
        state.withLock { $0.sleepers.count }
    }

    /// Entries in the heap, cancelled ones not dropped yet included.
    var storedTimers: Int {
        state.withLock { $0.timers.count }
    }

    /// Stops time for every execution: no timer fires from now on (the threads stay asleep). A
    /// graceful shutdown calls it before the store writes what is pending, so every execution is
    /// written where it stands; the next start resumes each wait with the time it had left.
    public func hold() {
        let driver = state.withLock { s -> Task<Void, Never>? in
            s.held = true
            s.driverDeadline = nil
            s.driverGeneration += 1
            defer { s.driver = nil }
            return s.driver
        }
        driver?.cancel()
    }

    /// Starts a driver when the earliest deadline is earlier than the one the driver sleeps until
    /// (or none runs); returns what to do once the lock is released.
    private func armDriver(_ s: inout State) -> (() -> Void)? {
        guard !s.held, let earliest = s.timers.min?.deadline else { return nil }
        if let armed = s.driverDeadline, armed <= earliest { return nil }
        let replaced = s.driver
        s.driverGeneration += 1
        s.driverDeadline = earliest
        let generation = s.driverGeneration
        let driver = Task.detached { [self] in await drive(generation: generation, until: earliest) }
        s.driver = driver
        return { replaced?.cancel() }
    }

    /// The driver: sleeps until the earliest deadline, wakes the threads whose time has come, and
    /// goes on to the next one, until nothing waits or an earlier deadline replaced it.
    private func drive(generation: UInt64, until first: ContinuousClock.Instant) async {
        var deadline = first
        while true {
            do {
                try await Task.sleep(until: deadline, clock: .continuous)
            } catch {
                return  // Replaced by a driver for an earlier deadline, or held.
            }
            let (due, next) = state.withLock { s -> ([UnsafeContinuation<Void, any Error>], ContinuousClock.Instant?) in
                guard s.driverGeneration == generation, !s.held else { return ([], nil) }
                let due = s.takeDue(at: .now)
                let next = s.timers.min?.deadline
                s.driverDeadline = next
                if next == nil { s.driver = nil }
                return (due, next)
            }
            for continuation in due { continuation.resume() }
            guard let next else { return }
            deadline = next
        }
    }
}
