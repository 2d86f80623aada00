import StepLocalASL
import StepLocalIntegrations

/// The state names of a definition, nested Parallel branches and Map processors included,
/// so a mock or expectation naming a state that does not exist is caught when loading.
struct DefinitionStates {
    var all: Set<String> = []
    var tasks: Set<String> = []
    /// Distributed Map states with an ItemReader, which a mock may answer too (what the reader reads).
    var readers: Set<String> = []
    /// Task state name → its Resource, which a mock's result is checked against.
    var resources: [String: String] = [:]

    init(_ definition: StateMachineDefinition) {
        collect(definition.program)
        resources = TaskStateResources.of(definition)
    }

    private mutating func collect(_ program: StateProgram) {
        for (name, state) in program.states {
            all.insert(name)
            switch state.kind {
            case .task: tasks.insert(name)
            case .parallel(let branches): branches.forEach { collect($0) }
            case .map(let spec):
                if spec.itemReader != nil { readers.insert(name) }
                collect(spec.processor)
            default: break
            }
        }
    }

    func suggestion(for name: String, in names: Set<String>) -> String {
        let sorted = names.sorted()
        return sorted.isEmpty ? "(none)" : sorted.prefix(12).joined(separator: ", ")
    }
}
