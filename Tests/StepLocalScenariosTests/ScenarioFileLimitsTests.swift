import Foundation
import StepLocalIntegrations
import StepLocalScenarios
import Testing

/// Hostile scenario and mock-config files are refused with the file and line, never crash or hang.
@Suite("Scenario and mock file limits")
struct ScenarioFileLimitsTests {
    static func parse(_ text: String) -> ScenarioError? {
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(text, file: "hostile.yaml") }
    }

    @Test("YAML nested 10,000 deep, in flow or block style, is refused before it is composed")
    func deepNesting() {
        let flow = "definition: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
        let flowError = Self.parse(flow)
        #expect(flowError?.file == "hostile.yaml")
        #expect(flowError?.line == 1)
        #expect(flowError?.message.contains("nests deeper than 256 levels") == true, "\(flowError?.description ?? "no error")")

        let block = (0..<10_000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " 1\n"
        let blockError = Self.parse(block)
        #expect(blockError?.message.contains("nests deeper than 256 levels") == true, "\(blockError?.description ?? "no error")")
        #expect(blockError?.line == 257, "the line where level 257 opens")
    }

    @Test("Nesting up to the limit still loads (and then fails only for what it is: not a scenario)")
    func nestingAtTheLimit() {
        let text = "definition: " + String(repeating: "[", count: 255) + String(repeating: "]", count: 255) + "\n"
        let error = Self.parse(text)
        #expect(error?.message.contains("nests deeper") == false, "\(error?.description ?? "no error")")
    }

    @Test("A billion-laughs alias bomb is refused at once, naming the line where the expansion passes the limit")
    func aliasBomb() {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]")
        }
        let clock = ContinuousClock()
        var error: ScenarioError?
        let elapsed = clock.measure { error = Self.parse(lines.joined(separator: "\n") + "\n") }
        #expect(error?.message.contains("more than 1000000 values once its aliases are expanded") == true, "\(error?.description ?? "no error")")
        #expect(error?.line == 6, "a5 stands for 1,111,111 values")
        #expect(elapsed < .seconds(5), "does not hang")
    }

    @Test("Aliases nested inside one another count their depth where they are used")
    func deepThroughAliases() {
        var lines = ["d0: &d0 " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)]
        lines.append("d1: " + String(repeating: "[", count: 60) + "*d0" + String(repeating: "]", count: 60))
        let error = Self.parse(lines.joined(separator: "\n") + "\n")
        #expect(error?.message.contains("nests deeper than 256 levels") == true, "\(error?.description ?? "no error")")
        #expect(error?.line == 2, "\(error?.description ?? "no error")")
    }

    @Test("Scenario, definition and mock-config files over 10 MiB are refused by size, naming the file")
    func oversizedFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steplocal-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let big = directory.appendingPathComponent("big.yaml")
        try Data(repeating: UInt8(ascii: "#"), count: ConfigurationFileText.maximumBytes + 1).write(to: big)
        let scenarioError = #expect(throws: ScenarioError.self) { try ScenarioLoader.load(path: big.path) }
        #expect(scenarioError?.file == big.path)
        #expect(scenarioError?.message.contains("larger than 10 MiB") == true)
        let definitionError = #expect(throws: ScenarioError.self) {
            try ScenarioLoader.parse("definition: big.yaml\ncases: []\n", file: directory.appendingPathComponent("s.yaml").path)
        }
        #expect(definitionError?.location == "/definition")
        #expect(definitionError?.message.contains("larger than 10 MiB") == true, "\(definitionError?.description ?? "no error")")
        let mockError = #expect(throws: MockConfigError.self) { try MockConfigLoader.load(path: big.path) }
        #expect(mockError?.description.hasPrefix(big.path) == true)
        #expect(mockError?.message.contains("larger than 10 MiB") == true)
    }
}
