public import StepLocalEngine
public import StepLocalJSON

/// What a scenario case expects of its execution. Every member is optional; the status
/// defaults to SUCCEEDED, or FAILED when an error is expected.
public struct Expectations: Sendable {
    public var status: ExecutionStatus
    /// The whole output, compared exactly.
    public var output: JSONValue?
    /// A subset of the output: every member given must be there with that value (arrays
    /// compare element by element, also as subsets of objects).
    public var outputContains: JSONValue?
    public var error: String?
    public var cause: String?
    /// The states entered, in order (all of them, including Parallel branches and Map iterations).
    /// States of concurrently running branches may interleave in any order that keeps each
    /// branch's own order (the history's `previousEventId` chains say which).
    public var states: [String]?
    /// Task state name → number of invocations (retries count).
    public var calls: [String: Int]
    /// Task state name → the parameters of each invocation, in order; each is a subset match.
    public var called: [String: [JSONValue]]
    /// Objects that must be in S3 at the end (what a ResultWriter wrote), in order of the file.
    public var s3: [S3Expectation]

    public init(
        status: ExecutionStatus = .succeeded, output: JSONValue? = nil, outputContains: JSONValue? = nil, error: String? = nil,
        cause: String? = nil, states: [String]? = nil, calls: [String: Int] = [:], called: [String: [JSONValue]] = [:],
        s3: [S3Expectation] = []
    ) {
        self.s3 = s3
        self.status = status
        self.output = output
        self.outputContains = outputContains
        self.error = error
        self.cause = cause
        self.states = states
        self.calls = calls
        self.called = called
    }
}
