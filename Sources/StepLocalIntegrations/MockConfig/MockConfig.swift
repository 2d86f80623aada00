/// A Step Functions Local mock configuration after loading: every test case of every state
/// machine with its mocked responses resolved, so a bad reference was found at start-up and
/// lookups at execution start are plain dictionary reads. Scenario files compile into the same
/// value, which is how `steplocal serve --scenarios` exposes their cases as `arn#case`.
public struct MockConfig: Sendable, Hashable {
    /// State machine name → test case name → test case.
    public var stateMachines: [String: [String: MockTestCase]]

    public init(stateMachines: [String: [String: MockTestCase]] = [:]) {
        self.stateMachines = stateMachines
    }

    public func testCase(stateMachine: String, name: String) -> MockTestCase? {
        stateMachines[stateMachine]?[name]
    }

    /// Adds (or replaces) the other configuration's test cases; later files win, like a later
    /// `--scenarios` directory over `SFN_MOCK_CONFIG`.
    public mutating func merge(_ other: MockConfig) {
        for (machine, cases) in other.stateMachines {
            stateMachines[machine, default: [:]].merge(cases) { _, new in new }
        }
    }
}
