import StepLocalASL

/// Definitions already loaded while reading a batch of scenario files, keyed by their text and
/// type, so many files over one workflow load and validate it once.
struct DefinitionCache {
    struct Key: Hashable {
        var text: String
        var type: StateMachineType
    }

    var entries: [Key: (StateMachineDefinition, DefinitionStates)] = [:]
}
