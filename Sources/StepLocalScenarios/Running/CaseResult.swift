/// The outcome of one scenario case: which expectations failed (each a readable message,
/// possibly several lines) and how long it took.
public struct CaseResult: Sendable {
    public var file: String
    public var scenario: String
    public var name: String
    public var failures: [String]
    public var durationSeconds: Double
    /// What the case exercised, when the runner collects coverage (``ScenarioRunner/collectsCoverage``).
    public var covered: Set<CoverageItem>?

    public init(file: String, scenario: String, name: String, failures: [String], durationSeconds: Double) {
        self.file = file
        self.scenario = scenario
        self.name = name
        self.failures = failures
        self.durationSeconds = durationSeconds
    }

    public var passed: Bool { failures.isEmpty }
    public var fullName: String { "\(scenario) › \(name)" }
}
