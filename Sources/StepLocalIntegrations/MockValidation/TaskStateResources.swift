public import StepLocalASL

/// The Resource of every Task state of a definition, Parallel branches and Map processors
/// included, by state name: what a mock (which names only the state) is checked against.
public enum TaskStateResources {
    public static func of(_ definition: StateMachineDefinition) -> [String: String] {
        var resources: [String: String] = [:]
        collect(definition.program, into: &resources)
        return resources
    }

    private static func collect(_ program: StateProgram, into resources: inout [String: String]) {
        for (name, state) in program.states {
            switch state.kind {
            case .task(let spec): resources[name] = spec.resource
            case .parallel(let branches): branches.forEach { collect($0, into: &resources) }
            case .map(let spec): collect(spec.processor, into: &resources)
            default: break
            }
        }
    }
}
