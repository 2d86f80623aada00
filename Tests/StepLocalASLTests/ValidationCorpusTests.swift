import Foundation
import StepLocalASL
import StepLocalJSON
import Testing

/// Replays `../shared/conformance/validation.jsonl`: CreateStateMachine and
/// ValidateStateMachineDefinition answers recorded on AWS for invalid (and a few valid) definitions.
@Suite("Validation diagnostics recorded on AWS")
struct ValidationCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/conformance/validation.jsonl")

    struct Case: CustomTestStringConvertible, Sendable {
        let id: String
        let api: String
        let text: String
        let type: StateMachineType
        let expected: JSONValue
        var testDescription: String { String(id.split(separator: "::").last ?? Substring(id)) }
    }

    static let cases: [Case] = {
        guard let text = try? String(contentsOf: corpus, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let value = try? JSONValue(parsing: String(line)) else { return nil }
            let definitionText = value["definition_raw"]?.stringValue ?? (value["definition"] ?? .null).serialized()
            return Case(
                id: value["id"]?.stringValue ?? "?", api: value["api"]?.stringValue ?? "",
                text: definitionText, type: StateMachineType(rawValue: value["type"]?.stringValue ?? "STANDARD") ?? .standard,
                expected: value["expected"] ?? .null)
        }
    }()

    @Test("The corpus is present with its 26 cases")
    func corpusPresent() {
        #expect(Self.cases.count == 26, "validation corpus missing or changed at \(Self.corpus.path)")
    }

    @Test("Each recorded case gets AWS's answer (codes, messages and locations)", arguments: cases)
    func replay(_ c: Case) {
        let diagnostics = StateMachineDefinition.validate(c.text, type: c.type).filter { $0.severity == .error }
        if c.api == "CreateStateMachine" {
            #expect(!diagnostics.isEmpty, "AWS rejected this definition")
            let expected = (c.expected["message"]?.stringValue ?? "").replacingOccurrences(of: "<partition>", with: "aws")
            #expect(DefinitionLoadError(diagnostics: diagnostics).invalidDefinitionMessage == expected)
        } else {
            let expectedList = c.expected["diagnostics"]?.arrayValue ?? []
            #expect((c.expected["result"]?.stringValue == "OK") == diagnostics.isEmpty)
            #expect(diagnostics.count == expectedList.count, "\(diagnostics)")
            for (actual, expected) in zip(diagnostics, expectedList) {
                #expect(actual.code == expected["code"]?.stringValue)
                #expect(actual.message == expected["message"]?.stringValue)
                #expect(actual.location == expected["location"]?.stringValue)
            }
        }
    }
}
