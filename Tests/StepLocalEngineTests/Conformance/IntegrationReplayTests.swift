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
    /// What still differs (README lists each case): activities named through an opaque fixture
    /// (not a valid definition here), a callback failure without an error name (a Step Functions
    /// Local `Throw` must name its Error), mocked `.sync`/`.waitForTaskToken` failures (Step
    /// Functions Local records no TaskSubmitted before a mocked Throw; AWS's real call did), Task
    /// calls the corpus recorded without a state name (Parallel histories LocalStack re-sorted),
    /// and a Lambda result over the payload quota that AWS let States.ALL catch, which its error
    /// handling page says it cannot.
    static let expectedSummary = [
        "JSONPath: 76 passed, 6 failed", "JSONata: 17 passed, 2 failed", "conformance: 93 passed, 8 failed",
        "history event types JSONPath: 73 passed, 9 failed", "history event types JSONata: 17 passed, 2 failed",
    ]

    /// The mock configuration for a case, as a user would write it: one mocked response per state,
    /// its calls numbered in the order AWS made them. A member recorded as null is left out. A
    /// Throw's Error or Cause that the corpus recorded as JSON is given as its text, as a mock file
    /// must; the snapshot parsed the text AWS recorded, so its spacing is rebuilt from what AWS
    /// shows elsewhere in the corpus: a bare Lambda function ARN hands on the error text the
    /// (Python) function's runtime wrote, `json.dumps` spacing and all, where `lambda:invoke` and
    /// the other integrations give it compact.
    static func mockConfig(_ calls: [JSONValue], stateMachine: String, testCase: String) -> JSONValue {
        var answersByState: [(state: String, answers: [JSONValue])] = []
        for call in calls {
            guard let state = call["state"]?.stringValue, var answer = call["result"] else { continue }
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

    @Test("101 cases with recorded Task results: outcome 93, history event types 90 match AWS")
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
