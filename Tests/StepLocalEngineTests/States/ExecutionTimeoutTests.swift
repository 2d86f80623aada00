import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// An execution's `TimeoutSeconds` when waits pass at once (WAIT_TIME_SCALE 0): a racing timer
/// would fire immediately and time out executions that finish in microseconds, so the engine
/// judges the deadline itself, as on the virtual clock.
@Suite("Execution TimeoutSeconds with WAIT_TIME_SCALE 0")
struct ExecutionTimeoutTests {
    @Test("a task answering in 5 ms under a 60-second timeout does not time out when waits are scaled to zero")
    func noSpuriousTimeouts() async throws {
        let definition = try StateMachineDefinition.load(
            #"{"TimeoutSeconds":60,"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"B"},"B":{"Type":"Pass","End":true}}}"#)
        let slowService = StubDispatcher { request in
            try await Task.sleep(for: .milliseconds(5))
            return request.parameters
        }
        let engine = ExecutionEngine(clock: SystemClock(waitTimeScale: 0), dispatcher: slowService)
        var statuses: [ExecutionStatus] = []
        for _ in 0..<5 {
            let snapshot = await engine.run(definition, input: [:], identity: Harness.identity(startTime: SystemClock().now()))
            statuses.append(snapshot.status)
        }
        #expect(statuses.allSatisfy { $0 == .succeeded }, "\(statuses.filter { $0 != .succeeded })")
    }
}
