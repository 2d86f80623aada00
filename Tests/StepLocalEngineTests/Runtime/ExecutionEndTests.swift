import StepLocalASL
import StepLocalJSON
import Synchronization
import Testing

@testable import StepLocalEngine

/// An execution's end reaches its observer (the `--data-dir` store) before anyone can see it:
/// a client that saw SUCCEEDED must find it SUCCEEDED after a `kill -9`, never running its last
/// step again. These pin down that order, and what stands while the end is being written.
@Suite("How an execution ends")
struct ExecutionEndTests {
    /// What the observer saw at the moment it was told the execution would end.
    struct SeenAtEnd: Sendable {
        var visibleStatus: ExecutionStatus
        var visibleLastEvent: String?
        var progress: ExecutionProgress
    }

    /// Keeps what it was told; `duringEnd` runs inside the window, before the end is visible.
    final class RecordingObserver: ExecutionObserver {
        let seen = Mutex<[SeenAtEnd]>([])
        let changesAfterEnd = Mutex(0)
        let duringEnd: @Sendable (Execution) -> Void

        init(duringEnd: @escaping @Sendable (Execution) -> Void = { _ in }) {
            self.duringEnd = duringEnd
        }

        func executionWillEnd(_ execution: Execution) {
            let snapshot = execution.snapshot()
            let progress = execution.progress(since: .start)
            seen.withLock {
                $0.append(SeenAtEnd(visibleStatus: snapshot.status, visibleLastEvent: snapshot.history.last?.type, progress: progress))
            }
            duringEnd(execution)
        }

        func executionDidChange(_ execution: Execution) {
            if execution.status != .running { changesAfterEnd.withLock { $0 += 1 } }
        }
    }

    static let passThenSucceed = #"""
        {"StartAt":"Shape","States":{"Shape":{"Type":"Pass","Result":{"done":true},"Next":"Done"},"Done":{"Type":"Succeed"}}}
        """#

    @Test("The observer is handed the end (status, output, closing event) while the execution still shows RUNNING")
    func endIsHandedOverBeforeItIsVisible() async throws {
        let observer = RecordingObserver()
        let engine = ExecutionEngine(clock: VirtualClock(start: Harness.start), observer: observer)
        let execution = engine.start(try StateMachineDefinition.load(Self.passThenSucceed), input: [:], identity: Harness.identity())
        let final = await execution.waitUntilFinished()

        let seen = observer.seen.withLock { $0 }
        try #require(seen.count == 1)
        let atEnd = seen[0]
        #expect(atEnd.visibleStatus == .running)
        #expect(atEnd.visibleLastEvent == "SucceedStateExited")
        #expect(atEnd.progress.status == .succeeded)
        #expect(atEnd.progress.output == ["done": true])
        #expect(atEnd.progress.checkpoint == nil)
        #expect(atEnd.progress.stopDate == final.stopDate)
        // The closing event written is the one the history then shows, with the same id and moment.
        let written = try #require(atEnd.progress.newEvents.last)
        let shown = try #require(final.history.last)
        #expect(written.type == "ExecutionSucceeded")
        #expect((written.id, written.previousEventId, written.timestamp) == (shown.id, shown.previousEventId, shown.timestamp))
        #expect(atEnd.progress.eventCount == final.history.count)
        #expect(atEnd.progress.readMark == execution.readMark)
        #expect(final.status == .succeeded)
        #expect(observer.changesAfterEnd.withLock { $0 } >= 1)
    }

    @Test("A StopExecution that arrives while the end is written leaves it as decided: one closing event, the decided stop date")
    func stopDuringTheEndKeepsTheEnd() async throws {
        let stopAnswers = Mutex<[Timestamp]>([])
        let observer = RecordingObserver { execution in
            stopAnswers.withLock { $0.append(execution.stop(error: "Late", cause: "stopped while the end was written")) }
        }
        let engine = ExecutionEngine(clock: VirtualClock(start: Harness.start), observer: observer)
        let execution = engine.start(try StateMachineDefinition.load(Self.passThenSucceed), input: [:], identity: Harness.identity())
        let final = await execution.waitUntilFinished()

        #expect(final.status == .succeeded)
        #expect(final.error == nil)
        #expect(final.history.filter { $0.type.hasPrefix("Execution") }.map(\.type) == ["ExecutionStarted", "ExecutionSucceeded"])
        #expect(stopAnswers.withLock { $0 } == [try #require(final.stopDate)])
        #expect(observer.seen.withLock { $0.count } == 1)
    }

    @Test("Nothing a thread records while the end is written enters the history: the closing event stays last")
    func nothingIsRecordedWhileTheEndIsWritten() async throws {
        let recordedDuringEnd = Mutex<[Int]>([])
        let observer = RecordingObserver { execution in
            recordedDuringEnd.withLock { $0.append(execution.record(.passStateEntered, details: ["name": "Late"], previous: nil)) }
        }
        let engine = ExecutionEngine(clock: VirtualClock(start: Harness.start), observer: observer)
        let execution = engine.start(try StateMachineDefinition.load(Self.passThenSucceed), input: [:], identity: Harness.identity())
        let final = await execution.waitUntilFinished()

        #expect(recordedDuringEnd.withLock { $0 } == [0])
        #expect(final.history.last?.type == "ExecutionSucceeded")
        #expect(final.history.map(\.id) == Array(1...final.history.count))
    }
}
