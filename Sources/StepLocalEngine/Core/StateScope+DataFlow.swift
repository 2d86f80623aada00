import StepLocalASL
import StepLocalJSON
import StepLocalJSONPath

/// The pipeline itself, in AWS's order (see ``StateScope``): the effective input, ResultPath and
/// OutputPath (JSONata: Output), Assign with AWS's variable limits, and a Catch's output. Kept
/// apart from the scope's field evaluation so one guess finds it.
extension StateScope {
    func effectiveInput(frame: Frame) throws(StatesError) -> JSONValue {
        if isJSONata { return rawInput }
        let value: JSONValue
        switch state.inputPath {
        case .whole: value = rawInput
        case .empty: value = .object([:])
        case .path(let path): value = try select(path, in: rawInput, frame: frame)
        }
        inspect(.afterInputPath, value)
        return value
    }

    func applyOutputPath(_ value: JSONValue, frame: Frame) throws(StatesError) -> JSONValue {
        switch state.outputPath {
        case .whole: return value
        case .empty: return .object([:])
        case .path(let path): return try select(path, in: value, frame: frame)
        }
    }

    /// ResultPath. Only a merge into the input can build a payload larger than both its parts,
    /// so only a merge is measured: the result itself was measured where it was made.
    func applyResultPath(_ resultPath: ResultPath, result: JSONValue) throws(StatesError) -> JSONValue {
        switch resultPath {
        case .replace: return result
        case .discard: return rawInput
        case .path(let path): return try merging(result, at: path)
        }
    }

    private func merging(_ result: JSONValue, at path: JSONPath) throws(StatesError) -> JSONValue {
        let combined: JSONValue
        do {
            combined = try path.assigning(result, into: rawInput)
        } catch {
            throw StatesError.resultPathMatchFailure(
                "Unable to apply ResultPath \"\(path.text)\" to input \"\(rawInput.serialized())\"")
        }
        return try checkedPayload(combined)
    }

    /// AWS's payload quota (256 KiB of compact UTF-8 JSON, ``Interpreter/payloadLimit``): a
    /// state's input after Parameters or Arguments, its result, what ResultSelector makes of it
    /// and its output may not exceed it; a state that builds a larger one fails with
    /// States.DataLimitExceeded, AWS's error and cause (recorded for a Pass state's Result).
    ///
    /// The pipeline measures a payload only where one is built (a template evaluated, a result
    /// returned, a ResultPath merge): values taken from the state's input (InputPath, OutputPath,
    /// a Pass without Result or Parameters) cannot be larger than that input, which was measured
    /// as the previous state's output, so a chain of Pass states measures nothing.
    @inline(__always)
    func checkedPayload(_ value: JSONValue) throws(StatesError) -> JSONValue {
        if value.exceedsPayloadLimit { throw .payloadTooLarge(from: state.name) }
        return value
    }

    /// The state's output. `result` is nil for states that have no result (Choice, Wait, Succeed).
    /// An output nested deeper than any payload may be fails the state (States.Runtime): only a
    /// result or an Output expression can add levels, so only then is the output walked.
    func finalOutput(result: JSONValue?, effectiveInput: JSONValue, frame: Frame, outputOverride: PayloadTemplate? = nil) throws(StatesError)
        -> JSONValue
    {
        let output = try buildOutput(result: result, effectiveInput: effectiveInput, frame: frame, outputOverride: outputOverride)
        if outputMayBeDeeperThanInput(hasResult: result != nil, outputOverride: outputOverride) {
            try checkNesting(output, subject: "The output of state '\(state.name)'")
        }
        return output
    }

    /// Whether this state can hand on a value nested deeper than its input: a JSONata Output, a
    /// result placed inside the input by a ResultPath, or a result the state built (a Pass Result or
    /// Parameters, a Task's answer, a Map's or Parallel's array). A Pass that hands on its input
    /// cannot, and is not walked: a Pass chain measures nothing.
    private func outputMayBeDeeperThanInput(hasResult: Bool, outputOverride: PayloadTemplate?) -> Bool {
        if isJSONata { return (outputOverride ?? state.output) != nil }
        guard hasResult else { return false }
        if case .path = state.resultPath { return true }
        if case .pass(nil) = state.kind, state.parameters == nil { return false }
        return true
    }

    /// Refuses a value nested more than ``JSONValue/maximumNestingDepth`` levels.
    func checkNesting(_ value: JSONValue, subject: @autoclosure () -> String) throws(StatesError) {
        if value.nestingExceeds() {
            throw located(.runtime("\(subject()) is nested more than \(JSONValue.maximumNestingDepth) levels deep."))
        }
    }

    private func buildOutput(result: JSONValue?, effectiveInput: JSONValue, frame: Frame, outputOverride: PayloadTemplate?) throws(StatesError)
        -> JSONValue
    {
        if isJSONata {
            if let output = outputOverride ?? state.output {
                return try checkedPayload(evaluate(output, input: rawInput, frame: frame, result: result))
            }
            return result ?? rawInput
        }
        guard let result else { return try applyOutputPath(effectiveInput, frame: frame) }
        let combined = try applyResultPath(state.resultPath, result: result)
        inspect(.afterResultPath, combined)
        return try applyOutputPath(combined, frame: frame)
    }

    /// Evaluates Assign; nil when the state assigns nothing.
    func assignments(_ assign: PayloadTemplate?, result: JSONValue?, effectiveInput: JSONValue, frame: Frame, errorOutput: JSONValue? = nil)
        throws(StatesError) -> JSONObject?
    {
        guard let assign else { return nil }
        let value: JSONValue
        if isJSONata {
            value = try evaluate(assign, input: rawInput, frame: frame, result: result, errorOutput: errorOutput)
        } else {
            value = try evaluate(assign, input: errorOutput ?? result ?? effectiveInput, frame: frame)
        }
        guard case .object(let object) = value else { return nil }
        try checkVariableLimits(object, frame: frame)
        return object
    }

    /// AWS's quotas on variables: one variable and one Assign field hold at most 256 KiB each,
    /// and all the variables an execution keeps at most 10 MiB. Breaking one fails the state
    /// with States.DataLimitExceeded (not caught by States.ALL).
    func checkVariableLimits(_ assigned: JSONObject, frame: Frame) throws(StatesError) {
        // Each value is measured once; the Assign field's size counts as `exceeds(bytes:)` counts
        // an object: braces, then per member its quoted name, two separators and its value.
        var assignedBytes = 2
        for (name, value) in assigned {
            try checkNesting(value, subject: "The variable '\(name)' assigned by state '\(state.name)'")
            var budget = Interpreter.payloadLimit
            guard value.fitsWithin(&budget) else {
                throw located(.dataLimitExceeded(
                    "The variable '\(name)' assigned by state '\(state.name)' has a size exceeding the maximum number of bytes service limit (256 KiB)."))
            }
            assignedBytes += name.utf8.count + 4 + (Interpreter.payloadLimit - budget)
        }
        if assigned.count > 1, assignedBytes > Interpreter.payloadLimit {
            throw located(.dataLimitExceeded(
                "The Assign field of state '\(state.name)' assigns variables whose combined size exceeds the maximum number of bytes service limit (256 KiB)."))
        }
        // Every variable holds at most 256 KiB, so the 10 MiB total can only be passed by an
        // execution keeping about 40 of them; below that bound nothing needs walking.
        var upperBound = 0
        for name in frame.variables.keys { upperBound += name.utf8.count + 3 + Interpreter.payloadLimit }
        for name in assigned.keys { upperBound += name.utf8.count + 3 + Interpreter.payloadLimit }
        guard upperBound > Interpreter.variablesLimit else { return }
        var budget = Interpreter.variablesLimit
        func keeps(_ name: String, _ value: JSONValue) -> Bool {
            budget -= name.utf8.count + 3
            return budget >= 0 && value.fitsWithin(&budget)
        }
        let fits = frame.variables.allSatisfy { name, value in assigned[name] != nil || keeps(name, value) }
            && assigned.allSatisfy { name, value in keeps(name, value) }
        if !fits {
            throw located(.dataLimitExceeded(
                "The variables of the execution would have a combined size exceeding the maximum number of bytes service limit (10 MiB) after state '\(state.name)'."))
        }
    }

    func catchOutput(_ catcher: Catcher, errorOutput: JSONValue, frame: Frame) throws(StatesError) -> (JSONValue, JSONObject?) {
        let assigned = try assignments(catcher.assign, result: nil, effectiveInput: rawInput, frame: frame, errorOutput: errorOutput)
        if isJSONata {
            if let output = catcher.output {
                return (try checkedPayload(evaluate(output, input: rawInput, frame: frame, errorOutput: errorOutput)), assigned)
            }
            return (errorOutput, assigned)
        }
        let combined = try applyResultPath(catcher.resultPath, result: errorOutput)
        inspect(.afterResultPath, combined)
        return (combined, assigned)
    }
}
