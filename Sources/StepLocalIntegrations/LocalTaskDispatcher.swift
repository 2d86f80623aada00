public import StepLocalASL
public import StepLocalEngine
public import StepLocalJSON

/// Answers the Task resources StepLocal runs for real, on this machine: `.waitForTaskToken`
/// for any service (the task waits for SendTaskSuccess/Failure), activities (queued for
/// GetActivityTask workers) and nested Step Functions executions (`states:startExecution`,
/// `.sync`, `.sync:2`, `.waitForTaskToken`). Everything else goes to `fallback` (the loud
/// "not mocked" dispatcher, later real endpoints). Mock dispatchers sit in front of it, so a
/// mocked token task answers at once, as in Step Functions Local.
public struct LocalTaskDispatcher: TaskDispatcher {
    public let callbacks: CallbackRegistry
    public let activities: ActivityScheduler
    public var activityDirectory: any ActivityDirectory
    /// Nil when there is no store of state machines to start (then nested tasks fall through).
    public var nestedExecutions: (any NestedExecutionHost)?
    public var fallback: any TaskDispatcher

    public init(
        callbacks: CallbackRegistry, activities: ActivityScheduler = ActivityScheduler(),
        activityDirectory: any ActivityDirectory = AnyActivityExists(), nestedExecutions: (any NestedExecutionHost)? = nil,
        fallback: any TaskDispatcher = UnmockedTaskDispatcher()
    ) {
        self.callbacks = callbacks
        self.activities = activities
        self.activityDirectory = activityDirectory
        self.nestedExecutions = nestedExecutions
        self.fallback = fallback
    }

    public func validate(_ request: TaskRequest) async throws(StatesError) {
        guard let resource = TaskResource(request.resource) else { return try await fallback.validate(request) }
        if resource.service == "activity" {
            guard activityDirectory.activityExists(request.resource) else {
                throw .runtime("The activity \(request.resource) does not exist.")
            }
            return
        }
        guard answers(resource, request) else { return try await fallback.validate(request) }
        // The engine records TaskScheduled, whose parameters carry the token, before it
        // dispatches: a worker that reads it there and answers at once must find the token open
        // (as on AWS), not be told TaskDoesNotExist in the moment before the task waits.
        if let token = request.taskToken, callbacks.callbacksCanArrive { callbacks.register(token: token, owner: request.executionArn) }
    }

    public func mockedItemReader(_ request: TaskRequest) async throws -> JSONValue? {
        try await fallback.mockedItemReader(request)
    }

    public func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        guard let resource = TaskResource(request.resource), answers(resource, request) else {
            return try await fallback.dispatch(request)
        }
        if resource.service == "activity" { return try await runActivity(request) }
        if resource.service == "states", resource.action == "startExecution", let host = nestedExecutions {
            return try await runNested(request, resource: resource, host: host)
        }
        // Any other service's `.waitForTaskToken`: the call itself is not made; the task waits.
        let token = request.taskToken!
        try refuseEndlessWait(request)
        callbacks.register(token: token, owner: request.executionArn)
        request.events.record(.taskSubmitted, details: request.submittedDetails(output: .object(ServiceResponse.submitted(service: resource.service, callKey: request.callKey))))
        return try await callbacks.awaitAnswer(to: request, token: token)
    }

    /// Without an API (`steplocal test`) nothing can send the token back: a wait that no
    /// heartbeat or deadline ends would hang the run, so the task fails loudly instead, saying
    /// how to mock it or bound it.
    private func refuseEndlessWait(_ request: TaskRequest) throws {
        guard !callbacks.callbacksCanArrive, !callbacks.expiresAtOnce(heartbeatSeconds: request.heartbeatSeconds) else { return }
        throw StatesError(
            "States.TaskFailed",
            cause: "StepLocal has no answer for state '\(request.stateName)' (resource \(request.resource)): it waits for a task token "
                + "that nothing can send back here (no SendTaskSuccess/SendTaskFailure without a server). Mock the state, or give it "
                + "HeartbeatSeconds or TimeoutSeconds to test how it times out.")
    }

    private func answers(_ resource: TaskResource, _ request: TaskRequest) -> Bool {
        if resource.service == "activity" { return request.taskToken != nil }
        if resource.service == "states", resource.action == "startExecution", nestedExecutions != nil { return true }
        return resource.pattern == .waitForTaskToken && request.taskToken != nil
    }

    // MARK: - Activities

    private func runActivity(_ request: TaskRequest) async throws -> JSONValue {
        let token = request.taskToken!
        let arn = request.resource
        let events = request.events
        try refuseEndlessWait(request)
        callbacks.register(token: token, owner: request.executionArn)
        // A wait that ends at once (instant clock) is never handed to a worker: whether one was
        // polling at that instant must not change the history.
        if callbacks.expiresAtOnce(heartbeatSeconds: request.heartbeatSeconds) {
            return try await callbacks.awaitAnswer(to: request, token: token)
        }
        // A worker answered before the server stopped (the store kept the answer, and who had
        // taken the task): the task runs again after the restart and takes it, without offering
        // the task to workers again.
        let kept = callbacks.keptAnswer(token: token)
        if kept.answered {
            events.record(.activityStarted, details: kept.workerName.map { ["workerName": .string($0)] } ?? [:])
            return try await callbacks.awaitAnswer(to: request, token: token)
        }
        let callbacks = self.callbacks
        activities.enqueue(activityArn: arn, taskToken: token, input: request.parameters.serialized()) { workerName in
            callbacks.noteWorker(token: token, name: workerName)
            events.record(.activityStarted, details: workerName.map { ["workerName": .string($0)] } ?? [:])
        }
        defer { activities.withdraw(activityArn: arn, taskToken: token) }
        return try await callbacks.awaitAnswer(to: request, token: token)
    }

    // MARK: - Nested executions

    private func runNested(_ request: TaskRequest, resource: TaskResource, host: any NestedExecutionHost) async throws -> JSONValue {
        let parameters = request.parameters
        guard let machineArn = parameters["StateMachineArn"]?.stringValue else {
            throw StatesError(
                "States.Runtime",
                cause: "An error occurred while executing the state '\(request.stateName)'. The field 'StateMachineArn' is required by states:startExecution.")
        }
        let input: JSONValue
        switch parameters["Input"] {
        case nil, .null?: input = [:]
        case .string(let text)?:
            do {
                input = try JSONValue(parsing: text)
            } catch {
                throw StatesError(
                    "StepFunctions.InvalidExecutionInputException",
                    cause: "Invalid State Machine Execution Input: '\(error)' (Service: AWSStepFunctions; Status Code: 400; "
                        + "Error Code: InvalidExecutionInput; Request ID: \(ServiceResponse.randomUUID()); Proxy: null)")
            }
        case let value?: input = value
        }
        let child: Execution
        do {
            child = try await host.startChildExecution(
                stateMachineArn: machineArn, name: parameters["Name"]?.stringValue, input: input, parent: request)
        } catch {
            throw StatesError(
                "StepFunctions.\(error.code)Exception",
                cause: "\(error.message) (Service: AWSStepFunctions; Status Code: 400; Error Code: \(error.code); "
                    + "Request ID: \(ServiceResponse.randomUUID()); Proxy: null)")
        }
        let started = ServiceResponse.startExecution(child.identity, callKey: request.callKey)
        switch resource.pattern {
        case .requestResponse:
            return .object(started)
        case .waitForTaskToken:
            let token = request.taskToken!
            try refuseEndlessWait(request)
            callbacks.register(token: token, owner: request.executionArn)
            request.events.record(.taskSubmitted, details: request.submittedDetails(output: .object(started)))
            return try await callbacks.awaitAnswer(to: request, token: token)
        case .sync, .sync2:
            request.events.record(.taskSubmitted, details: request.submittedDetails(output: .object(started)))
            // When time passes instantly the child's own waits move the shared clock: the task is
            // late exactly when the child ended after the deadline, however long it took in real time.
            let deadline = TaskDeadline.current
            deadline?.claim()
            guard let snapshot = try await Self.waitForChild(child, deadline: deadline?.at) else {
                // The deadline passed first in the parent's timeline: the child was stopped then.
                if let at = deadline?.at { deadline?.ended(at: at) }
                throw StatesError.timeout()
            }
            if let at = deadline?.at, let stop = snapshot.stopDate, stop > at {
                deadline?.ended(at: at)
                throw StatesError.timeout()
            }
            if let stop = snapshot.stopDate { deadline?.ended(at: stop) }
            return try ServiceResponse.childOutcome(ServiceResponse.describe(snapshot, jsonPayloads: resource.pattern == .sync2))
        }
    }

    /// Waits for the child to finish; when the parent's task is cancelled (the parent was
    /// stopped or timed out) the child is stopped too, as AWS stops `.sync` children.
    /// Nil when `deadline` passed first (see ``Execution/waitUntilFinishedForParentTask(deadline:)``).
    static func waitForChild(_ child: Execution, deadline: Timestamp? = nil) async throws -> ExecutionSnapshot? {
        let snapshot = await withTaskCancellationHandler {
            await child.waitUntilFinishedForParentTask(deadline: deadline)
        } onCancel: {
            child.stop(error: nil, cause: nil)
        }
        try Task.checkCancellation()
        return snapshot
    }
}
