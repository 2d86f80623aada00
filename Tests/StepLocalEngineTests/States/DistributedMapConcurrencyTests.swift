import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// A Distributed Map runs "up to 10,000 parallel child workflow executions" ("Map workflow
/// state"): with MaxConcurrency 0 (unset) or above 10,000, the 10,001st child starts only when
/// one has ended, so memory follows the running children, not the items.
@Suite("Distributed Map concurrency")
struct DistributedMapConcurrencyTests {
    /// Holds every Task call until `target` calls are in flight together; from then on calls pass.
    final class Gate: @unchecked Sendable {
        private let lock = NSLock()
        private var inFlight = 0
        private var open = false
        private var waiters: [CheckedContinuation<Void, Never>] = []
        private var reached: CheckedContinuation<Void, Never>?
        let target: Int

        init(target: Int) {
            self.target = target
        }

        /// Returns once `target` calls are in flight.
        func waitUntilFull() async {
            await withCheckedContinuation { continuation in
                let full = lock.withLock {
                    if inFlight >= target { return true }
                    reached = continuation
                    return false
                }
                if full { continuation.resume() }
            }
        }

        func release() {
            let held = lock.withLock {
                open = true
                defer { waiters = [] }
                return waiters
            }
            for waiter in held { waiter.resume() }
        }

        var dispatcher: StubDispatcher {
            StubDispatcher { _ in
                await withCheckedContinuation { continuation in
                    let (pass, full) = self.lock.withLock { () -> (Bool, CheckedContinuation<Void, Never>?) in
                        self.inFlight += 1
                        var full: CheckedContinuation<Void, Never>? = nil
                        if self.inFlight >= self.target { swap(&full, &self.reached) }
                        if self.open { return (true, full) }
                        self.waiters.append(continuation)
                        return (false, full)
                    }
                    full?.resume()
                    if pass { continuation.resume() }
                }
                return .int(0)
            }
        }
    }

    func runCapped(maxConcurrency: String) async throws {
        let items = 10_005
        let gate = Gate(target: 10_000)
        let definition = """
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",\(maxConcurrency)
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"T",
                "States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
              "ResultSelector":{"count.$":"States.ArrayLength($)"},"End":true}}}
            """
        let clock = VirtualClock(start: Harness.start)
        let execution = ExecutionEngine(clock: clock, dispatcher: gate.dispatcher, recordsHistory: false).start(
            try StateMachineDefinition.load(definition), input: ["items": .array((0..<items).map { .int($0) })],
            identity: Harness.identity(startTime: clock.now()))

        await gate.waitUntilFull()
        // Room for an engine without the bound to start the rest (with it, nothing more starts).
        try await Task.sleep(for: .milliseconds(200))
        let run = try #require(execution.mapRuns.first)
        let held = run.snapshot().counts
        #expect(held.running == 10_000)
        #expect(held.pending == 5)
        gate.release()
        let finished = try #require(await Harness.finished(execution, within: 120))
        expectSucceeded(finished, output: #"{"count":10005}"#)
        #expect(run.snapshot().counts.succeeded == items)
    }

    @Test("MaxConcurrency 0 runs at most 10,000 children at once")
    func unsetIsTenThousand() async throws {
        try await runCapped(maxConcurrency: "")
    }

    @Test("MaxConcurrency above 10,000 still runs at most 10,000 children at once")
    func aboveTenThousandIsCapped() async throws {
        try await runCapped(maxConcurrency: #""MaxConcurrency":20000,"#)
    }
}
