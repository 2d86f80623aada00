import Synchronization

/// Tells requests that would otherwise outlive a graceful shutdown to answer now. GetActivityTask
/// waits up to 60 s and StartSyncExecution as long as its execution, and Hummingbird's graceful
/// shutdown waits for every request in flight: without this, SIGTERM took up to a minute.
/// Such requests run their work through ``cancellingOnShutdown(_:)``; ``begin()`` cancels it,
/// and each request answers as AWS does when its wait ends early.
final class ShutdownSignal: Sendable {
    private struct State {
        var isShuttingDown = false
        var nextId: UInt64 = 0
        /// The tasks to cancel, as `Task` values in existential boxes: a closure capturing the
        /// task cost one allocation per StartSyncExecution; a `Task` fits the box's inline buffer.
        var cancellers: [UInt64: any CancellableTask] = [:]
    }

    private let state = Mutex(State())

    init() {}

    var isShuttingDown: Bool { state.withLock { $0.isShuttingDown } }

    /// Cancels every operation running through ``cancellingOnShutdown(_:)``, and any started later.
    func begin() {
        let cancellers = state.withLock { state in
            state.isShuttingDown = true
            defer { state.cancellers = [:] }
            return Array(state.cancellers.values)
        }
        for task in cancellers { task.cancel() }
    }

    /// Runs `operation` in a task that is cancelled when shutdown begins (or when the caller is
    /// cancelled) and returns what it returns: operations answer cancellation with their "ended
    /// early" result (no activity task, an aborted execution).
    ///
    /// A task of its own, because cancelling the request's task would also cancel writing the
    /// answer (NIO's writer throws in a cancelled task). It starts at once on this thread
    /// (`Task.immediate`) rather than being queued: an execution that never suspends, such as a
    /// chain of Pass states, ends before the caller awaits it, so the request neither suspends
    /// nor waits for another thread to pick the task up (issue 16's request path). Detached:
    /// nothing it runs reads the request's task-local values, and copying them into the new task
    /// cost four allocations per StartSyncExecution.
    func cancellingOnShutdown<T: Sendable>(_ operation: sending @escaping @isolated(any) () async -> T) async -> T {
        let task = Task.immediateDetached(operation: operation)
        let id: UInt64? = state.withLock { state in
            guard !state.isShuttingDown else { return nil }
            state.nextId += 1
            state.cancellers[state.nextId] = task
            return state.nextId
        }
        if id == nil { task.cancel() }
        defer {
            if let id { _ = state.withLock { $0.cancellers.removeValue(forKey: id) } }
        }
        return await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }
}

/// A task ``ShutdownSignal`` can cancel, whatever it returns.
protocol CancellableTask: Sendable {
    func cancel()
}

extension Task: CancellableTask {}
