/// Where GetActivityTask takes work from. Activity Task states enqueue in the integrations'
/// ``ActivityScheduler`` (see ``LocalActivityTasks``); the server only long-polls.
public protocol ActivityTaskSource: Sendable {
    /// Waits up to `timeout` for a task of `activityArn`; nil when none was scheduled.
    func nextTask(activityArn: String, workerName: String?, timeout: Duration) async -> ActivityTask?
}

/// A scheduled activity task handed to a worker.
public struct ActivityTask: Sendable, Equatable {
    public var taskToken: String
    /// The task's input as JSON text.
    public var input: String

    public init(taskToken: String, input: String) {
        self.taskToken = taskToken
        self.input = input
    }
}

/// A source with no tasks (tests that want the API without the engine): polls wait out their timeout
/// (or the caller's cancellation) and get no task, as AWS answers an idle activity.
public struct NoActivityTasks: ActivityTaskSource {
    public init() {}

    public func nextTask(activityArn: String, workerName: String?, timeout: Duration) async -> ActivityTask? {
        try? await Task.sleep(for: timeout)
        return nil
    }
}
