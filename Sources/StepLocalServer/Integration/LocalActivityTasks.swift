import StepLocalIntegrations

/// GetActivityTask served from the integrations' ``ActivityScheduler``, where activity Task
/// states queue their work. The default source of a built application.
struct LocalActivityTasks: ActivityTaskSource {
    let scheduler: ActivityScheduler

    func nextTask(activityArn: String, workerName: String?, timeout: Duration) async -> ActivityTask? {
        guard let handout = await scheduler.poll(activityArn: activityArn, workerName: workerName, timeout: timeout) else { return nil }
        return ActivityTask(taskToken: handout.taskToken, input: handout.input)
    }
}
