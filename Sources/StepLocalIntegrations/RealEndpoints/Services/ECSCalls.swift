import StepLocalASL
import StepLocalJSON

/// ECS's optimized integration (`arn:aws:states:::ecs:runTask`, `.sync` and `.waitForTaskToken`):
/// AWS JSON 1.1 on `POST /` with `X-Amz-Target: AmazonEC2ContainerServiceV20141113.RunTask`,
/// signed for `ecs`. The state's Parameters are in PascalCase (`Cluster`, `TaskDefinition`,
/// `NetworkConfiguration.AwsvpcConfiguration`) and go out under ECS's wire names; answers come
/// back rendered as Step Functions renders them (``OptimizedResultRendering``).
///
/// As AWS documents it (connect-ecs.html): request-response returns RunTask's answer
/// (`{Failures, SdkHttpMetadata, SdkResponseMetadata, Tasks}`) even when `Failures` is not
/// empty; `.sync` and `.waitForTaskToken` fail the task with `AmazonECS.Unknown` when it is.
/// `.sync` then polls DescribeTasks until the task is `STOPPED`, and its result is that task's
/// description alone (as recorded on AWS: LocalStack's `test_ecs_task_service.snapshot.json`).
/// A stopped task whose container exited non-zero, or that never started
/// (`StopCode: TaskFailedToStart`), fails the task with States.TaskFailed and the task's
/// description as the cause. `.sync` sends `StartedBy: AWS Step Functions` unless the state
/// names its own, as the task descriptions AWS returns show.
enum ECSCalls {
    /// What `.sync` adds as `StartedBy` when the state gives none.
    static let startedBy = "AWS Step Functions"

    /// Given to StopTask when the execution is stopped or the Task times out while it waits.
    static let stopReason = "Stopped by StepLocal: the Step Functions task that started it was stopped or timed out"

    static func runTask(parameters: JSONValue, region: String, pattern: TaskResource.Pattern) -> ServiceCall? {
        var parameters = parameters.isNull ? JSONValue.object([:]) : parameters
        if pattern == .sync, case .object(var members) = parameters, members["StartedBy"] == nil {
            members["StartedBy"] = .string(startedBy)
            parameters = .object(members)
        }
        return call("runTask", parameters, region: region, reader: .ecsRunTask(failOnFailures: pattern != .requestResponse))
    }

    static func describeTask(cluster: String, task: String, region: String) -> ServiceCall? {
        call("describeTasks", ["Cluster": .string(cluster), "Tasks": [.string(task)]], region: region, reader: answerReader)
    }

    static func stopTask(cluster: String, task: String, region: String) -> ServiceCall? {
        call("stopTask", ["Cluster": .string(cluster), "Task": .string(task), "Reason": .string(stopReason)], region: region, reader: answerReader)
    }

    /// DescribeTasks and StopTask answer `{Failures, Tasks}` / `{Task}`, rendered, without metadata.
    private static let answerReader = ServiceCall.Reader.rendered(.ecs, integration: "ecs:runTask", metadata: false)

    private static func call(_ action: String, _ parameters: JSONValue, region: String, reader: ServiceCall.Reader) -> ServiceCall? {
        guard var call = SDKCalls.call(service: "ecs", action: action, parameters: parameters, region: region) else { return nil }
        call.reader = reader
        return call
    }

    /// RunTask's answer as a `.sync` or `.waitForTaskToken` task sees it: a non-empty `Failures`
    /// (no capacity, a missing task definition revision) fails it with `AmazonECS.Unknown`; the
    /// cause is the answer, as the state would have seen it.
    static func refuseFailures(_ result: JSONValue) throws(StatesError) {
        guard let failures = result["Failures"]?.arrayValue, !failures.isEmpty else { return }
        var answer = result.objectValue ?? [:]
        answer.removeValue(forKey: "SdkHttpMetadata")
        answer.removeValue(forKey: "SdkResponseMetadata")
        throw StatesError("AmazonECS.Unknown", cause: JSONValue.object(answer).serialized())
    }

    /// The task `.sync` follows: the first one RunTask started (the result is one task's description).
    static func startedTask(_ submitted: JSONValue) throws(StatesError) -> (cluster: String, task: String) {
        guard let task = submitted["Tasks"]?.arrayValue?.first, let arn = task["TaskArn"]?.stringValue,
            let cluster = task["ClusterArn"]?.stringValue
        else {
            throw StatesError("AmazonECS.Unknown", cause: "RunTask started no task: \(submitted.serialized())")
        }
        return (cluster, arn)
    }

    /// DescribeTasks' answer → nil while the task runs; its description once it is `STOPPED`.
    static func outcome(_ described: JSONValue) throws(StatesError) -> JSONValue? {
        guard let task = described["Tasks"]?.arrayValue?.first else {
            // The task is gone (DescribeTasks answers `MISSING`): nothing will ever stop it.
            throw StatesError.taskFailed(described.serialized())
        }
        guard task["LastStatus"]?.stringValue == "STOPPED" else { return nil }
        let exitCodes = (task["Containers"]?.arrayValue ?? []).compactMap { $0["ExitCode"]?.numberValue?.intValue }
        if task["StopCode"]?.stringValue == "TaskFailedToStart" || exitCodes.contains(where: { $0 != 0 }) {
            throw StatesError.taskFailed(task.serialized())
        }
        return task
    }
}
