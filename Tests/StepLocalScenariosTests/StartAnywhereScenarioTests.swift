import Foundation
import StepLocalJSON
import StepLocalScenarios
import Testing

/// A scenario case's `startAt:` (with `variables:` and `context:`): the tail of a workflow tested
/// without driving it from the top.
@Suite("Scenario cases that start anywhere")
struct StartAnywhereScenarioTests {
    static let definition = """
        definition:
          StartAt: Reserve
          States:
            Reserve: { Type: Task, Resource: arn:aws:states:::lambda:invoke, Parameters: { "order.$": "$.order" }, Next: Ship }
            Ship:
              Type: Map
              ItemsPath: $.lines
              ItemSelector: { "sku.$": "$$.Map.Item.Value.sku", "position.$": "$$.Map.Item.Index" }
              ItemProcessor:
                StartAt: Pick
                States:
                  Pick: { Type: Pass, Parameters: { "sku.$": "$.sku", "position.$": "$.position", "by.$": "$picker", "run.$": "$$.Execution.Name" }, End: true }
              End: true
        """

    static func run(_ cases: String) async throws -> [CaseResult] {
        let scenario = try ScenarioLoader.parse(definition + "\n" + cases, file: ScenarioRunnerTests.repositoryRoot.appendingPathComponent("scenarios/inline.yaml").path)
        return await ScenarioRunner().run(ScenarioRunner.select([scenario], filter: nil))
    }

    @Test("A case that starts at a top-level state skips the states before it: their mocks are not needed")
    func topLevel() async throws {
        let results = try await Self.run("""
            cases:
              - name: ship only
                startAt: Ship
                variables: { picker: ann }
                input: { lines: [{ sku: a }, { sku: b }] }
                expect:
                  output: [{ sku: a, position: 0, by: ann, run: case-0 }, { sku: b, position: 1, by: ann, run: case-0 }]
                  states: [Ship, Pick, Pick]
            """)
        #expect(results.count == 1)
        for result in results { #expect(result.passed, "\(result.fullName): \(result.failures)") }
    }

    @Test("A case that starts inside a Map processor runs one iteration, with the Context object's members from context")
    func nested() async throws {
        let results = try await Self.run("""
            cases:
              - name: one pick
                startAt: Pick
                variables: { picker: bo }
                context: { Execution: { Name: order-42 } }
                input: { sku: z, position: 7 }
                expect: { output: { sku: z, position: 7, by: bo, run: order-42 }, states: [Pick] }
            """)
        for result in results { #expect(result.passed, "\(result.fullName): \(result.failures)") }
    }

    @Test("startAt naming no state is refused when the file loads, with the states it has")
    func unknownState() throws {
        #expect {
            _ = try ScenarioLoader.parse(Self.definition + "\ncases:\n  - name: x\n    startAt: Shipp\n", file: "inline.yaml")
        } throws: { error in
            let text = String(describing: error)
            return text.contains("/cases/0/startAt") && text.contains("no state 'Shipp'") && text.contains("Ship")
        }
    }
}
