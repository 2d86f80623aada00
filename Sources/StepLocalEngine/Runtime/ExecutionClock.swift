#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StepLocalASL
import Synchronization

/// The only source of time for an execution. Injecting it lets tests and the scenario runner
/// pass a one-year Wait instantly while the history's timestamps stay consistent.
public protocol ExecutionClock: Sendable {
    func now() -> Timestamp
    /// Returns at `deadline` (or at once, on a virtual clock); throws `CancellationError` when
    /// the execution is stopped meanwhile.
    func sleep(until deadline: Timestamp) async throws
    /// True for clocks that never really wait. The engine then checks deadlines itself
    /// instead of racing timers, so the order of events stays deterministic.
    var isVirtual: Bool { get }
}

extension ExecutionClock {
    public var isVirtual: Bool { false }
}

/// The wall clock, with waits scaled by a factor like Step Functions Local's `WAIT_TIME_SCALE`
/// (0 passes every wait at once; 0.5 halves them). Timestamps stay real.
/// Its waits sleep on one ``TimerScheduler`` (the process's, unless a test gives its own).
public struct SystemClock: ExecutionClock {
    public var waitTimeScale: Double
    public let timers: TimerScheduler

    public init(waitTimeScale: Double = 1, timers: TimerScheduler = .shared) {
        self.waitTimeScale = max(0, waitTimeScale)
        self.timers = timers
    }

    public func now() -> Timestamp {
        Timestamp(millisecondsSince1970: Int64((ContinuousClock.now - SystemClock.referenceInstant) / .milliseconds(1)) + SystemClock.referenceMillis)
    }

    public func sleep(until deadline: Timestamp) async throws {
        let remaining = Double(deadline.millisecondsSince1970 - now().millisecondsSince1970) * waitTimeScale
        if remaining <= 0 {
            try Task.checkCancellation()
            return
        }
        try await timers.sleep(for: .milliseconds(min(remaining, 9.0e15)))
    }

    private static let referenceInstant = ContinuousClock.now
    private static let referenceMillis: Int64 = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }()
}

/// A clock that never waits: `sleep(until:)` moves time forward to the deadline and returns.
/// Executions on it finish as fast as the CPU allows, with timestamps as if they had waited.
public final class VirtualClock: ExecutionClock {
    /// An atomic rather than a lock: every recorded event reads the time.
    private let current: Atomic<Int64>

    public init(start: Timestamp = Timestamp(millisecondsSince1970: 1_700_000_000_000)) {
        current = Atomic(start.millisecondsSince1970)
    }

    public func now() -> Timestamp {
        Timestamp(millisecondsSince1970: current.load(ordering: .acquiring))
    }

    public var isVirtual: Bool { true }

    public func advance(byMilliseconds milliseconds: Int64) {
        _ = current.wrappingAdd(milliseconds, ordering: .acquiringAndReleasing)
    }

    public func sleep(until deadline: Timestamp) async throws {
        try Task.checkCancellation()
        _ = current.max(deadline.millisecondsSince1970, ordering: .acquiringAndReleasing)
    }
}

/// One execution's time under `WAIT_TIME_SCALE=0`: the wall clock plus every wait the execution
/// skipped. Waits pass at once, yet the execution's timestamps, `$now()`, `$$.State.EnteredTime`
/// and its `TimeoutSeconds` see the time they skipped, so Waits that add up past TimeoutSeconds
/// time it out as they would on AWS. Each execution has its own offset: one execution's waits
/// never move another's time.
final class ExecutionOffsetClock: ExecutionClock {
    private let base: any ExecutionClock
    private let offset: Mutex<Int64>

    /// `start`: a moment the execution's time has reached already, ahead of the wall clock (a
    /// child started by a parent whose waits were skipped; an execution resumed after a restart).
    init(base: any ExecutionClock, startingAt start: Timestamp? = nil) {
        self.base = base
        offset = Mutex(start.map { max(0, $0.millisecondsSince1970 - base.now().millisecondsSince1970) } ?? 0)
    }

    func now() -> Timestamp {
        base.now().adding(milliseconds: offset.withLock { $0 })
    }

    var isVirtual: Bool { true }

    func sleep(until deadline: Timestamp) async throws {
        try Task.checkCancellation()
        let wall = base.now().millisecondsSince1970
        offset.withLock { $0 = max($0, deadline.millisecondsSince1970 - wall) }
    }
}

/// The time of one thread (a Parallel branch, a Map iteration) when time passes instantly: its
/// own waits move only it, so a branch that waits 10 s is stamped 10 s after the fork even while
/// its sibling waits 100 s. It never runs behind the clock it was forked from (time that passes
/// there, in real time or by other executions, passes here too). The state that forked it moves
/// its own clock to the latest of its threads when they join. Its waits pass in time order with
/// those of the execution's other threads (see ``InstantTimeline``).
final class ThreadClock: ExecutionClock {
    private let parent: any ExecutionClock
    private let own: Mutex<Int64>
    let timeline: InstantTimeline
    /// This thread in the timeline.
    let node: Int

    init(forkedFrom parent: any ExecutionClock, startingAt start: Timestamp?, timeline: InstantTimeline, node: Int) {
        self.parent = parent
        own = Mutex(max(start?.millisecondsSince1970 ?? .min, parent.now().millisecondsSince1970))
        self.timeline = timeline
        self.node = node
    }

    func now() -> Timestamp {
        let mine = own.withLock { $0 }
        // Waiting for the world outside, its time is the latest its siblings reached: an event
        // recorded meanwhile (ActivityStarted when a worker takes the task) comes after theirs.
        let outside = waitsOutside.load(ordering: .relaxed) ? timeline.latestMoment() : .min
        return Timestamp(millisecondsSince1970: max(mine, outside, parent.now().millisecondsSince1970))
    }

    var isVirtual: Bool { true }

    /// True while the thread waits for the world outside (see ``ThreadWaits/outside(_:)``).
    let waitsOutside = Atomic(false)

    func sleep(until deadline: Timestamp) async throws {
        try Task.checkCancellation()
        guard deadline > now() else { return }
        // Only the thread's own work takes turns (its task and the tasks it starts, which see
        // its slot); anything else that sleeps on this clock moves its time outside the timeline.
        if TimelineSlot.current?.clock === self {
            try await timeline.sleep(until: deadline.millisecondsSince1970)
        }
        own.withLock { $0 = max($0, deadline.millisecondsSince1970) }
    }

    /// Moves this thread's time to `moment` if it is behind: an answer from outside the
    /// execution came after what its other threads did meanwhile.
    func catchUp(to moment: Int64) {
        own.withLock { $0 = max($0, moment) }
    }
}

/// The threads one Parallel or Map forks: on an instant clock each gets a ``ThreadClock`` in an
/// ``InstantTimeline`` (a new one for a fork of the execution's own thread; a nested fork joins
/// its thread's); on a clock that really waits they all share the forking thread's clock and
/// nothing is tracked.
struct ThreadFork: Sendable {
    private let parentClock: any ExecutionClock
    private let timeline: InstantTimeline?
    private let parentNode: Int

    init(from clock: any ExecutionClock) {
        parentClock = clock
        if let thread = clock as? ThreadClock {
            timeline = thread.timeline
            parentNode = thread.node
        } else {
            timeline = clock.passesTimeInstantly ? InstantTimeline() : nil
            parentNode = InstantTimeline.root
        }
    }

    /// The clock of a thread that runs from now on (its time starts at `start` if later than
    /// the forking thread's); the thread must run through ``run(on:_:)``, or it holds back the
    /// execution's time for ever.
    func threadClock(startingAt start: Timestamp? = nil) -> any ExecutionClock {
        guard let timeline else { return parentClock }
        return ThreadClock(forkedFrom: parentClock, startingAt: start, timeline: timeline, node: timeline.addThread(forkedBy: parentNode))
    }

    /// Runs a forked thread's work (in its child task) and says when it has ended.
    func run<T>(on clock: any ExecutionClock, _ body: () async -> T) async -> T {
        guard let thread = clock as? ThreadClock else { return await body() }
        defer { thread.timeline.threadEnded(thread.node) }
        return await TimelineSlot.$current.withValue(TimelineSlot(clock: thread)) { await body() }
    }

    /// The forking thread's wait for the next of its threads to end (`group.next()`).
    func awaitThread<T>(_ wait: () async -> T) async -> T {
        guard let timeline else { return await wait() }
        return await timeline.awaitThread(of: parentNode, wait)
    }
}

extension ExecutionClock {
    /// The clock one execution runs on: under `WAIT_TIME_SCALE=0` its own offset clock (see
    /// ``ExecutionOffsetClock``); otherwise this one.
    /// `start`: a moment the execution's time has reached already (its start, when a parent set
    /// it ahead of the wall clock; its last event, when it resumes after a restart).
    /// `startedByTask`: a nested execution a parent's Task starts; on a virtual clock it gets its
    /// own time too, so its waits do not move the clock its parent's other branches read.
    public func forExecution(startingAt start: Timestamp? = nil, startedByTask: Bool = false) -> any ExecutionClock {
        if let system = self as? SystemClock, system.waitTimeScale == 0 { return ExecutionOffsetClock(base: system, startingAt: start) }
        if startedByTask, isVirtual { return ExecutionOffsetClock(base: self, startingAt: start) }
        return self
    }
}
