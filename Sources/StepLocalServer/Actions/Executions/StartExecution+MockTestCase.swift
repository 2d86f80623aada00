import StepLocalASL
import StepLocalIntegrations
import StepLocalEngine

/// Step Functions Local's test-case selection: StartExecution and StartSyncExecution accept
/// `stateMachineArn#TestCaseName`; the execution then runs with that case's mocks. The part
/// after `#` is removed before the ARN is resolved, so everything else behaves as usual.
enum MockTestCaseSelection {
    /// The request with the plain state machine ARN, and the test case name if one was given.
    static func split(_ request: ActionRequest) -> (ActionRequest, String?) {
        // Searched byte by byte: looking for the Character walked the ARN's grapheme clusters,
        // about 2 % of the server's time on a StartSyncExecution.
        guard let arn = request.string("stateMachineArn"), let hash = arn.utf8.firstIndex(of: UInt8(ascii: "#")) else { return (request, nil) }
        var plain = request
        plain.input["stateMachineArn"] = .string(String(arn[..<hash]))
        return (plain, String(arn[arn.index(after: hash)...]))
    }

    /// The named test case of `stateMachine` in the server's mock configuration, after checking
    /// its mocked results against the output shapes of the states' Resources in `definition`: the
    /// first moment a mock-config file's responses meet the definition they answer, so a bad mock
    /// (`Paylod` for a Lambda result) refuses the start with the file, state and field instead of
    /// running an execution on a result the service could never return.
    static func resolve(
        _ name: String?, stateMachine: String, definition: StateMachineDefinition, request: ActionRequest
    ) throws(AWSServiceError) -> MockTestCase? {
        guard let name else { return nil }
        guard let testCase = request.services.configuration.mockConfig.testCase(stateMachine: stateMachine, name: name) else {
            let known = request.services.configuration.mockConfig.stateMachines[stateMachine]?.keys.sorted() ?? []
            throw .validationException(
                "Test case '\(name)' is not defined for state machine '\(stateMachine)' in the mock configuration"
                    + (known.isEmpty ? " (it defines no test cases for this state machine)" : " (defined: \(known.joined(separator: ", ")))"))
        }
        let issues = testCase.fieldProblems(resources: TaskStateResources.of(definition))
        if !issues.isEmpty {
            throw .validationException(
                "Test case '\(name)' of state machine '\(stateMachine)' has mocked results that do not match the services' output shapes: "
                    + issues.map(\.description).joined(separator: "; "))
        }
        return testCase
    }

    /// Binds the execution to its test case before it starts, so its first Task already sees it.
    static func bind(_ testCase: MockTestCase?, executionArn: String, request: ActionRequest) {
        guard let testCase else { return }
        request.services.configuration.mockSelections.bind(executionArn: executionArn, to: testCase)
    }

    /// For EXPRESS executions, which are never stored: forgets the test case when `execution` ends.
    static func unbindWhenFinished(_ testCase: MockTestCase?, _ execution: Execution, request: ActionRequest) {
        guard testCase != nil else { return }
        let selections = request.services.configuration.mockSelections
        Task {
            _ = await execution.waitUntilFinished()
            selections.unbind(executionArns: [execution.identity.executionArn])
        }
    }
}
