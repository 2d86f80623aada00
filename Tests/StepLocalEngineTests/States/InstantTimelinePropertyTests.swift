import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// On an instant clock, whatever the shape of a machine (Parallels and Maps nested in each other,
/// Waits, Retry back-offs, Catch, MaxConcurrency), every execution ends, its history is numbered
/// in time order, and its events happen at the same moments on every run.
@Suite("Instant time across random nested machines")
struct InstantTimelinePropertyTests {
    /// A small deterministic generator (SplitMix64), so a failing machine can be rebuilt from its seed.
    struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// A chain of one to four states and a last Pass; every state keeps its input (which holds `items`).
    static func program(_ g: inout Generator, depth: Int, prefix: String) -> String {
        let count = 1 + g.next(4)
        var states: [String] = []
        for i in 0..<count {
            let name = "\(prefix)\(i)"
            let target = i == count - 1 ? "\(prefix)E" : "\(prefix)\(i + 1)"
            let next = #""Next":"\#(target)""#
            switch g.next(depth < 2 ? 6 : 4) {
            case 0, 1:
                states.append(#""\#(name)":{"Type":"Wait","Seconds":\#(g.next(50)),\#(next)}"#)
            case 2:
                states.append(#""\#(name)":{"Type":"Pass",\#(next)}"#)
            case 3:
                let fails = g.next(2) == 0
                states.append(
                    #""\#(name)":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"fail":\#(fails)},"ResultPath":null,"#
                        + #""Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":\#(1 + g.next(9)),"MaxAttempts":2}],"#
                        + #""Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":null,\#(next)}],\#(next)}"#)
            case 4:
                let branches = (0..<(2 + g.next(2))).map { b in program(&g, depth: depth + 1, prefix: "\(name)b\(b)s") }
                states.append(#""\#(name)":{"Type":"Parallel","ResultPath":null,"Branches":[\#(branches.joined(separator: ","))],\#(next)}"#)
            default:
                let processor = program(&g, depth: depth + 1, prefix: "\(name)m")
                states.append(
                    #""\#(name)":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":\#(g.next(3)),"ResultPath":null,"#
                        + #""ItemSelector":{"items":[1,2],"value.$":"$$.Map.Item.Value"},"ItemProcessor":\#(processor),\#(next)}"#)
            }
        }
        states.append(#""\#(prefix)E":{"Type":"Pass","End":true}"#)
        return #"{"StartAt":"\#(prefix)0","States":{\#(states.joined(separator: ","))}}"#
    }

    static let dispatcher = StubDispatcher { request in
        if request.parameters["fail"] == true { throw StatesError("Boom", cause: "on purpose") }
        return "ok"
    }

    @Test("Two hundred random machines: each ends, in time order, at the same moments on two runs", arguments: 0..<200)
    func randomMachine(seed: Int) async throws {
        var g = Generator(state: UInt64(seed) &* 7919)
        let text = Self.program(&g, depth: 0, prefix: "S")
        let definition = try StateMachineDefinition.load(text)
        var moments: [[String]] = []
        for _ in 0..<2 {
            let snapshot = try #require(
                await Harness.runBounded(definition, input: ["items": [1, 2, 3]], seconds: 10, dispatcher: Self.dispatcher),
                "seed \(seed) did not end: \(text)")
            #expect(snapshot.status == .succeeded, "seed \(seed): \(snapshot.error ?? "") \(snapshot.cause ?? "") \(text)")
            let times = snapshot.history.sorted { $0.id < $1.id }.map(\.timestamp)
            #expect(times == times.sorted(), "seed \(seed): \(snapshot.history.map { "\($0.id) \($0.type) \($0.timestamp)" }) \(text)")
            moments.append(snapshot.history.map { "\($0.type) \($0.details["name"]?.stringValue ?? "") \($0.timestamp)" }.sorted())
        }
        #expect(moments[0] == moments[1], "seed \(seed): \(text)")
    }
}

extension InstantTimelinePropertyTests {
    @Test("Under WAIT_TIME_SCALE=0 (the wall clock, waits skipped) the same machines end, in time order", arguments: 0..<50)
    func randomMachineOnSkippedWaits(seed: Int) async throws {
        var g = Generator(state: UInt64(seed) &* 7919)
        let text = Self.program(&g, depth: 0, prefix: "S")
        let snapshot = try #require(
            await Harness.runBounded(
                try StateMachineDefinition.load(text), input: ["items": [1, 2, 3]], seconds: 10, clock: SystemClock(waitTimeScale: 0),
                dispatcher: Self.dispatcher),
            "seed \(seed) did not end: \(text)")
        #expect(snapshot.status == .succeeded, "seed \(seed): \(snapshot.error ?? "") \(snapshot.cause ?? "") \(text)")
        let times = snapshot.history.sorted { $0.id < $1.id }.map(\.timestamp)
        #expect(times == times.sorted(), "seed \(seed): \(snapshot.history.map { "\($0.id) \($0.type) \($0.timestamp)" }) \(text)")
    }
}
