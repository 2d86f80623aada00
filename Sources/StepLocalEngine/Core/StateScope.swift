import StepLocalASL
import StepLocalJSON
import StepLocalJSONPath
import Synchronization

/// A stage of a state's data-flow pipeline, named as AWS's `InspectionData` names it, so that
/// TestState's DEBUG level can show each stage's real value rather than re-derive it.
public enum InspectionStage: String, Sendable, CaseIterable {
    /// The raw state input.
    case input
    /// After InputPath (JSONPath states).
    case afterInputPath
    /// After Parameters (JSONPath Pass; Task parameters reach the dispatcher as `TaskRequest.parameters`).
    case afterParameters
    /// The state's raw result: a Pass state's Result or Parameters, the work's answer.
    case result
    /// After ResultSelector (JSONPath Task, Parallel, Map).
    case afterResultSelector
    /// After ResultPath, before OutputPath (JSONPath states that have a result, and Catch).
    case afterResultPath
    /// The workflow variables once the state has assigned its own.
    case variables
    /// The index of the Catch that handled the state's error (a number).
    case catchIndex
    /// The index of the Retry that retries the state's error (a number), once per retry.
    case retryIndex
    /// The index of the Choices rule that matched (a number), or -1 when Default was taken.
    case choiceIndex
    /// The error a Catch handled, as the Catch sees it (`{"Error", "Cause"}`).
    case caughtError
    /// A Map state's items after ItemsPath (JSONPath Map states).
    case afterItemsPath
    /// A Map state's iteration inputs after ItemSelector (an array; Map states with ItemSelector).
    case afterItemSelector
    /// A Map state's effective MaxConcurrency, ToleratedFailureCount and ToleratedFailurePercentage (numbers).
    case maxConcurrency, toleratedFailureCount, toleratedFailurePercentage
}

/// Receives the stages of the states an execution runs. Nothing is ever observed unless a
/// caller binds one with ``StateInspection/withInspector(_:operation:isolation:)`` around the run, as TestState does.
public protocol StateInspector: Sendable {
    func inspect(_ stage: InspectionStage, _ value: JSONValue, of state: State)
}

/// The inspection hook: a task-local, so it reaches the interpreter (and the execution task it
/// starts) without a parameter on every call. Bind it with ``withInspector(_:operation:)``,
/// which also counts the bound inspectors: while none is bound anywhere, which is every run
/// but TestState's, a state costs one relaxed atomic load and not even a task-local read.
public enum StateInspection {
    @TaskLocal public static var current: (any StateInspector)?
    private static let bound = Atomic<Int>(0)

    /// Runs `operation` with `inspector` seeing the stages of every state it runs.
    public static func withInspector<R: Sendable>(
        _ inspector: (any StateInspector)?, operation: () async throws -> R, isolation: isolated (any Actor)? = #isolation
    ) async rethrows -> R {
        guard let inspector else { return try await operation() }
        bound.add(1, ordering: .relaxed)
        defer { bound.subtract(1, ordering: .relaxed) }
        return try await $current.withValue(inspector, operation: operation)
    }

    /// True while some inspector is bound somewhere (then the task-local says whether it is ours).
    static var isBound: Bool { bound.load(ordering: .relaxed) > 0 }

    static func inspect(_ stage: InspectionStage, _ value: JSONValue, of state: State) {
        current?.inspect(stage, value, of: state)
    }
}

/// The data-flow pipeline of one state, in AWS's order, for both query languages:
///
/// - JSONPath: InputPath → Parameters → the work → ResultSelector → ResultPath → OutputPath;
///   Assign reads the result (after ResultSelector), or the effective input for states without one.
/// - JSONata: Arguments → the work → Assign and Output, both evaluated against the same
///   `$states` and the variables as they were before this state assigned any.
///
/// Absent fields keep AWS's defaults (InputPath/OutputPath `$`, ResultPath `$`), `null` ones
/// mean "nothing" (`{}` for InputPath/OutputPath, discard the result for ResultPath).
struct StateScope: Sendable {
    let state: State
    let rawInput: JSONValue
    let enteredTime: Timestamp
    let enteredEventId: Int
    /// The event the state's entered event followed (its previousEventId).
    var enteredAfterEventId = 0
    let interpreter: Interpreter
    /// Whether to show stages to an inspector (TestState's DEBUG/TRACE); read once per state.
    let inspecting: Bool
    var retryCount = 0

    init(state: State, rawInput: JSONValue, enteredTime: Timestamp, enteredEventId: Int, interpreter: Interpreter) {
        self.state = state
        self.rawInput = rawInput
        self.enteredTime = enteredTime
        self.enteredEventId = enteredEventId
        self.interpreter = interpreter
        self.inspecting = StateInspection.isBound
    }

    /// Shows a stage of this state to the bound inspector (see ``StateInspection``); when none
    /// is bound the value is not even built.
    @inline(__always)
    func inspect(_ stage: InspectionStage, _ value: @autoclosure () -> JSONValue) {
        if inspecting { StateInspection.inspect(stage, value(), of: state) }
    }

    var isJSONata: Bool { state.queryLanguage == .jsonata }

    func context(frame: Frame, taskToken: String? = nil) -> JSONValue {
        interpreter.contextObject(state: state, enteredTime: enteredTime, retryCount: retryCount, frame: frame, taskToken: taskToken)
    }

    func environment(input: JSONValue, frame: Frame, result: JSONValue? = nil, errorOutput: JSONValue? = nil, taskToken: String? = nil)
        -> EvaluationEnvironment
    {
        EvaluationEnvironment(
            input: input, context: context(frame: frame, taskToken: taskToken), variables: frame.variables, result: result,
            errorOutput: errorOutput)
    }

    /// AWS prefixes runtime and JSONata errors with the state and the id of its entered event.
    func located(_ error: StatesError) -> StatesError {
        guard error.error == "States.Runtime" || error.error == "States.QueryEvaluationError",
            let cause = error.cause, !cause.hasPrefix("An error occurred while executing the state")
        else { return error }
        return StatesError(
            error.error, cause: "An error occurred while executing the state '\(state.name)' (entered at the event id #\(enteredEventId)). \(cause)",
            location: error.location)
    }

    func evaluate(_ template: PayloadTemplate, input: JSONValue, frame: Frame, result: JSONValue? = nil, errorOutput: JSONValue? = nil)
        throws(StatesError) -> JSONValue
    {
        if case .literal(let value) = template { return value }
        do {
            return try template.evaluate(in: environment(input: input, frame: frame, result: result, errorOutput: errorOutput))
        } catch {
            throw located(error)
        }
    }

    // MARK: JSONPath stages

    func select(_ path: JSONPath, in value: JSONValue, frame: Frame) throws(StatesError) -> JSONValue {
        let found: JSONValue?
        switch path.root {
        case .input: found = path.evaluate(in: value)
        default: found = PathResolver.select(path, in: environment(input: value, frame: frame))
        }
        guard let found else {
            // AWS explains a miss in the input as Jayway does (`Missing property in path $['no']`
            // for a missing member on the way, `No results for path: ...` for a missing leaf).
            if case .input = path.root {
                do throws(JSONPathError) { _ = try path.resolve(in: value) } catch {
                    throw located(.runtime("Invalid path '\(path.text)' : \(error.message)"))
                }
            }
            throw located(.runtime("Invalid path '\(path.text)' : No results for path: \(NormalizedPath.render(path))"))
        }
        return found
    }

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

    // MARK: Field values

    func resolve(_ source: StringSource, _ env: EvaluationEnvironment) throws(StatesError) -> String {
        let value: JSONValue
        switch source {
        case .literal(let text): return text
        case .path(let template, _), .expression(let template, _):
            do { value = try template.evaluate(in: env) } catch { throw located(error) }
        }
        if case .string(let s) = value { return s }
        return value.serialized()
    }

    /// Resolves a number field (`TimeoutSeconds`, `MaxConcurrency`, ...).
    func number(_ source: NumberSource, input: JSONValue, frame: Frame) throws(StatesError) -> JSONValue {
        switch source {
        case .literal(let value): return value
        case .path(let path, _): return try select(path, in: input, frame: frame)
        case .expression(let template, _): return try evaluate(template, input: input, frame: frame)
        }
    }

    func integer(_ source: NumberSource?, input: JSONValue, frame: Frame) throws(StatesError) -> Int? {
        guard let source else { return nil }
        let value = try number(source, input: input, frame: frame)
        guard let n = value.numberValue?.intValue else {
            throw located(.runtime("The \(source.fieldName) field refers to value \"\(value.serializedForMessage)\" which is not a valid integer: \(source.pathText)"))
        }
        return n
    }

    func waitDeadline(_ spec: WaitSpec, effectiveInput: JSONValue, frame: Frame) throws(StatesError) -> Timestamp {
        let now = interpreter.clock.now()
        switch spec {
        case .seconds(let source):
            let value = try number(source, input: effectiveInput, frame: frame)
            if case .path(let path, _) = source {
                guard let n = value.numberValue, n.isInteger, let seconds = n.intValue else {
                    throw located(.runtime("The SecondsPath parameter cannot be parsed as a long value: \(path.text) == \(value.serializedForMessage)"))
                }
                guard seconds >= 0 else {
                    throw located(.runtime("The SecondsPath parameter references a negative value: \(path.text) == \(seconds)"))
                }
                return now.adding(seconds: Double(seconds))
            }
            guard let n = value.numberValue, n.isInteger, let seconds = n.intValue, seconds >= 0 else {
                throw located(.queryEvaluationError("The Seconds field must be a non-negative integer, but was: \(value.serialized())", location: "Seconds"))
            }
            return now.adding(seconds: Double(seconds))
        case .timestamp(let source):
            let env = environment(input: effectiveInput, frame: frame)
            let text = try resolve(source, env)
            guard let deadline = Timestamp.parseRFC3339(text) else {
                switch source {
                case .path(_, _):
                    let pathText: String
                    if case .path(let template, _) = source, case .path(let p, _) = template { pathText = p.text } else { pathText = "TimestampPath" }
                    throw located(
                        .runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: \(pathText) == \(text)"))
                default:
                    throw located(
                        .queryEvaluationError("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: \(text)", location: "Timestamp"))
                }
            }
            return deadline
        }
    }
}

extension NumberSource {
    var fieldName: String {
        switch self {
        case .literal: "value"
        case .path(_, let field), .expression(_, let field): field
        }
    }

    var pathText: String {
        if case .path(let path, _) = self { return path.text }
        return ""
    }
}

extension StatesError {
    /// AWS's States.DataLimitExceeded for a payload over 256 KiB that `source` (a state's name,
    /// or for a connector's answer its resource type) produced; the wording is AWS's, recorded
    /// for a Pass state's Result and for a Lambda task's answer.
    static func payloadTooLarge(from source: String) -> StatesError {
        .dataLimitExceeded("The state/task '\(source)' returned a result with a size exceeding the maximum number of bytes service limit.")
    }
}

extension JSONValue {
    /// Strings appear bare in AWS's messages, other values as JSON.
    var serializedForMessage: String {
        if case .string(let s) = self { return s }
        return serialized()
    }

    /// True when the compact text is over 256 KiB; stops counting as soon as it is.
    var exceedsPayloadLimit: Bool { exceeds(bytes: Interpreter.payloadLimit) }

    /// True when the compact text is over `limit` bytes; stops counting as soon as it is.
    func exceeds(bytes limit: Int) -> Bool {
        var budget = limit
        return !fitsWithin(&budget)
    }

    /// Takes this value's compact size from `budget`; false once the budget is spent.
    func fitsWithin(_ budget: inout Int) -> Bool {
        switch self {
        case .null: budget -= 4
        case .bool: budget -= 5
        case .number(let n): budget -= n.text.utf8.count
        case .string(let s): budget -= s.utf8.count + 2
        case .array(let items):
            budget -= 2 + items.count
            for item in items where budget >= 0 { if !item.fitsWithin(&budget) { return false } }
        case .object(let object):
            budget -= 2 + object.count * 2
            for (key, value) in object where budget >= 0 {
                budget -= key.utf8.count + 2
                if !value.fitsWithin(&budget) { return false }
            }
        }
        return budget >= 0
    }
}
