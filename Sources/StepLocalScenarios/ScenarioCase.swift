public import StepLocalIntegrations
public import StepLocalJSON

/// One case of a scenario: an input, the mocks that answer its Task states (compiled into a
/// Step Functions Local test case, so the server can serve it as `arn#case` too), the clock
/// and what must be true at the end.
public struct ScenarioCase: Sendable {
    public enum Clock: String, Sendable {
        /// Waits and retry back-offs pass instantly; timestamps advance as if they had waited.
        case virtual
        /// Really waits (for scenarios that talk to something outside).
        case real
    }

    public var name: String
    public var input: JSONValue
    public var mocks: MockTestCase
    public var clock: Clock
    public var expectations: Expectations

    public init(name: String, input: JSONValue, mocks: MockTestCase, clock: Clock, expectations: Expectations) {
        self.name = name
        self.input = input
        self.mocks = mocks
        self.clock = clock
        self.expectations = expectations
    }
}
