import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// An execution's `TimeoutSeconds` when waits pass at once (WAIT_TIME_SCALE 0): a racing timer
/// would fire immediately and time out executions that finish in microseconds, so the engine
/// judges the deadline itself, on the execution's own time (the wall clock plus the waits it
/// skipped), as on the virtual clock.
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

    @Test("A service that takes 300 ms of real time under a 60-second task timeout succeeds on an instant clock (no short grace period)")
    func slowAnswersAreNotTimedOut() async throws {
        let definition = #"""
            {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":60,"End":true}}}
            """#
        let slowService = StubDispatcher { request in
            try await Task.sleep(for: .milliseconds(300))
            return request.parameters
        }
        for clock in [VirtualClock(start: Harness.start) as any ExecutionClock, SystemClock(waitTimeScale: 0)] {
            let snapshot = try await Harness.run(definition, clock: clock, dispatcher: slowService)
            #expect(snapshot.status == .succeeded, "\(type(of: clock)): \(snapshot.history.map(\.type))")
        }
    }

    @Test("A service that never answers is timed out once the task's TimeoutSeconds has passed in real time, stamped at the deadline")
    func unansweredCallsTimeOutAtTheirDeadline() async throws {
        let definition = #"""
            {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":1,"End":true}}}
            """#
        let silentService = StubDispatcher { _ in
            try await Task.sleep(for: .seconds(3600))
            return .null
        }
        let began = ContinuousClock.now
        let snapshot = try await Harness.run(definition, dispatcher: silentService)
        let waited = ContinuousClock.now - began
        #expect(waited >= .milliseconds(950) && waited < .seconds(30), "waited \(waited)")
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == "States.Timeout")
        let timedOut = try #require(snapshot.history.first { $0.type == "TaskTimedOut" })
        let scheduled = try #require(snapshot.history.first { $0.type == "TaskScheduled" })
        #expect(timedOut.timestamp.millisecondsSince1970 - scheduled.timestamp.millisecondsSince1970 == 1_000)
    }

    @Test("Waits that add up past TimeoutSeconds time the execution out under WAIT_TIME_SCALE 0, at once, stamped when AWS would")
    func cumulativeWaitsTimeOut() async throws {
        let definition = #"""
            {"TimeoutSeconds":600,"StartAt":"First","States":{
              "First":{"Type":"Wait","Seconds":400,"Next":"Second"},
              "Second":{"Type":"Wait","Seconds":400,"Next":"Done"},
              "Done":{"Type":"Pass","End":true}}}
            """#
        let began = ContinuousClock.now
        let snapshot = try await Harness.run(definition, clock: SystemClock(waitTimeScale: 0))
        #expect(ContinuousClock.now - began < .seconds(2), "the waits were really waited")
        #expect(snapshot.status == .timedOut)
        #expect(snapshot.history.map(\.type) == [
            "ExecutionStarted", "WaitStateEntered", "WaitStateExited", "WaitStateEntered", "ExecutionTimedOut",
        ])
        // The execution's own time: 600 s after its start, not the wall clock's few milliseconds
        // (the margin is for real time a loaded machine lets pass, which counts too).
        let started = snapshot.history[0].timestamp
        #expect(snapshot.history[2].timestamp.millisecondsSince1970 - started.millisecondsSince1970 >= 400_000)
        #expect(snapshot.history[4].timestamp.millisecondsSince1970 - started.millisecondsSince1970 >= 600_000)
        #expect(snapshot.history[4].timestamp.millisecondsSince1970 - started.millisecondsSince1970 < 660_000)
    }

    @Test("Waits in parallel branches do not add up: a Parallel of two 400 s Waits fits in a 600 s TimeoutSeconds under WAIT_TIME_SCALE 0")
    func parallelWaitsDoNotAddUp() async throws {
        let definition = #"""
            {"TimeoutSeconds":600,"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":400,"End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":400,"End":true}}}]}}}
            """#
        let snapshot = try await Harness.run(definition, clock: SystemClock(waitTimeScale: 0))
        #expect(snapshot.status == .succeeded)
        let started = snapshot.history[0].timestamp.millisecondsSince1970
        let ended = try #require(snapshot.history.last).timestamp.millisecondsSince1970
        #expect(ended - started >= 400_000 && ended - started < 460_000)
    }

    @Test("Each execution has its own time under WAIT_TIME_SCALE 0: one's waits do not move another's")
    func executionsKeepTheirOwnTime() async throws {
        let engine = ExecutionEngine(clock: SystemClock(waitTimeScale: 0))
        let waits = try StateMachineDefinition.load(#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}"#)
        let pass = try StateMachineDefinition.load(#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#)
        _ = await engine.run(waits, input: [:], identity: Harness.identity(startTime: SystemClock().now()))
        let quick = await engine.run(pass, input: [:], identity: Harness.identity(startTime: SystemClock().now()))
        let span = quick.history.last!.timestamp.millisecondsSince1970 - quick.history[0].timestamp.millisecondsSince1970
        #expect(span < 1_000)
    }
}
