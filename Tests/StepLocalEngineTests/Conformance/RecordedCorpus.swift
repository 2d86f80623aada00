import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalJSON

/// Runs cases of a corpus recorded on AWS (`../shared/conformance/*.jsonl`) through the engine on a
/// virtual clock and judges them with `compare_conformance.py`, which normalises our answers with
/// the corpus's own Normaliser and prints `N passed, N failed` lines per level (outcome, history
/// event types) and query language.
struct RecordedCorpus {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let file: URL

    init(_ name: String) {
        file = Self.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/\(name)")
    }

    var exists: Bool { FileManager.default.fileExists(atPath: file.path) }

    /// Every case, with its line number.
    func cases() throws -> [(index: Int, value: JSONValue)] {
        let text = try String(contentsOf: file, encoding: .utf8)
        return try text.split(separator: "\n").enumerated().map { index, line in (index, try JSONValue(parsing: String(line))) }
    }

    /// Runs one case with `dispatcher` answering its Tasks; the line the comparison script reads.
    static func run(_ caseValue: JSONValue, index: Int, dispatcher: (String) -> (any TaskDispatcher)?) async -> JSONValue {
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
        guard let taskDispatcher = dispatcher(smName) else {
            result["status"] = "INVALID_MOCKS"
            return .object(result)
        }
        let clock = VirtualClock()
        let region = "us-east-1", account = "123456789012"
        let identity = ExecutionIdentity(
            executionArn: "arn:aws:states:\(region):\(account):execution:\(smName):\(execName)", name: execName,
            stateMachineArn: "arn:aws:states:\(region):\(account):stateMachine:\(smName)", stateMachineName: smName,
            roleArn: "arn:aws:iam::123456789012:role/test", startTime: clock.now())
        let engine = ExecutionEngine(clock: clock, dispatcher: taskDispatcher)
        let snapshot = await engine.run(definition, input: caseValue["input"] ?? .object([:]), identity: identity)
        result["status"] = .string(snapshot.status.rawValue)
        result["output"] = snapshot.output.map { .string($0.serialized()) } ?? .null
        result["error"] = snapshot.error.map { .string($0) } ?? .null
        result["cause"] = snapshot.cause.map { .string($0) } ?? .null
        result["history_types"] = .array(snapshot.history.map { .string($0.type) })
        result["history"] = .array(snapshot.history.map { $0.json() })
        return .object(result)
    }

    /// Compares result lines with the corpus; returns the report's lines (failures, then totals).
    func compare(_ resultLines: [JSONValue]) throws -> [String] {
        let stem = file.deletingPathExtension().lastPathComponent
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("steplocal-\(stem)-\(getpid()).jsonl")
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("steplocal-\(stem)-\(getpid()).txt")
        try (resultLines.map { $0.serialized() }.joined(separator: "\n") + "\n").write(to: results, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.repositoryRoot.appendingPathComponent("Tests/StepLocalEngineTests/Conformance/compare_conformance.py").path,
            file.path, results.path, report.path,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CompareFailed(status: process.terminationStatus) }
        let summary = try String(contentsOf: report, encoding: .utf8)
        print(summary)
        return summary.split(separator: "\n").map(String.init)
    }

    struct CompareFailed: Error {
        let status: Int32
    }
}
