import Synchronization

/// Which executions run under which mock test case: StartExecution with
/// `stateMachineArn#TestCase` binds the new execution's ARN here before it starts, and the
/// ``MockSelectionDispatcher`` in front of the engine's dispatcher looks each Task up by it.
public final class MockSelections: Sendable {
    private let bound: Mutex<[String: MockTestCase]>

    public init() {
        bound = Mutex([:])
    }

    public func bind(executionArn: String, to testCase: MockTestCase) {
        bound.withLock { $0[executionArn] = testCase }
    }

    public func testCase(executionArn: String) -> MockTestCase? {
        bound.withLock { $0[executionArn] }
    }
}
