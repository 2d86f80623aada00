import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// `ExecutionEngine.run` (StartSyncExecution, `steplocal run`, scenario cases) runs the
/// execution in the caller's task: cancelling the caller aborts the execution instead of
/// leaving it RUNNING forever.
@Suite("Synchronous runs")
struct SyncRunTests {
    @Test("cancelling the caller of run() during a one-hour Wait ends the execution ABORTED")
    func cancellingTheCallerAborts() async throws {
        let definition = try StateMachineDefinition.load(Harness.single(#"{"Type":"Wait","Seconds":3600,"End":true}"#))
        let engine = ExecutionEngine(clock: SystemClock())
        let caller = Task { await engine.run(definition, input: [:], identity: Harness.identity(startTime: SystemClock().now())) }
        try await Task.sleep(for: .milliseconds(20))
        caller.cancel()
        let snapshot = await caller.value
        #expect(snapshot.status == .aborted)
        #expect(snapshot.eventTypes.first == "ExecutionStarted")
        #expect(snapshot.eventTypes.last == "ExecutionAborted")
    }
}
