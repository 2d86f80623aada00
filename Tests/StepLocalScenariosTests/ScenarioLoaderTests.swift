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
        Self.expectRefused(Self.scenario(cases), at: location, saying: message)
    }

    /// Expects `text`, loaded as `bad.yaml`, to be refused with one error at `location` (with its
    /// line) whose message contains `message`.
    static func expectRefused(_ text: String, at location: String, saying message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: ScenarioError.self, sourceLocation: sourceLocation) { try ScenarioLoader.parse(text, file: "bad.yaml") }
        #expect(error?.file == "bad.yaml", sourceLocation: sourceLocation)
        #expect(error?.location == location, sourceLocation: sourceLocation)
        #expect(error?.line != nil, sourceLocation: sourceLocation)
        #expect(error?.message.contains(message) == true, "\(error?.description ?? "no error")", sourceLocation: sourceLocation)
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
        // The mocks return bare values, not Lambda's result shape, so the shape check is off.
        let scenario = try ScenarioLoader.parse("fieldValidation: NONE\n" + Self.scenario("""
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

    @Test("A scenario mock with Paylod for a Lambda result fails to load under STRICT, naming file, line, state and field")
    func misspelledLambdaMember() {
        let error = #expect(throws: ScenarioError.self) {
            try ScenarioLoader.parse(Self.scenario("  - name: x\n    mocks: { A: { return: { Paylod: { ok: true } } } }\n"), file: "s.yaml")
        }
        #expect(error?.location == "/cases/0/mocks/A")
        #expect(error?.line == 4)
        #expect(error?.message.contains("state 'A'") == true, "\(error?.description ?? "")")
        #expect(error?.message.contains("$.Paylod: not a member of lambda:invoke's result (did you mean Payload?)") == true, "\(error?.description ?? "")")
    }

    @Test("fieldValidation: PRESENT accepts a partial result STRICT refuses; NONE accepts anything; bad values are refused")
    func fieldValidationModes() throws {
        let definition = #"{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution","End":true}}}"#
        let partial = "definition: '\(definition)'\ncases:\n  - name: x\n    mocks: { S: { return: { ExecutionArn: arn } } }\n"
        let strict = #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(partial, file: "s.yaml") }
        #expect(strict?.message.contains("$.StartDate: missing") == true, "\(strict?.description ?? "")")
        _ = try ScenarioLoader.parse("fieldValidation: PRESENT\n" + partial, file: "s.yaml")
        let wrongType = partial.replacingOccurrences(of: "ExecutionArn: arn", with: "ExecutionArn: 5")
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse("fieldValidation: PRESENT\n" + wrongType, file: "s.yaml") }
        _ = try ScenarioLoader.parse("fieldValidation: none\n" + wrongType, file: "s.yaml")
        let bad = #expect(throws: ScenarioError.self) { try ScenarioLoader.parse("fieldValidation: LAX\n" + partial, file: "s.yaml") }
        #expect(bad?.location == "/fieldValidation")
    }

    @Test("A referenced mock-config test case is checked against the scenario's definition")
    func referencedMockConfigChecked() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steplocal-fieldcheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let mocks = #"{"StateMachines":{"M":{"TestCases":{"T":{"A":"R"}}}},"MockedResponses":{"R":{"0":{"Return":{"StatusCode":"200"}}}}}"#
        try mocks.write(to: directory.appendingPathComponent("mocks.json"), atomically: true, encoding: .utf8)
        let text = Self.scenario("  - name: x\n    mockConfig: { file: mocks.json, stateMachine: M, testCase: T }\n")
        let error = #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(text, file: directory.appendingPathComponent("s.yaml").path) }
        #expect(error?.location == "/cases/0/mockConfig")
        #expect(error?.message.contains("mocks.json: /MockedResponses/R") == true, "\(error?.description ?? "")")
        #expect(error?.message.contains("$.StatusCode: expected a whole number, found string") == true, "\(error?.description ?? "")")
    }
}
