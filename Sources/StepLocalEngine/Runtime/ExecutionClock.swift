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
public struct SystemClock: ExecutionClock {
    public var waitTimeScale: Double

    public init(waitTimeScale: Double = 1) {
        self.waitTimeScale = max(0, waitTimeScale)
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
        try await Task.sleep(for: .milliseconds(min(remaining, 9.0e15)))
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
    private let current: Mutex<Int64>

    public init(start: Timestamp = Timestamp(millisecondsSince1970: 1_700_000_000_000)) {
        current = Mutex(start.millisecondsSince1970)
    }

    public func now() -> Timestamp {
        Timestamp(millisecondsSince1970: current.withLock { $0 })
    }

    public var isVirtual: Bool { true }

    public func advance(byMilliseconds milliseconds: Int64) {
        current.withLock { $0 += milliseconds }
    }

    public func sleep(until deadline: Timestamp) async throws {
        try Task.checkCancellation()
        current.withLock { $0 = max($0, deadline.millisecondsSince1970) }
    }
}
