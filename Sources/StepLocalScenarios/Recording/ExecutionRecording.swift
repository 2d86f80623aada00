import StepLocalJSON

/// Turns an execution that ran elsewhere (on AWS, in Step Functions Local, in StepLocal) into a
/// scenario file: its input, every Task's recorded answer as that state's mock (in call order,
/// retries included), and the outcome as expectations. A failed production execution becomes a
/// regression test that `steplocal test` runs offline.
///
/// It reads what the AWS API returns: GetExecutionHistory's `events` (as `aws stepfunctions
/// get-execution-history --output json` prints them) and the definition. Events are attributed to
/// the state they belong to by following `previousEventId` back to a `...StateEntered` event, so
/// interleaved Parallel branches and Map iterations are told apart.
public enum ExecutionRecording {
    /// Why a history cannot be recorded.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// What the recorded execution is called in the scenario.
    public struct Names: Sendable {
        public var scenario: String
        public var stateMachine: String
        public var caseName: String
        public var type: String

        public init(scenario: String, stateMachine: String, caseName: String, type: String = "STANDARD") {
            self.scenario = scenario
            self.stateMachine = stateMachine
            self.caseName = caseName
            self.type = type
        }
    }

    /// The history events of a GetExecutionHistory answer (`{"events": [...]}`) or a bare array.
    public static func events(in document: JSONValue) throws(Failure) -> [JSONValue] {
        if let events = document["events"]?.arrayValue ?? document.arrayValue { return events }
        throw Failure(description: "the history is neither GetExecutionHistory's answer ({\"events\": [...]}) nor an array of events")
    }

    /// The definition from an ASL document, or from DescribeStateMachine(ForExecution)'s answer
    /// (whose `definition` member is the ASL text).
    public static func definition(in document: JSONValue) throws(Failure) -> JSONValue {
        if document["StartAt"] != nil { return document }
        if let text = document["definition"]?.stringValue {
            do { return try JSONValue(parsing: text) } catch {
                throw Failure(description: "the definition member is not JSON: \(error)")
            }
        }
        throw Failure(description: "the definition is neither Amazon States Language (with StartAt) nor DescribeStateMachine's answer")
    }

    /// A scenario document (the JSON form of a scenario file) with one case reproducing the execution.
    public static func scenario(definition: JSONValue, events unsorted: [JSONValue], names: Names) throws(Failure) -> JSONValue {
        let events = unsorted.sorted { (integer($0["id"]) ?? 0) < (integer($1["id"]) ?? 0) }
        guard let started = events.first(where: { $0["type"] == "ExecutionStarted" }) else {
            throw Failure(description: "the history has no ExecutionStarted event (is it the whole history, oldest first or not?)")
        }
        var testCase: JSONObject = ["name": .string(names.caseName)]
        testCase["input"] = try parsed(started["executionStartedEventDetails"]?["input"], what: "the execution's input") ?? [:]

        var stateOfEvent: [Int: String] = [:]
        var entered: [JSONValue] = []
        var answers: [(state: String, answer: JSONValue)] = []
        for event in events {
            guard let id = integer(event["id"]), let type = event["type"]?.stringValue else { continue }
            let details = detailsOf(event)
            if type.hasSuffix("StateEntered"), let name = details?["name"]?.stringValue {
                stateOfEvent[id] = name
                entered.append(.string(name))
                continue
            }
            let state = integer(event["previousEventId"]).flatMap { stateOfEvent[$0] }
            if let state { stateOfEvent[id] = state }
            guard let state, let answer = try answer(of: type, details: details) else { continue }
            answers.append((state, answer))
        }

        var mocks: JSONObject = [:]
        var calls: JSONObject = [:]
        for (state, answer) in answers {
            mocks[state] = .array((mocks[state]?.arrayValue ?? []) + [answer])
            calls[state] = .int((integer(calls[state]) ?? 0) + 1)
        }
        if !mocks.isEmpty { testCase["mocks"] = .object(mocks) }
        testCase["expect"] = .object(try expectations(events: events, states: entered, calls: calls))
        return [
            "name": .string(names.scenario),
            "stateMachine": .string(names.stateMachine),
            "type": .string(names.type),
            "definition": definition,
            "cases": [.object(testCase)],
        ]
    }

    /// The outcome the execution ended with, the states it entered and how often each Task was called.
    private static func expectations(events: [JSONValue], states: [JSONValue], calls: JSONObject) throws(Failure) -> JSONObject {
        guard let last = events.last(where: { ($0["type"]?.stringValue ?? "").hasPrefix("Execution") }),
            let type = last["type"]?.stringValue
        else { throw Failure(description: "the history has no execution events") }
        var expect: JSONObject = [:]
        let details = detailsOf(last)
        switch type {
        case "ExecutionSucceeded":
            expect["status"] = "SUCCEEDED"
            expect["output"] = try parsed(details?["output"], what: "the execution's output") ?? .null
        case "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted":
            expect["status"] = .string(["ExecutionFailed": "FAILED", "ExecutionTimedOut": "TIMED_OUT", "ExecutionAborted": "ABORTED"][type]!)
            if let error = details?["error"]?.stringValue { expect["error"] = .string(error) }
            if let cause = details?["cause"]?.stringValue { expect["cause"] = .string(cause) }
        default:
            throw Failure(description: "the execution has not ended (its last execution event is \(type)): record it once it has")
        }
        expect["states"] = .array(states)
        if !calls.isEmpty { expect["calls"] = .object(calls) }
        return expect
    }

    /// How a Task attempt ended, as a scenario mock answer; nil for events that are not a Task's answer.
    private static func answer(of type: String, details: JSONObject?) throws(Failure) -> JSONValue? {
        switch type {
        case "TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded":
            return ["return": try parsed(details?["output"], what: "a \(type) output") ?? .null]
        case "TaskFailed", "TaskTimedOut", "TaskSubmitFailed", "TaskStartFailed", "LambdaFunctionFailed", "LambdaFunctionTimedOut",
            "LambdaFunctionStartFailed", "LambdaFunctionScheduleFailed", "ActivityFailed", "ActivityTimedOut", "ActivityScheduleFailed":
            var thrown: JSONObject = ["error": .string(details?["error"]?.stringValue ?? (type.hasSuffix("TimedOut") ? "States.Timeout" : "States.TaskFailed"))]
            if let cause = details?["cause"]?.stringValue { thrown["cause"] = .string(cause) }
            return ["throw": .object(thrown)]
        default:
            return nil
        }
    }

    private static func integer(_ value: JSONValue?) -> Int? {
        if case .number(let number)? = value { number.intValue } else { nil }
    }

    private static func detailsOf(_ event: JSONValue) -> JSONObject? {
        guard let object = event.objectValue else { return nil }
        for (key, value) in object where key.hasSuffix("EventDetails") { return value.objectValue }
        return nil
    }

    /// A payload member: AWS sends JSON text; a history already parsed (as some tools save it) is taken as is.
    private static func parsed(_ value: JSONValue?, what: String) throws(Failure) -> JSONValue? {
        guard let value else { return nil }
        guard case .string(let text) = value else { return value }
        do { return try JSONValue(parsing: text) } catch {
            throw Failure(description: "\(what) is not JSON: \(text.prefix(80))")
        }
    }
}
