import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Synchronization
import Testing

/// A running execution says, as data, what each of its threads waits for and until when: a
/// Wait's end, a Retry's back-off, a Task's answer with its TimeoutSeconds and HeartbeatSeconds.
@Suite("What a running execution waits for")
struct PendingWaitTests {
    /// Lets a Task's answer go when the test says so.
    final class Gate: Sendable {
        private let opened = Mutex(false)

        func open() { opened.withLock { $0 = true } }

        func wait() async throws {
            while !opened.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        }
    }

    static let definition = #"""
        {"StartAt":"All","States":{"All":{"Type":"Parallel","End":true,"Branches":[
          {"StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":600,"End":true}}},
          {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "TimeoutSeconds":30,"HeartbeatSeconds":10,"End":true}}},
          {"StartAt":"Flaky","States":{"Flaky":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":300,"MaxAttempts":1}],"End":true}}},
          {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","End":true,
            "ItemProcessor":{"StartAt":"Inner","States":{"Inner":{"Type":"Wait","Seconds":100,"End":true}}}}}}]}}}
        """#

    /// Polls until `condition` holds for the execution's waits (at most five seconds).
    static func waits(of execution: Execution, until condition: ([PendingWait]) -> Bool) async throws -> [PendingWait] {
        for _ in 0..<1000 {
            let waits = execution.pendingWaits.waits
            if condition(waits) { return waits }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("the execution's waits never met the condition: \(execution.pendingWaits.waits)")
        return execution.pendingWaits.waits
    }

    @Test("Every thread's wait is listed with its kind and deadline; an answered Task leaves the list, a stopped run leaves none")
    func everyThreadsWait() async throws {
        let answer = Gate()
        let dispatcher = StubDispatcher { request in
            if request.stateName == "Flaky" { throw StatesError("Boom", cause: "first attempt") }
            try await answer.wait()
            return "answered"
        }
        let execution = ExecutionEngine(clock: SystemClock(), dispatcher: dispatcher)
            .start(try StateMachineDefinition.load(Self.definition), input: ["items": [1, 2]], identity: Harness.identity(startTime: SystemClock().now()))

        let waits = try await Self.waits(of: execution) { $0.count == 5 }
        func seconds(_ wait: PendingWait) -> Int64? {
            wait.until.map { ($0.millisecondsSince1970 - wait.since.millisecondsSince1970) / 1000 }
        }
        let byPlace = Dictionary(uniqueKeysWithValues: waits.map { ("\($0.stateName)\($0.iterations)", $0) })
        #expect(byPlace.keys.sorted() == ["Ask[]", "Flaky[]", "Inner[0]", "Inner[1]", "Nap[]"])
        #expect(byPlace["Nap[]"]?.kind == .wait)
        #expect(byPlace["Nap[]"].flatMap(seconds) == 600)
        #expect(byPlace["Ask[]"]?.kind == .task(.callback))
        #expect(byPlace["Ask[]"].flatMap(seconds) == 30)
        #expect(byPlace["Ask[]"]?.heartbeatSeconds == 10)
        #expect(byPlace["Flaky[]"]?.kind == .retry(attempt: 2))
        #expect(byPlace["Flaky[]"].flatMap(seconds) == 300)
        #expect(byPlace["Inner[1]"]?.kind == .wait)
        #expect(byPlace["Inner[1]"].flatMap(seconds) == 100)
        // Earliest first.
        #expect(waits.map(\.since) == waits.map(\.since).sorted())

        let versionBefore = execution.pendingWaits.version
        answer.open()
        let after = try await Self.waits(of: execution) { !$0.contains { $0.stateName == "Ask" } }
        #expect(after.count == 4)
        #expect(execution.pendingWaits.version > versionBefore)

        execution.stop(error: "Stopped", cause: nil)
        _ = await execution.waitUntilFinished()
        #expect(execution.pendingWaits.waits.isEmpty)
    }

    @Test("A job (.sync) and an activity say what they wait for; a Task without TimeoutSeconds has no deadline")
    func taskPatterns() async throws {
        let definition = #"""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Job","States":{"Job":{"Type":"Task","Resource":"arn:aws:states:::ecs:runTask.sync","End":true}}},
              {"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:work","End":true}}},
              {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}]}}}
            """#
        let dispatcher = StubDispatcher { _ in
            try await Task.sleep(for: .seconds(60))
            return "late"
        }
        let execution = ExecutionEngine(clock: SystemClock(), dispatcher: dispatcher)
            .start(try StateMachineDefinition.load(definition), input: [:], identity: Harness.identity(startTime: SystemClock().now()))
        let waits = try await Self.waits(of: execution) { $0.count == 3 }
        let kinds = Dictionary(uniqueKeysWithValues: waits.map { ($0.stateName, $0.kind) })
        #expect(kinds == ["Job": .task(.job), "Work": .task(.activity), "Call": .task(.call)])
        #expect(waits.allSatisfy { $0.until == nil && $0.heartbeatSeconds == nil })
        execution.stop(error: "Stopped", cause: nil)
        _ = await execution.waitUntilFinished()
    }

    @Test("A Distributed Map waits for its Map Run's children, each child for its own Wait")
    func distributedMapWaitsForItsRun() async throws {
        let definition = #"""
            {"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items","End":true,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                "StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":100,"End":true}}}}}}
            """#
        let execution = ExecutionEngine(clock: SystemClock())
            .start(try StateMachineDefinition.load(definition), input: ["items": [1, 2]], identity: Harness.identity(startTime: SystemClock().now()))
        let waits = try await Self.waits(of: execution) { !$0.isEmpty }
        let run = try #require(execution.mapRuns.first)
        #expect(waits.map(\.stateName) == ["Fan"])
        #expect(waits.first?.kind == .mapRun(arn: run.arn))
        var polls = 0
        while run.children.count < 2, polls < 1000 {
            try await Task.sleep(for: .milliseconds(5))
            polls += 1
        }
        #expect(run.children.count == 2)
        for child in run.children {
            let childWaits = try await Self.waits(of: child) { $0.count == 1 }
            #expect(childWaits.first?.kind == .wait)
        }
        execution.stop(error: "Stopped", cause: nil)
        _ = await execution.waitUntilFinished()
        #expect(execution.pendingWaits.waits.isEmpty)
    }

    @Test("The execution's own TimeoutSeconds is listed beside its threads' waits: from its start to when it times out")
    func executionTimeoutIsListed() async throws {
        let definition = try StateMachineDefinition.load(
            #"{"TimeoutSeconds":3600,"StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":600,"End":true}}}"#)
        let clock = SystemClock(timers: TimerScheduler())
        let start = clock.now()
        let execution = ExecutionEngine(clock: clock).start(definition, input: [:], identity: Harness.identity(startTime: start))
        let waits = try await Self.waits(of: execution) { $0.count == 2 }
        let timeout = try #require(waits.first { $0.kind == .executionTimeout })
        #expect(timeout.stateName == "")
        #expect(timeout.since == start)
        #expect(timeout.until == start.adding(seconds: 3600))
        #expect(waits.contains { $0.stateName == "Nap" && $0.kind == .wait })
        execution.stop(error: nil, cause: nil)
        #expect(execution.pendingWaits.waits.isEmpty)
    }

    @Test("A Task with HeartbeatSeconds says when its next heartbeat is due: HeartbeatSeconds after the dispatch, then after each heartbeat")
    func heartbeatDueMovesWithEachBeat() async throws {
        let definition = try StateMachineDefinition.load(#"""
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "TimeoutSeconds":3600,"HeartbeatSeconds":600,"Parameters":{"T.$":"$$.Task.Token"},"End":true}}}
            """#)
        let beat = Gate(), answer = Gate()
        let beatAt = SystemClock().now().adding(seconds: 30)
        let dispatcher = StubDispatcher { request in
            try await beat.wait()
            request.events.heartbeat(at: beatAt)
            // A beat older than the one already noted (two requests crossing) changes nothing.
            request.events.heartbeat(at: beatAt.adding(seconds: -20))
            try await answer.wait()
            return "answered"
        }
        let execution = ExecutionEngine(clock: SystemClock(), dispatcher: dispatcher)
            .start(definition, input: [:], identity: Harness.identity(startTime: SystemClock().now()))

        let first = try #require(try await Self.waits(of: execution) { $0.count == 1 }.first)
        #expect(first.lastHeartbeat == nil)
        #expect(first.heartbeatDue == first.since.adding(seconds: 600))
        #expect(first.until == first.since.adding(seconds: 3600))

        let versionBefore = execution.pendingWaits.version
        beat.open()
        let after = try #require(try await Self.waits(of: execution) { $0.first?.lastHeartbeat != nil }.first)
        #expect(after.lastHeartbeat == beatAt)
        #expect(after.heartbeatDue == beatAt.adding(seconds: 600))
        #expect(after.until == first.until, "a heartbeat does not move the Task's TimeoutSeconds")
        #expect(execution.pendingWaits.version > versionBefore)

        answer.open()
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        #expect(execution.pendingWaits.waits.isEmpty)
    }
}
