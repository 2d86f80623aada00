import Testing

@testable import StepLocalIntegrations

/// A server started with `arn#TestCase` executions binds each one to its test case and counts its
/// mocked invocations; both must go when the execution is forgotten, or a long run grows forever.
@Suite("Mock test case selections")
struct MockSelectionsTests {
    @Test("Unbinding an execution forgets its test case and its invocation counts, and only its own")
    func unbindReleases() {
        let selections = MockSelections()
        let testCase = MockTestCase(name: "happy", responses: [:])
        for arn in ["e1", "e2"] {
            selections.bind(executionArn: arn, to: testCase)
            _ = selections.invocations.next(executionArn: arn, stateName: "Charge")
        }
        selections.unbind(executionArns: ["e1"])
        #expect(selections.testCase(executionArn: "e1") == nil)
        #expect(selections.invocations.count(executionArn: "e1", stateName: "Charge") == 0)
        #expect(selections.testCase(executionArn: "e2") == testCase)
        #expect(selections.invocations.next(executionArn: "e2", stateName: "Charge") == 1)
    }
}
