import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import StepLocalJSON
import StepLocalScenarios
import Testing

/// `steplocal test --coverage`: every state, Choice rule and Default, Catch and Retry of a
/// definition is an item; a case covers what its execution really went through.
@Suite("Coverage")
struct CoverageTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let scenarioText = """
        definition:
          StartAt: Route
          States:
            Route:
              Type: Choice
              Choices:
                - { Variable: "$.kind", StringEquals: a, Next: Work }
                - { Variable: "$.kind", StringEquals: b, Next: Work }
              Default: Fan
            Work:
              Type: Task
              Resource: arn:aws:states:::lambda:invoke
              Retry: [{ ErrorEquals: [Busy], IntervalSeconds: 1 }, { ErrorEquals: [Slow] }]
              Catch: [{ ErrorEquals: [Broken], Next: Handled }, { ErrorEquals: [States.ALL], Next: Handled }]
              End: true
            Handled: { Type: Pass, End: true }
            Fan:
              Type: Parallel
              Branches:
                - { StartAt: One, States: { One: { Type: Pass, End: true } } }
                - { StartAt: Two, States: { Two: { Type: Pass, End: true } } }
              End: true
        cases:
          - name: rule 2, retried once for Busy, then caught as Broken
            input: { kind: b }
            mocks: { Work: [{ throw: Busy }, { throw: Broken }] }
            expect: { states: [Route, Work, Handled] }
          - name: default
            input: { kind: z }
        """

    static func run(_ text: String, coverage: Bool = true) async throws -> CoverageReport {
        let scenario = try ScenarioLoader.parse(text, file: repositoryRoot.appendingPathComponent("scenarios/coverage.yaml").path)
        var runner = ScenarioRunner()
        runner.collectsCoverage = coverage
        let cases = ScenarioRunner.select([scenario], filter: nil)
        let results = await runner.run(cases)
        for result in results { #expect(result.passed, "\(result.fullName): \(result.failures)") }
        return CoverageReport(cases: cases, results: results)
    }

    @Test("Items: each state (nested ones too, per branch), each Choice rule and the Default, each Catch and Retry")
    func model() async throws {
        let report = try await Self.run(Self.scenarioText)
        let machine = try #require(report.machines.first)
        #expect(machine.model.programs.map(\.path) == ["(top level)", "Fan › Branch 1", "Fan › Branch 2"])
        #expect(machine.model.items.map(\.label) == [
            "Route", "Route › rule 1", "Route › rule 2", "Route › Default",
            "Work", "Work › Catch 1", "Work › Catch 2", "Work › Retry 1", "Work › Retry 2",
            "Handled", "Fan", "One", "Two",
        ])
    }

    @Test("A case covers the rule that matched (not the first with the same Next), the Retry that retried and the Catch that caught")
    func hits() async throws {
        let report = try await Self.run(Self.scenarioText)
        let machine = try #require(report.machines.first)
        let missed = machine.model.items.filter { !machine.covered.contains($0) }.map(\.label)
        #expect(missed == ["Route › rule 1", "Work › Catch 2", "Work › Retry 2"])
        #expect(report.hit == 10 && report.total == 13)
        #expect(CoverageReport.format(report.percent) == "76.9")
        #expect(report.table().contains("not covered: Route › rule 1, Work › Catch 2, Work › Retry 2"))
    }

    @Test("Without --coverage nothing is collected")
    func offByDefault() async throws {
        let report = try await Self.run(Self.scenarioText, coverage: false)
        #expect(report.hit == 0)
    }

    @Test("The JSON and Cobertura reports say the same, and the XML parses")
    func reports() async throws {
        let report = try await Self.run(Self.scenarioText)
        let json = report.json()
        #expect(json["covered"] == .int(10))
        #expect(json["total"] == .int(13))
        let machine = json["stateMachines"]?.arrayValue?.first
        let items = machine?["programs"]?.arrayValue?.first?["items"]?.arrayValue ?? []
        #expect(items.first == ["kind": "state", "state": "Route", "label": "Route", "covered": true])
        let xml = report.cobertura(timestamp: 1_700_000_000)
        #expect(xml.contains(#"lines-covered="10" lines-valid="13""#))
        #expect(XMLParser(data: Data(xml.utf8)).parse())
        #expect(xml.components(separatedBy: "<line number=").count - 1 == 13)
    }

    @Test("The example scenarios in scenarios/ cover every item (CI runs them with --min-coverage 100)")
    func examplesFullyCovered() async throws {
        let files = try ScenarioLoader.discover([Self.repositoryRoot.appendingPathComponent("scenarios").path])
        let scenarios = try files.map { path throws(ScenarioError) in try ScenarioLoader.load(path: path) }
        var runner = ScenarioRunner()
        runner.collectsCoverage = true
        let cases = ScenarioRunner.select(scenarios, filter: nil)
        let report = CoverageReport(cases: cases, results: await runner.run(cases))
        #expect(report.percent == 100, "\(report.table())")
    }
}
