public import Foundation
public import StepLocalASL
public import StepLocalEngine
public import StepLocalJSON

/// Answers Task states by calling a real endpoint (DynamoDB Local, LocalStack, moto,
/// `sam local start-lambda`, ...) the way AWS calls the service, signed with SigV4. It is the
/// fallback behind mocks, task tokens, activities and nested executions (``ServerConfiguration``'s
/// `dispatcher`), so a mock for a state always wins and mocked requests never reach it. A Task
/// whose service has no configured endpoint, or whose call StepLocal does not make, goes on to
/// `fallback`: the loud ``UnmockedTaskDispatcher`` unless told otherwise. Nothing here calls AWS
/// unless an endpoint says so.
///
/// `.waitForTaskToken` calls reach it through ``EndpointTokenDispatcher``, which sits in front
/// of the local token handling and waits in the same ``CallbackRegistry``. `.sync` jobs
/// (`ecs:runTask.sync`, `states:startExecution.sync[:2]`) are run here, polling the endpoint
/// until they finish (``runJob(_:resource:)``). Nested executions reach it only when Step
/// Functions itself has an endpoint (``runsNestedExecutionsRemotely``): the server then gives the
/// local dispatcher no nested-execution host.
public struct EndpointTaskDispatcher: TaskDispatcher {
    public let configuration: EndpointConfiguration
    public let transport: any EndpointTransport
    public let fallback: any TaskDispatcher
    /// The signing time; injected so tests sign deterministically.
    public let now: @Sendable () -> Date

    /// A call with no TimeoutSeconds is given up after this long (Lambda's own maximum run time).
    public static let defaultCallTimeout: Duration = .seconds(900)
    /// While a `.sync` job is followed, one request (DescribeTasks, StopExecution, ...) is given up after this long.
    public static let jobRequestTimeout: Duration = .seconds(60)
    /// The first wait between two polls of a `.sync` job: short, for local endpoints where jobs end
    /// quickly. Each next wait is half as long again, up to ``longestPollInterval``.
    public var firstPollInterval: Duration = .milliseconds(250)
    /// The longest wait between two polls of a `.sync` job, however long it runs.
    public var longestPollInterval: Duration = .seconds(2)

    public init(
        configuration: EndpointConfiguration, transport: any EndpointTransport = AsyncHTTPClientTransport(),
        fallback: any TaskDispatcher = UnmockedTaskDispatcher(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.transport = transport
        self.fallback = fallback
        self.now = now
    }

    /// Whether this request's call would go to a configured endpoint (any pattern StepLocal makes).
    public func callsOut(_ resource: TaskResource) -> Bool {
        ServiceCall.supports(resource) && endpoint(forService: ServiceCall.endpointKey(resource)) != nil
    }

    /// Where a service's calls go. Nested executions (`states`) go only to an endpoint named for
    /// Step Functions itself (`--endpoint states=URL`, `STEP_FUNCTIONS_ENDPOINT`,
    /// `AWS_ENDPOINT_URL_SFN`): a global `AWS_ENDPOINT_URL` (or passthrough to AWS) does not move
    /// them, because the state machines they start are this StepLocal's own.
    public func endpoint(forService service: String, region: String? = nil) -> EndpointConfiguration.Endpoint? {
        guard service == "states" else { return configuration.endpoint(for: service, region: region) }
        guard let endpoint = configuration.endpoints["states"], endpoint != configuration.defaultEndpoint else { return nil }
        return endpoint
    }

    /// Whether `states:startExecution` Tasks start their child at a Step Functions endpoint
    /// instead of in this StepLocal (the server then gives its local nested-execution host none).
    public var runsNestedExecutionsRemotely: Bool { endpoint(forService: "states") != nil }

    public func mockedItemReader(_ request: TaskRequest) async throws -> JSONValue? {
        try await fallback.mockedItemReader(request)
    }

    public func validate(_ request: TaskRequest) async throws(StatesError) {
        guard let resource = TaskResource(request.resource), resource.pattern != .waitForTaskToken, callsOut(resource) else {
            return try await fallback.validate(request)
        }
    }

    /// Request-response calls and `.sync` jobs; `.waitForTaskToken` calls are made by
    /// ``EndpointTokenDispatcher``, in front of the local token wait.
    public func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        guard let resource = TaskResource(request.resource), resource.pattern != .waitForTaskToken, callsOut(resource) else {
            return try await fallback.dispatch(request)
        }
        switch resource.pattern {
        case .sync, .sync2: return try await runJob(request, resource: resource)
        case .requestResponse, .waitForTaskToken: return try await call(request, resource: resource)
        }
    }

    /// Makes the call and returns the state's result, or throws the error AWS raises: the
    /// service's (named as Step Functions names it), `<Service>.SdkClientException` when the
    /// endpoint cannot be reached, States.Timeout when TimeoutSeconds pass first.
    public func call(_ request: TaskRequest, resource: TaskResource) async throws -> JSONValue {
        guard let call = try ServiceCall.make(for: request, resource: resource, defaultRegion: configuration.region),
            let endpoint = endpoint(forService: call.service, region: call.region)
        else {
            return try await fallback.dispatch(request)
        }
        let budget = CallBudget(for: request, defaultLimit: Self.defaultCallTimeout)
        return try call.result(from: try await send(call, to: endpoint, budget: budget))
    }

    /// Runs a `.sync` job: starts it (recording the answer as TaskSubmitted; after a restart, the
    /// job it had started, ``TaskRequest/submittedBeforeRestart``, is taken up again), then asks after it,
    /// every quarter of a second at first and less often as it lasts (at most every
    /// ``longestPollInterval``), until it has finished, and returns its result or throws its
    /// failure. Only the Task's TimeoutSeconds bounds the wait (States.Timeout); when the
    /// execution is stopped or the Task times out, the job is stopped too (StopTask,
    /// StopExecution), as AWS stops it.
    public func runJob(_ request: TaskRequest, resource: TaskResource) async throws -> JSONValue {
        guard let job = try ServiceCall.syncJob(for: request, resource: resource, defaultRegion: configuration.region),
            let endpoint = endpoint(forService: job.start.service, region: job.start.region)
        else {
            return try await fallback.dispatch(request)
        }
        let budget = CallBudget(for: request, defaultLimit: nil)
        let submitted: JSONValue
        if let started = request.submittedBeforeRestart {
            // Started before a restart: the same job is followed, not a second one started.
            submitted = started
        } else {
            submitted = try job.start.result(from: try await send(job.start, to: endpoint, budget: budget, cap: Self.jobRequestTimeout))
        }
        request.events.record(.taskSubmitted, details: request.submittedDetails(output: submitted))
        let followUp = try job.followUp(submitted: submitted)
        do {
            // The job runs outside the execution: its other branches go on meanwhile (see ``ThreadWaits``).
            return try await ThreadWaits.outside {
                var interval = firstPollInterval
                while true {
                    try await budget.sleep(for: interval)
                    let answer = try await send(followUp.describe, to: endpoint, budget: budget, cap: Self.jobRequestTimeout)
                    if let result = try job.outcome(of: try followUp.describe.result(from: answer)) { return result }
                    interval = min(interval * 3 / 2, longestPollInterval)
                }
            }
        } catch let error where Task.isCancelled || error is CancellationError || (error as? StatesError)?.error == "States.Timeout" {
            await stopQuietly(followUp.stop, at: endpoint)
            throw error
        }
    }

    /// Sends `call`, within what is left of `budget` (and at most `cap`): the answer, or
    /// States.Timeout when the budget runs out first, `<Service>.SdkClientException` when no answer comes.
    private func send(
        _ call: ServiceCall, to endpoint: EndpointConfiguration.Endpoint, budget: CallBudget, cap: Duration? = nil
    ) async throws -> ServiceHTTPResponse {
        let remaining = budget.remaining
        let timeout = [remaining, cap].compactMap { $0 }.min() ?? Self.defaultCallTimeout
        let budgetDecides = remaining.map { remaining in cap.map { remaining <= $0 } ?? true } ?? false
        guard timeout > .zero else { throw budget.expire() }
        do {
            return try await transport.send(prepare(call, endpoint: endpoint), timeout: timeout)
        } catch EndpointTransportError.timedOut {
            if budgetDecides { throw budget.expire() }
            throw call.errorNames.clientError("no answer within \(timeout) (\(endpoint.url))")
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw call.errorNames.clientError("\(error) (\(endpoint.url))")
        }
    }

    /// Sends a stop call whatever happens to the task that asks for it: the execution being
    /// stopped cancels that task, and the stop must still go out. Its answer does not matter.
    private func stopQuietly(_ call: ServiceCall, at endpoint: EndpointConfiguration.Endpoint) async {
        let prepared = prepare(call, endpoint: endpoint)
        let transport = transport
        await Task { _ = try? await transport.send(prepared, timeout: .seconds(5)) }.value
    }

    /// Signs `call` for `endpoint`: the URL, Host, and SigV4 headers.
    public func prepare(_ call: ServiceCall, endpoint: EndpointConfiguration.Endpoint) -> PreparedHTTPRequest {
        let signer = SigV4Signer(credentials: configuration.credentials, region: call.region, service: call.signingName)
        let path = endpoint.basePath + call.request.path
        let signed = signer.sign(
            method: call.request.method, path: path, query: call.request.query,
            headers: [("Host", endpoint.hostHeader)] + call.request.headers, body: call.request.body, date: now())
        return PreparedHTTPRequest(
            url: "\(endpoint.scheme)://\(endpoint.hostHeader)\(call.request.target(basePath: endpoint.basePath))",
            method: call.request.method, headers: signed.headers, body: call.request.body)
    }
}
