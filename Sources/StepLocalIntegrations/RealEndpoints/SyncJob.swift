public import StepLocalASL
public import StepLocalJSON

/// A `.sync` ("Run a Job") integration made against an endpoint: the call that starts the job
/// (ECS's RunTask, Step Functions' StartExecution), then the call that asks how it is doing,
/// made until it has finished, and the call that stops it when the execution is stopped or the
/// Task times out first. It exists so the dispatcher runs every such job with one polling loop
/// (``EndpointTaskDispatcher/runJob(_:resource:)``) while each service says, as pure functions
/// tested without a network, what its answers mean.
public struct SyncJob: Sendable {
    /// The call that starts the job; its result is what TaskSubmitted records.
    public var start: ServiceCall
    let kind: Kind

    /// Which job it is.
    enum Kind: Sendable {
        /// An ECS task (`ecs:runTask.sync`).
        case ecsTask
        /// A child execution (`states:startExecution.sync`, or `.sync:2` with `jsonPayloads`).
        case childExecution(jsonPayloads: Bool)
    }

    /// The calls made about a started job.
    public struct FollowUp: Sendable {
        /// Asks how the job is doing (DescribeTasks, DescribeExecution).
        public var describe: ServiceCall
        /// Stops it (StopTask, StopExecution).
        public var stop: ServiceCall
    }

    /// The calls about the job that `submitted` (the start call's result) started.
    public func followUp(submitted: JSONValue) throws(StatesError) -> FollowUp {
        let region = start.region
        let calls: (describe: ServiceCall?, stop: ServiceCall?)
        switch kind {
        case .ecsTask:
            let (cluster, task) = try ECSCalls.startedTask(submitted)
            calls = (ECSCalls.describeTask(cluster: cluster, task: task, region: region), ECSCalls.stopTask(cluster: cluster, task: task, region: region))
        case .childExecution:
            let execution = try StepFunctionsCalls.startedExecution(submitted)
            calls = (StepFunctionsCalls.describeExecution(execution, region: region), StepFunctionsCalls.stopExecution(execution, region: region))
        }
        guard let describe = calls.describe, let stop = calls.stop else {
            throw StatesError.taskFailed("StepLocal has no model for the calls that follow \(start.request.header("X-Amz-Target") ?? "the start call")")
        }
        return FollowUp(describe: describe, stop: stop)
    }

    /// What the describe call's result means: nil while the job runs, the state's result once it
    /// succeeded; throws the error AWS fails the task with when it did not.
    public func outcome(of described: JSONValue) throws(StatesError) -> JSONValue? {
        switch kind {
        case .ecsTask: try ECSCalls.outcome(described)
        case .childExecution(let jsonPayloads): try StepFunctionsCalls.outcome(described, jsonPayloads: jsonPayloads)
        }
    }
}
