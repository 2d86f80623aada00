import StepLocalASL
import StepLocalEngine
import StepLocalJSON

/// StartSyncExecution: runs an EXPRESS execution to its end and answers with its outcome and
/// AWS's `billingDetails` (duration billed in 1 ms steps with a 100 ms minimum, memory in 64 MB
/// steps). STANDARD machines are `StateMachineTypeNotSupported`. When the server shuts down
/// meanwhile, the execution is aborted and answered `FAILED` (the only ending of
/// `SyncExecutionStatus` that fits: it has no ABORTED) with ``shutdownCause``.
struct StartSyncExecutionAction: ActionHandler {
    static let name = "StartSyncExecution"
    static let shutdownCause = "The execution was aborted because StepLocal is shutting down."

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let (request, testCaseName) = MockTestCaseSelection.split(request)
        let plan = try ExecutionStarter.plan(request)
        let testCase = try MockTestCaseSelection.resolve(
            testCaseName, stateMachine: plan.record.name, definition: plan.revision.definition, request: request)
        guard plan.record.type == .express else {
            throw .stateMachineTypeNotSupported("This operation is not supported by standard state machines")
        }
        let now = request.services.now()
        let arn = request.arns.expressExecution(stateMachine: plan.record.name, name: plan.name)
        MockTestCaseSelection.bind(testCase, executionArn: arn, request: request)
        let engine = request.services.engine
        let identity = ExecutionStarter.identity(plan, executionArn: arn, startTime: now)
        // The task takes what the run needs, not the whole plan (copying its state machine
        // record retained every member of it).
        let definition = plan.revision.definition, input = plan.input
        var snapshot = await request.services.shutdown.cancellingOnShutdown {
            await engine.run(definition, input: input.value, inputText: input.text, identity: identity)
        }
        if snapshot.status == .aborted, request.services.shutdown.isShuttingDown {
            snapshot.cause = Self.shutdownCause
        }
        if testCase != nil { request.services.configuration.mockSelections.unbind(executionArns: [arn]) }
        let includeData = request.string("includedData") != "METADATA_ONLY"
        let stopDate = snapshot.stopDate ?? request.services.now()

        // Sized for every member it can get: growing it member by member reallocated it twice.
        var answer = JSONObject(minimumCapacity: 14)
        answer["executionArn"] = .string(arn)
        answer["stateMachineArn"] = .string(plan.versionArn ?? plan.record.arn)
        answer["name"] = .string(plan.name)
        answer["startDate"] = now.json
        answer["stopDate"] = stopDate.json
        switch snapshot.status {
        case .succeeded: answer["status"] = "SUCCEEDED"
        case .timedOut: answer["status"] = "TIMED_OUT"
        default: answer["status"] = "FAILED"
        }
        if let error = snapshot.error { answer["error"] = .string(error) }
        if let cause = snapshot.cause { answer["cause"] = .string(cause) }
        if includeData { answer["input"] = .string(plan.input.text) }
        answer["inputDetails"] = .executionDataDetails(included: includeData)
        if snapshot.status == .succeeded {
            if includeData { answer["output"] = .string(snapshot.output?.serialized() ?? "null") }
            answer["outputDetails"] = .executionDataDetails(included: includeData)
        }
        if let traceHeader = plan.traceHeader { answer["traceHeader"] = .string(traceHeader) }
        let duration = max(0, stopDate.millisecondsSince1970 - now.millisecondsSince1970)
        var billing = JSONObject(minimumCapacity: 2)
        billing["billedMemoryUsedInMB"] = 64
        billing["billedDurationInMilliseconds"] = .int(Int(max(100, duration)))
        answer["billingDetails"] = .object(billing)
        return .object(answer)
    }
}
