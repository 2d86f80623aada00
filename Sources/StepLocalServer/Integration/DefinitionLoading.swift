import StepLocalASL

/// The one place the server asks the ASL loader about a definition, translating its errors
/// into the API's `InvalidDefinition`.
enum DefinitionLoading {
    static func load(_ text: String, type: StateMachineType) throws(AWSServiceError) -> StateMachineDefinition {
        do {
            return try StateMachineDefinition.load(text, type: type)
        } catch {
            throw .invalidDefinition(error.invalidDefinitionMessage)
        }
    }

    static func diagnostics(_ text: String, type: StateMachineType) -> [Diagnostic] {
        StateMachineDefinition.validate(text, type: type)
    }
}
