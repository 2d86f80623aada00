import Synchronization

/// The activity task queues. Activity Task states enqueue here; workers polling
/// GetActivityTask take tasks out, per activity, in the order they were scheduled, each task
/// exactly once. Tasks whose state gave up (stopped, timed out) are withdrawn unseen. It
/// exists so the engine side and the API side never wait on each other directly.
public final class ActivityScheduler: Sendable {
    /// A task as handed to a worker.
    public struct Handout: Sendable, Equatable {
        public var taskToken: String
        /// The task's input as JSON text.
        public var input: String
    }

    private struct Pending {
        var handout: Handout
        /// Records ActivityStarted (with the worker's name) when a worker takes the task.
        var onStarted: @Sendable (String?) -> Void
    }

    private struct Poller {
        var id: UInt64
        var workerName: String?
        var continuation: CheckedContinuation<Pending?, Never>
    }

    private struct Queue {
        var pending: [Pending] = []
        var pollers: [Poller] = []
    }

    private struct Queues {
        var byActivity: [String: Queue] = [:]
        var nextPollerId: UInt64 = 0
    }

    private let queues = Mutex(Queues())

    public init() {}

    /// Schedules a task for `activityArn`; the first waiting poller (or the next one) gets it.
    public func enqueue(activityArn: String, taskToken: String, input: String, onStarted: @escaping @Sendable (String?) -> Void) {
        let task = Pending(handout: Handout(taskToken: taskToken, input: input), onStarted: onStarted)
        let poller: Poller? = queues.withLock { q in
            if !(q.byActivity[activityArn]?.pollers.isEmpty ?? true) {
                return q.byActivity[activityArn]!.pollers.removeFirst()
            }
            q.byActivity[activityArn, default: Queue()].pending.append(task)
            return nil
        }
        if let poller {
            task.onStarted(poller.workerName)
            poller.continuation.resume(returning: task)
        }
    }

    /// Removes a task nobody took yet; false when it was already handed out (or never queued).
    @discardableResult
    public func withdraw(activityArn: String, taskToken: String) -> Bool {
        queues.withLock { q in
            guard let index = q.byActivity[activityArn]?.pending.firstIndex(where: { $0.handout.taskToken == taskToken }) else { return false }
            q.byActivity[activityArn]!.pending.remove(at: index)
            return true
        }
    }

    /// Removes the task with `taskToken` from whichever queue holds it: its answer came before any
    /// worker took it (a worker kept the token from before a restart), so none may take it now.
    public func withdraw(taskToken: String) {
        queues.withLock { q in
            for (arn, queue) in q.byActivity {
                guard let index = queue.pending.firstIndex(where: { $0.handout.taskToken == taskToken }) else { continue }
                q.byActivity[arn]!.pending.remove(at: index)
                return
            }
        }
    }

    /// How many tasks wait for a worker (tests, diagnostics).
    public func pendingCount(activityArn: String) -> Int {
        queues.withLock { $0.byActivity[activityArn]?.pending.count ?? 0 }
    }

    /// GetActivityTask: the oldest task of `activityArn`, waiting up to `timeout` for one;
    /// nil when none came or the caller was cancelled.
    public func poll(activityArn: String, workerName: String?, timeout: Duration) async -> Handout? {
        let immediate: Pending? = queues.withLock { q in
            guard !(q.byActivity[activityArn]?.pending.isEmpty ?? true) else { return nil }
            return q.byActivity[activityArn]!.pending.removeFirst()
        }
        if let immediate {
            immediate.onStarted(workerName)
            return immediate.handout
        }
        let id = queues.withLock { q in
            q.nextPollerId += 1
            return q.nextPollerId
        }
        return await withTaskGroup(of: Pending?.self) { group in
            group.addTask { await self.waitForTask(activityArn: activityArn, workerName: workerName, pollerId: id) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            var taken: Pending?
            if let first = await group.next() { taken = first }
            group.cancelAll()
            // The waiter may have been handed a task just as the timer fired: never drop it.
            while let rest = await group.next() {
                if taken == nil { taken = rest }
            }
            return taken?.handout
        }
    }

    private func waitForTask(activityArn: String, workerName: String?, pollerId: UInt64) async -> Pending? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Pending?, Never>) in
                let ready: Pending?? = queues.withLock { q in
                    if Task.isCancelled { return .some(nil) }
                    if !(q.byActivity[activityArn]?.pending.isEmpty ?? true) {
                        return .some(q.byActivity[activityArn]!.pending.removeFirst())
                    }
                    q.byActivity[activityArn, default: Queue()].pollers.append(
                        Poller(id: pollerId, workerName: workerName, continuation: continuation))
                    return .none
                }
                if case .some(let task) = ready {
                    task?.onStarted(workerName)
                    continuation.resume(returning: task)
                }
            }
        } onCancel: {
            let poller: Poller? = queues.withLock { q in
                guard let index = q.byActivity[activityArn]?.pollers.firstIndex(where: { $0.id == pollerId }) else { return nil }
                return q.byActivity[activityArn]!.pollers.remove(at: index)
            }
            poller?.continuation.resume(returning: nil)
        }
    }
}
