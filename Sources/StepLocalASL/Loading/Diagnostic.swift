/// One problem found in a state machine definition, with where it is. Loading collects all of
/// them, so a definition with five mistakes gets five diagnostics in one answer, as AWS's
/// ValidateStateMachineDefinition does.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error = "ERROR"
        case warning = "WARNING"
    }

    public var severity: Severity
    /// AWS's code, e.g. `SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET`.
    public var code: String
    public var message: String
    /// A JSON location such as `/States/Charge/Next`, when the problem has one.
    public var location: String?

    public init(severity: Severity = .error, code: String, message: String, location: String?) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
    }

    /// The text AWS puts in an InvalidDefinition message for this problem.
    public var description: String {
        "\(code): \(message) at \(location ?? "null")"
    }
}

/// Thrown when a definition cannot be loaded; carries every diagnostic.
public struct DefinitionLoadError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// The message of AWS's `InvalidDefinition` error for CreateStateMachine / UpdateStateMachine.
    public var invalidDefinitionMessage: String {
        // AWS repeats the code per problem and joins them with ", ".
        let list = diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: ", ")
        return "Invalid State Machine Definition: '\(list)'"
    }

    public var description: String { invalidDefinitionMessage }
}
