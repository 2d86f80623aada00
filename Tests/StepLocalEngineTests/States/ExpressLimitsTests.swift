import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// AWS's "Quotas for Express Workflows": an EXPRESS execution runs for at most five minutes,
/// whatever its TimeoutSeconds says, and its history size is unlimited (AWS keeps none).
@Suite("EXPRESS executions: five minutes at most, no history limit")
struct ExpressLimitsTests {
    static func load(_ text: String, _ type: StateMachineType) throws -> StateMachineDefinition {
        try StateMachineDefinition.load(text, type: type)
    }

    static func run(
        _ definition: StateMachineDefinition, input: JSONValue = [:], clock: any ExecutionClock = VirtualClock(start: Harness.start),
        keptHistories: KeptHistories = .all
    ) async -> ExecutionSnapshot {
        var engine = ExecutionEngine(clock: clock)
        engine.keptHistories = keptHistories
        return await engine.run(definition, input: input, identity: Harness.identity(startTime: clock.now()))
    }

    static let twoLongWaits = #"""
        {"StartAt":"First","States":{
          "First":{"Type":"Wait","Seconds":200,"Next":"Second"},
          "Second":{"Type":"Wait","Seconds":200,"Next":"Done"},
          "Done":{"Type":"Pass","End":true}}}
        """#

    @Test("Waits that add up past five minutes time an EXPRESS execution out at five minutes; a STANDARD one runs on")
    func expressTimesOutAtFiveMinutes() async throws {
        let express = await Self.run(try Self.load(Self.twoLongWaits, .express))
        #expect(express.status == .timedOut)
        #expect(express.error == "States.Timeout")
        #expect(express.eventTypes == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "WaitStateEntered", "ExecutionTimedOut"])
        let ended = try #require(express.history.last).timestamp.millisecondsSince1970
        #expect(ended - Harness.start.millisecondsSince1970 == 300_000)

        let standard = await Self.run(try Self.load(Self.twoLongWaits, .standard))
        #expect(standard.status == .succeeded)
    }

    @Test("A TimeoutSeconds above five minutes does not lengthen an EXPRESS execution; a shorter one still ends it first")
    func timeoutSecondsIsCappedAtFiveMinutes() async throws {
        for (timeout, expectedEnd) in [(7_200, 300_000), (60, 60_000)] {
            let text = Self.twoLongWaits.replacingOccurrences(of: #"{"StartAt""#, with: #"{"TimeoutSeconds":\#(timeout),"StartAt""#)
            let snapshot = await Self.run(try Self.load(text, .express))
            #expect(snapshot.status == .timedOut, "TimeoutSeconds \(timeout)")
            let ended = try #require(snapshot.history.last).timestamp.millisecondsSince1970
            #expect(ended - Harness.start.millisecondsSince1970 == Int64(expectedEnd), "TimeoutSeconds \(timeout)")
        }
    }

    @Test("An EXPRESS loop that never waits ends at five minutes of the clock's time, checked between states without a timer")
    func expressLoopOnAClockThatPassesTimeEndsAtFiveMinutes() async throws {
        let endless = try Self.load(ExecutionLimitsTests.endlessLoop, .express)
        // A clock that really passes time (a tenth of a second on every reading, a slow machine's
        // wall clock): five minutes pass long before the history's 25,000-event limit.
        let clock = RetryCatchTests.TickingClock(millisecondsPerReading: 100)
        let snapshot = await Self.run(endless, clock: clock)
        #expect(snapshot.status == .timedOut)
        #expect(snapshot.error == "States.Timeout")
        #expect(snapshot.history.count < 25_000)
        let ended = try #require(snapshot.history.last).timestamp.millisecondsSince1970
        #expect(ended - Harness.start.millisecondsSince1970 >= 300_000 && ended - Harness.start.millisecondsSince1970 < 301_000)
    }

    /// 15,000 rounds of two states: about 60,000 events, were they kept.
    static let longLoop = #"""
        {"StartAt":"Start","States":{
          "Start":{"Type":"Pass","Result":0,"ResultPath":"$.n","Next":"Count"},
          "Count":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"Check"},
          "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThanEquals":15000,"Next":"Done"}],"Default":"Count"},
          "Done":{"Type":"Succeed"}}}
        """#

    @Test("Kept as the server keeps histories (STANDARD only), an EXPRESS loop past 25,000 events' worth succeeds; a STANDARD one fails at the limit")
    func expressHistoriesAreNotKeptSoNotLimited() async throws {
        let express = await Self.run(try Self.load(Self.longLoop, .express), keptHistories: .standardOnly)
        expectSucceeded(express, output: #"{"n":15000}"#)
        #expect(express.history.isEmpty)

        let standard = await Self.run(try Self.load(Self.longLoop, .standard), keptHistories: .standardOnly)
        ExecutionLimitsTests.expectHistoryLimitFailure(standard)
    }

    @Test("An EXPRESS execution whose history is not kept still names the entered event's id in its error cause, as AWS does")
    func unkeptHistoriesStillNumberTheirEvents() async throws {
        // Event 5 is the Wait's entered event: ExecutionStarted, a Parallel's started event and
        // its branch's Pass entered and exited events come first.
        let definition = try Self.load(#"""
            {"StartAt":"P","States":{
              "P":{"Type":"Parallel","ResultPath":null,"Next":"W","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]},
              "W":{"Type":"Wait","TimestampPath":"$.when","End":true}}}
            """#, .express)
        let input = Harness.json(#"{"when":"not a time"}"#)
        let kept = await Self.run(definition, input: input)
        let counted = await Self.run(definition, input: input, keptHistories: .standardOnly)
        #expect(counted.history.isEmpty)
        #expect(counted.status == .failed)
        #expect(counted.error == kept.error)
        #expect(counted.cause == kept.cause)
        let enteredId = try #require(kept.history.first { $0.type == "WaitStateEntered" }).id
        #expect(counted.cause?.contains("(entered at the event id #\(enteredId))") == true, "\(counted.cause ?? "-")")
    }
}
