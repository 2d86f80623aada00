public import StepLocalASL
public import StepLocalEngine
public import StepLocalJSON

/// Makes the real call of a `.waitForTaskToken` Task whose service has an endpoint (the SQS
/// message, the SNS notification, the Lambda invocation, the ECS task or the child execution at a
/// `STEP_FUNCTIONS_ENDPOINT` that carries `$$.Task.Token`), then
/// waits for SendTaskSuccess/SendTaskFailure in the same ``CallbackRegistry`` the local token
/// tasks wait in: heartbeats, timeouts and the API's callbacks behave exactly as they do there.
/// It exists because the local dispatcher answers every token task without calling anything;
/// this one sits in front of it, behind the mocks, and hands every other request to `next`.
///
/// The token is registered before the call goes out, so a worker that answers at once is heard.
/// A call that fails fails the task with the service's error, and its token is closed. A call
/// that had gone out before a restart (``TaskRequest/submittedBeforeRestart``) is not made again.
public struct EndpointTokenDispatcher: TaskDispatcher {
    public let endpoints: EndpointTaskDispatcher
    public let callbacks: CallbackRegistry
    public let next: any TaskDispatcher

    public init(endpoints: EndpointTaskDispatcher, callbacks: CallbackRegistry, next: any TaskDispatcher) {
        self.endpoints = endpoints
        self.callbacks = callbacks
        self.next = next
    }

    private func answers(_ request: TaskRequest) -> TaskResource? {
        guard request.taskToken != nil, let resource = TaskResource(request.resource), resource.pattern == .waitForTaskToken,
            endpoints.callsOut(resource)
        else { return nil }
        return resource
    }

    public func mockedItemReader(_ request: TaskRequest) async throws -> JSONValue? {
        try await next.mockedItemReader(request)
    }

    public func validate(_ request: TaskRequest) async throws(StatesError) {
        if answers(request) == nil { try await next.validate(request) }
    }

    public func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        guard let resource = answers(request), let token = request.taskToken else { return try await next.dispatch(request) }
        callbacks.register(token: token, owner: request.executionArn)
        let answer: JSONValue
        if let sent = request.submittedBeforeRestart {
            // Made before a restart, with this token: the worker has it already; only the wait goes on.
            answer = sent
        } else {
            do {
                answer = try await endpoints.call(request, resource: resource)
            } catch {
            // Close the token the way every wait closes it, so a late callback hears TaskTimedOut.
            _ = callbacks.fail(token: token, error: nil, cause: nil)
                _ = try? await callbacks.awaitResult(token: token, heartbeatSeconds: nil)
                throw error
            }
        }
        request.events.record(.taskSubmitted, details: request.submittedDetails(output: answer))
        return try await callbacks.awaitAnswer(to: request, token: token)
    }
}
