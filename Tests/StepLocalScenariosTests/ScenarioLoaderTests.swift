import Foundation
import StepLocalIntegrations
import StepLocalJSON
import StepLocalScenarios
import Testing

@Suite("Scenario loader")
struct ScenarioLoaderTests {
    static let definition = #"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"B"},"B":{"Type":"Pass","End":true}}}"#

    static func scenario(_ cases: String) -> String {
        "definition: '\(definition)'\ncases:\n\(cases)"
    }

    @Test("Malformed scenario files give one error naming file, location and line", arguments: [
        ("  - name: x\n    mocks: { Missing: { return: 1 } }\n", "/cases/0/mocks/Missing", "unknown state 'Missing'"),
        ("  - name: x\n    mocks: { B: { return: 1 } }\n", "/cases/0/mocks/B", "'B' is not a Task state"),
        ("  - name: x\n    mocks: { A: { \"0\": { Return: 1 }, \"0-1\": { Return: 2 } } }\n", "/cases/0/mocks/A/0-1", "overlaps '0'"),
        ("  - name: x\n    expect: { calls: { A: many } }\n", "/cases/0/expect/calls/A", "non-negative whole number"),
        ("  - name: x\n    expect: { states: [A, Nope] }\n", "/cases/0/expect/states/1", "unknown state 'Nope'"),
        ("  - name: x\n    expect: { staus: FAILED }\n", "/cases/0/expect/staus", "unknown member 'staus'"),
        ("  - name: x\n    mocks: { A: { throw: { cause: c } } }\n", "/cases/0/mocks/A/throw", "missing required member 'error'"),
        ("  - name: x\n    mocks: { A: 5 }\n", "/cases/0/mocks/A", "found number"),
        ("  - name: x\n  - name: x\n", "/cases/1/name", "duplicate case name"),
        ("  - name: x\n    clock: wall\n", "/cases/0/clock", "'virtual' or 'real'"),
        ("  - name: x\n    mockConfig: { file: nowhere.json, stateMachine: M, testCase: T }\n", "/cases/0/mockConfig/file", "cannot read"),
    ])
    func malformed(cases: String, location: String, message: String) {
        let error = #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(Self.scenario(cases), file: "bad.yaml") }
        #expect(error?.file == "bad.yaml")
        #expect(error?.location == location)
        #expect(error?.line != nil)
        #expect(error?.message.contains(message) == true, "\(error?.description ?? "no error")")
    }

    @Test("A missing definition file, invalid definition and invalid YAML are reported, not trapped")
    func fileProblems() {
        let missing = #expect(throws: ScenarioError.self) { try ScenarioLoader.parse("definition: nowhere.asl.json\ncases: []\n", file: "s.yaml") }
        #expect(missing?.location == "/definition")
        let invalid = #expect(throws: ScenarioError.self) { try ScenarioLoader.parse("definition: { StartAt: X, States: {} }\ncases: []\n", file: "s.yaml") }
        #expect(invalid?.message.contains("Invalid State Machine Definition") == true)
        let yaml = #expect(throws: ScenarioError.self) { try ScenarioLoader.parse("cases: [\n", file: "s.yaml") }
        #expect(yaml?.message.contains("not valid YAML") == true)
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(path: "/nonexistent/s.yaml") }
    }

    @Test("Short mock forms compile to Step Functions Local test cases")
    func shortForms() throws {
        let scenario = try ScenarioLoader.parse(Self.scenario("""
              - name: x
                mocks: { A: [{ throw: { error: E, cause: C } }, { return: { ok: true } }] }
              - name: y
                mocks: { A: { return: 1 } }
            """), file: "s.yaml")
        let list = try #require(scenario.cases[0].mocks.responses["A"])
        #expect(list.answer(forInvocation: 0) == .throw(.init("E", cause: "C")))
        #expect(list.answer(forInvocation: 1) == .return(["ok": true]))
        #expect(list.answer(forInvocation: 2) == nil)
        #expect(scenario.cases[1].mocks.responses["A"]?.answer(forInvocation: 1000) == .return(1))
        #expect(Scenario.mockConfig([scenario]).testCase(stateMachine: "s", name: "y") != nil)
    }
}
