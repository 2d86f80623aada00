import StepLocalASL
import StepLocalEngine
import StepLocalJSON

/// TestState: runs one state on its own, as AWS's TestState does. The state is wrapped in a
/// one-state machine whose transition targets are Succeed stubs, run by the engine on a virtual
/// clock, and the answer is read back from the history: `nextState` is the stub the state
/// moved to, `CAUGHT_ERROR` when it went there through a Catch, `RETRIABLE` when a Retrier
/// would have retried the failure (TestState itself never retries). A `mock` result or error
/// answers a Task state; otherwise the server's dispatcher does. `variables` are set before the
/// state runs; `context` (only with a `mock`, as AWS requires) is laid over the Context object
/// `$$` the state sees, one level deep (see ``Interpreter/overlay(_:on:)``).
///
/// `inspectionData` (DEBUG and TRACE) holds the values the engine produced at each stage of
/// the state's data flow (see ``InspectionRecorder``), plus `errorDetails`: the Catch that
/// handled the error, or the Retrier that would retry it and its backoff.
struct TestStateAction: ActionHandler {
    static let name = "TestState"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let text = try request.required("definition")
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: text)
        } catch {
            throw .invalidDefinition("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: \(error.description) at null'")
        }
        guard case .object(let definitionObject) = parsed else {
            throw .invalidDefinition("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Expected an object at /'")
        }
        let stateName: String
        var state: JSONObject
        var queryLanguage: JSONValue? = nil
        if case .object(let states)? = definitionObject["States"] {
            guard let name = request.string("stateName") else {
                throw .validationException("stateName is required when the definition is a state machine", reason: "MISSING_REQUIRED_PARAMETER")
            }
            guard case .object(let found)? = states[name] else {
                throw .invalidDefinition("Invalid State Machine Definition: 'State \"\(name)\" does not exist in the definition'")
            }
            stateName = name
            state = found
            queryLanguage = definitionObject["QueryLanguage"]
        } else {
            stateName = request.string("stateName") ?? "TestState"
            state = definitionObject
        }
        let input = try request.json("input") { .invalidExecutionInput($0) }
        let variables = try Self.objectMember("variables", of: request)
        let contextOverrides = try Self.objectMember("context", of: request)
        if contextOverrides != nil, request.value("mock") == nil {
            throw .validationException("context may only be specified if a mock is specified in the same request")
        }
        if request.value("mock") != nil {
            switch state["Type"]?.stringValue {
            case "Task": break
            case "Map", "Parallel":
                throw .validationException("StepLocal does not support a mock for a Map or Parallel state in TestState yet; mock the Task states inside it instead")
            default:
                throw .validationException("A mock can only be specified for Task, Map, or Parallel states")
            }
        }
        for unsupported in ["errorCausedByState", "mapIterationFailureCount", "mapItemReaderData"]
        where request.value("stateConfiguration")?[unsupported] != nil {
            throw .validationException("StepLocal does not support stateConfiguration.\(unsupported) in TestState yet (it applies to mocked Map and Parallel states)")
        }

        let retriers = state.removeValue(forKey: "Retry")?.arrayValue ?? []
        let catchTargets = Set((state["Catch"]?.arrayValue ?? []).compactMap { $0["Next"]?.stringValue })
        var targets: [String] = []
        if let next = state["Next"]?.stringValue { targets.append(next) }
        if let next = state["Default"]?.stringValue { targets.append(next) }
        for choice in state["Choices"]?.arrayValue ?? [] { if let next = choice["Next"]?.stringValue { targets.append(next) } }
        targets.append(contentsOf: catchTargets)

        var states: JSONObject = [stateName: .object(state)]
        for target in targets where target != stateName { states[target] = ["Type": "Succeed"] }
        var machine: JSONObject = [:]
        if let queryLanguage { machine["QueryLanguage"] = queryLanguage }
        machine["StartAt"] = .string(stateName)
        machine["States"] = .object(states)
        let definition = try DefinitionLoading.load(JSONValue.object(machine).serialized(), type: .standard)

        let retryCount = request.value("stateConfiguration")?["retrierRetryCount"]?.numberValue?.intValue ?? 0
        let inspecting = (request.string("inspectionLevel") ?? "INFO") != "INFO"
        let recorder = inspecting ? InspectionRecorder(stateName: stateName) : nil
        var dispatcher: any TaskDispatcher = try MockTaskDispatcher(mock: request.value("mock")) ?? request.services.configuration.dispatcher
        if let recorder, let tested = definition.program.states[stateName] {
            dispatcher = recorder.dispatcher(wrapping: dispatcher, queryLanguage: tested.queryLanguage)
        }
        let engine = ExecutionEngine(clock: VirtualClock(start: request.services.now()), dispatcher: dispatcher)
        let identity = ExecutionIdentity(
            executionArn: request.arns.execution(stateMachine: "TestState", name: Identifiers.uuid()), name: "TestState",
            stateMachineArn: request.arns.stateMachine("TestState"), stateMachineName: "TestState",
            roleArn: request.string("roleArn") ?? "", startTime: request.services.now())
        let snapshot = await StateInspection.withInspector(recorder) {
            await engine.run(
                definition, input: input.value, identity: identity,
                variables: Dictionary(uniqueKeysWithValues: (variables ?? [:]).map { ($0.key, $0.value) }),
                contextOverrides: contextOverrides)
        }
        return Self.answer(
            snapshot, stateName: stateName, retriers: retriers, retryCount: retryCount, catchTargets: catchTargets, recorder: recorder)
    }

    static func answer(
        _ snapshot: ExecutionSnapshot, stateName: String, retriers: [JSONValue], retryCount: Int, catchTargets: Set<String>,
        recorder: InspectionRecorder?
    ) -> JSONValue {
        let history = snapshot.history
        let entered = history.filter { $0.type.hasSuffix("StateEntered") }
        let nextState = entered.dropFirst().first?.details["name"]?.stringValue
        let failure = history.last { $0.type.hasSuffix("Failed") && $0.type != "ExecutionFailed" && $0.details["error"] != nil }

        var answer: JSONObject = [:]
        var retry: (index: Int, backoffSeconds: Double)? = nil
        if snapshot.status == .succeeded {
            if let nextState, catchTargets.contains(nextState), let failure {
                answer["status"] = "CAUGHT_ERROR"
                answer["error"] = failure.details["error"] ?? .null
                if let cause = failure.details["cause"] { answer["cause"] = cause }
            } else {
                answer["status"] = "SUCCEEDED"
            }
            answer["output"] = .string(snapshot.output?.serialized() ?? "null")
            if let nextState { answer["nextState"] = .string(nextState) }
        } else {
            let error = snapshot.error ?? "States.Runtime"
            retry = Self.retry(for: error, retriers: retriers, retryCount: retryCount)
            answer["status"] = retry != nil ? "RETRIABLE" : "FAILED"
            answer["error"] = .string(error)
            if let cause = snapshot.cause { answer["cause"] = .string(cause) }
        }
        if let recorder { answer["inspectionData"] = .object(recorder.inspectionData(retry: retry)) }
        return .object(answer)
    }

    /// A member holding a JSON object as text (`variables`, `context`); absent is `nil`.
    static func objectMember(_ key: String, of request: ActionRequest) throws(AWSServiceError) -> JSONObject? {
        guard let text = request.string(key) else { return nil }
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: text)
        } catch {
            throw .validationException("Invalid \(key): \(error.description)")
        }
        guard case .object(let object) = parsed else {
            throw .validationException("Invalid \(key): expected a JSON object, got \(parsed.typeName)")
        }
        return object
    }

    /// The Retrier that would retry `error` after `retryCount` earlier retries, and its backoff:
    /// the first retrier whose ErrorEquals matches decides, as at run time.
    static func retry(for error: String, retriers: [JSONValue], retryCount: Int) -> (index: Int, backoffSeconds: Double)? {
        let excluded = StatesError(error, cause: nil).isExcludedFromStatesAll
        guard let index = retriers.firstIndex(where: { retrier in
            let equals = (retrier["ErrorEquals"]?.arrayValue ?? []).compactMap(\.stringValue)
            return equals.contains(error) || (equals.contains("States.ALL") && !excluded)
        }) else { return nil }
        let retrier = retriers[index]
        guard retryCount < (retrier["MaxAttempts"]?.numberValue?.intValue ?? 3) else { return nil }
        let interval = retrier["IntervalSeconds"]?.numberValue?.doubleValue ?? 1
        let rate = retrier["BackoffRate"]?.numberValue?.doubleValue ?? 2
        var backoff = interval
        for _ in 0..<retryCount { backoff *= rate }
        if let cap = retrier["MaxDelaySeconds"]?.numberValue?.doubleValue { backoff = min(backoff, cap) }
        return (index, backoff)
    }
}
