/// One test case of a state machine: which mocked response answers which state. Starting an
/// execution as `stateMachineArn#TestCaseName` selects it.
public struct MockTestCase: Sendable, Hashable {
    public var name: String
    /// State name → the mocked response that answers it (names already resolved).
    public var responses: [String: MockedResponse]

    public init(name: String, responses: [String: MockedResponse]) {
        self.name = name
        self.responses = responses
    }
}
