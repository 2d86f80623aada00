public import StepLocalASL
public import StepLocalEngine
public import StepLocalJSON

/// Answers the Task states one test case mocks and hands every other Task to `fallback`
/// (nested executions, activities, task tokens, or the loud ``UnmockedTaskDispatcher``).
///
/// Invocations are counted per execution and state, so retries consume them as in Step
/// Functions Local ("0" answers the first attempt, "1-2" the next two). Mocked
/// `.waitForTaskToken` and `.sync` tasks answer at once with the mocked response, as Step
/// Functions Local does: no token has to be sent back. A `Return` for one records TaskSubmitted
/// (holding the mocked response) before TaskSucceeded; a `Throw` records none, only TaskFailed:
/// the history Step Functions Local writes, which LocalStack's mock mode copies
/// (`tests/aws/services/stepfunctions/v2/local_mocking/test_base_callbacks.py`).
public struct MockDispatcher: TaskDispatcher {
    public let testCase: MockTestCase
    public let fallback: any TaskDispatcher
    private let counter: InvocationCounter

    public init(testCase: MockTestCase, fallback: any TaskDispatcher = UnmockedTaskDispatcher()) {
        self.testCase = testCase
        self.fallback = fallback
        self.counter = InvocationCounter()
    }

    public func validate(_ request: TaskRequest) async throws(StatesError) {
        if testCase.responses[request.stateName] == nil { try await fallback.validate(request) }
    }

    public func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        guard let response = testCase.responses[request.stateName] else {
            return try await fallback.dispatch(request)
        }
        return try Self.answer(response, testCase: testCase.name, request: request, counter: counter)
    }

    /// A Distributed Map state the test case maps to a response has its ItemReader answered by it
    /// (counted like a Task's invocations); any other reader goes to `fallback`.
    public func mockedItemReader(_ request: TaskRequest) async throws -> JSONValue? {
        guard let response = testCase.responses[request.stateName] else { return try await fallback.mockedItemReader(request) }
        return try Self.answer(response, testCase: testCase.name, request: request, counter: counter)
    }

    /// How many times `stateName` has been invoked in the execution so far (mocked states only).
    public func invocationCount(executionArn: String, stateName: String) -> Int {
        counter.count(executionArn: executionArn, stateName: stateName)
    }

    /// Takes the next invocation number and answers it: the shared core of every mock dispatcher.
    static func answer(_ response: MockedResponse, testCase: String, request: TaskRequest, counter: InvocationCounter) throws -> JSONValue {
        // A mock answers at once: the engine must not time it out, however busy the machine.
        TaskDeadline.current?.claim()
        // Counted per top-level execution: a Distributed Map's children take a state's responses in
        // turn, as an inline Map's iterations do.
        let invocation = counter.next(executionArn: request.rootExecutionArn, stateName: request.stateName)
        switch response.answer(forInvocation: invocation) {
        case .return(let value)?:
            if let resource = TaskResource(request.resource), resource.pattern != .requestResponse {
                request.events.record(.taskSubmitted, details: request.submittedDetails(output: value))
            }
            return value
        case .throw(let error)?:
            throw error
        case nil:
            throw StatesError.runtime(
                "The mocked response '\(response.name)' for state '\(request.stateName)' (test case '\(testCase)') has no "
                    + "answer for invocation \(invocation) (counting from 0); it defines "
                    + (response.entries.isEmpty ? "none" : response.entries.map { "\"\($0.range)\"" }.joined(separator: ", ")) + ".")
        }
    }
}
