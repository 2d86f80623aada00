public import StepLocalIntegrations
public import StepLocalJSON

/// One case of a scenario: an input, the mocks that answer its Task states (compiled into a
/// Step Functions Local test case, so the server can serve it as `arn#case` too), the real
/// endpoints that answer the Task states it does not mock, the clock and what must be true at
/// the end.
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
    /// The S3 buckets and objects the case starts with (the file's `s3:` section, then the
    /// case's): bucket → key → bytes. A Distributed Map's ItemReader reads them and its
    /// ResultWriter writes beside them; nil when neither declares any, and such Maps fail, saying so.
    public var s3: [String: [String: [UInt8]]]?
    /// Start anywhere: the state the case starts at instead of `StartAt` (nil: from the top).
    /// It receives `input`; a nested state runs its branch or iteration alone.
    public var startAt: String?
    /// Variables in scope at the start (what earlier states would have assigned).
    public var variables: [String: JSONValue]
    /// Members laid over the Context object (`$$`), e.g. `Execution.Name`.
    public var context: JSONObject?
    /// Where the Task states this case does not mock are called for real (the file's `endpoints:`
    /// section, then the case's): service key (`dynamodb`, `states`, `secretsmanager`) → endpoint.
    /// Laid over the endpoints `steplocal test` was given (`--endpoint`, the environment).
    public var endpoints: [String: EndpointConfiguration.Endpoint]

    public init(
        name: String, input: JSONValue, mocks: MockTestCase, clock: Clock, expectations: Expectations, s3: [String: [String: [UInt8]]]? = nil,
        startAt: String? = nil, variables: [String: JSONValue] = [:], context: JSONObject? = nil,
        endpoints: [String: EndpointConfiguration.Endpoint] = [:]
    ) {
        self.name = name
        self.input = input
        self.mocks = mocks
        self.clock = clock
        self.expectations = expectations
        self.s3 = s3
        self.startAt = startAt
        self.variables = variables
        self.context = context
        self.endpoints = endpoints
    }
}
