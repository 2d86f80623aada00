import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// Seeded mutation fuzzing: take valid definitions (the AWS-recorded pure corpus plus a few of
/// our own), break them in many small ways, and check that every mutant either is rejected with
/// diagnostics or runs to a terminal status on a virtual clock within a wall-time bound.
@Suite("Fuzzing definitions by mutation")
struct DefinitionFuzzTests {
    /// SplitMix64: deterministic across runs and platforms.
    struct SeededRandom: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/conformance/pure.jsonl")

    static let ownSeeds: [String] = [
        #"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":"$.r.x","NumericEquals":1,"Next":"W"}],"Default":"F"},"W":{"Type":"Wait","Seconds":5,"Next":"M"},"M":{"Type":"Map","ItemsPath":"$.items","ItemSelector":{"i.$":"$$.Map.Item.Index"},"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}],"End":true}}},"Next":"P"},"P":{"Type":"Parallel","Branches":[{"StartAt":"B1","States":{"B1":{"Type":"Succeed"}}},{"StartAt":"B2","States":{"B2":{"Type":"Pass","End":true}}}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"End":true},"F":{"Type":"Fail","Error":"E","Cause":"C"}}}"#,
        #"{"TimeoutSeconds":30,"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"a.$":"States.Format('{}', $.x)"},"TimeoutSeconds":10,"ResultSelector":{"p.$":"$"},"Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.err","Next":"D"}],"Next":"D"},"D":{"Type":"Succeed","OutputPath":"$"}}}"#,
        #"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $states.input %}","Assign":{"v":"{% 1 + 1 %}"},"Next":"B"},"B":{"Type":"Choice","Choices":[{"Condition":"{% $v = 2 %}","Next":"C"}],"Default":"C"},"C":{"Type":"Succeed"}}}"#,
    ]

    static func seeds() -> [(definition: JSONValue, input: JSONValue)] {
        var result: [(JSONValue, JSONValue)] = ownSeeds.compactMap { text in (try? JSONValue(parsing: text)).map { ($0, ["items": [1, 2], "x": "y"]) } }
        if let text = try? String(contentsOf: corpus, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                guard let value = try? JSONValue(parsing: String(line)), let definition = value["definition"], definition.objectValue != nil else { continue }
                result.append((definition, value["input"] ?? [:]))
            }
        }
        return result
    }

    static let garbage: [JSONValue] = [
        "", "$", "$.", "$..a", "$[", "$.a[?(@.b <", "States.Format(", "States.Format('{}')", "States.ALL", "{% %}", "{% $x( %}",
        "$$.Map.Item.Value", "$$.Nope", -1, 0, 0.5, 1e308, 99_999_999_999, true, false, .null, [], [:],
        .string(String(repeating: "z", count: 10_000)), "\u{0}\u{1}", "2016-03-14T01:59:00Z", "arn:aws:states:::lambda:invoke", "Pass", "Map",
        "JSONata", "JSONPath", ["ErrorEquals": ["States.ALL"]], ["Type": "Pass", "End": true],
    ]

    static let keyNames = [
        "Next", "End", "Type", "Resource", "States", "StartAt", "Bogus", "x.$", "ResultPath", "Default", "Choices", "Branches", "ItemsPath",
        "Seconds", "TimestampPath", "ErrorPath", "Parameters", "ItemProcessor", "Iterator", "Retry", "Catch", "QueryLanguage", "Output",
    ]

    static func deep(_ depth: Int, objects: Bool) -> JSONValue {
        var value: JSONValue = 1
        for _ in 0..<depth { value = objects ? ["a": value] : [value] }
        return value
    }

    /// Mutates one randomly chosen node of `value`.
    static func mutate(_ value: JSONValue, _ rng: inout SeededRandom, depth: Int = 0) -> JSONValue {
        switch value {
        case .object(var object) where !object.isEmpty && Int.random(in: 0..<4, using: &rng) > 0:
            let key = object.keys[Int.random(in: 0..<object.count, using: &rng)]
            object[key] = mutate(object[key]!, &rng, depth: depth + 1)
            return .object(object)
        case .array(var items) where !items.isEmpty && Int.random(in: 0..<4, using: &rng) > 0:
            let i = Int.random(in: 0..<items.count, using: &rng)
            items[i] = mutate(items[i], &rng, depth: depth + 1)
            return .array(items)
        default:
            return mutateHere(value, &rng)
        }
    }

    static func mutateHere(_ value: JSONValue, _ rng: inout SeededRandom) -> JSONValue {
        switch (value, Int.random(in: 0..<10, using: &rng)) {
        case (.object(var object), 0...1) where !object.isEmpty:  // delete a field
            object.removeValue(forKey: object.keys[Int.random(in: 0..<object.count, using: &rng)])
            return .object(object)
        case (.object(var object), 2...3) where !object.isEmpty:  // rename a field
            let key = object.keys[Int.random(in: 0..<object.count, using: &rng)]
            let moved = object.removeValue(forKey: key)!
            object[keyNames.randomElement(using: &rng)! + (Bool.random(using: &rng) ? "" : "Path")] = moved
            return .object(object)
        case (.object(var object), 4) where object.count >= 2:  // swap two values
            let a = object.keys[Int.random(in: 0..<object.count, using: &rng)]
            let b = object.keys[Int.random(in: 0..<object.count, using: &rng)]
            (object[a], object[b]) = (object[b], object[a])
            return .object(object)
        case (.object(var object), 5):  // add a field with garbage
            object[keyNames.randomElement(using: &rng)!] = garbage.randomElement(using: &rng)!
            return .object(object)
        case (.array(var items), 0...2) where !items.isEmpty:
            if Bool.random(using: &rng) { items.remove(at: Int.random(in: 0..<items.count, using: &rng)) } else { items.append(items[0]) }
            return .array(items)
        case (_, 6):  // deep nesting
            return deep([20, 300][Int.random(in: 0..<2, using: &rng)], objects: Bool.random(using: &rng))
        default:  // retype / garbage
            return garbage.randomElement(using: &rng)!
        }
    }

    /// Structural mutations: loops back to StartAt, dangling Next, Type swaps.
    static func mutateStates(_ definition: JSONValue, _ rng: inout SeededRandom) -> JSONValue {
        guard case .object(var root) = definition, case .object(var states)? = root["States"], !states.isEmpty,
            let startAt = root["StartAt"]?.stringValue
        else { return definition }
        let name = states.keys[Int.random(in: 0..<states.count, using: &rng)]
        guard case .object(var state) = states[name]! else { return definition }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:  // a cycle back to the start
            state.removeValue(forKey: "End")
            state["Next"] = .string(startAt)
        case 1:  // self-loop
            state.removeValue(forKey: "End")
            state["Next"] = .string(name)
        case 2:
            state["Type"] = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"].randomElement(using: &rng).map { .string($0) }
        default:
            state["Next"] = "NoSuchState"
        }
        states[name] = .object(state)
        root["States"] = .object(states)
        return .object(root)
    }

    @Test("About 300 seeded mutations of valid definitions never crash or hang: rejected with diagnostics, or run to a terminal status")
    func mutants() async throws {
        let seeds = Self.seeds()
        try #require(seeds.count > 100, "the pure corpus is missing at \(Self.corpus.path)")
        // STEPLOCAL_FUZZ_ITERATIONS / STEPLOCAL_FUZZ_SEED widen a local run; the default stays deterministic.
        let environment = ProcessInfo.processInfo.environment
        let iterations = environment["STEPLOCAL_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 300
        var rng = SeededRandom(state: environment["STEPLOCAL_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5EED_0001)
        var rejected = 0, ran = 0
        var statuses: [ExecutionStatus: Int] = [:]
        let dispatcher = StubDispatcher { request in
            if request.attempt == 0, request.parameters.serialized().count % 3 == 0 { throw StatesError("Fuzz.Error", cause: "odd luck") }
            return request.parameters
        }
        for index in 0..<iterations {
            let seed = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
            var mutant = seed.definition
            var input = seed.input
            if index % 3 == 0 {
                // Runtime data fuzz: a valid definition (perhaps looped back on itself) with a broken input.
                input = Self.mutate(input, &rng)
                if Bool.random(using: &rng) { mutant = Self.mutateStates(mutant, &rng) }
            } else {
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    mutant = Int.random(in: 0..<4, using: &rng) == 0 ? Self.mutateStates(mutant, &rng) : Self.mutate(mutant, &rng)
                }
            }
            let text = mutant.serialized()
            let definition: StateMachineDefinition
            do {
                definition = try StateMachineDefinition.load(text)
            } catch {
                rejected += 1
                #expect(!error.diagnostics.isEmpty, "mutant \(index) rejected without diagnostics: \(text.prefix(300))")
                #expect(error.diagnostics.allSatisfy { !$0.message.isEmpty && !$0.code.isEmpty }, "mutant \(index)")
                continue
            }
            ran += 1
            guard let snapshot = await Harness.runBounded(definition, input: input, seconds: 2, dispatcher: dispatcher) else {
                Issue.record("mutant \(index) did not finish within 2 s: \(text.prefix(500))")
                continue
            }
            #expect(snapshot.status != .running && snapshot.status != .aborted, "mutant \(index): \(snapshot.status) \(text.prefix(300))")
            statuses[snapshot.status, default: 0] += 1
        }
        print("fuzz: \(rejected) rejected, \(ran) ran: \(statuses.map { "\($0.key.rawValue)=\($0.value)" }.sorted().joined(separator: " "))")
        #expect(rejected + ran == iterations)
        // Both sides of the loader get exercised.
        #expect(rejected > 30)
        #expect(ran > 30)
    }

    @Test("Deeply nested input through Parameters, ResultPath and a Choice: 500 levels run, 2,000 fail cleanly")
    func deepInput() async throws {
        let definition = #"""
            {"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"d.$":"$.a"},"ResultPath":"$.copy","Next":"C"},
              "C":{"Type":"Choice","Choices":[{"Variable":"$.copy.d","IsPresent":true,"Next":"S"}],"Default":"S"},"S":{"Type":"Succeed"}}}
            """#
        let shallow = try await Harness.run(definition, input: Self.deep(500, objects: true))
        #expect(shallow.status == .succeeded)
        // No API request can carry 2,000 levels (the JSON parser reads 512); built in process, the
        // output is refused instead of being walked until the stack ends.
        let deep = try await Harness.run(definition, input: Self.deep(2_000, objects: true))
        #expect(deep.status == .failed)
        #expect(deep.error == "States.Runtime")
    }
}
