import Synchronization

/// Which executions run under which mock test case: StartExecution with
/// `stateMachineArn#TestCase` binds the new execution's ARN here before it starts, and the
/// ``MockSelectionDispatcher`` in front of the engine's dispatcher looks each Task up by it.
public final class MockSelections: Sendable {
    private let bound: Mutex<[String: MockTestCase]>
    /// How often each mocked state of a bound execution was invoked (released with the binding).
    let invocations = InvocationCounter()

    public init() {
        bound = Mutex([:])
    }

    public func bind(executionArn: String, to testCase: MockTestCase) {
        bound.withLock { $0[executionArn] = testCase }
    }

    /// Forgets an execution's test case once nothing can run it again (it was forgotten, or it
    /// was EXPRESS and ended), so a long run of `arn#case` starts does not grow without bound.
    public func unbind(executionArns: some Sequence<String>) {
        bound.withLock { bound in
            for arn in executionArns {
                bound[arn] = nil
                invocations.forget(executionArn: arn)
            }
        }
    }

    /// Binds a resumed execution to its test case again, with how often each of its Task states
    /// was already invoked, so invocation-numbered responses (`"0"`, `"1-2"`) continue where they were.
    public func rebind(executionArn: String, to testCase: MockTestCase, invocationCounts: [String: Int]) {
        bind(executionArn: executionArn, to: testCase)
        invocations.restore(executionArn: executionArn, counts: invocationCounts)
    }

    public func testCase(executionArn: String) -> MockTestCase? {
        bound.withLock { $0[executionArn] }
    }
}
