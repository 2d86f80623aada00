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
    /// The differences come in families listed in the README (`.waitForTaskToken` and `.sync` tasks
    /// answered by a mock record no TaskSubmitted, activities named through an opaque fixture, JSON
    /// causes in other spacing, ...).
    static let expectedSummary = [
        "JSONPath: 68 passed, 14 failed", "JSONata: 16 passed, 3 failed", "conformance: 84 passed, 17 failed",
        "history event types JSONPath: 61 passed, 21 failed", "history event types JSONata: 15 passed, 4 failed",
    ]

    /// The mock configuration for a case, as a user would write it: one mocked response per state,
    /// its calls numbered in the order AWS made them. A Throw's Error or Cause that the corpus
    /// recorded as JSON is given as its text, as a mock file must.
    static func mockConfig(_ calls: [JSONValue], stateMachine: String, testCase: String) -> JSONValue {
        var answersByState: [(state: String, answers: [JSONValue])] = []
        for call in calls {
            guard let state = call["state"]?.stringValue, var answer = call["result"] else { continue }
            if case .object(var thrown)? = answer["Throw"] {
                for key in ["Error", "Cause"] {
                    if let value = thrown[key], value.stringValue == nil { thrown[key] = .string(value.serialized()) }
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

    @Test("101 cases with recorded Task results: outcome 84, history event types 76 match AWS")
    func replay() async throws {
        guard Self.corpus.exists else {
            Issue.record("The integrations corpus is missing at \(Self.corpus.file.path)")
            return
        }
        var lines: [JSONValue] = []
        for (index, caseValue) in try Self.corpus.cases() {
            guard let calls = caseValue["mock_results"]?.arrayValue, !calls.isEmpty else { continue }
            lines.append(await RecordedCorpus.run(caseValue, index: index) { machine in
                let config = try? MockConfigLoader.parse(Self.mockConfig(calls, stateMachine: machine, testCase: "Recorded"), file: "recorded")
                return config?.testCase(stateMachine: machine, name: "Recorded").map { MockDispatcher(testCase: $0) }
            })
        }
        #expect(lines.count == 101)
        let summaryLines = try Self.corpus.compare(lines)
        for line in Self.expectedSummary {
            #expect(summaryLines.contains(line), "expected '\(line)'")
        }
    }
}
