import StepLocalASL
import StepLocalJSON
import Synchronization
import Testing

@testable import StepLocalEngine

/// Every real-clock wait of every execution sleeps in one heap with one driver: threads wake
/// earliest deadline first whatever order they began to sleep in, a stopped one leaves at once,
/// and a graceful shutdown stops time for all of them.
@Suite("One scheduler for every real-clock timer", .timeLimit(.minutes(1)))
struct TimerSchedulerTests {
    /// A value the test's tasks share.
    final class Shared<Value: Sendable>: Sendable {
        private let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        func get() -> Value { value.withLock { $0 } }
        func set(_ change: @Sendable (inout Value) -> Void) { value.withLock { change(&$0) } }
    }

    /// Sleeps on `timers` for each of `delays` (milliseconds from a common start), in the order
    /// given, and returns the delays in the order the sleeps ended.
    /// Also says, for each, how long after the start it woke.
    static func wakeOrder(_ delays: [Int], on timers: TimerScheduler) async -> (order: [Int], after: [Int: Duration]) {
        let start = ContinuousClock.now
        let woken = Shared<[(Int, Duration)]>([])
        for (index, delay) in delays.enumerated() {
            Task {
                try? await timers.sleep(until: start + .milliseconds(delay))
                let after = ContinuousClock.now - start
                woken.set { $0.append((delay, after)) }
            }
            // In the order given: the next one begins to sleep after this one does.
            _ = try? await eventually { timers.sleeping + woken.get().count == index + 1 }
        }
        // Polled, not awaited: a timer that never fired fails the test instead of hanging it.
        _ = try? await eventually { woken.get().count == delays.count }
        return (woken.get().map(\.0), Dictionary(uniqueKeysWithValues: woken.get()))
    }

    /// Polls until `condition` holds (at most five seconds); false if it never did.
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }

    @Test("Threads wake earliest deadline first, whatever order they began to sleep in; an earlier deadline is not held up by a later one")
    func earliestFirst() async {
        let timers = TimerScheduler()
        // The 1,500 ms sleeper arms the driver first: the 50 ms one must still wake first.
        let (order, after) = await Self.wakeOrder([1500, 50, 400, 200], on: timers)
        #expect(order == [50, 200, 400, 1500])
        // Not held until the driver's first deadline: woken long before 1,500 ms.
        #expect(after[50].map { $0 < .milliseconds(1000) } == true)
        #expect(after[1500].map { $0 >= .milliseconds(1500) } == true)
        #expect(timers.sleeping == 0)
    }

    @Test("A cancelled sleep ends at once with CancellationError and never fires; the others keep their deadlines")
    func cancelledSleepLeaves() async throws {
        let timers = TimerScheduler()
        let outcome = Shared<String?>(nil)
        let long = Task {
            do {
                try await timers.sleep(for: .seconds(3600))
                outcome.set { $0 = "woke" }
            } catch is CancellationError {
                outcome.set { $0 = "cancelled" }
            } catch {
                let text = "\(error)"
                outcome.set { $0 = text }
            }
        }
        let short = Task { try await timers.sleep(for: .milliseconds(100)) }
        try #require(try await Self.eventually { timers.sleeping == 2 })
        long.cancel()
        // Not `await long.value`: a sleep that ignored the cancellation would hang the suite.
        #expect(try await Self.eventually { outcome.get() == "cancelled" })
        #expect(timers.sleeping == 1)
        #expect(try await Self.eventually { timers.sleeping == 0 })
        _ = short
    }

    @Test("Stopped hour-long waits do not stay in memory for the hour: once they outnumber the live ones the heap drops them")
    func cancelledTimersAreDropped() async throws {
        let timers = TimerScheduler()
        let keep = Task { try await timers.sleep(for: .seconds(3600)) }
        let stopped = (0..<3000).map { _ in Task { try await timers.sleep(for: .seconds(3600)) } }
        try #require(try await Self.eventually { timers.sleeping == 3001 })
        for task in stopped { task.cancel() }
        #expect(try await Self.eventually { timers.sleeping == 1 })
        // 3,000 cancelled: rebuilt when the 1,025th went, and at most 1,024 stale entries since.
        #expect(timers.storedTimers <= 1 + 1024)
        keep.cancel()
    }

    @Test("A task cancelled before it sleeps does not sleep")
    func cancelledBeforeSleeping() async throws {
        let timers = TimerScheduler()
        let outcome = Shared<String?>(nil)
        Task {
            withUnsafeCurrentTask { $0?.cancel() }
            do {
                try await timers.sleep(for: .seconds(3600))
                outcome.set { $0 = "slept" }
            } catch {
                let text = "\(type(of: error))"
                outcome.set { $0 = text }
            }
        }
        #expect(try await Self.eventually { outcome.get() == "CancellationError" })
        #expect(timers.sleeping == 0)
    }

    @Test("Once held (a graceful shutdown), no timer fires: a due wait stays asleep and is still counted")
    func heldTimersDoNotFire() async throws {
        let timers = TimerScheduler()
        let woke = Shared(false)
        let sleeper = Task {
            try? await timers.sleep(for: .milliseconds(50))
            woke.set { $0 = true }
        }
        try #require(try await Self.eventually { timers.sleeping == 1 })
        timers.hold()
        try await Task.sleep(for: .milliseconds(300))
        #expect(!woke.get())
        #expect(timers.sleeping == 1)
        sleeper.cancel()
        #expect(try await Self.eventually { timers.sleeping == 0 })
    }

    @Test("Executions on the wall clock wait on their clock's scheduler: a Parallel's two Waits sleep there side by side, and StopExecution takes them out")
    func executionsSleepOnTheScheduler() async throws {
        let timers = TimerScheduler()
        let definition = try StateMachineDefinition.load(
            #"""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":600,"End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":900,"End":true}}}]}}}
            """#)
        let clock = SystemClock(timers: timers)
        let execution = ExecutionEngine(clock: clock).start(definition, input: [:], identity: Harness.identity(startTime: clock.now()))
        try #require(try await Self.eventually { timers.sleeping == 2 })
        #expect(execution.pendingWaits.waits.map(\.stateName).sorted() == ["A", "B"])
        execution.stop(error: "Enough", cause: nil)
        #expect(execution.status == .aborted)
        #expect(try await Self.eventually { timers.sleeping == 0 })
    }
}
