import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// AWS's "Quotas for Express Workflows": an EXPRESS execution runs for at most five minutes,
/// whatever its TimeoutSeconds says.
@Suite("EXPRESS executions run five minutes at most")
struct ExpressLimitsTests {
    static func load(_ text: String, _ type: StateMachineType) throws -> StateMachineDefinition {
        try StateMachineDefinition.load(text, type: type)
    }

    static func run(_ definition: StateMachineDefinition, clock: any ExecutionClock = VirtualClock(start: Harness.start)) async -> ExecutionSnapshot {
        await ExecutionEngine(clock: clock).run(definition, input: [:], identity: Harness.identity(startTime: clock.now()))
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
}
