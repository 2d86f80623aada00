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
/// of the local token handling and waits in the same ``CallbackRegistry``.
public struct EndpointTaskDispatcher: TaskDispatcher {
    public let configuration: EndpointConfiguration
    public let transport: any EndpointTransport
    public let fallback: any TaskDispatcher
    /// The signing time; injected so tests sign deterministically.
    public let now: @Sendable () -> Date

    /// A call with no TimeoutSeconds is given up after this long (Lambda's own maximum run time).
    public static let defaultCallTimeout: Duration = .seconds(900)

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
        ServiceCall.supports(resource) && configuration.endpoint(for: ServiceCall.endpointKey(resource)) != nil
    }

    public func validate(_ request: TaskRequest) async throws(StatesError) {
        guard let resource = TaskResource(request.resource), resource.pattern == .requestResponse, callsOut(resource) else {
            return try await fallback.validate(request)
        }
    }

    public func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        guard let resource = TaskResource(request.resource), resource.pattern == .requestResponse, callsOut(resource) else {
            return try await fallback.dispatch(request)
        }
        return try await call(request, resource: resource)
    }

    /// Makes the call and returns the state's result, or throws the error AWS raises: the
    /// service's (named as Step Functions names it), `<Service>.SdkClientException` when the
    /// endpoint cannot be reached, States.Timeout when TimeoutSeconds pass first.
    public func call(_ request: TaskRequest, resource: TaskResource) async throws -> JSONValue {
        guard let call = try ServiceCall.make(for: request, resource: resource, defaultRegion: configuration.region),
            let endpoint = configuration.endpoint(for: call.service)
        else {
            return try await fallback.dispatch(request)
        }
        let prepared = prepare(call, endpoint: endpoint)
        let names = call.errorNames
        // On a clock that passes time instantly the engine would time a real call out after a
        // short grace period: the call decides its own timeout instead, in real seconds.
        var timeout = request.timeoutSeconds.map { Duration.seconds($0) } ?? Self.defaultCallTimeout
        let deadline = TaskDeadline.current
        if let deadline {
            deadline.claim()
            if let at = deadline.at, let start = deadline.dispatchedAt {
                timeout = .milliseconds(max(0, at.millisecondsSince1970 - start.millisecondsSince1970))
            }
        }
        let response: ServiceHTTPResponse
        do {
            response = try await transport.send(prepared, timeout: timeout)
        } catch EndpointTransportError.timedOut {
            if let deadline, let at = deadline.at { deadline.expire(at: at) }
            throw StatesError.timeout()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw names.clientError("\(error) (\(endpoint.url))")
        }
        return try call.result(from: response)
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
