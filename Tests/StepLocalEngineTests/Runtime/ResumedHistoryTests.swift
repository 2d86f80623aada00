import StepLocalASL
import StepLocalJSON
import Testing

@testable import StepLocalEngine

/// After a restart the history is not cut: the events a resumed run records again are the ones
/// already there (``Execution/expectReplay(of:)``), and what it records otherwise takes their place
/// as narrowly as it can. These drive an execution's history directly, as a resumed run would.
@Suite("Resumed history")
struct ResumedHistoryTests {
    static let clock = VirtualClock(start: Harness.start)

    /// An event as the history before the restart held it, `seconds` after the start.
    static func event(_ id: Int, _ previous: Int, _ type: HistoryEventType, _ details: JSONObject, at seconds: Int64 = 0) -> HistoryEvent {
        HistoryEvent(
            id: id, previousEventId: previous, timestamp: Harness.start.adding(milliseconds: seconds * 1000), type: type.rawValue,
            detailsKey: type.detailsKey, details: details)
    }

    static func entered(_ name: String) -> JSONObject { ["name": .string(name), "input": "{}", "inputDetails": ["truncated": false]] }
    static let task: JSONObject = ["resourceType": "lambda", "resource": "invoke"]
    static func scheduled(_ request: String) -> JSONObject {
        ["resourceType": "lambda", "resource": "invoke", "region": "us-east-1", "parameters": .string(#"{"request":"\#(request)"}"#)]
    }
    static func succeeded(_ output: String) -> JSONObject { ["resourceType": "lambda", "resource": "invoke", "output": .string(output)] }

    /// A running execution holding `history`, resumed: the events after the first `kept` expected again.
    static func resumed(_ history: [HistoryEvent], keeping kept: Int) -> Execution {
        let identity = Harness.identity(startTime: Harness.start)
        let execution = Execution.restored(
            ExecutionSnapshot(
                identity: identity, input: [:], status: .running, output: nil, error: nil, cause: nil, stopDate: nil, redriveDate: nil,
                history: history),
            tokenSecret: 1, clock: clock, observer: nil)
        execution.expectReplay(of: Array(history[kept...]))
        return execution
    }

    /// A Parallel whose branch A called a Task (answered) while branch B ran a Pass beside it.
    static let fork: [HistoryEvent] = [
        event(1, 0, .executionStarted, ["input": "{}"]),
        event(2, 0, .parallelStateEntered, entered("Both")),
        event(3, 2, .parallelStateStarted, [:]),
        event(4, 3, .taskStateEntered, entered("Call"), at: 1),
        event(5, 4, .taskScheduled, scheduled("first"), at: 1),
        event(6, 3, .passStateEntered, entered("Note"), at: 2),
        event(7, 5, .taskStarted, task, at: 3),
        event(8, 7, .taskSucceeded, succeeded("{}"), at: 4),
        event(9, 6, .passStateExited, ["name": "Note", "output": "{}", "outputDetails": ["truncated": false]], at: 5),
    ]

    @Test("Events recorded again, in whatever order the threads record them, are the ones already there: same ids and moments")
    func recordedAgainInAnotherOrder() {
        let execution = Self.resumed(Self.fork, keeping: 1)
        #expect(execution.record(.parallelStateEntered, details: Self.entered("Both"), previous: 0) == 2)
        #expect(execution.record(.parallelStateStarted, details: [:], previous: 2) == 3)
        // Branch B first this time.
        #expect(execution.record(.passStateEntered, details: Self.entered("Note"), previous: 3) == 6)
        #expect(execution.record(.taskStateEntered, details: Self.entered("Call"), previous: 3) == 4)
        #expect(execution.record(.taskScheduled, details: Self.scheduled("first"), previous: 4) == 5)
        #expect(execution.lastEventId == 9)
        #expect(execution.snapshot().history.map { $0.json() } == Self.fork.map { $0.json() })
        // A new event follows the last one.
        #expect(execution.record(.taskStateExited, details: ["name": "Call", "output": "{}"], previous: 8) == 10)
    }

    @Test("In the middle of a fork, the same step recorded otherwise takes the first one's place and moment (new parameters; another outcome); every reader that had read past it is told to read again from there")
    func changedStepTakesItsPlace() {
        let execution = Self.resumed(Self.fork, keeping: 1)
        _ = execution.record(.parallelStateEntered, details: Self.entered("Both"), previous: 0)
        _ = execution.record(.parallelStateStarted, details: [:], previous: 2)
        _ = execution.record(.taskStateEntered, details: Self.entered("Call"), previous: 3)
        #expect(execution.record(.taskScheduled, details: Self.scheduled("second"), previous: 4) == 5)
        // A reader that had read all nine events then (the store, a console's feed) keeps its mark.
        let readBetween = execution.readMark
        #expect(execution.record(.taskStarted, details: Self.task, previous: 5) == 7)
        #expect(execution.record(.taskFailed, details: ["resourceType": "lambda", "resource": "invoke", "error": "Busy"], previous: 7) == 8)
        let history = execution.snapshot().history
        #expect(history.count == 9)
        #expect(history[4].details["parameters"] == #"{"request":"second"}"#)
        #expect(history[4].timestamp == Self.fork[4].timestamp)
        #expect(history[7].type == "TaskFailed" && history[7].previousEventId == 7 && history[7].timestamp == Self.fork[7].timestamp)
        // Every reader that had read past a change reads again from the first one it has not seen, once.
        let fromTheFile = execution.progress(since: HistoryReadMark(eventCount: 9))
        #expect(fromTheFile.historyRewrittenAfter == 4)
        #expect(fromTheFile.newEvents.map(\.id) == [5, 6, 7, 8, 9])
        #expect(execution.progress(since: fromTheFile.readMark).historyRewrittenAfter == nil)
        #expect(execution.progress(since: fromTheFile.readMark).newEvents.isEmpty)
        let between = execution.progress(since: readBetween)
        #expect(between.historyRewrittenAfter == 7)
        #expect(between.newEvents.map(\.id) == [8, 9])
        // One that had read only up to the change reads on from where it was.
        let early = execution.progress(since: HistoryReadMark(eventCount: 4))
        #expect(early.historyRewrittenAfter == nil)
        #expect(early.newEvents.map(\.id) == [5, 6, 7, 8, 9])
    }

    @Test("At the end of the history, a thread that records something else drops what it had recorded from there, as a cut would")
    func divergenceAtTheEndDropsTheRest() {
        let single: [HistoryEvent] = [
            Self.event(1, 0, .executionStarted, ["input": "{}"]),
            Self.event(2, 0, .taskStateEntered, Self.entered("Call")),
            Self.event(3, 2, .taskScheduled, Self.scheduled("first")),
            Self.event(4, 3, .taskStarted, Self.task),
            Self.event(5, 4, .taskSucceeded, Self.succeeded(#"{"ok":true}"#)),
            Self.event(6, 5, .taskStateExited, ["name": "Call", "output": #"{"ok":true}"#, "outputDetails": ["truncated": false]]),
        ]
        let execution = Self.resumed(single, keeping: 1)
        _ = execution.record(.taskStateEntered, details: Self.entered("Call"), previous: 0)
        _ = execution.record(.taskScheduled, details: Self.scheduled("first"), previous: 2)
        _ = execution.record(.taskStarted, details: Self.task, previous: 3)
        #expect(execution.record(.taskFailed, details: ["resourceType": "lambda", "resource": "invoke", "error": "Busy"], previous: 4) == 5)
        #expect(execution.snapshot().history.map(\.type) == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed"])
        #expect(execution.progress(since: HistoryReadMark(eventCount: 6)).historyRewrittenAfter == 4)
    }

    @Test("A branch's first event that differs does not take a sibling branch's place: another state is another step")
    func siblingsAreNotReplaced() {
        let execution = Self.resumed(Self.fork, keeping: 1)
        _ = execution.record(.parallelStateEntered, details: Self.entered("Both"), previous: 0)
        _ = execution.record(.parallelStateStarted, details: [:], previous: 2)
        // A state of another name after the fork's start: appended; both first events stay.
        #expect(execution.record(.waitStateEntered, details: Self.entered("Elsewhere"), previous: 3) == 10)
        let history = execution.snapshot().history
        #expect(history[3].type == "TaskStateEntered" && history[5].type == "PassStateEntered")
    }

    @Test("A call made again after a restart learns what it had submitted before (the job, the message) only when it is the same call")
    func submittedWorkIsHandedToTheSameCallOnly() {
        let submitted: JSONObject = ["resourceType": "sqs", "resource": "sendMessage.waitForTaskToken", "output": #"{"MessageId":"m-1"}"#]
        let waiting: [HistoryEvent] = [
            Self.event(1, 0, .executionStarted, ["input": "{}"]),
            Self.event(2, 0, .taskStateEntered, Self.entered("Ask")),
            Self.event(3, 2, .taskScheduled, Self.scheduled("first")),
            Self.event(4, 3, .taskStarted, Self.task),
            Self.event(5, 4, .taskSubmitted, submitted),
        ]
        let same = Self.resumed(waiting, keeping: 1)
        _ = same.record(.taskStateEntered, details: Self.entered("Ask"), previous: 0)
        let scheduled = same.record(.taskScheduled, details: Self.scheduled("first"), previous: 2)
        let started = same.record(.taskStarted, details: Self.task, previous: scheduled)
        #expect(same.recordedBeforeRestart(.taskSubmitted, after: started, forCallScheduledAt: scheduled)?.details == submitted)
        // Recorded again by the dispatcher that follows the same work, it is the event already there.
        #expect(same.record(.taskSubmitted, details: submitted, previous: started) == 5)

        let other = Self.resumed(waiting, keeping: 1)
        _ = other.record(.taskStateEntered, details: Self.entered("Ask"), previous: 0)
        let replaced = other.record(.taskScheduled, details: Self.scheduled("second"), previous: 2)
        let startedAgain = other.record(.taskStarted, details: Self.task, previous: replaced)
        #expect(replaced == 3 && startedAgain == 4)
        #expect(other.recordedBeforeRestart(.taskSubmitted, after: startedAgain, forCallScheduledAt: replaced) == nil, "another call: made anew")

        let fresh = Self.resumed(Array(waiting.prefix(4)), keeping: 1)
        _ = fresh.record(.taskStateEntered, details: Self.entered("Ask"), previous: 0)
        let firstScheduled = fresh.record(.taskScheduled, details: Self.scheduled("first"), previous: 2)
        let firstStarted = fresh.record(.taskStarted, details: Self.task, previous: firstScheduled)
        #expect(fresh.recordedBeforeRestart(.taskSubmitted, after: firstStarted, forCallScheduledAt: firstScheduled) == nil, "never submitted: made again")
    }
}
