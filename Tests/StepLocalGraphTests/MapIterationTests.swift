import StepLocalASL
import StepLocalGraph
import StepLocalJSON
import Testing

/// Picking one iteration of an inline Map: its events are found by following previousEventId
/// from its MapIterationStarted, nested Maps included, the Map's own closing events excluded.
@Suite("Inline Map iterations")
struct MapIterationTests {
    static func event(_ id: Int, _ previous: Int, _ type: String, _ key: String? = nil, _ details: JSONObject = [:]) -> JSONValue {
        var object: JSONObject = ["id": .int(id), "previousEventId": .int(previous), "type": .string(type), "timestamp": .double(Double(id))]
        if let key { object[key] = .object(details) }
        return .object(object)
    }

    static func entered(_ id: Int, _ previous: Int, _ type: String, _ name: String) -> JSONValue {
        event(id, previous, "\(type)StateEntered", "stateEnteredEventDetails", ["name": .string(name), "input": "{}"])
    }

    static func exited(_ id: Int, _ previous: Int, _ type: String, _ name: String) -> JSONValue {
        event(id, previous, "\(type)StateExited", "stateExitedEventDetails", ["name": .string(name), "output": "{}"])
    }

    static func iteration(_ id: Int, _ previous: Int, _ type: String, _ map: String, _ index: Int) -> JSONValue {
        let key = "mapIteration" + type.dropFirst("MapIteration".count) + "EventDetails"
        return event(id, previous, type, key, ["name": .string(map), "index": .int(index)])
    }

    /// Outer runs its iterations one after another (MaxConcurrency 1: iteration 1 starts after
    /// iteration 0's last event); iteration 0 runs an inner Map with one item, iteration 1 an
    /// inner Map with none.
    static let history: [JSONValue] = [
        event(1, 0, "ExecutionStarted", "executionStartedEventDetails", ["input": "{}"]),
        entered(2, 0, "Map", "Outer"), event(3, 2, "MapStateStarted", "mapStateStartedEventDetails", ["length": 2]),
        iteration(4, 3, "MapIterationStarted", "Outer", 0),
        entered(5, 4, "Map", "Inner"), event(6, 5, "MapStateStarted", "mapStateStartedEventDetails", ["length": 1]),
        iteration(7, 6, "MapIterationStarted", "Inner", 0), entered(8, 7, "Pass", "P"), exited(9, 8, "Pass", "P"),
        iteration(10, 9, "MapIterationSucceeded", "Inner", 0), event(11, 10, "MapStateSucceeded"), exited(12, 10, "Map", "Inner"),
        iteration(13, 12, "MapIterationSucceeded", "Outer", 0),
        iteration(14, 13, "MapIterationStarted", "Outer", 1),
        entered(15, 14, "Map", "Inner"), event(16, 15, "MapStateStarted", "mapStateStartedEventDetails", ["length": 0]),
        event(17, 16, "MapStateSucceeded"), exited(18, 16, "Map", "Inner"),
        iteration(19, 18, "MapIterationFailed", "Outer", 1),
        event(20, 19, "MapStateSucceeded"), exited(21, 19, "Map", "Outer"),
        event(22, 21, "ExecutionSucceeded", "executionSucceededEventDetails", ["output": "[]"]),
    ]

    @Test("Each iteration owns its events, nested Map events included, not the Map's own closing events")
    func attribution() {
        let iterations = ExecutionGraphStatus.iterations(of: "Outer", events: Self.history)
        #expect(iterations == [
            MapIterationSummary(index: 0, status: .succeeded, eventIds: Array(4...13)),
            MapIterationSummary(index: 1, status: .failed, eventIds: Array(14...19)),
        ])
        #expect(ExecutionGraphStatus.iterations(of: "Inner", events: Self.history).map(\.eventIds) == [[7, 8, 9, 10]])
    }

    @Test("One iteration's summaries cover only the states it entered")
    func summariesOfOneIteration() {
        let first = ExecutionGraphStatus.summaries(events: Self.history, iteration: 0, of: "Outer")
        #expect(first["P"]?.status == .succeeded && first["Inner"]?.status == .succeeded)
        let second = ExecutionGraphStatus.summaries(events: Self.history, iteration: 1, of: "Outer")
        #expect(second["P"] == nil && second["Inner"]?.status == .succeeded)
        #expect(second["Outer"] == nil)
    }

    @Test("The states an iteration colours are those inside the Map's item processor, nested ones too")
    func processorStates() throws {
        let definition = try StateMachineDefinition.load(#"""
            {"StartAt":"Outer","States":{"Outer":{"Type":"Map","ItemProcessor":{"StartAt":"Inner","States":{
              "Inner":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}},"End":true}}}
            """#)
        #expect(ExecutionGraphStatus.processorStates(of: "Outer", in: definition) == ["Inner", "P"])
        #expect(ExecutionGraphStatus.processorStates(of: "Inner", in: definition) == ["P"])
        #expect(ExecutionGraphStatus.processorStates(of: "Nope", in: definition) == [])
    }
}
