import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// An inline Map runs at most 40 iterations at once ("Using Map state in Inline mode": "In this
/// mode, the Map state supports up to 40 concurrent iterations"), fewer when MaxConcurrency says
/// so; the next iteration starts only when one ends, so memory follows the running iterations,
/// not the items.
@Suite("Inline Map concurrency")
struct MapConcurrencyTests {
    /// Counts the Task calls in flight at once. A call holds its place until `target` calls have
    /// been in flight together since the calls last all ended (or every item has started, or a few
    /// thousand yields have passed, so a wrong bound ends the test instead of hanging it): a
    /// correct bound is reached, not just approached, and an engine starting more iterations than
    /// the bound shows a higher peak. On the virtual clock iterations that wait the same second
    /// call together, in waves: once a wave has reached the target its calls leave freely.
    final class ConcurrencyGauge: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private var started = 0
        private var highest = 0
        private var waveReachedTarget = false
        let target: Int
        let total: Int

        init(target: Int, total: Int) {
            self.target = target
            self.total = total
        }

        var peak: Int { lock.withLock { highest } }

        private func enter() {
            lock.withLock {
                running += 1
                started += 1
                highest = max(highest, running)
                if running >= target { waveReachedTarget = true }
            }
        }

        private var released: Bool { lock.withLock { waveReachedTarget || started == total } }

        private func leave() {
            lock.withLock {
                running -= 1
                if running == 0 { waveReachedTarget = false }
            }
        }

        var dispatcher: StubDispatcher {
            StubDispatcher { _ in
                self.enter()
                var yields = 0
                while !self.released, yields < 5_000 {
                    await Task.yield()
                    yields += 1
                }
                self.leave()
                return .int(0)
            }
        }
    }

    /// A Map over `items` whose iterations Wait a second, then call a Task.
    static func waitingMap(maxConcurrency: Int?) -> StateMachineDefinition {
        let concurrency = maxConcurrency.map { #""MaxConcurrency":\#($0),"# } ?? ""
        let text = #"""
            {"StartAt":"Map","States":{"Map":{"Type":"Map","ItemsPath":"$.items",\#(concurrency)
              "ItemProcessor":{"StartAt":"W","States":{
                "W":{"Type":"Wait","Seconds":1,"Next":"T"},
                "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
              "End":true}}}
            """#
        do { return try StateMachineDefinition.load(text) } catch {
            Issue.record("definition does not load: \(error)")
            return try! StateMachineDefinition.load(#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#)
        }
    }

    static func run(items: Int, maxConcurrency: Int?, expectedPeak: Int, recordsHistory: Bool = true) async -> (ExecutionSnapshot, Int) {
        let gauge = ConcurrencyGauge(target: expectedPeak, total: items)
        let engine = ExecutionEngine(clock: VirtualClock(start: Harness.start), dispatcher: gauge.dispatcher, recordsHistory: recordsHistory)
        let snapshot = await engine.run(
            waitingMap(maxConcurrency: maxConcurrency), input: ["items": .array((0..<items).map { .int($0) })], identity: Harness.identity())
        return (snapshot, gauge.peak)
    }

    @Test("MaxConcurrency 0 (the default) runs at most 40 iterations at once")
    func defaultIsForty() async {
        let (snapshot, peak) = await Self.run(items: 200, maxConcurrency: nil, expectedPeak: 40)
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.output?.arrayValue?.count == 200)
        #expect(peak == 40)
    }

    @Test("MaxConcurrency 5 runs at most 5 iterations at once")
    func maxConcurrencyFive() async {
        let (snapshot, peak) = await Self.run(items: 50, maxConcurrency: 5, expectedPeak: 5)
        #expect(snapshot.status == .succeeded)
        #expect(peak == 5)
    }

    @Test("MaxConcurrency above 40 still runs at most 40 iterations at once")
    func aboveFortyIsCapped() async {
        let (snapshot, peak) = await Self.run(items: 100, maxConcurrency: 100, expectedPeak: 40)
        #expect(snapshot.status == .succeeded)
        #expect(peak == 40)
    }

    @Test("each iteration records MapIterationStarted then MapIterationSucceeded, and the 41st starts only after one has ended")
    func iterationEventOrder() async {
        let (snapshot, _) = await Self.run(items: 60, maxConcurrency: nil, expectedPeak: 40)
        #expect(snapshot.status == .succeeded)
        var seen: [Int: [String]] = [:]
        for event in snapshot.history where event.type.hasPrefix("MapIteration") {
            let index = event.details["index"]?.numberValue?.intValue ?? -1
            seen[index, default: []].append(event.type)
        }
        #expect(seen.count == 60)
        #expect(seen.values.allSatisfy { $0 == ["MapIterationStarted", "MapIterationSucceeded"] })
        // The 41st iteration starts only once an earlier one has ended.
        let types = snapshot.history.map { ($0.type, $0.details["index"]?.numberValue?.intValue) }
        let firstEnd = types.firstIndex { $0.0 == "MapIterationSucceeded" }
        let fortyFirstStart = types.firstIndex { $0.0 == "MapIterationStarted" && $0.1 == 40 }
        #expect(firstEnd != nil && fortyFirstStart != nil && firstEnd! < fortyFirstStart!)
    }

    @Test("a 100,000-item Map with a Wait runs on the virtual clock with at most 40 iterations at once")
    func hundredThousandItems() async {
        // History off: 100,000 iterations would pass AWS's 25,000-event history limit.
        let (snapshot, peak) = await Self.run(items: 100_000, maxConcurrency: nil, expectedPeak: 40, recordsHistory: false)
        #expect(snapshot.status == .succeeded, "\(snapshot.error ?? "") \(snapshot.cause ?? "")")
        #expect(snapshot.output?.arrayValue?.count == 100_000)
        #expect(peak == 40)
    }
}
