/// Starting a run at any state ("start anywhere": `steplocal run --start-at`, a scenario case's
/// `startAt:`): a long workflow's tail is tested without driving it from the top.
extension StateMachineDefinition {
    /// The program that holds `stateName`: the top level, or the Parallel branch or Map
    /// processor it is nested in. State names are unique in a whole definition (AWS refuses a
    /// duplicate), so there is at most one.
    public func program(containing stateName: String) -> StateProgram? {
        program.program(containing: stateName)
    }

    /// What a run that starts at `stateName` runs: this definition when the state is at the top
    /// level, else the program it is nested in as a definition of its own (as a Distributed
    /// Map's child executions run their processor): it ends where that branch or iteration ends.
    /// Nil when no state has that name.
    public func startingAt(_ stateName: String) -> StateMachineDefinition? {
        guard let holder = program(containing: stateName) else { return nil }
        return holder === program ? self : childDefinition(running: holder)
    }

    /// Every state name, nested ones included, in definition order (for "did you mean" messages).
    public var allStateNames: [String] {
        var names: [String] = []
        program.collectStateNames(into: &names)
        return names
    }
}

extension StateProgram {
    func program(containing stateName: String) -> StateProgram? {
        if states[stateName] != nil { return self }
        for name in stateNames {
            switch states[name]?.kind {
            case .parallel(let branches)?:
                for branch in branches {
                    if let found = branch.program(containing: stateName) { return found }
                }
            case .map(let spec)?:
                if let found = spec.processor.program(containing: stateName) { return found }
            default:
                continue
            }
        }
        return nil
    }

    func collectStateNames(into names: inout [String]) {
        for name in stateNames {
            names.append(name)
            switch states[name]?.kind {
            case .parallel(let branches)?: for branch in branches { branch.collectStateNames(into: &names) }
            case .map(let spec)?: spec.processor.collectStateNames(into: &names)
            default: continue
            }
        }
    }
}
