import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// HeartbeatSeconds and TimeoutSeconds when time passes instantly (the scenario runner's virtual
/// clock, or WAIT_TIME_SCALE 0): a task that waits for a token or an activity worker ends at the
/// earlier of its heartbeat period and its deadline, at once, with the same history every run.
@Suite("Heartbeats and timeouts on an instant clock")
struct InstantClockTimeoutTests {
    static let tokenTask = CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters + #""HeartbeatSeconds":60,"TimeoutSeconds":3600,"#)

    /// Milliseconds between two events of the history.
    static func elapsed(_ snapshot: ExecutionSnapshot, from first: String, to second: String) throws -> Int64 {
        let start = try #require(snapshot.event(first)).timestamp.millisecondsSince1970
        return try #require(snapshot.event(second)).timestamp.millisecondsSince1970 - start
    }

    @Test("A .waitForTaskToken task nobody heartbeats fails with States.HeartbeatTimeout exactly HeartbeatSeconds after it started")
    func tokenHeartbeatTimeout() async throws {
        let h = CallbackHarness(clock: VirtualClock())
        let snapshot = await (try h.start(Self.tokenTask)).waitUntilFinished()
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "States.HeartbeatTimeout")
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskTimedOut", "ExecutionFailed",
        ])
        let timedOut = try #require(snapshot.event("TaskTimedOut"))
        #expect(timedOut.details["error"] == "States.HeartbeatTimeout")
        #expect(timedOut.details["resourceType"] == "sqs")
        #expect(try Self.elapsed(snapshot, from: "TaskStarted", to: "TaskTimedOut") == 60_000)
        // The token closed with the task: a late answer is TaskTimedOut, as on AWS.
        let token = try await h.spy.token()
        #expect(h.callbacks.succeed(token: token, output: [:]) == .taskTimedOut)
    }

    @Test("Without HeartbeatSeconds the task's TimeoutSeconds ends the wait: States.Timeout, TaskTimedOut, TimeoutSeconds later")
    func tokenTimeout() async throws {
        let h = CallbackHarness(clock: VirtualClock())
        let machine = CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters + #""TimeoutSeconds":900,"#)
        let snapshot = await (try h.start(machine)).waitUntilFinished()
        #expect(snapshot.error == "States.Timeout")
        #expect(snapshot.event("TaskTimedOut")?.details["error"] == "States.Timeout")
        #expect(try Self.elapsed(snapshot, from: "TaskStarted", to: "TaskTimedOut") == 900_000)
    }

    @Test("The same history on every run: twenty executions time out at the same virtual moment")
    func deterministic() async throws {
        var outcomes: Set<String> = []
        for _ in 0..<20 {
            let h = CallbackHarness(clock: VirtualClock())
            let snapshot = await (try h.start(Self.tokenTask)).waitUntilFinished()
            let times = snapshot.history.map { "\($0.type)@\($0.timestamp.millisecondsSince1970)" }
            outcomes.insert("\(snapshot.error ?? "none") \(times)")
        }
        #expect(outcomes.count == 1, "\(outcomes)")
    }

    @Test("An activity no worker takes times out with ActivityTimedOut and is never handed out later")
    func activityHeartbeatTimeout() async throws {
        let h = CallbackHarness(clock: VirtualClock())
        let machine = CallbackHarness.taskMachine(CallbackHarness.activityArn, #""HeartbeatSeconds":30,"TimeoutSeconds":300,"#)
        let snapshot = await (try h.start(machine)).waitUntilFinished()
        #expect(snapshot.error == "States.HeartbeatTimeout")
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityTimedOut", "ExecutionFailed",
        ])
        #expect(snapshot.event("ActivityTimedOut")?.details["error"] == "States.HeartbeatTimeout")
        #expect(try Self.elapsed(snapshot, from: "ActivityScheduled", to: "ActivityTimedOut") == 30_000)
        #expect(h.activities.pendingCount(activityArn: CallbackHarness.activityArn) == 0)
    }

    @Test("The execution's TimeoutSeconds, when it comes first, times the execution out with no TaskTimedOut")
    func executionDeadlineFirst() async throws {
        let h = CallbackHarness(clock: VirtualClock())
        let machine = #"{"TimeoutSeconds":45,"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(CallbackHarness.sqsToken)","#
            + CallbackHarness.tokenParameters + #""HeartbeatSeconds":60,"TimeoutSeconds":3600,"End":true}}}"#
        let snapshot = await (try h.start(machine)).waitUntilFinished()
        #expect(snapshot.status == .timedOut)
        #expect(snapshot.eventTypes == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "ExecutionTimedOut"])
        #expect(try Self.elapsed(snapshot, from: "ExecutionStarted", to: "ExecutionTimedOut") == 45_000)
    }

    @Test("A heartbeat timeout is caught like any error, and every retry waits a full heartbeat period")
    func retriedThenCaught() async throws {
        let h = CallbackHarness(clock: VirtualClock())
        let machine = #"""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(CallbackHarness.sqsToken)",\#(CallbackHarness.tokenParameters)"HeartbeatSeconds":10,
                   "Retry":[{"ErrorEquals":["States.HeartbeatTimeout"],"IntervalSeconds":5,"MaxAttempts":2,"BackoffRate":1}],
                   "Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"ResultPath":"$.error","Next":"Escalate"}],"End":true},
              "Escalate":{"Type":"Pass","End":true}}}
            """#
        let snapshot = await (try h.start(machine, input: ["id": 7])).waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output == ["id": 7, "error": ["Error": "States.HeartbeatTimeout", "Cause": ""]])
        #expect(snapshot.eventTypes.filter { $0 == "TaskTimedOut" }.count == 3)
        // Three attempts of 10 s with two back-offs of 5 s between them.
        #expect(try Self.elapsed(snapshot, from: "TaskStateEntered", to: "PassStateEntered") == 40_000)
    }

    @Test("A mocked token task answers at once and never times out, even on an instant clock")
    func mockedTokenTaskIsNotTimedOut() async throws {
        let mocks = MockTestCase(name: "approve", responses: ["T": MockedResponse(name: "ok", consecutive: [.return(["approved": true])])])
        for _ in 0..<20 {
            let h = CallbackHarness(clock: VirtualClock(), mocks: mocks)
            let snapshot = await (try h.start(Self.tokenTask)).waitUntilFinished()
            #expect(snapshot.status == .succeeded)
            #expect(snapshot.output == ["approved": true])
        }
    }

    @Test("WAIT_TIME_SCALE 0 passes time instantly too: the heartbeat timeout is immediate and deterministic")
    func scaleZero() async throws {
        let h = CallbackHarness(clock: SystemClock(waitTimeScale: 0))
        let snapshot = await (try h.start(Self.tokenTask)).waitUntilFinished()
        #expect(snapshot.error == "States.HeartbeatTimeout")
        #expect(snapshot.eventTypes.suffix(3) == ["TaskSubmitted", "TaskTimedOut", "ExecutionFailed"])
    }

    @Test("A mock answering under a TaskDeadline claims it, so the engine does not race it with a timer")
    func mockClaimsTheDeadline() async throws {
        let dispatcher = MockDispatcher(testCase: MockTestCase(name: "c", responses: ["T": MockedResponse(name: "r", consecutive: [.return(1)])]))
        let deadline = TaskDeadline(at: Timestamp(millisecondsSince1970: 0))
        let request = TaskRequest(
            stateName: "T", resource: "arn:aws:states:::lambda:invoke", parameters: [:], taskToken: nil, timeoutSeconds: 1,
            heartbeatSeconds: nil, executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", stateMachineArn: "m", attempt: 0,
            context: [:])
        let answer = try await TaskDeadline.$current.withValue(deadline) { try await dispatcher.dispatch(request) }
        #expect(answer == 1)
        #expect(deadline.isClaimed)
    }

    @Test("With no API to call back (steplocal test), a token task without heartbeat or timeout fails loudly instead of hanging")
    func nothingCanAnswer() async throws {
        let h = CallbackHarness(clock: VirtualClock(), callbacksCanArrive: false)
        let snapshot = await (try h.start(CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters))).waitUntilFinished()
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "States.TaskFailed")
        #expect(snapshot.cause?.contains("state 'T'") == true)
        #expect(snapshot.cause?.contains("HeartbeatSeconds or TimeoutSeconds") == true)
        #expect(!snapshot.eventTypes.contains("TaskSubmitted"))
    }

    @Test("On the real clock the heartbeat is still enforced in real time (scaled)")
    func realClockUnchanged() async throws {
        let h = CallbackHarness(scale: 0.001)
        let snapshot = await (try h.start(Self.tokenTask)).waitUntilFinished()
        #expect(snapshot.error == "States.HeartbeatTimeout")
    }
}
