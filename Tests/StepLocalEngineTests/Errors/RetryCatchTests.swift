import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Synchronization
import Testing

/// Retry, Catch and the predefined errors, as the AWS Developer Guide's "Error handling in Step
/// Functions" documents them.
@Suite("Retry and Catch")
struct RetryCatchTests {
    static let lambda = "arn:aws:states:::lambda:invoke"

    /// A dispatcher that fails with `error` the first `failures` times, then answers "ok".
    static func flaky(_ log: CallLog, failures: Int, error: String = "Custom.Error") -> StubDispatcher {
        StubDispatcher { request in
            log.append(request)
            if log.count <= failures { throw StatesError(error, cause: "attempt \(log.count)") }
            return "ok"
        }
    }

    static func task(retry: String = "[]", catchers: String? = nil, extra: String = "") -> String {
        // The Handler state exists only when a catcher can reach it (an unreachable state is invalid).
        let catchPart = catchers.map { #""Catch":\#($0),"# } ?? ""
        let handler = catchers == nil ? "" : #","Handler":{"Type":"Pass","End":true}"#
        return #"""
        {"StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"\#(lambda)",\#(extra)\#(catchPart)"Retry":\#(retry),"End":true}\#(handler)}}
        """#
    }

    static func scheduledOffsets(_ snapshot: ExecutionSnapshot) -> [Int64] {
        snapshot.history.filter { $0.type == "TaskScheduled" }.map { $0.timestamp.millisecondsSince1970 - Harness.start.millisecondsSince1970 }
    }

    /// A clock that moves on after every reading (a millisecond unless told), as time passes on
    /// a busy machine between two reads; a wait moves it to its deadline. Not virtual: the
    /// engine treats it as the wall clock.
    final class TickingClock: ExecutionClock {
        private let current = Mutex(Harness.start.millisecondsSince1970)
        private let millisecondsPerReading: Int64

        init(millisecondsPerReading: Int64 = 1) {
            self.millisecondsPerReading = millisecondsPerReading
        }

        func now() -> Timestamp {
            Timestamp(millisecondsSince1970: current.withLock { ms in
                defer { ms += millisecondsPerReading }
                return ms
            })
        }

        func sleep(until deadline: Timestamp) async throws {
            current.withLock { $0 = max($0, deadline.millisecondsSince1970) }
        }
    }

    @Test("The next attempt is scheduled exactly IntervalSeconds after the failure as recorded, however much later the clock is read")
    func backOffCountsFromTheRecordedFailure() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["Custom.Error"],"IntervalSeconds":10}]"#), clock: TickingClock(), dispatcher: Self.flaky(log, failures: 1))
        #expect(snapshot.status == .succeeded)
        let failed = try #require(snapshot.history.first { $0.type == "TaskFailed" }).timestamp
        let retried = try #require(snapshot.history.last { $0.type == "TaskScheduled" }).timestamp
        #expect(retried.millisecondsSince1970 - failed.millisecondsSince1970 == 10_000)
    }

    @Test("Retry defaults: IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0 (attempts at 0, 1, 3, 7 s)")
    func defaults() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(Self.task(retry: #"[{"ErrorEquals":["Custom.Error"]}]"#), dispatcher: Self.flaky(log, failures: 10))
        expectFailed(snapshot, error: "Custom.Error", cause: "attempt 4")
        #expect(log.count == 4)
        #expect(Self.scheduledOffsets(snapshot) == [0, 1_000, 3_000, 7_000])
        #expect(log.requests.map(\.attempt) == [0, 1, 2, 3])
    }

    @Test("A retried task that then succeeds continues normally")
    func retryThenSucceed() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["Custom.Error"],"IntervalSeconds":2,"MaxAttempts":5}]"#), dispatcher: Self.flaky(log, failures: 2))
        expectSucceeded(snapshot, output: #""ok""#)
        #expect(log.count == 3)
        #expect(Self.scheduledOffsets(snapshot) == [0, 2_000, 6_000])
    }

    @Test("MaxAttempts 0 means the error is never retried")
    func maxAttemptsZero() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["Custom.Error"],"MaxAttempts":0}]"#), dispatcher: Self.flaky(log, failures: 10))
        expectFailed(snapshot, error: "Custom.Error")
        #expect(log.count == 1)
    }

    @Test("BackoffRate multiplies the interval for each attempt")
    func backoffRate() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["States.ALL"],"IntervalSeconds":3,"MaxAttempts":3,"BackoffRate":1.5}]"#),
            dispatcher: Self.flaky(log, failures: 10))
        #expect(snapshot.status == .failed)
        // Waits 3, 4.5, 6.75 s.
        #expect(Self.scheduledOffsets(snapshot) == [0, 3_000, 7_500, 14_250])
    }

    @Test("MaxDelaySeconds caps the backoff delay")
    func maxDelay() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["States.ALL"],"IntervalSeconds":2,"MaxAttempts":4,"BackoffRate":2,"MaxDelaySeconds":5}]"#),
            dispatcher: Self.flaky(log, failures: 10))
        #expect(snapshot.status == .failed)
        // Waits 2, 4, 5 (not 8), 5 (not 16).
        #expect(Self.scheduledOffsets(snapshot) == [0, 2_000, 6_000, 11_000, 16_000])
    }

    @Test("JitterStrategy FULL never waits longer than the un-jittered delay")
    func jitter() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["States.ALL"],"IntervalSeconds":10,"MaxAttempts":2,"BackoffRate":1,"JitterStrategy":"FULL"}]"#),
            dispatcher: Self.flaky(log, failures: 10))
        let offsets = Self.scheduledOffsets(snapshot)
        #expect(offsets.count == 3)
        if offsets.count == 3 {
            #expect(offsets[1] - offsets[0] <= 10_000)
            #expect(offsets[2] - offsets[1] <= 10_000)
        }
    }

    @Test("The first retrier whose ErrorEquals matches is used; others keep their own attempt counts")
    func retrierSelection() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["Other.Error"],"MaxAttempts":10},{"ErrorEquals":["Custom.Error"],"MaxAttempts":1}]"#),
            dispatcher: Self.flaky(log, failures: 10))
        expectFailed(snapshot, error: "Custom.Error")
        #expect(log.count == 2)
    }

    @Test("States.TaskFailed in a retrier matches task errors but not States.Timeout")
    func taskFailedWildcard() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["States.TaskFailed"],"MaxAttempts":1}]"#), dispatcher: Self.flaky(log, failures: 10))
        #expect(log.count == 2)
        #expect(snapshot.status == .failed)

        let timeoutLog = CallLog()
        let timeouts = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["States.TaskFailed"],"MaxAttempts":1}]"#),
            dispatcher: Self.flaky(timeoutLog, failures: 10, error: "States.Timeout"))
        #expect(timeoutLog.count == 1)
        expectFailed(timeouts, error: "States.Timeout")
    }

    @Test("States.ALL does not retry States.Runtime (a Parameters path that matches nothing)")
    func allDoesNotRetryRuntime() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["States.ALL"],"MaxAttempts":3}]"#, catchers: #"[{"ErrorEquals":["States.ALL"],"Next":"Handler"}]"#,
                extra: #""Parameters":{"x.$":"$.missing"},"#),
            dispatcher: Self.flaky(log, failures: 0))
        expectFailed(snapshot, error: "States.Runtime")
        #expect(log.count == 0)
        #expect(!snapshot.eventTypes.contains("PassStateEntered"))
    }

    @Test("States.ALL neither retries nor catches States.DataLimitExceeded (a result over 256 KiB)")
    func allDoesNotCatchDataLimit() async throws {
        let log = CallLog()
        let big = String(repeating: "x", count: 300_000)
        let dispatcher = StubDispatcher { log.append($0); return .string(big) }
        let snapshot = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["States.ALL"],"MaxAttempts":3}]"#, catchers: #"[{"ErrorEquals":["States.ALL"],"Next":"Handler"}]"#),
            dispatcher: dispatcher)
        expectFailed(snapshot, error: "States.DataLimitExceeded")
        #expect(log.count == 1)
    }

    @Test("A state output over 256 KiB fails with States.DataLimitExceeded (Pass with Parameters)")
    func passOutputTooLarge() async throws {
        let big = String(repeating: "y", count: 270_000)
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Pass","Parameters":{"a.$":"$.s","b.$":"$.s"},"End":true}"#), input: ["s": .string(String(big.prefix(140_000)))])
        expectFailed(snapshot, error: "States.DataLimitExceeded")
    }

    @Test("Catch with the default ResultPath replaces the input with {Error, Cause}")
    func catchDefault() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(catchers: #"[{"ErrorEquals":["Custom.Error"],"Next":"Handler"}]"#), inputJSON: #"{"orig":1}"#, dispatcher: Self.flaky(log, failures: 1))
        expectSucceeded(snapshot, output: #"{"Error":"Custom.Error","Cause":"attempt 1"}"#)
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed", "TaskStateExited",
            "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
        ])
    }

    @Test("Catch ResultPath $.error keeps the input and adds the error output")
    func catchResultPath() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(catchers: #"[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Handler"}]"#), inputJSON: #"{"orig":1}"#,
            dispatcher: Self.flaky(log, failures: 1))
        expectSucceeded(snapshot, output: #"{"orig":1,"error":{"Error":"Custom.Error","Cause":"attempt 1"}}"#)
    }

    @Test("Catch ResultPath null discards the error and passes the original input")
    func catchResultPathNull() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(catchers: #"[{"ErrorEquals":["States.ALL"],"ResultPath":null,"Next":"Handler"}]"#), inputJSON: #"{"orig":1}"#,
            dispatcher: Self.flaky(log, failures: 1))
        expectSucceeded(snapshot, output: #"{"orig":1}"#)
    }

    @Test("A Catch runs only after the matching retrier is exhausted")
    func retryThenCatch() async throws {
        let log = CallLog()
        let snapshot = try await Harness.run(
            Self.task(retry: #"[{"ErrorEquals":["Custom.Error"],"MaxAttempts":2,"IntervalSeconds":1}]"#,
                catchers: #"[{"ErrorEquals":["Custom.Error"],"Next":"Handler"}]"#),
            dispatcher: Self.flaky(log, failures: 10))
        expectSucceeded(snapshot, output: #"{"Error":"Custom.Error","Cause":"attempt 3"}"#)
        #expect(log.count == 3)
    }

    @Test("Catchers are tried in order: the first match wins")
    func catcherOrder() async throws {
        let definition = #"""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"\#(Self.lambda)","End":true,"Catch":[
                {"ErrorEquals":["Other.Error"],"Next":"Wrong"},
                {"ErrorEquals":["Custom.Error","Another"],"Next":"Right"},
                {"ErrorEquals":["States.ALL"],"Next":"Wrong"}]},
              "Right":{"Type":"Pass","Result":"right","End":true},
              "Wrong":{"Type":"Pass","Result":"wrong","End":true}}}
            """#
        let snapshot = try await Harness.run(definition, dispatcher: Self.flaky(CallLog(), failures: 1))
        expectSucceeded(snapshot, output: #""right""#)
    }

    @Test("An error no catcher matches fails the execution with that error")
    func uncaught() async throws {
        let snapshot = try await Harness.run(
            Self.task(catchers: #"[{"ErrorEquals":["Other.Error"],"Next":"Handler"}]"#), dispatcher: Self.flaky(CallLog(), failures: 1))
        expectFailed(snapshot, error: "Custom.Error", cause: "attempt 1")
    }

    @Test("States.Timeout from TimeoutSeconds can be caught by name")
    func catchTimeout() async throws {
        let dispatcher = StubDispatcher { _ in try await Task.sleep(for: .seconds(3600)); return [:] }
        let snapshot = try await Harness.run(
            Self.task(catchers: #"[{"ErrorEquals":["States.Timeout"],"Next":"Handler"}]"#, extra: #""TimeoutSeconds":3,"#), dispatcher: dispatcher)
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?["Error"]?.stringValue == "States.Timeout")
    }

    @Test("States.IntrinsicFailure from a bad intrinsic argument can be caught by States.ALL")
    func intrinsicFailure() async throws {
        let snapshot = try await Harness.run(
            Self.task(catchers: #"[{"ErrorEquals":["States.ALL"],"Next":"Handler"}]"#, extra: #""Parameters":{"x.$":"States.ArrayGetItem($.arr, 5)"},"#),
            inputJSON: #"{"arr":[1]}"#)
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?["Error"]?.stringValue == "States.IntrinsicFailure")
    }

    @Test("States.NoChoiceMatched fails the execution (a Choice state has no Catch)")
    func noChoice() async throws {
        let snapshot = try await Harness.run(
            #"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"D"}]},"D":{"Type":"Succeed"}}}"#,
            inputJSON: #"{"a":1}"#)
        expectFailed(snapshot, error: "States.NoChoiceMatched")
    }
}

@Suite("Execution limits and history")
struct ExecutionLimitsTests {
    @Test("Machine TimeoutSeconds ends the execution TIMED_OUT with ExecutionTimedOut on the virtual clock")
    func machineTimeout() async throws {
        let definition = #"{"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}"#
        let snapshot = try await Harness.run(definition)
        #expect(snapshot.status == .timedOut)
        #expect(snapshot.error == "States.Timeout")
        #expect(snapshot.eventTypes == ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"])
        #expect(snapshot.stopDate.map { $0.millisecondsSince1970 - Harness.start.millisecondsSince1970 } == 5_000)
    }

    @Test("Machine TimeoutSeconds interrupts task retries on the virtual clock")
    func machineTimeoutDuringRetries() async throws {
        let definition = #"""
            {"TimeoutSeconds":10,"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":4,"MaxAttempts":10,"BackoffRate":1}],"End":true}}}
            """#
        let snapshot = try await Harness.run(definition, dispatcher: StubDispatcher { _ in throw StatesError("E", cause: nil) })
        #expect(snapshot.status == .timedOut)
        #expect(snapshot.eventTypes.last == "ExecutionTimedOut")
        // Attempts at 0, 4 and 8 s; none at the 10 s deadline itself.
        #expect(RetryCatchTests.scheduledOffsets(snapshot) == [0, 4_000, 8_000])
        #expect(snapshot.stopDate.map { $0.millisecondsSince1970 - Harness.start.millisecondsSince1970 } == 10_000)
    }

    @Test("A machine that finishes before TimeoutSeconds succeeds")
    func withinTimeout() async throws {
        let snapshot = try await Harness.run(#"{"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":4,"End":true}}}"#)
        #expect(snapshot.status == .succeeded)
    }

    @Test("History ids count from 1; each previousEventId names the event before it, the first state's names none (Pass → Task → Succeed)")
    func historyIds() async throws {
        let definition = #"""
            {"StartAt":"P","States":{
              "P":{"Type":"Pass","Next":"T"},
              "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"S"},
              "S":{"Type":"Succeed"}}}
            """#
        let snapshot = try await Harness.run(definition, inputJSON: #"{"a":1}"#)
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "PassStateEntered", "PassStateExited", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded",
            "TaskStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded",
        ])
        #expect(snapshot.history.map(\.id) == Array(1...11))
        // AWS chains the first state's entered event to 0, not to ExecutionStarted (recorded).
        #expect(snapshot.history.map(\.previousEventId) == [0, 0] + Array(2...10))
        let started = snapshot.history[0]
        #expect(started.details["input"]?.stringValue == #"{"a":1}"#)
        #expect(started.details["roleArn"]?.stringValue == "arn:aws:iam::123456789012:role/test")
        #expect(snapshot.history[1].details["name"]?.stringValue == "P")
        #expect(snapshot.history.last?.details["output"]?.stringValue == #"{"a":1}"#)
        let json = snapshot.history[1].json()
        #expect(json["stateEnteredEventDetails"]?["name"]?.stringValue == "P")
        #expect(snapshot.history[1].json(includeExecutionData: false)["stateEnteredEventDetails"]?["input"] == nil)
    }

    @Test("Parallel branch events link to ParallelStateStarted as their previous event")
    func parallelPreviousIds() async throws {
        let definition = Harness.single(#"{"Type":"Parallel","End":true,"Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]}"#)
        let snapshot = try await Harness.run(definition)
        let started = try #require(snapshot.history.first { $0.type == "ParallelStateStarted" })
        let branchEntered = try #require(snapshot.history.first { $0.type == "PassStateEntered" })
        #expect(branchEntered.previousEventId == started.id)
    }

    /// A Pass/Choice loop that never waits and never ends (no input has `stop`).
    static let endlessLoop = #"""
        {"StartAt":"A","States":{
          "A":{"Type":"Pass","Next":"B"},
          "B":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"A"},
          "Done":{"Type":"Succeed"}}}
        """#

    @Test("An endless Pass/Choice loop does not hang the engine: it ends when the history reaches AWS's 25,000-event limit")
    func endlessLoop() async throws {
        let definition = try StateMachineDefinition.load(Self.endlessLoop)
        let found = await Harness.runBounded(definition, input: [:], seconds: 10)
        let snapshot = try #require(found, "the execution was still running after 10 s")
        Self.expectHistoryLimitFailure(snapshot)
    }

    /// AWS's shape (recorded): event 25,000 is ExecutionFailed after event 24,999, the last real one.
    static func expectHistoryLimitFailure(_ snapshot: ExecutionSnapshot, sourceLocation: SourceLocation = #_sourceLocation) {
        expectFailed(snapshot, error: "States.Runtime", cause: "The execution reached the maximum number of history events (25000).",
            sourceLocation: sourceLocation)
        #expect(snapshot.history.count == 25_000, sourceLocation: sourceLocation)
        #expect(snapshot.history.last?.type == "ExecutionFailed", sourceLocation: sourceLocation)
        #expect(snapshot.history.last?.id == 25_000, sourceLocation: sourceLocation)
        #expect(snapshot.history.last?.previousEventId == 24_999, sourceLocation: sourceLocation)
        #expect(snapshot.history.map(\.id) == Array(1...snapshot.history.count), sourceLocation: sourceLocation)
    }

    @Test("An endless loop inside a Parallel branch is cut at 25,000 events too, beside a branch that finished")
    func endlessLoopInBranch() async throws {
        let definition = try StateMachineDefinition.load(#"""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Quick","States":{"Quick":{"Type":"Pass","End":true}}},
              {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
                "B":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"A"},
                "Done":{"Type":"Succeed"}}}]}}}
            """#)
        let found = await Harness.runBounded(definition, input: [:], seconds: 10)
        let snapshot = try #require(found, "the execution was still running after 10 s")
        Self.expectHistoryLimitFailure(snapshot)
    }

    @Test("An endless Wait loop on the virtual clock is cut at 25,000 events")
    func endlessWaitLoop() async throws {
        let definition = try StateMachineDefinition.load(#"""
            {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"W"},
              "Done":{"Type":"Succeed"}}}
            """#)
        let found = await Harness.runBounded(definition, input: [:], seconds: 10)
        let snapshot = try #require(found, "the execution was still running after 10 s")
        Self.expectHistoryLimitFailure(snapshot)

    }

    @Test("A 10,000-item Map (4 events an item) is cut at 25,000 events: iteration events count too")
    func mapPastHistoryLimit() async throws {
        let definition = try StateMachineDefinition.load(#"""
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,
              "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}
            """#)
        let items = JSONValue.array((0..<10_000).map { .int($0) })
        let found = await Harness.runBounded(definition, input: items, seconds: 10)
        let snapshot = try #require(found, "the execution was still running after 10 s")
        Self.expectHistoryLimitFailure(snapshot)
    }
}
