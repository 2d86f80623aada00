import StepLocalASL
import StepLocalJSON
import StepLocalJSONPath

/// Choice: the first rule that matches picks the next state (with its own Assign and, in
/// JSONata, its own Output); none matching goes to Default, or fails with States.NoChoiceMatched.
extension Interpreter {
    func finishChoice(_ spec: ChoiceSpec, scope: inout StateScope, effectiveInput: JSONValue, frame: inout Frame) throws(StatesError) -> StateOutcome {
        let state = scope.state
        let env = scope.environment(input: effectiveInput, frame: frame)
        for (index, branch) in spec.choices.enumerated() {
            let matched: Bool
            do { matched = try branch.rule.evaluate(in: env) } catch { throw scope.located(error) }
            if matched {
                scope.inspect(.choiceIndex, .int(index))
                let assigned = try scope.assignments(branch.assign ?? nil, result: nil, effectiveInput: effectiveInput, frame: frame)
                let output = try scope.finalOutput(result: nil, effectiveInput: effectiveInput, frame: frame, outputOverride: branch.output)
                if let assigned { frame.assign(assigned) }
                recordExited(scope, output: output, assigned: assigned, frame: &frame)
                return .next(branch.next, output)
            }
        }
        guard let defaultNext = spec.defaultNext else {
            throw StatesError.noChoiceMatched("No Matches!")
        }
        scope.inspect(.choiceIndex, .int(-1))
        let assigned = try scope.assignments(state.assign, result: nil, effectiveInput: effectiveInput, frame: frame)
        let output = try scope.finalOutput(result: nil, effectiveInput: effectiveInput, frame: frame)
        if let assigned { frame.assign(assigned) }
        recordExited(scope, output: output, assigned: assigned, frame: &frame)
        return .next(defaultNext, output)
    }
}
