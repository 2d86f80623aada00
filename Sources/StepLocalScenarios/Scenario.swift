public import StepLocalASL
import StepLocalJSON

/// One scenario file after loading: a state machine definition and the cases that exercise it.
/// Everything was validated when it was loaded, so running it cannot fail for a file reason.
public struct Scenario: Sendable {
    /// The file it came from, for reports.
    public var file: String
    /// The scenario's display name (`name:`, else the file name).
    public var name: String
    /// The state machine name used by `steplocal serve --scenarios` and as the mock-config key.
    public var stateMachineName: String
    public var type: StateMachineType
    public var definition: StateMachineDefinition
    /// The definition as text, for CreateStateMachine when served.
    public var definitionText: String
    public var cases: [ScenarioCase]

    public init(
        file: String, name: String, stateMachineName: String, type: StateMachineType, definition: StateMachineDefinition,
        definitionText: String, cases: [ScenarioCase]
    ) {
        self.file = file
        self.name = name
        self.stateMachineName = stateMachineName
        self.type = type
        self.definition = definition
        self.definitionText = definitionText
        self.cases = cases
    }
}
