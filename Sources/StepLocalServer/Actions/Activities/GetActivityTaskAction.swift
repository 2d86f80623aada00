import StepLocalJSON

/// GetActivityTask: long-polls the activity's queue for up to 60 seconds (configurable) and
/// answers with the task, or with no `taskToken` when nothing was scheduled, as AWS does;
/// a server shutting down ends the poll the same way at once.
struct GetActivityTaskAction: ActionHandler {
    static let name = "GetActivityTask"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("activityArn")
        _ = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.activity(arn)
        }
        let configuration = request.services.configuration
        let workerName = request.string("workerName")
        // A shutdown ends the poll as its timeout would: no task (one handed out meanwhile is still returned).
        guard
            let task = await request.services.shutdown.cancellingOnShutdown({
                await configuration.activityTasks.nextTask(activityArn: arn, workerName: workerName, timeout: configuration.activityPollTimeout)
            })
        else { return [:] }
        return ["taskToken": .string(task.taskToken), "input": .string(task.input)]
    }
}
