import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import StepLocalIntrinsics

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
        let type = state["Type"]?.stringValue
        let mock = try MockTaskDispatcher(mock: request.value("mock"))
        if mock != nil {
            guard type == "Task" || type == "Map" || type == "Parallel" else {
                throw .validationException("A mock can only be specified for Task, Map, or Parallel states")
            }
            if type == "Task", case .result(let result)? = mock?.answer, let resource = state["Resource"]?.stringValue {
                try Self.checkMockResult(result, resource: resource, mode: request.value("mock")?["fieldValidationMode"]?.stringValue)
            }
        } else if let needsMock = Self.needsMock(state) {
            throw .validationException("TestState needs a mock to test \(needsMock)")
        }
        let configuration = request.value("stateConfiguration")
        let iterationFailures = configuration?["mapIterationFailureCount"]?.numberValue?.intValue
        let itemReaderData = configuration?["mapItemReaderData"]?.stringValue
        if iterationFailures != nil, type != "Map" {
            throw .validationException("mapIterationFailureCount applies only to a Map state")
        }
        if itemReaderData != nil, state["ItemReader"] == nil {
            throw .validationException("mapItemReaderData applies only to a Distributed Map state with an ItemReader")
        }
        if let origin = request.value("stateConfiguration")?["errorCausedByState"]?.stringValue {
            guard type == "Map" || type == "Parallel", case .error? = mock?.answer else {
                throw .validationException("errorCausedByState applies only to an error mocked for a Map or Parallel state")
            }
            guard Self.innerStateNames(of: .object(state)).contains(origin) else {
                throw .validationException("errorCausedByState '\(origin)' is not a state of the tested \(type ?? "state")")
            }
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
        // Always recorded (a caught error is read from it); shown only at DEBUG and TRACE.
        let recorder = InspectionRecorder(stateName: stateName)
        var dispatcher: any TaskDispatcher = type == "Task" ? mock ?? request.services.configuration.dispatcher : request.services.configuration.dispatcher
        var stateMock: StateMock? = nil
        if type != "Task", let mock {
            switch mock.answer {
            case .result(let value):
                stateMock = StateMock(
                    stateName: stateName, outcome: .success(value), iterationFailures: iterationFailures, itemReaderData: itemReaderData)
            case .error(let error):
                stateMock = StateMock(
                    stateName: stateName, outcome: .failure(error), iterationFailures: iterationFailures, itemReaderData: itemReaderData)
            }
        }
        if let tested = definition.program.states[stateName] {
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
                options: RunOptions(
                    variables: Dictionary(uniqueKeysWithValues: (variables ?? [:]).map { ($0.key, $0.value) }),
                    contextOverrides: contextOverrides, stateMock: stateMock))
        }
        return Self.answer(
            snapshot, stateName: stateName, retriers: retriers, retryCount: retryCount, catchTargets: catchTargets, recorder: recorder,
            inspecting: inspecting)
    }

    static func answer(
        _ snapshot: ExecutionSnapshot, stateName: String, retriers: [JSONValue], retryCount: Int, catchTargets: Set<String>,
        recorder: InspectionRecorder, inspecting: Bool
    ) -> JSONValue {
        let history = snapshot.history
        let entered = history.filter { $0.type.hasSuffix("StateEntered") }
        let nextState = entered.dropFirst().first?.stateName
        let failure = history.last { $0.type.hasSuffix("Failed") && $0.type != "ExecutionFailed" && $0.details["error"] != nil }

        var answer: JSONObject = [:]
        var retry: (index: Int, backoffSeconds: Double)? = nil
        if snapshot.status == .succeeded {
            if let nextState, catchTargets.contains(nextState), let caught = recorder.caughtError ?? failure.map({ $0.details }) {
                // (What the Catch saw: a Map or Parallel failure event carries no error of its own.)
                answer["status"] = "CAUGHT_ERROR"
                answer["error"] = caught["Error"] ?? caught["error"] ?? .null
                if let cause = caught["Cause"] ?? caught["cause"] { answer["cause"] = cause }
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
        if inspecting { answer["inspectionData"] = .object(recorder.inspectionData(retry: retry)) }
        return .object(answer)
    }

    /// `mock.fieldValidationMode` (STRICT by default, PRESENT, NONE): the mocked result is checked
    /// against the integration's output shape (see ``ResultShapeTables`` for which resources have
    /// one) and a mismatch is refused with AWS's ValidationException ("Mock result schema
    /// validation error: Field 'Entries' must be an array"). Members the model does not define
    /// pass, as on AWS, which accepts them for forward compatibility.
    static func checkMockResult(_ result: JSONValue, resource: String, mode text: String?) throws(AWSServiceError) {
        guard let mode = FieldValidationMode(rawValue: text ?? FieldValidationMode.strict.rawValue) else {
            throw .validationException(
                "1 validation error detected: Value '\(text ?? "")' at 'mock.fieldValidationMode' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [STRICT, PRESENT, NONE]")
        }
        if let problem = ResultValidator(mode: mode, unknownMembers: .allow).problems(result, resource: resource).first {
            throw .validationException(problem.awsMessage)
        }
    }

    /// What AWS's TestState runs only with a mock: Activity tasks, `.sync` and `.waitForTaskToken`
    /// integrations, Parallel and Map states. Names it, or `nil` when the state runs unmocked.
    static func needsMock(_ state: JSONObject) -> String? {
        switch state["Type"]?.stringValue {
        case "Map": return "a Map state"
        case "Parallel": return "a Parallel state"
        case "Task":
            let resource = state["Resource"]?.stringValue ?? ""
            if resource.contains(":activity:") { return "an Activity task" }
            if resource.hasSuffix(".sync") || resource.contains(".sync:") { return "a .sync integration" }
            if resource.hasSuffix(".waitForTaskToken") { return "a .waitForTaskToken integration" }
            return nil
        default: return nil
        }
    }

    /// The names of the states inside a Parallel's branches or a Map's processor, at any depth.
    static func innerStateNames(of value: JSONValue) -> Set<String> {
        var names: Set<String> = []
        func visit(_ value: JSONValue) {
            switch value {
            case .object(let object):
                if case .object(let states)? = object["States"] { names.formUnion(states.keys) }
                for (_, member) in object { visit(member) }
            case .array(let items):
                items.forEach(visit)
            default:
                break
            }
        }
        visit(value)
        return names
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
