import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON

/// Compares one finished execution with a case's ``Expectations`` and describes every
/// mismatch: status, error and cause, output (with a path-by-path diff), states entered, and
/// the calls each Task state received.
enum ExpectationChecker {
    static func failures(
        _ expect: Expectations, snapshot: ExecutionSnapshot, calls: [String: [JSONValue]], objects: InMemoryObjectStore? = nil
    ) -> [String] {
        var failures: [String] = []
        if snapshot.status != expect.status {
            var line = "status: expected \(expect.status.rawValue), got \(snapshot.status.rawValue)"
            if let error = snapshot.error { line += " (error \(error)\(snapshot.cause.map { ": \($0)" } ?? ""))" }
            failures.append(line)
        }
        if let error = expect.error, snapshot.error != error {
            failures.append("error: expected \(quoted(error)), got \(snapshot.error.map(quoted) ?? "none")")
        }
        if let cause = expect.cause, snapshot.cause != cause {
            failures.append("cause: expected \(quoted(cause)), got \(snapshot.cause.map(quoted) ?? "none")")
        }
        if let output = expect.output {
            if let actual = snapshot.output {
                let lines = JSONDiff.differences(expected: output, actual: actual, subset: false)
                if !lines.isEmpty { failures.append("output differs:\n" + lines.map { "  " + $0 }.joined(separator: "\n")) }
            } else {
                failures.append("output: expected \(JSONDiff.show(output)), but the execution has no output")
            }
        }
        if let subset = expect.outputContains {
            if let actual = snapshot.output {
                let lines = JSONDiff.differences(expected: subset, actual: actual, subset: true)
                if !lines.isEmpty { failures.append("outputContains differs:\n" + lines.map { "  " + $0 }.joined(separator: "\n")) }
            } else {
                failures.append("outputContains: the execution has no output")
            }
        }
        if let states = expect.states {
            let entered = snapshot.history.compactMap { event -> String? in
                event.type.hasSuffix("StateEntered") ? event.stateName : nil
            }
            // Parallel branches that wait (Tasks) run concurrently, so their states may interleave
            // in any order, as on AWS: any order that keeps each branch's own order is accepted.
            if entered != states, !CausalOrder.admits(states, history: snapshot.history) {
                failures.append("states entered differ:\n  expected: \(states.joined(separator: " → "))\n  actual:   \(entered.joined(separator: " → "))")
            }
        }
        for (state, count) in expect.calls.sorted(by: { $0.key < $1.key }) {
            let actual = calls[state]?.count ?? 0
            if actual != count { failures.append("calls of \(state): expected \(count), got \(actual)") }
        }
        for (state, expected) in expect.called.sorted(by: { $0.key < $1.key }) {
            let actual = calls[state] ?? []
            if actual.count != expected.count {
                failures.append("called \(state): expected \(expected.count) call(s), got \(actual.count)")
            }
            for index in 0..<min(actual.count, expected.count) {
                let lines = JSONDiff.differences(expected: expected[index], actual: actual[index], subset: true)
                if !lines.isEmpty {
                    failures.append("parameters of call \(index + 1) to \(state) differ:\n" + lines.map { "  " + $0 }.joined(separator: "\n"))
                }
            }
        }
        for expected in expect.s3 {
            failures += s3Failures(expected, objects: objects)
        }
        return failures
    }

    /// Every object matching the expectation's bucket and key pattern, checked against its content checks.
    static func s3Failures(_ expected: S3Expectation, objects: InMemoryObjectStore?) -> [String] {
        let stored = objects?.objects(in: expected.bucket) ?? [:]
        let matching = stored.keys.filter(expected.matches).sorted()
        let name = "s3://\(expected.bucket)/\(expected.key)"
        guard !matching.isEmpty else {
            let present = stored.keys.sorted()
            return ["\(name): no object matches (the bucket holds: \(present.isEmpty ? "nothing" : present.joined(separator: ", ")))"]
        }
        var failures: [String] = []
        for key in matching {
            let body = stored[key] ?? []
            let text = String(decoding: body, as: UTF8.self)
            if let expectedText = expected.text, text != expectedText {
                failures.append("s3://\(expected.bucket)/\(key): expected the text \(quoted(expectedText)), got \(quoted(text))")
            }
            guard expected.json != nil || expected.jsonContains != nil else { continue }
            guard let actual = try? JSONParser.parse(bytes: body) else {
                failures.append("s3://\(expected.bucket)/\(key): expected JSON, got \(quoted(text))")
                continue
            }
            for (wanted, subset) in [(expected.json, false), (expected.jsonContains, true)] {
                guard let wanted else { continue }
                let lines = JSONDiff.differences(expected: wanted, actual: actual, subset: subset)
                if !lines.isEmpty {
                    failures.append("s3://\(expected.bucket)/\(key) differs:\n" + lines.map { "  " + $0 }.joined(separator: "\n"))
                }
            }
        }
        return failures
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }
}

/// The order in which states were entered, as far as causality fixes it. Every history event
/// names the event it follows on its own thread (`previousEventId`): following that chain back
/// from a StateEntered event to the previous StateEntered gives the state that must come before
/// it. States of concurrent branches have no order between them, so several lists are right.
enum CausalOrder {
    /// Whether `names` lists every state entered, each after the state its thread entered before it.
    static func admits(_ names: [String], history: [HistoryEvent]) -> Bool {
        let byId = Dictionary(history.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let entered = history.filter { $0.type.hasSuffix("StateEntered") }
        guard entered.count == names.count else { return false }
        // For each StateEntered event, the StateEntered event its thread had before it (0: none).
        var predecessor: [Int: Int] = [:]
        for event in entered {
            var previous = event.previousEventId
            while previous > 0, let earlier = byId[previous], !earlier.type.hasSuffix("StateEntered") {
                previous = earlier.previousEventId
            }
            predecessor[event.id] = previous
        }
        var matched: Set<Int> = [0]
        for name in names {
            // The earliest unmatched event of that name whose predecessor is already listed.
            guard let next = entered.first(where: { event in
                !matched.contains(event.id) && event.stateName == name
                    && matched.contains(predecessor[event.id] ?? 0)
            }) else { return false }
            matched.insert(next.id)
        }
        return true
    }
}
