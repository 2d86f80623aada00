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

    /// Runs one case with `dispatcher` answering its Tasks (and `objectStore` holding the S3 objects
    /// its Distributed Maps read); the line the comparison script reads.
    static func run(
        _ caseValue: JSONValue, index: Int, objectStore: (any ObjectStore)? = nil, keptHistories: KeptHistories = .all,
        dispatcher: (String) -> (any TaskDispatcher)?
    ) async -> JSONValue {
        let id = caseValue["id"]?.stringValue ?? "case-\(index)"
        let smName = "ConformanceMachine\(index)"
        let execName = "conformance-execution-\(index)"
        var result: JSONObject = ["id": .string(id), "sm_name": .string(smName), "exec_name": .string(execName)]
        let type = StateMachineType(rawValue: caseValue["type"]?.stringValue ?? "STANDARD") ?? .standard
        let definition: StateMachineDefinition
        do {
            definition = try StateMachineDefinition.load(
                resolvingFixtures((caseValue["definition"] ?? .null).serialized(), index: index), type: type)
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
        var engine = ExecutionEngine(clock: clock, dispatcher: taskDispatcher, objectStore: objectStore)
        engine.keptHistories = keptHistories
        // The input text run_corpus.py sends a server (`json.dumps`): AWS records it verbatim.
        let input = caseValue["input"] ?? .object([:])
        let snapshot = await engine.run(definition, input: input, inputText: pythonJSONText(input), identity: identity)
        result["status"] = .string(snapshot.status.rawValue)
        result["output"] = snapshot.output.map { .string($0.serialized()) } ?? .null
        result["error"] = snapshot.error.map { .string($0) } ?? .null
        result["cause"] = snapshot.cause.map { .string($0) } ?? .null
        result["history_types"] = .array(snapshot.history.map { .string($0.type) })
        result["history"] = .array(snapshot.history.map { $0.json() })
        return .object(result)
    }

    /// A definition with the resources the recorder left opaque (`<<opaque:fixture NAME(...)[...]>>`:
    /// made by a test fixture on AWS) replaced by one of the same kind in this run's account,
    /// where the kind is known from the fixture: `create_activity` makes an activity. Others are
    /// left as they are, and the definition is refused.
    static func resolvingFixtures(_ definitionText: String, index: Int) -> String {
        var text = definitionText
        while let start = text.range(of: "<<opaque:fixture create_activity("),
              let end = text.range(of: ">>", range: start.upperBound..<text.endIndex) {
            text.replaceSubrange(start.lowerBound..<end.upperBound, with: "arn:aws:states:us-east-1:123456789012:activity:RecordedActivity\(index)")
        }
        return text
    }

    /// `value` as Python's `json.dumps` writes it (`", "` and `": "` separators, non-ASCII escaped):
    /// the text the corpus's own runner sends as an execution's input.
    static func pythonJSONText(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.text
        case .string(let s):
            var out = "\""
            for unit in s.utf16 {
                switch unit {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                case 0x08: out += "\\b"
                case 0x0C: out += "\\f"
                case 0x20...0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
                default:
                    let hex = String(unit, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
            return out + "\""
        case .array(let items): return "[" + items.map(pythonJSONText).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { pythonJSONText(.string($0.key)) + ": " + pythonJSONText($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// Compares result lines with the corpus; returns the report's lines (failures, then totals).
    /// Each call has files of its own (two suites may compare the same corpus at once), and the
    /// script is awaited, not waited for: a blocked thread of the test process's small pool would
    /// delay the suites that measure real time.
    func compare(_ resultLines: [JSONValue]) async throws -> [String] {
        let stem = file.deletingPathExtension().lastPathComponent
        let unique = "steplocal-\(stem)-\(getpid())-\(UUID().uuidString)"
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("\(unique).jsonl")
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("\(unique).txt")
        defer {
            try? FileManager.default.removeItem(at: results)
            try? FileManager.default.removeItem(at: report)
        }
        try (resultLines.map { $0.serialized() }.joined(separator: "\n") + "\n").write(to: results, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.repositoryRoot.appendingPathComponent("Tests/StepLocalEngineTests/Conformance/compare_conformance.py").path,
            file.path, results.path, report.path,
        ]
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard status == 0 else { throw CompareFailed(status: status) }
        let summary = try String(contentsOf: report, encoding: .utf8)
        print(summary)
        return summary.split(separator: "\n").map(String.init)
    }

    struct CompareFailed: Error {
        let status: Int32
    }
}
