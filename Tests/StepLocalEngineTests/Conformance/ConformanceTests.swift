import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// Runs every pure case of `../shared/conformance/pure.jsonl` (recorded on real AWS) through the
/// engine on a virtual clock, then compares with the corpus's own normaliser.
@Suite("Conformance with executions recorded on AWS")
struct ConformanceTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/pure.jsonl")

    @Test("every pure case (364 JSONPath, 61 JSONata) gives AWS's status, output, error, cause and history event types")
    func pureCases() async throws {
        guard FileManager.default.fileExists(atPath: Self.corpus.path) else {
            Issue.record("The conformance corpus is missing at \(Self.corpus.path)")
            return
        }
        let text = try String(contentsOf: Self.corpus, encoding: .utf8)
        var lines: [String] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            let caseValue = try JSONValue(parsing: String(line))
            lines.append(await Self.run(caseValue, index: index).serialized())
        }
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("steplocal-conformance-\(getpid()).jsonl")
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("steplocal-conformance-\(getpid()).txt")
        try (lines.joined(separator: "\n") + "\n").write(to: results, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.repositoryRoot.appendingPathComponent("Tests/StepLocalEngineTests/Conformance/compare_conformance.py").path,
            Self.corpus.path, results.path, report.path,
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let summary = try String(contentsOf: report, encoding: .utf8)
        print(summary)
        let summaryLines = summary.split(separator: "\n").map(String.init)
        #expect(summaryLines.contains("JSONPath: 364 passed, 0 failed"), "\(summary)")
        #expect(summaryLines.contains("JSONata: 61 passed, 0 failed"), "\(summary)")
        #expect(summaryLines.contains("conformance: 425 passed, 0 failed"), "\(summary)")
        // Every recorded history (not of a sync execution), event type by event type, in order.
        #expect(summaryLines.contains("history event types JSONPath: 125 passed, 0 failed"), "\(summary)")
        #expect(summaryLines.contains("history event types JSONata: 61 passed, 0 failed"), "\(summary)")
    }

    static func run(_ caseValue: JSONValue, index: Int) async -> JSONValue {
        let id = caseValue["id"]?.stringValue ?? "case-\(index)"
        let smName = "ConformanceMachine\(index)"
        let execName = "conformance-execution-\(index)"
        var result: JSONObject = ["id": .string(id), "sm_name": .string(smName), "exec_name": .string(execName)]
        let type = StateMachineType(rawValue: caseValue["type"]?.stringValue ?? "STANDARD") ?? .standard
        let definition: StateMachineDefinition
        do {
            definition = try StateMachineDefinition.load((caseValue["definition"] ?? .null).serialized(), type: type)
        } catch {
            result["status"] = "INVALID_DEFINITION"
            result["error"] = "InvalidDefinition"
            result["cause"] = .string(error.invalidDefinitionMessage)
            return .object(result)
        }
        let clock = VirtualClock()
        let region = "us-east-1", account = "123456789012"
        let identity = ExecutionIdentity(
            executionArn: "arn:aws:states:\(region):\(account):execution:\(smName):\(execName)", name: execName,
            stateMachineArn: "arn:aws:states:\(region):\(account):stateMachine:\(smName)", stateMachineName: smName,
            roleArn: "arn:aws:iam::123456789012:role/test", startTime: clock.now())
        let snapshot = await ExecutionEngine(clock: clock).run(definition, input: caseValue["input"] ?? .object([:]), identity: identity)
        result["status"] = .string(snapshot.status.rawValue)
        result["output"] = snapshot.output.map { .string($0.serialized()) } ?? .null
        result["error"] = snapshot.error.map { .string($0) } ?? .null
        result["cause"] = snapshot.cause.map { .string($0) } ?? .null
        result["history_types"] = .array(snapshot.history.map { .string($0.type) })
        return .object(result)
    }
}
