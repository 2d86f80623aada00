import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

@Suite("Nested executions (states:startExecution)")
struct NestedExecutionTests {
    static let child = "arn:aws:states:us-east-1:123456789012:stateMachine:Child"
    static let failing = "arn:aws:states:us-east-1:123456789012:stateMachine:Failing"
    static let waiting = "arn:aws:states:us-east-1:123456789012:stateMachine:Waiting"

    static func harness() throws -> (CallbackHarness, TestNestedHost) {
        let host = try TestNestedHost([
            child: #"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"Arg1":"argument1"},"End":true}}}"#,
            failing: #"{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"SomeFailure","Cause":"it broke"}}}"#,
            waiting: #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1000000,"End":true}}}"#,
        ])
        return (CallbackHarness(nested: host), host)
    }

    static func machine(_ suffix: String, target: String, input: String = #""Input":{"x":1},"#) -> String {
        CallbackHarness.taskMachine(
            "arn:aws:states:::states:startExecution\(suffix)", #""Parameters":{"StateMachineArn":"\#(target)",\#(input)"Name":"kid"},"#)
    }

    @Test("Request-response answers at once with ExecutionArn and StartDate; the child runs")
    func requestResponse() async throws {
        let (h, host) = try Self.harness()
        let snapshot = await (try h.start(Self.machine("", target: Self.child))).waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        let output = try #require(snapshot.output)
        #expect(output["ExecutionArn"] == "arn:aws:states:us-east-1:123456789012:execution:Child:kid")
        #expect(output["StartDate"]?.numberValue != nil)
        #expect(output["SdkHttpMetadata"]?["HttpStatusCode"] == 200)
        let kid = try #require(host.started.withLock { $0.first })
        #expect(await kid.waitUntilFinished().input == ["x": 1])
    }

    @Test(".sync waits for the child: DescribeExecution shape with Input and Output as JSON text, after TaskSubmitted")
    func sync() async throws {
        let (h, _) = try Self.harness()
        let snapshot = await (try h.start(Self.machine(".sync", target: Self.child))).waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        let output = try #require(snapshot.output?.objectValue)
        #expect(Array(output.keys) == [
            "ExecutionArn", "Input", "InputDetails", "Name", "Output", "OutputDetails", "StartDate", "StateMachineArn", "Status", "StopDate",
        ])
        #expect(output["Input"] == #"{"x":1}"#)
        #expect(output["Output"] == #"{"Arg1":"argument1"}"#)
        #expect(output["Status"] == "SUCCEEDED")
        #expect(output["Name"] == "kid")
        #expect(snapshot.eventTypes.contains("TaskSubmitted"))
        let submitted = try #require(snapshot.event("TaskSubmitted"))
        #expect(submitted.details["resource"] == "startExecution.sync")
        #expect(submitted.details["resourceType"] == "states")
    }

    @Test(".sync:2 returns Input and Output as JSON")
    func sync2() async throws {
        let (h, _) = try Self.harness()
        let snapshot = await (try h.start(Self.machine(".sync:2", target: Self.child))).waitUntilFinished()
        #expect(snapshot.output?["Output"] == ["Arg1": "argument1"])
        #expect(snapshot.output?["Input"] == ["x": 1])
    }

    @Test("Missing Input starts the child with {}")
    func missingInput() async throws {
        let (h, _) = try Self.harness()
        let snapshot = await (try h.start(Self.machine(".sync", target: Self.child, input: ""))).waitUntilFinished()
        #expect(snapshot.output?["Input"] == "{}")
    }

    @Test("A failed child fails the .sync task with States.TaskFailed and the description as cause")
    func failedChild() async throws {
        let (h, _) = try Self.harness()
        let snapshot = await (try h.start(Self.machine(".sync", target: Self.failing))).waitUntilFinished()
        #expect(snapshot.error == "States.TaskFailed")
        let cause = try JSONValue(parsing: try #require(snapshot.cause))
        #expect(cause["Error"] == "SomeFailure")
        #expect(cause["Cause"] == "it broke")
        #expect(cause["Status"] == "FAILED")
        #expect(cause["Output"] == nil)
        #expect(snapshot.eventTypes.contains("TaskFailed"))
    }

    @Test("An unknown state machine fails with StepFunctions.StateMachineDoesNotExistException")
    func unknownMachine() async throws {
        let (h, _) = try Self.harness()
        let snapshot = await (try h.start(Self.machine(".sync", target: Self.child + "Nope"))).waitUntilFinished()
        #expect(snapshot.error == "StepFunctions.StateMachineDoesNotExistException")
        #expect(snapshot.cause?.hasPrefix("State Machine Does Not Exist: '\(Self.child)Nope' (Service: AWSStepFunctions;") == true)
    }

    @Test("Stopping the parent of a .sync task stops the child")
    func stopPropagates() async throws {
        let (h, host) = try Self.harness()
        let parent = try h.start(Self.machine(".sync", target: Self.waiting))
        var kid: Execution?
        for _ in 0..<2000 where kid == nil {
            kid = host.started.withLock { $0.first }
            try await Task.sleep(for: .milliseconds(1))
        }
        let child = try #require(kid)
        parent.stop(error: nil, cause: nil)
        #expect(await parent.waitUntilFinished().status == .aborted)
        #expect(await child.waitUntilFinished().status == .aborted)
    }

    @Test(
        "A mocked startExecution task (.sync:2, .sync, request-response) returns the mocked response and starts no child; a mocked .sync records TaskSubmitted",
        arguments: [".sync:2", ".sync", ""])
    func mockedChild(suffix: String) async throws {
        let host = try TestNestedHost([Self.child: #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#])
        let mocked: JSONValue = ["Status": "SUCCEEDED", "Output": ["mocked": true]]
        let mocks = MockTestCase(name: "case", responses: ["T": MockedResponse(name: "child", consecutive: [.return(mocked)])])
        let h = CallbackHarness(clock: VirtualClock(), nested: host, mocks: mocks)
        let snapshot = await (try h.start(Self.machine(suffix, target: Self.child))).waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output == mocked)
        #expect(host.started.withLock { $0.isEmpty })
        // Step Functions Local's history for a mocked `.sync` Return: TaskSubmitted, then TaskSucceeded.
        let submitted: [String] = suffix.isEmpty ? [] : ["TaskSubmitted"]
        #expect(snapshot.eventTypes == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted"] + submitted + ["TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"])
    }

    @Test("A mocked child failure fails the parent's task with the mocked error; still no child runs")
    func mockedChildFailure() async throws {
        let host = try TestNestedHost([Self.child: #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#])
        let mocks = MockTestCase(
            name: "case", responses: ["T": MockedResponse(name: "child", consecutive: [.throw(StatesError("States.TaskFailed", cause: "mocked child failure"))])])
        let h = CallbackHarness(clock: VirtualClock(), nested: host, mocks: mocks)
        let snapshot = await (try h.start(Self.machine(".sync", target: Self.child))).waitUntilFinished()
        #expect(snapshot.error == "States.TaskFailed")
        #expect(snapshot.cause == "mocked child failure")
        #expect(host.started.withLock { $0.isEmpty })
        // A mocked Throw records no TaskSubmitted (Step Functions Local's history).
        #expect(!snapshot.eventTypes.contains("TaskSubmitted"))
    }

    @Test("A mock for another state leaves the startExecution task alone: the child runs for real")
    func unmockedChildRuns() async throws {
        let host = try TestNestedHost([Self.child: #"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"real":true},"End":true}}}"#])
        let mocks = MockTestCase(name: "case", responses: ["Other": MockedResponse(name: "x", consecutive: [.return([:])])])
        let h = CallbackHarness(clock: VirtualClock(), nested: host, mocks: mocks)
        let snapshot = await (try h.start(Self.machine(".sync:2", target: Self.child))).waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?["Output"] == ["real": true])
        #expect(host.started.withLock { $0.count } == 1)
    }

    @Test(
        ".sync on the virtual clock: the parent's TimeoutSeconds is compared with when the child ended, not with real time",
        arguments: [(50, "SUCCEEDED"), (500, "States.Timeout")])
    func syncDeadlineOnVirtualClock(childWaitSeconds: Int, outcome: String) async throws {
        let slow = "arn:aws:states:us-east-1:123456789012:stateMachine:Slow"
        let host = try TestNestedHost([slow: #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":\#(childWaitSeconds),"End":true}}}"#])
        let h = CallbackHarness(clock: VirtualClock(), nested: host)
        let machine = CallbackHarness.taskMachine(
            "arn:aws:states:::states:startExecution.sync:2", #""Parameters":{"StateMachineArn":"\#(slow)"},"TimeoutSeconds":100,"#)
        let snapshot = await (try h.start(machine)).waitUntilFinished()
        #expect((snapshot.status == .succeeded ? "SUCCEEDED" : snapshot.error) == outcome)
        #expect(host.started.withLock { $0.count } == 1)
    }

    @Test(
        "A .sync child beside a Wait in a Parallel, when time passes instantly: the child's 100 s Wait moves only its own time, so the sibling's 10 s Wait ends at 10 s, before the child's answer at 100 s",
        arguments: ["virtual", "WAIT_TIME_SCALE=0"])
    func syncChildBesideAWaitKeepsEachBranchsTime(clockName: String) async throws {
        let slow = "arn:aws:states:us-east-1:123456789012:stateMachine:Slow"
        let host = try TestNestedHost([slow: #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}"#])
        let clock: any ExecutionClock = clockName == "virtual" ? VirtualClock() : SystemClock(waitTimeScale: 0)
        let h = CallbackHarness(clock: clock, nested: host)
        let machine = #"""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
                "Parameters":{"StateMachineArn":"\#(slow)"},"End":true}}},
              {"StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":10,"Next":"After"},"After":{"Type":"Pass","End":true}}}]}}}
            """#
        let snapshot = await (try h.start(machine)).waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        let start = snapshot.history[0].timestamp.millisecondsSince1970
        func seconds(_ type: String) -> Int64? { snapshot.event(type).map { ($0.timestamp.millisecondsSince1970 - start) / 1000 } }
        #expect(seconds("TaskSubmitted") == 0, "the child was started at once")
        #expect(seconds("WaitStateExited") == 10)
        #expect(seconds("PassStateExited") == 10)
        #expect(seconds("TaskSucceeded") == 100)
        #expect(seconds("ExecutionSucceeded") == 100)
        let order = snapshot.eventTypes
        #expect(try #require(order.firstIndex(of: "PassStateExited")) < #require(order.firstIndex(of: "TaskSucceeded")), "events are numbered in time order")
        let child = try #require(host.started.withLock { $0.first })
        let childHistory = await child.waitUntilFinished().history
        #expect(childHistory.first.map { ($0.timestamp.millisecondsSince1970 - start) / 1000 } == 0)
        #expect(childHistory.last.map { ($0.timestamp.millisecondsSince1970 - start) / 1000 } == 100)
    }

    /// A parent whose Parallel waits 10 s in one branch and, in the other, starts `child` from its
    /// `Run` Task (`.sync:2`); `rest` closes the Task (its other fields) and adds the states after it.
    static func besideANap(starting child: String, then rest: String = #""End":true}"#) -> String {
        #"""
        {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
          {"StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":10,"End":true}}},
          {"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
            "Parameters":{"StateMachineArn":"\#(child)"},\#(rest)}}]}}}
        """#
    }

    /// Runs `machine` (its `.sync` Task starting `child`, defined by `childDefinition`) when time
    /// passes instantly, on a virtual clock or under WAIT_TIME_SCALE=0; nil (recorded) when it
    /// does not end within seconds.
    static func runInstantly(
        _ machine: String, child: String, childDefinition: String, clockName: String
    ) async throws -> (snapshot: ExecutionSnapshot, host: TestNestedHost)? {
        let host = try TestNestedHost([child: childDefinition])
        let clock: any ExecutionClock = clockName == "virtual" ? VirtualClock() : SystemClock(waitTimeScale: 0)
        let execution = try CallbackHarness(clock: clock, nested: host).start(machine)
        guard let snapshot = await execution.finished(within: .seconds(10)) else {
            Issue.record("the parent did not end: \(execution.snapshot().eventTypes)")
            return nil
        }
        return (snapshot, host)
    }

    @Test(
        "A .sync child whose Wait ends before its parent's sibling branch's, when time passes instantly: its waits take their turn with the parent's threads, so TaskSucceeded comes at 5 s and before the sibling's WaitStateExited at 10 s",
        arguments: ["virtual", "WAIT_TIME_SCALE=0"])
    func syncChildTakesItsTurnWithTheParentsBranches(clockName: String) async throws {
        let quick = "arn:aws:states:us-east-1:123456789012:stateMachine:Quick"
        // The child forks too: its 3 s and 5 s branches wait in turn with the parent's 10 s one.
        let childDefinition = #"""
            {"StartAt":"Q","States":{"Q":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"W1","States":{"W1":{"Type":"Wait","Seconds":3,"End":true}}},
              {"StartAt":"W2","States":{"W2":{"Type":"Wait","Seconds":5,"End":true}}}]}}}
            """#
        let machine = Self.besideANap(starting: quick, then: #""Next":"After"},"After":{"Type":"Pass","End":true}"#)
        guard let (snapshot, host) = try await Self.runInstantly(machine, child: quick, childDefinition: childDefinition, clockName: clockName) else { return }
        #expect(snapshot.status == .succeeded)
        let start = snapshot.history[0].timestamp.millisecondsSince1970
        let seconds = snapshot.secondsAfterStart
        #expect(seconds("TaskSucceeded") == 5)
        #expect(seconds("PassStateExited") == 5)
        #expect(seconds("WaitStateExited") == 10)
        #expect(seconds("ExecutionSucceeded") == 10)
        let order = snapshot.eventTypes
        #expect(try #require(order.firstIndex(of: "PassStateExited")) < #require(order.firstIndex(of: "WaitStateExited")), "events are numbered in time order")
        let child = try #require(host.started.withLock { $0.first })
        let childHistory = child.snapshot().history
        #expect(childHistory.last.map { ($0.timestamp.millisecondsSince1970 - start) / 1000 } == 5)
        #expect(childHistory.filter { $0.type == "WaitStateExited" }.map { ($0.timestamp.millisecondsSince1970 - start) / 1000 } == [3, 5])
    }

    @Test(
        "A .sync child waiting for a task token nobody sends, when time passes instantly, fails at its HeartbeatSeconds (7 s), before its parent's sibling Wait ends (10 s)",
        arguments: ["virtual", "WAIT_TIME_SCALE=0"])
    func syncChildWaitingOutsideDoesNotHoldTheParentBack(clockName: String) async throws {
        let asking = "arn:aws:states:us-east-1:123456789012:stateMachine:Asking"
        let childDefinition = #"""
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","HeartbeatSeconds":7,
              "Parameters":{"QueueUrl":"q","MessageBody":{"t.$":"$$.Task.Token"}},"End":true}}}
            """#
        let machine = Self.besideANap(
            starting: asking, then: #""Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},"Caught":{"Type":"Pass","End":true}"#)
        guard let (snapshot, _) = try await Self.runInstantly(machine, child: asking, childDefinition: childDefinition, clockName: clockName) else { return }
        let seconds = snapshot.secondsAfterStart
        #expect(seconds("TaskFailed") == 7)
        #expect(seconds("WaitStateExited") == 10)
        let order = snapshot.eventTypes
        #expect(try #require(order.firstIndex(of: "TaskFailed")) < #require(order.firstIndex(of: "WaitStateExited")), "events are numbered in time order")
    }

    @Test(
        "A .sync Task in a branch whose TimeoutSeconds (5 s) passes before its child's 20 s Wait, when time passes instantly: TaskTimedOut at 5 s, before the sibling's 10 s Wait ends, and the child is stopped then",
        arguments: ["virtual", "WAIT_TIME_SCALE=0"])
    func syncTaskTimesOutInTurn(clockName: String) async throws {
        let slow = "arn:aws:states:us-east-1:123456789012:stateMachine:Slow"
        let machine = Self.besideANap(
            starting: slow,
            then: #""TimeoutSeconds":5,"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Caught"}],"End":true},"Caught":{"Type":"Pass","End":true}"#)
        guard
            let (snapshot, host) = try await Self.runInstantly(
                machine, child: slow, childDefinition: #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":20,"End":true}}}"#,
                clockName: clockName)
        else { return }
        #expect(snapshot.status == .succeeded)
        let start = snapshot.history[0].timestamp.millisecondsSince1970
        let seconds = snapshot.secondsAfterStart
        #expect(seconds("TaskTimedOut") == 5)
        #expect(seconds("WaitStateExited") == 10)
        #expect(seconds("ExecutionSucceeded") == 10)
        let order = snapshot.eventTypes
        #expect(try #require(order.firstIndex(of: "TaskTimedOut")) < #require(order.firstIndex(of: "WaitStateExited")), "events are numbered in time order")
        let child = try #require(host.started.withLock { $0.first }).snapshot()
        #expect(child.status == .aborted)
        #expect(child.stopDate.map { ($0.millisecondsSince1970 - start) / 1000 } == 5)
    }

    @Test(
        "Stopping a parent whose branch waits for a .sync child that waits for a task token, when time passes instantly, stops the child too",
        arguments: ["virtual", "WAIT_TIME_SCALE=0"])
    func stoppingTheParentStopsAThreadChild(clockName: String) async throws {
        let asking = "arn:aws:states:us-east-1:123456789012:stateMachine:Asking"
        let host = try TestNestedHost([asking: #"""
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "Parameters":{"QueueUrl":"q","MessageBody":{"t.$":"$$.Task.Token"}},"End":true}}}
            """#])
        let clock: any ExecutionClock = clockName == "virtual" ? VirtualClock() : SystemClock(waitTimeScale: 0)
        let h = CallbackHarness(clock: clock, nested: host)
        let parent = try h.start(Self.besideANap(starting: asking))
        _ = try await h.spy.token()
        // The host keeps the child once its start has returned, which can be after the child's first Task.
        for _ in 0..<1000 where host.started.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
        let child = try #require(host.started.withLock { $0.first })
        parent.stop(error: "Stopped", cause: nil)
        let stopped = await parent.finished(within: .seconds(10))
        #expect(stopped?.status == .aborted)
        let childEnd = await child.finished(within: .seconds(10))
        #expect(childEnd?.status == .aborted)
    }
}

extension ExecutionSnapshot {
    /// Whole seconds from the execution's first event to its first event of `type`.
    func secondsAfterStart(_ type: String) -> Int64? {
        guard let start = history.first?.timestamp.millisecondsSince1970 else { return nil }
        return event(type).map { ($0.timestamp.millisecondsSince1970 - start) / 1000 }
    }
}
