import ServiceLifecycle
import StepLocalEngine

/// The timers of every execution (``TimerScheduler``) as a member of `steplocal serve`'s
/// `ServiceGroup`. Listed after the server, it is shut down before it (the group shuts services
/// down in reverse order): on SIGTERM time stops for every execution first, then the server
/// writes what is pending, so no Wait, back-off or timeout ends between that write and the exit
/// (which the next start would otherwise run again). Timers run from the first one armed; this
/// service only stops them.
public struct ExecutionTimersService: Service, CustomStringConvertible {
    let timers: TimerScheduler

    public init(timers: TimerScheduler = .shared) {
        self.timers = timers
    }

    public var description: String { "Execution timers" }

    public func run() async throws {
        // Cancelled (the group ending for another reason) or shut down gracefully: hold either way.
        try? await gracefulShutdown()
        timers.hold()
    }
}
