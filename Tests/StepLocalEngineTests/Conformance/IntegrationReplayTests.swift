import Foundation
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// Replays `../shared/conformance/integrations.jsonl` through mocks: every case that recorded what
/// its Task calls returned on AWS (`mock_results`) becomes a Step Functions Local mock
/// configuration (`Return`/`Throw` per call, in call order per state, retries included), runs in
/// process on a virtual clock, and is compared with AWS's outcome and history event types.
@Suite("Integration cases recorded on AWS, replayed through mocks")
struct IntegrationReplayTests {
    static let corpus = RecordedCorpus("integrations.jsonl")

    /// Today's exact figures (README, "Conformance"): a change in either direction must be seen.
    /// What still differs (README lists each case): a callback failure without an error name (a
    /// Step Functions Local `Throw` must name its Error), mocked `.sync`/`.waitForTaskToken`
    /// failures (Step Functions Local records no TaskSubmitted before a mocked Throw; AWS's real
    /// call did), a Parallel whose two Task calls the recorder could not tie to their states (its
    /// re-sorted history lost the state names, and the recorded function names were normalised
    /// apart from the input's), and a Lambda result over the payload quota that AWS let
    /// States.ALL catch, which its error handling page says it cannot.
    static let expectedSummary = [
        "JSONPath: 78 passed, 4 failed", "JSONata: 19 passed, 0 failed", "conformance: 97 passed, 4 failed",
        "history event types JSONPath: 75 passed, 7 failed", "history event types JSONata: 19 passed, 0 failed",
    ]

    /// The mock configuration for a case, as a user would write it: one mocked response per state,
    /// its calls numbered in the order AWS made them. A member recorded as null is left out. A
    /// Throw's Error or Cause that the corpus recorded as JSON is given as its text, as a mock file
    /// must; the snapshot parsed the text AWS recorded, so its spacing is rebuilt from what AWS
    /// shows elsewhere in the corpus: a bare Lambda function ARN hands on the error text the
    /// (Python) function's runtime wrote, `json.dumps` spacing and all, where `lambda:invoke` and
    /// the other integrations give it compact.
    /// Where the recorder lost a call's state (LocalStack re-sorted Parallel histories, so a
    /// result no longer follows its state's entry), the state is the one Task state of the
    /// definition the call can have come from; see ``recordedState(of:definition:input:)``.
    static func mockConfig(_ calls: [JSONValue], definition: JSONValue, input: JSONValue, stateMachine: String, testCase: String) -> JSONValue {
        var answersByState: [(state: String, answers: [JSONValue])] = []
        for call in calls {
            guard var answer = call["result"],
                  let state = call["state"]?.stringValue ?? recordedState(of: call, definition: definition, input: input)
            else { continue }
            if case .object(var thrown)? = answer["Throw"] {
                let runtimeText = call["resourceType"]?.isNull == true && call["resource"]?.stringValue?.contains(":function:") == true
                for key in ["Error", "Cause"] {
                    guard let value = thrown[key], value.stringValue == nil else { continue }
                    thrown[key] = value.isNull ? nil : .string(runtimeText ? RecordedCorpus.pythonJSONText(value) : value.serialized())
                }
                answer = ["Throw": .object(thrown)]
            }
            if let index = answersByState.firstIndex(where: { $0.state == state }) {
                answersByState[index].answers.append(answer)
            } else {
                answersByState.append((state, [answer]))
            }
        }
        var responses = JSONObject()
        var states = JSONObject()
        for (offset, entry) in answersByState.enumerated() {
            let name = "Recorded\(offset)"
            states[entry.state] = .string(name)
            var numbered = JSONObject()
            for (index, answer) in entry.answers.enumerated() { numbered["\(index)"] = answer }
            responses[name] = .object(numbered)
        }
        let testCases: JSONObject = [testCase: .object(states)]
        let machines: JSONObject = [stateMachine: ["TestCases": .object(testCases)]]
        return ["StateMachines": .object(machines), "MockedResponses": .object(responses)]
    }

    /// The Task state a call recorded without its state name came from: the only Task state of
    /// the definition whose resource is the call's and whose parameters do not contradict the
    /// recorded ones (a literal must be equal; a `"Key.$": "$.member"` reference must give the
    /// execution input's member). Nil when no state, or more than one, fits.
    static func recordedState(of call: JSONValue, definition: JSONValue, input: JSONValue) -> String? {
        var candidates: [(name: String, state: JSONValue)] = []
        collectTaskStates(definition, into: &candidates)
        if let type = call["resourceType"]?.stringValue, let resource = call["resource"]?.stringValue {
            candidates.removeAll { $0.state["Resource"]?.stringValue?.hasPrefix("arn:aws:states:::\(type):\(resource)") != true }
        }
        if case .object(let recorded)? = call["parameters"] {
            candidates.removeAll { candidate in
                guard case .object(let template)? = candidate.state["Parameters"] ?? candidate.state["Arguments"] else { return false }
                return recorded.contains { key, value in
                    if let literal = template[key], literal.stringValue?.hasPrefix("{%") != true { return literal != value }
                    guard let path = template[key + ".$"]?.stringValue, path.hasPrefix("$."),
                          !path.dropFirst(2).contains(where: { ".[*?@(".contains($0) }) else { return false }
                    return input[String(path.dropFirst(2))].map { $0 != value } ?? false
                }
            }
        }
        return candidates.count == 1 ? candidates[0].name : nil
    }

    /// Every Task state of a definition, nested ones (Parallel branches, Map processors) included.
    static func collectTaskStates(_ machine: JSONValue, into found: inout [(name: String, state: JSONValue)]) {
        guard case .object(let states)? = machine["States"] else { return }
        for (name, state) in states {
            if state["Type"]?.stringValue == "Task" { found.append((name, state)) }
            for branch in state["Branches"]?.arrayValue ?? [] { collectTaskStates(branch, into: &found) }
            for key in ["ItemProcessor", "Iterator"] {
                if let processor = state[key] { collectTaskStates(processor, into: &found) }
            }
        }
    }

    @Test("101 cases with recorded Task results: outcome 97, history event types 94 match AWS")
    func replay() async throws {
        let summaryLines = try await Self.replayedSummary(keptHistories: .all)
        for line in Self.expectedSummary {
            #expect(summaryLines.contains(line), "expected '\(line)'")
        }
    }

    @Test("The same 97 outcomes when the histories are only counted, as the server runs EXPRESS executions")
    func replayWithoutKeptHistories() async throws {
        let summaryLines = try await Self.replayedSummary(keptHistories: .none)
        for line in Self.expectedSummary where !line.hasPrefix("history") {
            #expect(summaryLines.contains(line), "expected '\(line)'")
        }
    }

    /// Runs every case with recorded Task results, its Tasks answered by a mock configuration
    /// made from them, and returns the comparison's summary.
    static func replayedSummary(keptHistories: KeptHistories) async throws -> [String] {
        guard corpus.exists else {
            Issue.record("The integrations corpus is missing at \(corpus.file.path)")
            return []
        }
        var lines: [JSONValue] = []
        for (index, caseValue) in try corpus.cases() {
            guard let calls = caseValue["mock_results"]?.arrayValue, !calls.isEmpty else { continue }
            lines.append(await RecordedCorpus.run(caseValue, index: index, keptHistories: keptHistories) { machine in
                let config = try? MockConfigLoader.parse(mockConfig(
                    calls, definition: caseValue["definition"] ?? .null, input: caseValue["input"] ?? .null, stateMachine: machine, testCase: "Recorded"), file: "recorded")
                return config?.testCase(stateMachine: machine, name: "Recorded").map { MockDispatcher(testCase: $0) }
            })
        }
        #expect(lines.count == 101)
        return try await corpus.compare(lines)
    }
}
