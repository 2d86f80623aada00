import StepLocalEngine
import StepLocalJSON

/// Compares one finished execution with a case's ``Expectations`` and describes every
/// mismatch: status, error and cause, output (with a path-by-path diff), states entered, and
/// the calls each Task state received.
enum ExpectationChecker {
    static func failures(_ expect: Expectations, snapshot: ExecutionSnapshot, calls: [String: [JSONValue]]) -> [String] {
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
                event.type.hasSuffix("StateEntered") ? event.details["name"]?.stringValue : nil
            }
            // Parallel branches that wait (Tasks) run concurrently, so their states may interleave
            // in any order, as on AWS: the same states, starting and ending alike, are accepted.
            let interleaved = entered.sorted() == states.sorted() && entered.first == states.first && entered.last == states.last
            if entered != states, !interleaved {
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
        return failures
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }
}
