import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// A Distributed Map runs its items as child executions of a Map Run: the parent's history has
/// MapRunStarted / MapRunSucceeded instead of iteration events (as recorded on AWS), each child
/// has its own history, and by default a single failed child fails the run with
/// States.ExceedToleratedFailureThreshold.
@Suite("Distributed Map runs")
struct DistributedMapTests {
    static func definition(_ itemStates: String, extra: String = "", executionType: String = "STANDARD") -> String {
        """
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",\(extra)
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"\(executionType)"},"StartAt":"I","States":\(itemStates)},
          "End":true}}}
        """
    }

    func start(_ definition: String, input: String, dispatcher: StubDispatcher = .echo) throws -> Execution {
        let clock = VirtualClock(start: Harness.start)
        return ExecutionEngine(clock: clock, dispatcher: dispatcher).start(
            try StateMachineDefinition.load(definition), input: Harness.json(input), identity: Harness.identity(startTime: clock.now()))
    }

    @Test("items run as child executions; the parent records the run, not the iterations")
    func succeeds() async throws {
        let execution = try start(Self.definition(#"{"I":{"Type":"Pass","Parameters":{"doubled.$":"States.MathAdd($.n, $.n)"},"End":true}}"#),
                                  input: #"{"items":[{"n":1},{"n":2},{"n":3}]}"#)
        let snapshot = await execution.waitUntilFinished()
        expectSucceeded(snapshot, output: #"[{"doubled":2},{"doubled":4},{"doubled":6}]"#)
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded",
            "MapStateExited", "ExecutionSucceeded",
        ])
        let run = try #require(execution.mapRuns.first)
        #expect(snapshot.history[3].details["mapRunArn"]?.stringValue == run.arn)
        #expect(run.arn.hasPrefix("arn:aws:states:us-east-1:123456789012:mapRun:TestMachine/M:"))
        #expect(run.stateMachineArn == "arn:aws:states:us-east-1:123456789012:stateMachine:TestMachine/M")
        let described = run.snapshot()
        #expect(described.status == .succeeded)
        let counts = described.counts
        #expect([counts.pending, counts.running, counts.succeeded, counts.failed, counts.timedOut, counts.aborted, counts.total] == [0, 0, 3, 0, 0, 0, 3])
        let child = run.children[1].snapshot()
        #expect(child.eventTypes == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"])
        #expect(child.input == Harness.json(#"{"n":2}"#))
        #expect(child.identity.executionArn.hasPrefix("arn:aws:states:us-east-1:123456789012:execution:TestMachine/M:"))
    }

    /// Runs a Distributed Map whose children each Wait their item's seconds, on the virtual clock.
    func runWaitingChildren(_ waits: [Int], extra: String = "") async throws -> (ExecutionSnapshot, MapRun, [ExecutionSnapshot]) {
        let definition = Self.definition(#"{"I":{"Type":"Wait","SecondsPath":"$","End":true}}"#, extra: extra)
        let execution = try start(definition, input: #"{"items":\#(waits)}"#)
        let snapshot = await execution.waitUntilFinished()
        #expect(snapshot.status == .succeeded)
        let run = try #require(execution.mapRuns.first)
        return (snapshot, run, run.children.map { $0.snapshot() })
    }

    /// Seconds after the harness's start.
    func seconds(_ time: Timestamp?) -> Int64? { time.map { ($0.millisecondsSince1970 - Harness.start.millisecondsSince1970) / 1000 } }

    @Test("On an instant clock children wait side by side: four children waiting 10, 20, 10 and 5 s end a Map Run of 20 s")
    func childrenWaitSideBySide() async throws {
        let (snapshot, run, children) = try await runWaitingChildren([10, 20, 10, 5])
        #expect(children.map { seconds($0.identity.startTime) } == [0, 0, 0, 0])
        #expect(children.map { seconds($0.stopDate) } == [10, 20, 10, 5])
        #expect(seconds(run.stopDate) == 20)
        #expect(seconds(snapshot.stopDate) == 20)
        let times = snapshot.history.map(\.timestamp)
        #expect(times == times.sorted())
    }

    @Test("With MaxConcurrency 1 each child starts when the one before it ended, on an instant clock too")
    func childrenFollowEachOther() async throws {
        let (snapshot, _, children) = try await runWaitingChildren([10, 20, 5], extra: #""MaxConcurrency":1,"#)
        #expect(children.map { seconds($0.identity.startTime) } == [0, 10, 30])
        #expect(children.map { seconds($0.stopDate) } == [10, 30, 35])
        #expect(seconds(snapshot.stopDate) == 35)
    }

    @Test("On an instant clock a child that fails at 300 s ends the run only after siblings whose Wait ends at 10 s have ended, however long their work takes in real time")
    func childrenEndInTimeOrderAcrossTheRun() async throws {
        // Ten children wait 10 s, then run 41 Pass states; one waits 300 s and fails. On AWS the ten
        // have succeeded long before the failure ends the run.
        let passes = (0..<40).map { #""P\#($0)":{"Type":"Pass","Next":"P\#($0 + 1)"}"# }.joined(separator: ",") + #","P40":{"Type":"Pass","End":true}"#
        let definition = Self.definition(
            #"{"I":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":300,"Next":"Late"}],"Default":"Soon"},"Soon":{"Type":"Wait","Seconds":10,"Next":"P0"},"#
                + #""Late":{"Type":"Wait","Seconds":300,"Next":"Fail"},"Fail":{"Type":"Fail","Error":"Late.Failure"},\#(passes)}"#)
        let execution = try start(definition, input: #"{"items":[300,10,10,10,10,10,10,10,10,10,10]}"#)
        let snapshot = await execution.waitUntilFinished()
        expectFailed(snapshot, error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded")
        let run = try #require(execution.mapRuns.first)
        let children = run.children.map { $0.snapshot() }
        #expect(children.count == 11)
        #expect(children.dropFirst().map(\.status) == Array(repeating: .succeeded, count: 10))
        #expect(children.dropFirst().map { seconds($0.stopDate) } == Array(repeating: 10, count: 10))
        #expect(children.first?.status == .failed && seconds(children.first?.stopDate) == 300)
        #expect(seconds(snapshot.stopDate) == 300)
    }

    @Test("with an ItemBatcher, itemCounts count the batches' items and executionCounts the children (API reference)")
    func batchedCounts() async throws {
        let definition = Self.definition(#"{"I":{"Type":"Pass","End":true}}"#, extra: #""ItemBatcher":{"MaxItemsPerBatch":2},"#)
        let execution = try start(definition, input: #"{"items":[1,2,3,4,5]}"#)
        _ = await execution.waitUntilFinished()
        let run = try #require(execution.mapRuns.first)
        let described = run.snapshot()
        #expect([described.counts.total, described.counts.succeeded] == [3, 3])
        #expect([described.itemCounts.total, described.itemCounts.succeeded, described.itemCounts.pending] == [5, 5, 0])
        #expect((0..<3).map(run.itemCount(ofChild:)) == [2, 2, 1])
    }

    @Test("one failed child fails the run with States.ExceedToleratedFailureThreshold")
    func failsOnAnyFailureByDefault() async throws {
        let definition = Self.definition(
            #"{"I":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Good"},"Good":{"Type":"Succeed"},"Bad":{"Type":"Fail","Error":"Item.Bad"}}"#,
            extra: #""MaxConcurrency":1,"#)
        let execution = try start(definition, input: #"{"items":[1,2,3]}"#)
        let snapshot = await execution.waitUntilFinished()
        expectFailed(snapshot, error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded")
        #expect(Array(snapshot.eventTypes.suffix(4)) == ["MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"])
        let run = try #require(execution.mapRuns.first)
        #expect(run.snapshot().status == .failed)
        #expect(run.snapshot().counts.failed == 1)
        #expect(run.snapshot().counts.pending == 1)
        #expect(run.snapshot().itemCounts == run.snapshot().counts)  // one item per child without a batcher
    }

    @Test("ToleratedFailureCount lets that many children fail; their errors stand in the output")
    func toleratesFailures() async throws {
        let definition = Self.definition(
            #"{"I":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Good"},"Good":{"Type":"Succeed"},"Bad":{"Type":"Fail","Error":"Item.Bad","Cause":"two"}}"#,
            extra: #""ToleratedFailureCount":1,"#)
        let execution = try start(definition, input: #"{"items":[1,2,3]}"#)
        let snapshot = await execution.waitUntilFinished()
        expectSucceeded(snapshot, output: #"[1,{"Error":"Item.Bad","Cause":"two"},3]"#)
    }

    @Test("EXPRESS children run for at most five minutes, as any EXPRESS execution: a child that waits 400 s times out at 300 s and fails the run; STANDARD children wait it out", arguments: ["EXPRESS", "STANDARD"])
    func expressChildrenAreHeldToFiveMinutes(executionType: String) async throws {
        let definition = Self.definition(#"{"I":{"Type":"Wait","SecondsPath":"$","End":true}}"#, executionType: executionType)
        let execution = try start(definition, input: #"{"items":[10,400]}"#)
        let snapshot = await execution.waitUntilFinished()
        let run = try #require(execution.mapRuns.first)
        let children = run.children.map { $0.snapshot() }
        #expect(children.first?.status == .succeeded)
        if executionType == "EXPRESS" {
            expectFailed(snapshot, error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded")
            let late = try #require(children.last)
            #expect(late.status == .timedOut)
            #expect(late.history.last?.type == "ExecutionTimedOut")
            let stop = try #require(late.stopDate), start = late.identity.startTime
            #expect(stop.millisecondsSince1970 - start.millisecondsSince1970 == 300_000)
            #expect(run.snapshot().counts.timedOut == 1)
        } else {
            #expect(snapshot.status == .succeeded)
            #expect(children.last?.status == .succeeded)
        }
    }
}
