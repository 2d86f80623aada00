import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Synchronization
import Testing

/// RedriveExecution, as AWS documents it: a failed, timed-out or aborted execution continues
/// from the state that did not succeed, with that state's input and variables, under the same
/// ARN; states that succeeded are not run again, and in a Parallel or Map only the branches and
/// iterations that did not succeed run again. The history gains ExecutionRedriven and goes on.
@Suite("RedriveExecution")
struct RedriveTests {
    /// A dispatcher whose Tasks fail (with `Flaky.Error`) until `healed` is set: the failure a
    /// user fixes before redriving. Every call is logged.
    final class FixableService: @unchecked Sendable {
        let log = CallLog()
        private let lock = Mutex(false)
        var healed: Bool {
            get { lock.withLock { $0 } }
            set { lock.withLock { $0 = newValue } }
        }
        /// Tasks whose state name is in `failing` fail until healed; the others echo their parameters.
        func dispatcher(failing: Set<String>) -> StubDispatcher {
            StubDispatcher { request in
                self.log.append(request)
                if failing.contains(request.stateName), !self.healed { throw StatesError("Flaky.Error", cause: "not yet") }
                return request.parameters
            }
        }
        func calls(_ state: String) -> Int { log.requests.filter { $0.stateName == state }.count }
    }

    let clock = VirtualClock(start: Harness.start)

    func start(_ definition: String, input: String, dispatcher: StubDispatcher) throws -> (ExecutionEngine, StateMachineDefinition, Execution) {
        let engine = ExecutionEngine(clock: clock, dispatcher: dispatcher)
        let loaded = try StateMachineDefinition.load(definition)
        return (engine, loaded, engine.start(loaded, input: Harness.json(input), identity: Harness.identity(startTime: clock.now())))
    }

    @Test("continues from the failed Task with its input and variables; earlier states do not run again")
    func continuesFromFailedState() async throws {
        let service = FixableService()
        let definition = """
            {"StartAt":"First","States":{
              "First":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"step":1},"ResultPath":"$.first",
                       "Assign":{"seen.$":"$.step"},"Next":"Second"},
              "Second":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"seen.$":"$seen","order.$":"$.order"},"End":true}}}
            """
        let (engine, loaded, execution) = try start(definition, input: #"{"order":"o-1"}"#, dispatcher: service.dispatcher(failing: ["Second"]))
        let failed = await execution.waitUntilFinished()
        expectFailed(failed, error: "Flaky.Error", cause: "not yet")
        #expect(execution.redriveRefusal(at: clock.now()) == nil)

        service.healed = true
        _ = try await engine.redrive(execution, definition: loaded)
        let redriven = await execution.waitUntilFinished()
        expectSucceeded(redriven, output: #"{"seen":1,"order":"o-1"}"#)
        #expect(service.calls("First") == 1)
        #expect(service.calls("Second") == 2)
        #expect(redriven.identity.redriveCount == 1)
        #expect(redriven.redriveDate != nil)

        let types = redriven.eventTypes
        let redrivenAt = try #require(types.firstIndex(of: "ExecutionRedriven"))
        #expect(types[redrivenAt - 1] == "ExecutionFailed")
        #expect(Array(types[(redrivenAt + 1)...]) == [
            "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded",
        ])
        #expect(redriven.history[redrivenAt].details["redriveCount"] == .int(1))
        #expect(redriven.history.map(\.id) == Array(1...redriven.history.count))
    }

    @Test("a succeeded or running execution is not redrivable, with AWS's reason")
    func notRedrivable() async throws {
        let (engine, loaded, execution) = try start(Harness.single(#"{"Type":"Pass","End":true}"#), input: "{}", dispatcher: .echo)
        _ = await execution.waitUntilFinished()
        #expect(execution.redriveRefusal(at: clock.now())?.reason == "Execution is SUCCEEDED and cannot be redriven")
        await #expect(throws: RedriveRefusal(reason: "Execution is SUCCEEDED and cannot be redriven")) {
            try await engine.redrive(execution, definition: loaded)
        }
    }

    @Test("14 days after it stopped, an execution is past its redrivable period")
    func redrivablePeriod() async throws {
        let (_, _, execution) = try start(Harness.single(#"{"Type":"Fail","Error":"E"}"#), input: "{}", dispatcher: .echo)
        let failed = await execution.waitUntilFinished()
        let stop = try #require(failed.stopDate)
        #expect(execution.redriveRefusal(at: stop.adding(seconds: 14 * 86_400)) == nil)
        #expect(execution.redriveRefusal(at: stop.adding(seconds: 14 * 86_400 + 1))?.reason == "Execution redrivable period exceeded")
    }

    @Test("in a Parallel state only the failed branch runs again; the other branch's output is kept")
    func parallelRedrivesFailedBranchOnly() async throws {
        let service = FixableService()
        let definition = """
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Good","States":{"Good":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"b":"good"},"End":true}}},
              {"StartAt":"Prepare","States":{
                 "Prepare":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"b":"prepared"},"Next":"Bad"},
                 "Bad":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"from.$":"$.b"},"End":true}}}]}}}
            """
        let (engine, loaded, execution) = try start(definition, input: "{}", dispatcher: service.dispatcher(failing: ["Bad"]))
        expectFailed(await execution.waitUntilFinished(), error: "Flaky.Error")
        service.healed = true
        _ = try await engine.redrive(execution, definition: loaded)
        expectSucceeded(await execution.waitUntilFinished(), output: #"[{"b":"good"},{"from":"prepared"}]"#)
        #expect(service.calls("Good") == 1)
        #expect(service.calls("Prepare") == 1)
        #expect(service.calls("Bad") == 2)
    }

    @Test("in a Map state only the failed iterations run again, and results keep their order")
    func mapRedrivesFailedIterationsOnly() async throws {
        let service = FixableService()
        let definition = """
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"Route","States":{
              "Route":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":2,"Next":"Fragile"}],"Default":"Sturdy"},
              "Sturdy":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"n.$":"$.n"},"End":true},
              "Fragile":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"n.$":"$.n"},"End":true}}}}}}
            """
        let (engine, loaded, execution) = try start(definition, input: #"[{"n":1},{"n":2},{"n":3}]"#, dispatcher: service.dispatcher(failing: ["Fragile"]))
        let failed = await execution.waitUntilFinished()
        expectFailed(failed, error: "Flaky.Error")
        // Iterations that finished before the failure stopped the Map keep their output; the
        // failed one and any the failure aborted run again.
        let succeededBefore = failed.eventTypes.filter { $0 == "MapIterationSucceeded" }.count
        let sturdyBefore = service.calls("Sturdy")
        service.healed = true
        _ = try await engine.redrive(execution, definition: loaded)
        let redriven = await execution.waitUntilFinished()
        expectSucceeded(redriven, output: #"[{"n":1},{"n":2},{"n":3}]"#)
        #expect(service.calls("Fragile") == 2)
        #expect(service.calls("Sturdy") - sturdyBefore == 2 - succeededBefore)
        let after = redriven.eventTypes.drop { $0 != "ExecutionRedriven" }
        #expect(after.filter { $0 == "MapIterationStarted" }.count == 3 - succeededBefore)
    }

    @Test("an aborted execution continues from the Wait it was stopped in, and $$.Execution.RedriveCount counts redrives")
    func abortedExecutionContinues() async throws {
        let definition = """
            {"StartAt":"Hold","States":{
              "Hold":{"Type":"Wait","Seconds":3600,"Next":"Report"},
              "Report":{"Type":"Pass","Parameters":{"redrives.$":"$$.Execution.RedriveCount","input.$":"$"},"End":true}}}
            """
        let engine = ExecutionEngine(clock: SystemClock(), dispatcher: StubDispatcher.echo)
        let loaded = try StateMachineDefinition.load(definition)
        let execution = engine.start(loaded, input: Harness.json(#"{"k":1}"#), identity: Harness.identity(startTime: SystemClock().now()))
        for _ in 0..<10_000 where !execution.snapshot().eventTypes.contains("WaitStateEntered") {
            try await Task.sleep(for: .milliseconds(1))
        }
        execution.stop(error: "Operator.Stop", cause: "paused")
        #expect(execution.status == .aborted)
        let fast = ExecutionEngine(clock: VirtualClock(start: SystemClock().now()), dispatcher: StubDispatcher.echo)
        _ = try await fast.redrive(execution, definition: loaded)
        let redriven = await execution.waitUntilFinished()
        expectSucceeded(redriven, output: #"{"redrives":1,"input":{"k":1}}"#)
        #expect(redriven.eventTypes.filter { $0 == "WaitStateEntered" }.count == 2)
        #expect(redriven.error == nil && redriven.cause == nil)
    }

    @Test("a failed Distributed Map redrives its Map Run: one run, redriven once, only the unsuccessful children run again")
    func distributedMapRedrivesItsMapRun() async throws {
        let service = FixableService()
        let definition = """
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemProcessor":{
              "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Route","States":{
              "Route":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":2,"Next":"Fragile"}],"Default":"Sturdy"},
              "Sturdy":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"n.$":"$.n"},"End":true},
              "Fragile":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"n.$":"$.n"},"End":true}}}}}}
            """
        let (engine, loaded, execution) = try start(definition, input: #"[{"n":1},{"n":2},{"n":3}]"#, dispatcher: service.dispatcher(failing: ["Fragile"]))
        let failed = await execution.waitUntilFinished()
        expectFailed(failed, error: "States.ExceedToleratedFailureThreshold")
        let run = try #require(execution.mapRuns.first)
        #expect(run.snapshot().status == .failed)
        let childrenBefore = run.children
        let succeededBefore = childrenBefore.filter { $0.status == .succeeded }.count
        let sturdyBefore = service.calls("Sturdy")

        service.healed = true
        _ = try await engine.redrive(execution, definition: loaded)
        let redriven = await execution.waitUntilFinished()
        expectSucceeded(redriven, output: #"[{"n":1},{"n":2},{"n":3}]"#)
        #expect(execution.mapRuns.count == 1)
        let described = run.snapshot()
        #expect(described.status == .succeeded)
        #expect(described.redriveCount == 1)
        #expect(described.redriveDate != nil)
        #expect(described.counts.succeeded == 3)
        // The same child executions (same ARNs): the failed one redriven in its own history,
        // the succeeded ones not run again; items never started start now.
        #expect(Array(run.children.prefix(childrenBefore.count)).map(\.identity.executionArn) == childrenBefore.map(\.identity.executionArn))
        #expect(service.calls("Fragile") == 2)
        #expect(service.calls("Sturdy") - sturdyBefore == 2 - succeededBefore)
        let fragileChild = run.children[1].snapshot()
        #expect(fragileChild.identity.redriveCount == 1)
        #expect(fragileChild.eventTypes.contains("ExecutionRedriven"))
        let after = Array(redriven.eventTypes.drop { $0 != "ExecutionRedriven" })
        #expect(after.contains("MapRunRedriven"))
        #expect(!after.contains("MapRunStarted"))
        let redrivenEvent = try #require(redriven.history.first { $0.type == "MapRunRedriven" })
        #expect(redrivenEvent.details["mapRunArn"]?.stringValue == run.arn)
        #expect(redrivenEvent.details["redriveCount"] == .int(1))
    }
}
