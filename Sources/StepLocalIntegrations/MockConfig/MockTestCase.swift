/// One test case of a state machine: which mocked response answers which state, and (for a
/// scenario case served by `steplocal serve --scenarios`) the S3 objects its Distributed Maps
/// read and write. Starting an execution as `stateMachineArn#TestCaseName` selects it.
public struct MockTestCase: Sendable, Hashable {
    public var name: String
    /// State name → the mocked response that answers it (names already resolved).
    public var responses: [String: MockedResponse]
    /// A scenario case's `s3:` data, bucket → key → bytes: each execution of the case gets its
    /// own in-memory S3 holding it. Nil for Step Functions Local mock configs, which have none.
    public var s3Objects: [String: [String: [UInt8]]]?

    public init(name: String, responses: [String: MockedResponse], s3Objects: [String: [String: [UInt8]]]? = nil) {
        self.name = name
        self.responses = responses
        self.s3Objects = s3Objects
    }
}
