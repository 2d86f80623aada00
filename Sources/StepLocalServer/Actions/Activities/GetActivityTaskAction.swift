import StepLocalJSON

/// GetActivityTask: long-polls the activity's queue for up to 60 seconds (configurable) and
/// answers with the task, or with no `taskToken` when nothing was scheduled, as AWS does.
struct GetActivityTaskAction: ActionHandler {
    static let name = "GetActivityTask"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("activityArn")
        _ = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.activity(arn)
        }
        let configuration = request.services.configuration
        guard
            let task = await configuration.activityTasks.nextTask(
                activityArn: arn, workerName: request.string("workerName"), timeout: configuration.activityPollTimeout)
        else { return [:] }
        return ["taskToken": .string(task.taskToken), "input": .string(task.input)]
    }
}
