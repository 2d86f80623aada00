import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Synchronization
import Testing

@Suite("Activities")
struct ActivityTests {
    static let machine = CallbackHarness.taskMachine(CallbackHarness.activityArn)

    @Test("A worker gets the task, answers it, and AWS's Activity* events are recorded")
    func roundTrip() async throws {
        let h = CallbackHarness()
        let execution = try h.start(Self.machine, input: ["order": 1])
        let task = try #require(await h.activities.poll(activityArn: CallbackHarness.activityArn, workerName: "worker-1", timeout: .seconds(5)))
        #expect(task.input == #"{"order":1}"#)
        #expect(h.callbacks.succeed(token: task.taskToken, output: ["done": true]) == .accepted)
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output == ["done": true])
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
            "ExecutionSucceeded",
        ])
        let scheduled = try #require(snapshot.event("ActivityScheduled"))
        #expect(scheduled.details["resource"] == .string(CallbackHarness.activityArn))
        #expect(scheduled.details["input"] == #"{"order":1}"#)
        #expect(snapshot.event("ActivityStarted")?.details["workerName"] == "worker-1")
        let ids = snapshot.history.map(\.previousEventId)
        #expect(ids == [0, 0, 2, 3, 4, 5, 6])  // the first state's entered event names none, as on AWS
    }

    @Test("SendTaskFailure records ActivityFailed with the worker's error and cause")
    func failure() async throws {
        let h = CallbackHarness()
        let execution = try h.start(Self.machine)
        let task = try #require(await h.activities.poll(activityArn: CallbackHarness.activityArn, workerName: nil, timeout: .seconds(5)))
        _ = h.callbacks.fail(token: task.taskToken, error: "Programmatic Error", cause: "bad input")
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.error == "Programmatic Error")
        #expect(snapshot.eventTypes.contains("ActivityFailed"))
        #expect(snapshot.event("ActivityStarted")?.details.isEmpty == true)
    }

    @Test("Tasks are handed out in the order they were scheduled, each exactly once")
    func orderAndExactlyOnce() async throws {
        let h = CallbackHarness()
        var executions: [Execution] = []
        for i in 0..<5 {
            executions.append(try h.start(Self.machine, input: ["n": .int(i)]))
            for _ in 0..<2000 where h.activities.pendingCount(activityArn: CallbackHarness.activityArn) <= i {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        var inputs: [String] = []
        for _ in 0..<5 {
            let task = try #require(await h.activities.poll(activityArn: CallbackHarness.activityArn, workerName: "w", timeout: .seconds(1)))
            inputs.append(task.input)
            _ = h.callbacks.succeed(token: task.taskToken, output: [:])
        }
        #expect(inputs == (0..<5).map { #"{"n":\#($0)}"# })
        #expect(await h.activities.poll(activityArn: CallbackHarness.activityArn, workerName: "w", timeout: .milliseconds(20)) == nil)
        for e in executions { #expect(await e.waitUntilFinished().status == .succeeded) }
    }

    @Test("Concurrent pollers: each task goes to exactly one of them; the rest time out empty")
    func concurrentPollers() async throws {
        let scheduler = ActivityScheduler()
        let arn = CallbackHarness.activityArn
        let started = Mutex<[String?]>([])
        let handouts = await withTaskGroup(of: ActivityScheduler.Handout?.self) { group in
            for i in 0..<8 {
                group.addTask { await scheduler.poll(activityArn: arn, workerName: "w\(i)", timeout: .milliseconds(300)) }
            }
            try? await Task.sleep(for: .milliseconds(20))
            for i in 0..<3 {
                scheduler.enqueue(activityArn: arn, taskToken: "t\(i)", input: "\(i)") { worker in started.withLock { $0.append(worker) } }
            }
            var all: [ActivityScheduler.Handout?] = []
            for await h in group { all.append(h) }
            return all
        }
        let tokens = handouts.compactMap { $0?.taskToken }.sorted()
        #expect(tokens == ["t0", "t1", "t2"])
        #expect(started.withLock { $0.count } == 3)
        #expect(scheduler.pendingCount(activityArn: arn) == 0)
    }

    @Test("A poller for another activity gets nothing; cancelling a poll leaves the task queued")
    func separateQueuesAndCancellation() async throws {
        let scheduler = ActivityScheduler()
        let poll = Task { await scheduler.poll(activityArn: "arn:other", workerName: nil, timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(10))
        poll.cancel()
        #expect(await poll.value == nil)
        scheduler.enqueue(activityArn: CallbackHarness.activityArn, taskToken: "t", input: "{}") { _ in }
        #expect(scheduler.pendingCount(activityArn: CallbackHarness.activityArn) == 1)
        #expect(await scheduler.poll(activityArn: "arn:other", workerName: nil, timeout: .milliseconds(10)) == nil)
        #expect(await scheduler.poll(activityArn: CallbackHarness.activityArn, workerName: nil, timeout: .milliseconds(10))?.taskToken == "t")
    }

    @Test("Stopping the execution withdraws a task nobody took yet")
    func stopWithdraws() async throws {
        let h = CallbackHarness()
        let execution = try h.start(Self.machine)
        for _ in 0..<2000 where h.activities.pendingCount(activityArn: CallbackHarness.activityArn) == 0 {
            try await Task.sleep(for: .milliseconds(1))
        }
        execution.stop(error: nil, cause: nil)
        #expect(await execution.waitUntilFinished().status == .aborted)
        for _ in 0..<2000 where h.activities.pendingCount(activityArn: CallbackHarness.activityArn) > 0 {
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(h.activities.pendingCount(activityArn: CallbackHarness.activityArn) == 0)
    }

    @Test("TimeoutSeconds with no worker records ActivityScheduled then ActivityTimedOut (no ActivityStarted)")
    func timeoutUnstarted() async throws {
        let h = CallbackHarness(scale: 0.02)
        let execution = try h.start(CallbackHarness.taskMachine(CallbackHarness.activityArn, #""TimeoutSeconds":1,"#))
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.error == "States.Timeout")
        #expect(snapshot.eventTypes == ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityTimedOut", "ExecutionFailed"])
        #expect(snapshot.event("ActivityScheduled")?.details["timeoutInSeconds"] == 1)
    }

    @Test("An activity that does not exist fails with States.Runtime before anything is scheduled")
    func missingActivity() async throws {
        let h = CallbackHarness(activityExists: false)
        let snapshot = await (try h.start(Self.machine)).waitUntilFinished()
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "States.Runtime")
        #expect(
            snapshot.cause
                == "An error occurred while executing the state 'T' (entered at the event id #2). The activity \(CallbackHarness.activityArn) does not exist."
        )
        #expect(snapshot.eventTypes == ["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"])
    }
}
