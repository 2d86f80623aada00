import Foundation

/// Where background executions (StartExecution) run: threads of their own, not the threads that
/// answer requests. An evaluation cannot yield in the middle (a JSONata expression or a regex holds
/// its thread until it ends, at most its 2 s bound), and Swift's default executor has one thread
/// per core: two such evaluations there stalled every request on a 2-core machine.
///
/// The pool grows a thread whenever a job arrives and none is free (up to ``maximumThreads``),
/// so a long evaluation delays neither requests nor other executions; threads idle for 10 s end.
/// StartSyncExecution still runs in its request's task (no hop per request); `steplocal run` and
/// `steplocal test` run on whatever executor calls them.
@available(macOS 15.0, *)
public final class ExecutionExecutor: TaskExecutor, @unchecked Sendable {
    /// The one executor every background execution shares.
    public static let shared = ExecutionExecutor()

    /// Enough for every core to be busy many times over; jobs beyond it wait their turn.
    public static let maximumThreads = 64

    // All mutable state below is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var nextJob = 0
    private var threads = 0
    private var idleThreads = 0

    private init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        // Idle threads that outnumber the jobs waiting for them will take it; otherwise grow.
        if idleThreads < jobs.count - nextJob, threads < Self.maximumThreads {
            threads += 1
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "steplocal-execution"
            thread.stackSize = 8 << 20  // as Swift's own executors get here (see StackBudget)
            thread.start()
        } else {
            condition.signal()
        }
        condition.unlock()
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
        condition.lock()
        while true {
            if nextJob < jobs.count {
                let job = jobs[nextJob]
                nextJob += 1
                if nextJob > 1024, nextJob * 2 > jobs.count {
                    jobs.removeFirst(nextJob)
                    nextJob = 0
                }
                condition.unlock()
                job.runSynchronously(on: executor)
                condition.lock()
                continue
            }
            idleThreads += 1
            let woken = condition.wait(until: Date(timeIntervalSinceNow: 10))
            idleThreads -= 1
            if !woken, nextJob >= jobs.count {
                threads -= 1
                condition.unlock()
                return
            }
        }
    }
}

/// Starts a background execution's task: on ``ExecutionExecutor`` where the platform has task
/// executors, else on the default one. StartExecution, redrives and resumed runs all start here.
enum BackgroundExecution {
    static func task(_ run: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        if #available(macOS 15.0, *) {
            return Task(executorPreference: ExecutionExecutor.shared, operation: run)
        }
        return Task(operation: run)
    }
}
