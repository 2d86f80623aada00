public import StepLocalASL
public import StepLocalEngine
public import StepLocalJSON

/// The server's mock seam: one dispatcher in front of everything else that answers a Task
/// from the test case its execution was started with (`arn#TestCase`), and passes Tasks of
/// unmocked states, or of executions started without a test case, to `fallback` untouched.
/// A Distributed Map's child executions are answered from their top-level execution's test case
/// (``TaskRequest/rootExecutionArn``), as an inline Map's iterations are.
public struct MockSelectionDispatcher: TaskDispatcher {
    public let selections: MockSelections
    public let fallback: any TaskDispatcher

    public init(selections: MockSelections, fallback: any TaskDispatcher) {
        self.selections = selections
        self.fallback = fallback
    }

    public func validate(_ request: TaskRequest) async throws(StatesError) {
        if selections.testCase(executionArn: request.rootExecutionArn)?.responses[request.stateName] == nil {
            try await fallback.validate(request)
        }
    }

    public func mockedItemReader(_ request: TaskRequest) async throws -> JSONValue? {
        guard let testCase = selections.testCase(executionArn: request.rootExecutionArn),
            let response = testCase.responses[request.stateName]
        else { return try await fallback.mockedItemReader(request) }
        return try MockDispatcher.answer(response, testCase: testCase.name, request: request, counter: selections.invocations)
    }

    public func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        guard let testCase = selections.testCase(executionArn: request.rootExecutionArn),
            let response = testCase.responses[request.stateName]
        else { return try await fallback.dispatch(request) }
        return try MockDispatcher.answer(response, testCase: testCase.name, request: request, counter: selections.invocations)
    }
}
