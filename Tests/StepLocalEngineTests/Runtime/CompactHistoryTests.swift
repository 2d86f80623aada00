import StepLocalASL
import StepLocalJSON
import Testing

@testable import StepLocalEngine

/// Closed executions keep their history packed; what GetExecutionHistory returns must not change.
@Suite("Packed history of closed executions")
struct CompactHistoryTests {
    @Test("A packed history reads back event for event: ids, links, timestamps, types and details as written")
    func roundTrip() throws {
        let details = try #require(JSONValue(parsing: #"{"name":"Pässe ✓","input":"{\"a\":1.50,\"b\":[true,null,1e3]}","n":-7,"x":{"y":[]}}"#).objectValue)
        let events = [
            HistoryEvent(id: 1, previousEventId: 0, timestamp: Timestamp(millisecondsSince1970: 1_700_000_000_123), type: "ExecutionStarted",
                detailsKey: "executionStartedEventDetails", details: details),
            HistoryEvent(id: 2, previousEventId: 1, timestamp: Timestamp(millisecondsSince1970: -5), type: "WaitStateAborted",
                detailsKey: nil, details: [:]),
            HistoryEvent(id: 300, previousEventId: 2, timestamp: Timestamp(millisecondsSince1970: 1_700_000_000_124), type: "PassStateExited",
                detailsKey: "stateExitedEventDetails", details: [:]),
        ]
        let packed = CompactHistory(events)
        #expect(packed.count == 3)
        #expect(packed.events().map { $0.json().serialized() } == events.map { $0.json().serialized() })
        #expect(CompactHistory([]).events().isEmpty)
    }

    @Test("A closed execution started in the background answers the same history as one run to its end")
    func closedExecutionHistory() async throws {
        let definition = try StateMachineDefinition.load(
            #"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"k":"v"},"ResultPath":"$.r","Next":"B"},"B":{"Type":"Pass","End":true}}}"#)
        let identity = Harness.identity(startTime: Harness.start)
        let background = ExecutionEngine(clock: VirtualClock(start: Harness.start)).start(definition, input: Harness.json(#"{"in":1}"#), identity: identity)
        let closed = await background.waitUntilFinished()
        let direct = await ExecutionEngine(clock: VirtualClock(start: Harness.start)).run(definition, input: Harness.json(#"{"in":1}"#), identity: identity)
        #expect(closed.history.count == 6)
        #expect(closed.history.map { $0.json().serialized() } == direct.history.map { $0.json().serialized() })
        #expect(closed.output == direct.output)
        #expect(closed.output?["r"]?["k"] == "v")
        #expect(background.summary().history.isEmpty)
        #expect(background.summary().status == .succeeded)
    }
}
