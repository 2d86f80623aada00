import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Synchronization
import Testing

@Suite("Task tokens (.waitForTaskToken)")
struct TaskTokenTests {
    @Test("SendTaskSuccess resumes the waiting state with its output; TaskSubmitted then TaskSucceeded are recorded")
    func success() async throws {
        let h = CallbackHarness()
        let execution = try h.start(CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters))
        let token = try await h.spy.token()
        #expect(CallbackRegistry.isWellFormed(token))
        #expect(h.callbacks.succeed(token: token, output: ["approved": true]) == .accepted)
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output == ["approved": true])
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited",
            "ExecutionSucceeded",
        ])
        let submitted = try #require(snapshot.event("TaskSubmitted"))
        #expect(submitted.details["resourceType"] == "sqs")
        #expect(submitted.details["resource"] == "sendMessage.waitForTaskToken")
        #expect(submitted.previousEventId == submitted.id - 1)
        // The token closed with the task: a second answer is TaskTimedOut, as on AWS.
        #expect(h.callbacks.succeed(token: token, output: [:]) == .taskTimedOut)
        #expect(h.callbacks.heartbeat(token: token) == .taskTimedOut)
    }

    @Test("SendTaskFailure fails the state with the worker's error and cause (catchable)")
    func failure() async throws {
        let h = CallbackHarness()
        let execution = try h.start(CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters))
        let token = try await h.spy.token()
        #expect(h.callbacks.fail(token: token, error: "Rejected", cause: "manager said no") == .accepted)
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "Rejected")
        #expect(snapshot.cause == "manager said no")
        let failed = try #require(snapshot.event("TaskFailed"))
        #expect(failed.details["error"] == "Rejected")
        #expect(failed.details["cause"] == "manager said no")
    }

    @Test("A callback that arrives before the task suspends is kept, not lost")
    func earlyCallback() async throws {
        let registry = CallbackRegistry(clock: SystemClock())
        let token = String(repeating: "A", count: 160)
        registry.register(token: token)
        #expect(registry.succeed(token: token, output: "early") == .accepted)
        let result = try await registry.awaitResult(token: token, heartbeatSeconds: nil)
        #expect(result == "early")
    }

    @Test("A token is open from the moment it can be read: a worker answering as soon as TaskScheduled is recorded, before the dispatcher runs, is accepted, not told TaskDoesNotExist", arguments: [
        CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters),
        CallbackHarness.taskMachine("arn:aws:states:::states:startExecution.waitForTaskToken",
            #""Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:Child","Input":{"token.$":"$$.Task.Token"}},"#),
    ])
    func answerBeforeTheDispatcherRuns(definition: String) async throws {
        let child = #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#
        let h = CallbackHarness(
            clock: SystemClock(), nested: try TestNestedHost(["arn:aws:states:us-east-1:123456789012:stateMachine:Child": child]), eagerWorker: true)
        let execution = try h.start(definition)
        let finished = await execution.finished(within: .seconds(5))
        #expect(h.spy.eagerOutcomes.withLock { $0 } == [.accepted])
        #expect(finished?.status == .succeeded)
        #expect(finished?.output == "early")
    }

    @Test("HeartbeatSeconds without a heartbeat fails with States.HeartbeatTimeout and records TaskTimedOut")
    func heartbeatTimeout() async throws {
        let h = CallbackHarness(scale: 0.02)
        let execution = try h.start(CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters + #""HeartbeatSeconds":1,"#))
        let token = try await h.spy.token()
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "States.HeartbeatTimeout")
        #expect(snapshot.eventTypes.contains("TaskTimedOut"))
        #expect(!snapshot.eventTypes.contains("TaskFailed"))
        #expect(h.callbacks.succeed(token: token, output: [:]) == .taskTimedOut)
    }

    @Test("SendTaskHeartbeat keeps a task alive past HeartbeatSeconds")
    func heartbeatsKeepAlive() async throws {
        // HeartbeatSeconds 5 → 5 s; a heartbeat every 50 ms for 5.5 s outlives one period. The
        // worker is a thread of its own, as a real worker is a process of its own: on Swift's
        // pool (one thread per core, shared with every other suite) a busy test run once delayed
        // a loop like this one by more than the whole period.
        let h = CallbackHarness(scale: 1)
        let execution = try h.start(CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters + #""HeartbeatSeconds":5,"#))
        // The dispatcher sees the token before the registry opens it; a worker can only beat
        // after that, and it waits for it on its own thread.
        let callbacks = h.callbacks, spy = h.spy
        // It answers from its own thread too, right after its last beat: answered from the test's
        // task, the answer waited for a pool thread, once for longer than the period.
        let (outcomes, answer): ([CallbackOutcome], CallbackOutcome) = await withCheckedContinuation { continuation in
            let worker = Thread {
                let token = spy.openToken(in: callbacks)
                var seen: [CallbackOutcome] = []
                for _ in 0..<110 {
                    seen.append(callbacks.heartbeat(token: token))
                    usleep(50_000)
                }
                continuation.resume(returning: (seen, callbacks.succeed(token: token, output: ["alive": true])))
            }
            worker.start()
        }
        #expect(outcomes.allSatisfy { $0 == .accepted }, "\(outcomes.filter { $0 != .accepted })")
        #expect(answer == .accepted)
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .succeeded, "\(snapshot.error ?? "")")
    }

    @Test("A heartbeat period counts from the latest heartbeat: one beat a second into a 3 s period times out 3 s after the beat, not at the end of the period after")
    func heartbeatPeriodCountsFromTheLatestBeat() async throws {
        let h = CallbackHarness(scale: 1)
        let execution = try h.start(CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters + #""HeartbeatSeconds":3,"#))
        // The worker is a thread of its own that waits for the token itself (see heartbeatsKeepAlive).
        let callbacks = h.callbacks, spy = h.spy
        let (beatAt, outcome): (Timestamp, CallbackOutcome) = await withCheckedContinuation { continuation in
            Thread {
                let token = spy.openToken(in: callbacks)
                usleep(1_000_000)
                let beatAt = SystemClock().now()
                continuation.resume(returning: (beatAt, callbacks.heartbeat(token: token)))
            }.start()
        }
        #expect(outcome == .accepted)
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.error == "States.HeartbeatTimeout")
        let timedOut = try #require(snapshot.event("TaskTimedOut"))
        let afterBeat = Double(timedOut.timestamp.millisecondsSince1970 - beatAt.millisecondsSince1970) / 1000
        // Counting whole periods from the start instead, it timed out at 6 s: 5 s after the beat.
        #expect(afterBeat >= 2.95 && afterBeat < 4.5, "timed out \(afterBeat) s after the heartbeat")
    }

    @Test("SendTaskHeartbeat moves the waiting Task's listed HeartbeatTimeout to HeartbeatSeconds after the beat")
    func heartbeatMovesTheListedDeadline() async throws {
        let h = CallbackHarness(scale: 1)
        let execution = try h.start(CallbackHarness.taskMachine(
            CallbackHarness.sqsToken, CallbackHarness.tokenParameters + #""HeartbeatSeconds":600,"TimeoutSeconds":3600,"#))
        let token = try await h.spy.token()
        func listed(until condition: (PendingWait) -> Bool) async throws -> PendingWait? {
            for _ in 0..<1000 {
                if let wait = execution.pendingWaits.waits.first, condition(wait) { return wait }
                try await Task.sleep(for: .milliseconds(5))
            }
            Issue.record("the listed wait never met the condition: \(execution.pendingWaits.waits)")
            return nil
        }
        let before = try #require(try await listed { _ in h.callbacks.isOpen(token: token) })
        #expect(before.heartbeatDue == before.since.adding(seconds: 600))

        let (outcome, _, moment) = h.callbacks.beat(token: token)
        #expect(outcome == .accepted)
        let beatAt = try #require(moment)
        let after = try #require(try await listed { $0.lastHeartbeat != nil })
        #expect(after.lastHeartbeat == beatAt)
        #expect(after.heartbeatDue == beatAt.adding(seconds: 600))
        execution.stop(error: "Stop", cause: nil)
        _ = await execution.waitUntilFinished()
    }

    @Test("A heartbeat kept from before a restart is told to the resumed wait at once, later ones as they come")
    func keptHeartbeatIsToldAtOnce() async throws {
        let registry = CallbackRegistry(clock: SystemClock())
        let token = String(repeating: "A", count: 160)
        let kept = SystemClock().now().adding(seconds: -100)
        registry.restoreHeartbeat(token: token, owner: "arn:aws:states:us-east-1:123456789012:execution:m:e", at: kept)
        let heard = Mutex<[Timestamp]>([])
        let waiting = Task {
            try await registry.awaitResult(token: token, heartbeatSeconds: 600, onHeartbeat: { moment in heard.withLock { $0.append(moment) } })
        }
        for _ in 0..<1000 where heard.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(heard.withLock { $0 } == [kept])
        let (outcome, _, moment) = registry.beat(token: token)
        #expect(outcome == .accepted)
        #expect(heard.withLock { $0 } == [kept, try #require(moment)])
        let answered = registry.succeed(token: token, output: "done")
        #expect(answered == .accepted)
        if answered != .accepted { waiting.cancel() }
        let result = try? await waiting.value
        #expect(result == "done")
    }

    @Test("Stopping the execution while it waits closes the token: later callbacks are TaskTimedOut")
    func stopWhileWaiting() async throws {
        let h = CallbackHarness()
        let execution = try h.start(CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters))
        let token = try await h.spy.token()
        #expect(h.callbacks.isOpen(token: token))
        execution.stop(error: "Stop", cause: "by test")
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .aborted)
        for _ in 0..<1000 where h.callbacks.isOpen(token: token) { try await Task.sleep(for: .milliseconds(1)) }
        #expect(!h.callbacks.isOpen(token: token))
        #expect(h.callbacks.succeed(token: token, output: [:]) == .taskTimedOut)
    }

    @Test("TimeoutSeconds fires States.Timeout while waiting for the token")
    func timeout() async throws {
        let h = CallbackHarness(scale: 0.02)
        let execution = try h.start(CallbackHarness.taskMachine(CallbackHarness.sqsToken, CallbackHarness.tokenParameters + #""TimeoutSeconds":1,"#))
        let token = try await h.spy.token()
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.error == "States.Timeout")
        #expect(snapshot.eventTypes.contains("TaskTimedOut"))
        for _ in 0..<1000 where h.callbacks.isOpen(token: token) { try await Task.sleep(for: .milliseconds(1)) }
        #expect(h.callbacks.succeed(token: token, output: [:]) == .taskTimedOut)
    }

    @Test("Malformed tokens are InvalidToken; well-formed unknown ones TaskDoesNotExist")
    func unknownTokens() {
        let registry = CallbackRegistry(clock: SystemClock())
        #expect(registry.succeed(token: "not a token", output: [:]) == .invalidToken)
        #expect(registry.fail(token: "", error: nil, cause: nil) == .invalidToken)
        #expect(registry.heartbeat(token: String(repeating: "x", count: 161)) == .invalidToken)
        let unknown = String(repeating: "Ab9+", count: 40)
        #expect(registry.succeed(token: unknown, output: [:]) == .taskDoesNotExist)
        #expect(registry.heartbeat(token: unknown) == .taskDoesNotExist)
    }

    @Test("Requests the local dispatcher does not answer go to its fallback (the loud unmocked error)")
    func fallsThrough() async throws {
        let h = CallbackHarness()
        let execution = try h.start(CallbackHarness.taskMachine("arn:aws:states:::lambda:invoke"))
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .failed)
        #expect(snapshot.cause?.contains("no mock is configured") == true)
    }
}
