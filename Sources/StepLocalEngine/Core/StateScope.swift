import StepLocalASL
import StepLocalJSON
import StepLocalJSONPath

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
    /// What the Context object (`$$`) shows of the execution. The scope keeps these two rather than
    /// the whole ``Interpreter``, which every state would otherwise copy (with its references).
    let execution: Execution
    let hooks: RunHooks?
    /// Whether to show stages to an inspector (TestState's DEBUG/TRACE); read once per state.
    let inspecting: Bool
    var retryCount = 0

    init(state: State, rawInput: JSONValue, enteredTime: Timestamp, enteredEventId: Int, execution: Execution, hooks: RunHooks?) {
        self.state = state
        self.rawInput = rawInput
        self.enteredTime = enteredTime
        self.enteredEventId = enteredEventId
        self.execution = execution
        self.hooks = hooks
        self.inspecting = StateInspection.isBound
    }

    /// Shows a stage of this state to the bound inspector (see ``StateInspection``); when none
    /// is bound the value is not even built.
    @inline(__always)
    func inspect(_ stage: InspectionStage, _ value: @autoclosure () -> JSONValue) {
        if inspecting { StateInspection.inspect(stage, value(), of: state) }
    }

    var isJSONata: Bool { state.queryLanguage == .jsonata }

    /// The Context object (`$$`) this state sees.
    func context(frame: Frame, taskToken: String? = nil) -> JSONValue {
        let identity = execution.identity
        var context: JSONObject = [
            "Execution": .object([
                "Id": .string(identity.executionArn), "Input": execution.input, "StartTime": .string(identity.startTime.iso8601),
                "Name": .string(identity.name), "RoleArn": .string(identity.roleArn), "RedriveCount": .int(execution.redriveCount),
            ]),
            "StateMachine": .object(["Id": .string(identity.stateMachineArn), "Name": .string(identity.stateMachineName)]),
            "State": .object(["Name": .string(state.name), "EnteredTime": .string(enteredTime.iso8601)]),
        ]
        // AWS adds RetryCount only for states that can retry (recorded: a Pass state has none).
        switch state.kind {
        case .task, .parallel, .map:
            context["State"] = .object([
                "Name": .string(state.name), "EnteredTime": .string(enteredTime.iso8601), "RetryCount": .int(retryCount),
            ])
        default: break
        }
        if let taskToken { context["Task"] = .object(["Token": .string(taskToken)]) }
        if let item = frame.mapItem {
            context["Map"] = .object(["Item": .object(["Index": .int(item.index), "Value": item.value])])
        }
        if let contextOverrides = hooks?.contextOverrides { Interpreter.overlay(contextOverrides, on: &context) }
        return .object(context)
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
        case .input:
            do throws(JSONPathError) { found = try path.evaluate(in: value) } catch { throw located(.runtime(error.description)) }
        default:
            do throws(StatesError) { found = try PathResolver.select(path, in: environment(input: value, frame: frame)) } catch { throw located(error) }
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

    /// When a Wait that began at `now` (its entered time on its thread's clock) ends.
    func waitDeadline(_ spec: WaitSpec, from now: Timestamp, effectiveInput: JSONValue, frame: Frame) throws(StatesError) -> Timestamp {
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
