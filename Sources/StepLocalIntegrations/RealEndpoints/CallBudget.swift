import StepLocalASL
import StepLocalEngine

/// How long, in real time, one call to an endpoint (or a whole `.sync` job) may take: the Task's
/// TimeoutSeconds, or, when time passes instantly (a virtual clock, `WAIT_TIME_SCALE=0`), the
/// time from the dispatch to the task's deadline (``TaskDeadline``). It exists so that a real
/// call has one budget whatever the clock, including the default limit of a `.sync` job: the
/// dispatcher claims the deadline and decides the timeout itself, in real seconds, and says when
/// it expired so the TaskTimedOut event carries the deadline's time.
struct CallBudget {
    /// Nil: no limit (a `.sync` job with no TimeoutSeconds waits as long as the execution does).
    let limit: Duration?
    private let deadline: TaskDeadline?
    private let started = ContinuousClock.now

    init(for request: TaskRequest, defaultLimit: Duration?) {
        var limit = request.timeoutSeconds.map { Duration.seconds($0) } ?? defaultLimit
        let deadline = TaskDeadline.current
        if let deadline {
            deadline.claim()
            if let at = deadline.at, let start = deadline.dispatchedAt {
                limit = .milliseconds(max(0, at.millisecondsSince1970 - start.millisecondsSince1970))
            }
        }
        self.limit = limit
        self.deadline = deadline
    }

    /// What is left of the limit (negative once it has passed), or nil when there is none.
    var remaining: Duration? { limit.map { $0 - (ContinuousClock.now - started) } }

    /// The budget ran out: States.Timeout, at the deadline's time when time passes instantly.
    func expire() -> StatesError {
        if let deadline, let at = deadline.at { deadline.expire(at: at) }
        return .timeout()
    }

    /// Waits `duration`, or throws States.Timeout when the budget runs out first.
    func sleep(for duration: Duration) async throws {
        guard let remaining else { return try await TimerScheduler.shared.sleep(for: duration) }
        guard remaining > .zero else { throw expire() }
        try await TimerScheduler.shared.sleep(for: min(duration, remaining))
        if let left = self.remaining, left <= .zero { throw expire() }
    }
}
