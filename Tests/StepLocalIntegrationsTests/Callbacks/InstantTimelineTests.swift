import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// On an instant clock, a branch's waits pass in time order with its siblings' (the engine's
/// `InstantTimeline`), but a branch that waits for the world outside (a worker's task token, an
/// activity worker) never holds its siblings back: only that world can end its wait.
@Suite("Branches waiting for workers on an instant clock")
struct InstantTimelineTests {
    /// A Parallel: one branch waits for `resource` with no deadline, the other waits 10 s and passes.
    static func besideAWait(_ resource: String, _ extra: String) -> String {
        #"{"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":["#
            + #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(resource)","# + extra + #""End":true}}},"#
            + #"{"StartAt":"Short","States":{"Short":{"Type":"Wait","Seconds":10,"Next":"AfterShort"},"AfterShort":{"Type":"Pass","End":true}}}]}}}"#
    }

    /// Waits (up to ~5 s of real time) until the execution has recorded `type`.
    static func reaches(_ execution: Execution, _ type: String) async throws -> Bool {
        for _ in 0..<500 {
            if execution.snapshot().history.contains(where: { $0.type == type }) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test("While one branch waits for SendTaskSuccess, its sibling's 10 s Wait passes and the sibling ends")
    func tokenDoesNotHoldSiblings() async throws {
        let h = CallbackHarness(clock: VirtualClock())
        let execution = try h.start(Self.besideAWait(CallbackHarness.sqsToken, CallbackHarness.tokenParameters))
        let token = try await h.spy.token()
        let siblingEnded = try await Self.reaches(execution, "PassStateExited")
        #expect(siblingEnded, "\(execution.snapshot().eventTypes)")
        #expect(h.callbacks.succeed(token: token, output: ["ok": true]) == .accepted)
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output == [["ok": true], [:]])
        // The answer came after the sibling's Wait had passed: stamped after it, in time order.
        Self.expectTimeOrder(snapshot)
        #expect(snapshot.history.first { $0.type == "TaskSucceeded" }?.timestamp == snapshot.history.first { $0.type == "WaitStateExited" }?.timestamp)
    }

    @Test("While one branch waits for an activity worker, its sibling's 10 s Wait passes and the sibling ends")
    func activityDoesNotHoldSiblings() async throws {
        let h = CallbackHarness(clock: VirtualClock())
        let execution = try h.start(Self.besideAWait(CallbackHarness.activityArn, ""))
        let siblingEnded = try await Self.reaches(execution, "PassStateExited")
        #expect(siblingEnded, "\(execution.snapshot().eventTypes)")
        let task = try #require(await h.activities.poll(activityArn: CallbackHarness.activityArn, workerName: "w", timeout: .seconds(5)))
        #expect(h.callbacks.succeed(token: task.taskToken, output: "worked") == .accepted)
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output == ["worked", [:]])
        Self.expectTimeOrder(snapshot)
    }

    static func expectTimeOrder(_ snapshot: ExecutionSnapshot, sourceLocation: SourceLocation = #_sourceLocation) {
        let times = snapshot.history.sorted { $0.id < $1.id }.map(\.timestamp)
        #expect(times == times.sorted(), "\(snapshot.history.map { "\($0.id) \($0.type) \($0.timestamp)" })", sourceLocation: sourceLocation)
    }
}
