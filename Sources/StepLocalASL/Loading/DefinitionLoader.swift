import StepLocalIntrinsics
import StepLocalJSON
import StepLocalJSONPath
import StepLocalJSONata

/// Turns definition text into a ``StateMachineDefinition``, collecting every problem with its
/// JSON location in AWS's wording instead of stopping at the first one.
struct DefinitionLoader {
    let type: StateMachineType
    private(set) var diagnostics: [Diagnostic] = []

    init(type: StateMachineType) {
        self.type = type
    }

    mutating func report(_ message: String, at location: String?) {
        report("SCHEMA_VALIDATION_FAILED", message, at: location)
    }

    mutating func report(_ code: String, _ message: String, at location: String?) {
        diagnostics.append(Diagnostic(code: code, message: message, location: location))
    }

    mutating func load(_ text: String) -> StateMachineDefinition? {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            let trimmed = text.filter { !" \n\r\t".contains($0) }
            if trimmed.isEmpty {
                diagnostics.append(Diagnostic(code: "SCHEMA_VALIDATION_FAILED", message: "Definition must be a valid JSON object", location: nil))
            } else {
                let jackson = JacksonParseMessage(text: text, error: error)
                report("INVALID_JSON_DESCRIPTION", jackson.message, at: jackson.location)
            }
            return nil
        }
        guard case .object(let root) = json else {
            diagnostics.append(Diagnostic(code: "SCHEMA_VALIDATION_FAILED", message: "Definition must be a valid JSON object", location: nil))
            return nil
        }
        let missing = ["States", "StartAt"].filter { root[$0] == nil }
        if !missing.isEmpty {
            report("These fields are required: [\(missing.joined(separator: ", "))]", at: "/")
            return nil
        }
        for key in root.keys where !["StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"].contains(key) {
            report("Field '\(key)' is not supported", at: "/")
        }
        var language = QueryLanguage.jsonPath
        if let value = root["QueryLanguage"] {
            if let text = value.stringValue, let parsed = QueryLanguage(rawValue: text) {
                language = parsed
            } else {
                report("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", at: "/QueryLanguage")
            }
        }
        var timeout: Int?
        if let value = root["TimeoutSeconds"] {
            if let n = value.numberValue?.intValue, n >= 0 { timeout = n } else {
                report("The value for the field 'TimeoutSeconds' must be a non-negative integer", at: "/TimeoutSeconds")
            }
        }
        if let comment = root["Comment"], comment.stringValue == nil {
            report("The value for the field 'Comment' must be a STRING", at: "/Comment")
        }
        let machineLanguageIsJSONata = language == .jsonata
        guard let program = loadProgram(root, location: "", inherited: language, machineIsJSONata: machineLanguageIsJSONata, isTopLevel: true) else {
            return nil
        }
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return nil }
        return StateMachineDefinition(
            source: json, comment: root["Comment"]?.stringValue, queryLanguage: language, timeoutSeconds: timeout, type: type, program: program)
    }

    /// Loads `StartAt` + `States` at `location` ("" for the top level, "/States/P/Branches[0]" …).
    mutating func loadProgram(
        _ object: JSONObject, location: String, inherited: QueryLanguage, machineIsJSONata: Bool, isTopLevel: Bool
    ) -> StateProgram? {
        let here = location.isEmpty ? "/" : location
        guard let startAt = object["StartAt"]?.stringValue else {
            report(object["StartAt"] == nil ? "These fields are required: [StartAt]" : "The value for the field 'StartAt' must be a STRING", at: here)
            return nil
        }
        guard case .object(let statesObject)? = object["States"] else {
            report(object["States"] == nil ? "These fields are required: [States]" : "The value for the field 'States' must be an OBJECT", at: here)
            return nil
        }
        if !isTopLevel {
            for key in object.keys where !["StartAt", "States", "Comment", "ProcessorConfig"].contains(key) {
                report("Field '\(key)' is not supported", at: here)
            }
        }
        var states: [String: State] = [:]
        for (name, value) in statesObject {
            let stateLocation = "\(location)/States/\(name)"
            if name.isEmpty || name.count > 80 {
                report("State names must be between 1 and 80 characters long", at: stateLocation)
            }
            guard case .object(let stateObject) = value else {
                report("The value for the field '\(name)' must be an OBJECT", at: stateLocation)
                continue
            }
            if let state = loadState(name: name, stateObject, location: stateLocation, inherited: inherited, machineIsJSONata: machineIsJSONata) {
                states[name] = state
            }
        }
        let program = StateProgram(startAt: startAt, states: states, stateNames: Array(statesObject.keys))
        if statesObject[startAt] == nil {
            report("MISSING_TRANSITION_TARGET", "Missing 'Next' target: \(startAt)", at: location.isEmpty ? "/StartAt" : "\(location)/StartAt")
        }
        checkTransitions(program, statesObject: statesObject, location: location)
        return program
    }

    /// Dangling targets, then (unless no state can end the workflow) unreachable states, in AWS's order.
    mutating func checkTransitions(_ program: StateProgram, statesObject: JSONObject, location: String) {
        var targetsByState: [String: [(String, String)]] = [:]
        for name in program.stateNames {
            guard let state = program.states[name] else { continue }
            var targets: [(String, String)] = []
            let base = "\(location)/States/\(name)"
            if let next = state.next, !isChoice(state) { targets.append((next, "\(base)/Next")) }
            if case .choice(let spec) = state.kind {
                for (i, branch) in spec.choices.enumerated() { targets.append((branch.next, "\(base)/Choices[\(i)]/Next")) }
                if let d = spec.defaultNext { targets.append((d, "\(base)/Default")) }
            }
            for (i, catcher) in state.catchers.enumerated() { targets.append((catcher.next, "\(base)/Catch[\(i)]/Next")) }
            targetsByState[name] = targets
            for (target, at) in targets where statesObject[target] == nil {
                report("MISSING_TRANSITION_TARGET", "Missing 'Next' target: \(target)", at: at)
            }
        }
        guard program.states.count == program.stateNames.count else { return }
        let hasTerminal = program.states.values.contains { state in
            switch state.kind {
            case .succeed, .fail: return true
            case .choice: return false
            default: return state.next == nil
            }
        }
        if !hasTerminal {
            diagnostics.append(Diagnostic(code: "MISSING_END_STATE", message: "Workflow has no terminal state", location: nil))
            return
        }
        var reachable: Set<String> = []
        var queue = [program.startAt]
        while let current = queue.popLast() {
            guard reachable.insert(current).inserted else { continue }
            for (target, _) in targetsByState[current] ?? [] where !reachable.contains(target) { queue.append(target) }
        }
        for name in program.stateNames where !reachable.contains(name) && program.states[name] != nil {
            report("MISSING_TRANSITION_TARGET", "State \"\(name)\" is not reachable.", at: "\(location)/States/\(name)")
        }
    }

    private func isChoice(_ state: State) -> Bool {
        if case .choice = state.kind { return true }
        return false
    }
}
