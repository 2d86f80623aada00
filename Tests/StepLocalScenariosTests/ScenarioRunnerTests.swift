import Foundation
import StepLocalJSON
import StepLocalScenarios
import Testing

@Suite("Scenario runner")
struct ScenarioRunnerTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ text: String) async throws -> [CaseResult] {
        let scenario = try ScenarioLoader.parse(text, file: repositoryRoot.appendingPathComponent("scenarios/inline.yaml").path)
        return await ScenarioRunner().run(ScenarioRunner.select([scenario], filter: nil))
    }

    @Test("Every example in scenarios/ passes")
    func examplesPass() async throws {
        let files = try ScenarioLoader.discover([Self.repositoryRoot.appendingPathComponent("scenarios").path])
        let scenarios = try files.map { path throws(ScenarioError) in try ScenarioLoader.load(path: path) }
        let results = await ScenarioRunner().run(ScenarioRunner.select(scenarios, filter: nil))
        #expect(results.count >= 10)
        for result in results where !result.passed {
            Issue.record("\(result.fullName): \(result.failures.joined(separator: "; "))")
        }
    }

    // Speed is measured by the benchmark, not asserted here: this pins that the case passes
    // on the virtual clock (it would otherwise wait a year).
    @Test("A one-year Wait with minute-long retry back-offs passes on the virtual clock")
    func virtualClock() async throws {
        let results = try await Self.run("definition: definitions/renewal.asl.json\ncases:\n  - name: y\n    mocks: { ChargeRenewal: [{ throw: Lambda.ServiceException }, { return: { Payload: 1 } }] }\n    expect: { output: 1 }\n")
        #expect(results.first?.passed == true)
    }

    @Test("An unmocked token task with HeartbeatSeconds times out on the virtual clock (States.HeartbeatTimeout), caught by the machine")
    func heartbeatTimeout() async throws {
        let results = try await Self.run("""
            definition:
              StartAt: Ask
              States:
                Ask:
                  Type: Task
                  Resource: arn:aws:states:::sqs:sendMessage.waitForTaskToken
                  Parameters: { QueueUrl: q, MessageBody: { "token.$": "$$.Task.Token" } }
                  HeartbeatSeconds: 3600
                  Catch: [{ ErrorEquals: [States.HeartbeatTimeout], ResultPath: $.error, Next: GaveUp }]
                  End: true
                GaveUp: { Type: Pass, End: true }
            cases:
              - name: nobody answers
                input: { id: 1 }
                expect:
                  output: { id: 1, error: { Error: States.HeartbeatTimeout, Cause: "" } }
                  states: [Ask, GaveUp]
              - name: mocked, it answers at once
                input: { id: 2 }
                mocks: { Ask: { return: { ok: true } } }
                expect: { output: { ok: true }, states: [Ask] }
            """)
        #expect(results.count == 2)
        for result in results { #expect(result.passed, "\(result.fullName): \(result.failures)") }
    }

    @Test("An unmocked token task that nothing can ever end fails loudly instead of hanging the run")
    func endlessWaitFailsLoudly() async throws {
        let results = try await Self.run("""
            definition:
              StartAt: Ask
              States:
                Ask: { Type: Task, Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", End: true }
            cases:
              - name: no heartbeat or timeout on the task
                expect: { error: States.TaskFailed }
            """)
        #expect(results.first?.passed == true, "\(results.first?.failures ?? [])")
    }

    @Test("Failed expectations are described with readable diffs")
    func readableFailures() async throws {
        let results = try await Self.run("""
            definition: definitions/renewal.asl.json
            cases:
              - name: wrong
                mocks: { ChargeRenewal: { return: { Payload: { renewed: true, plan: gold } } } }
                expect:
                  output: { renewed: false, plan: gold }
                  calls: { ChargeRenewal: 2 }
                  called: { ChargeRenewal: [{ FunctionName: other }] }
                  states: [ChargeRenewal]
            """)
        let failures = try #require(results.first?.failures)
        #expect(failures.contains { $0.contains("$.renewed: expected false, got true") })
        #expect(failures.contains { $0.contains("calls of ChargeRenewal: expected 2, got 1") })
        #expect(failures.contains { $0.contains("$.FunctionName: expected \"other\", got \"charge-renewal\"") })
        #expect(failures.contains { $0.contains("actual:   WaitOneYear → ChargeRenewal") })
    }

    @Test("States of concurrent Parallel branches may be listed in either interleaving; a missing or misplaced state still fails")
    func concurrentBranchesInterleave() async throws {
        let definition = """
            fieldValidation: NONE
            definition:
              StartAt: Both
              States:
                Both:
                  Type: Parallel
                  Next: Done
                  Branches:
                    - { StartAt: Left, States: { Left: { Type: Task, Resource: "arn:aws:states:::lambda:invoke", End: true } } }
                    - { StartAt: Right, States: { Right: { Type: Task, Resource: "arn:aws:states:::lambda:invoke", End: true } } }
                Done: { Type: Succeed }
            cases:

            """
        let mocks = "    mocks: { Left: { return: 1 }, Right: { return: 2 } }\n"
        let either = try await Self.run(definition + "  - name: a\n" + mocks + "    expect: { states: [Both, Right, Left, Done] }\n"
            + "  - name: b\n" + mocks + "    expect: { states: [Both, Left, Right, Done] }\n")
        let failures = either.flatMap(\.failures)
        #expect(either.count == 2 && failures.isEmpty, "\(failures)")
        let missing = try await Self.run(definition + "  - name: c\n" + mocks + "    expect: { states: [Both, Left, Done] }\n")
        #expect(missing.first?.passed == false)
        // A branch's state cannot be listed before the Parallel state that started it.
        let beforeItsParallel = try await Self.run(definition + "  - name: d\n" + mocks + "    expect: { states: [Left, Both, Right, Done] }\n")
        #expect(beforeItsParallel.first?.passed == false)
    }

    @Test("Subset matching ignores members the expectation does not name")
    func subsetDiff() {
        #expect(JSONDiff.differences(expected: ["a": 1], actual: ["a": 1, "b": 2], subset: true).isEmpty)
        #expect(JSONDiff.differences(expected: ["a": 1], actual: ["a": 1, "b": 2], subset: false) == ["$.b: unexpected member with value 2"])
        #expect(JSONDiff.differences(expected: ["a": ["x": 1]], actual: ["b": 1], subset: true) == [#"$.a: expected {"x":1}, but it is missing"#])
    }

    @Test("The JUnit report has one testcase per case and a failure element for failures")
    func junit() {
        let xml = JUnitReporter.xml([
            CaseResult(file: "a.yaml", scenario: "S", name: "ok", failures: [], durationSeconds: 0.001),
            CaseResult(file: "a.yaml", scenario: "S", name: "bad <1>", failures: ["status: expected SUCCEEDED, got FAILED"], durationSeconds: 0.002),
        ])
        #expect(xml.contains(#"<testsuite name="S" tests="2" failures="1""#))
        #expect(xml.contains(#"name="bad &lt;1&gt;""#))
        #expect(xml.contains("<failure message=\"status: expected SUCCEEDED, got FAILED\">"))
    }

    @Test("The summary ends with the line 'N passed, N failed'")
    func summary() {
        let text = TerminalReporter(useColor: false).summary(
            [CaseResult(file: "f", scenario: "S", name: "a", failures: [], durationSeconds: 0),
             CaseResult(file: "f", scenario: "S", name: "b", failures: ["x"], durationSeconds: 0)], elapsedSeconds: 0.1)
        #expect(text.split(separator: "\n").last == "1 passed, 1 failed")
    }
}
