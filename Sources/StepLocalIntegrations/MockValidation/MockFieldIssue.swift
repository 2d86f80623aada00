/// A mocked result that does not match its state's service output shape, with everything a
/// message needs: which state, which mocked response and invocation, where it was written and
/// which field. Load-time checks of mock-config files and scenario files report these.
public struct MockFieldIssue: Sendable, Hashable, CustomStringConvertible {
    public var state: String
    public var resource: String
    public var response: String
    public var origin: String?
    public var invocations: InvocationRange
    public var problem: ResultFieldProblem

    /// `mocks.json: /MockedResponses/MockedLambdaSuccess: state 'LambdaState', invocation 0: $.Paylod: ...`
    public var description: String {
        (origin.map { "\($0): " } ?? "") + "state '\(state)' (mocked response '\(response)', \(invocationText)): "
            + problem.description
    }

    private var invocationText: String {
        invocations.upper == Int.max ? (invocations.lower == 0 ? "every invocation" : "invocations \(invocations.lower) on")
            : invocations.lower == invocations.upper ? "invocation \(invocations.lower)" : "invocations \(invocations)"
    }
}

extension MockTestCase {
    /// Checks every `Return` of this test case against the output shape of the Resource of the
    /// state it answers (`resources`: state name → Resource, see ``TaskStateResources``), each in
    /// its response's ``MockedResponse/fieldValidation`` mode unless `mode` overrides it.
    /// States whose Resource StepLocal has no shape for are skipped (see ``ResultShapeTables``).
    public func fieldProblems(resources: [String: String], mode: FieldValidationMode? = nil) -> [MockFieldIssue] {
        var issues: [MockFieldIssue] = []
        for state in responses.keys.sorted() {
            guard let response = responses[state], let resource = resources[state] else { continue }
            issues += response.fieldProblems(state: state, resource: resource, mode: mode)
        }
        return issues
    }
}

extension MockedResponse {
    /// The problems of this response's `Return` values as answers of `resource`.
    public func fieldProblems(state: String, resource: String, mode: FieldValidationMode? = nil) -> [MockFieldIssue] {
        let validator = ResultValidator(mode: mode ?? fieldValidation)
        guard validator.mode != .none, let selection = ResultShapeTables.selection(forResource: resource) else { return [] }
        var issues: [MockFieldIssue] = []
        for entry in entries {
            guard case .return(let value) = entry.answer else { continue }
            for problem in validator.problems(value, selection: selection) {
                issues.append(MockFieldIssue(
                    state: state, resource: resource, response: name, origin: origin, invocations: entry.range, problem: problem))
            }
        }
        return issues
    }
}
