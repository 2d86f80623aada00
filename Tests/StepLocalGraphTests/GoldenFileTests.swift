import StepLocalASL
import StepLocalGraph
import Testing

/// The exact SVG, DOT and Mermaid of every example definition, pinned in Golden/<name>.svg,
/// .dot and .mmd next to this file and compared byte for byte.
///
/// After an intended change to the drawings, regenerate them with
///     STEPLOCAL_UPDATE_GOLDEN=1 swift test --filter StepLocalGraphTests
/// and review the diff. A missing golden file fails the test (it is not silently created).
@Suite("Golden diagrams of the example definitions")
struct GoldenFileTests {
    static let goldenFolder: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Golden"
    }()

    static let updating = environmentValue("STEPLOCAL_UPDATE_GOLDEN") == "1"

    @Test("SVG, DOT and Mermaid match the golden files", arguments: GraphFixtures.scenarioNames)
    func matchesGolden(name: String) throws {
        let graph = StateMachineGraph(definition: try GraphFixtures.scenarioDefinition(name))
        for (suffix, text) in [("svg", graph.svg()), ("dot", graph.dot()), ("mmd", graph.mermaid())] {
            let path = "\(Self.goldenFolder)/\(name).\(suffix)"
            if Self.updating {
                try writeText(text, to: path)
                continue
            }
            guard fileExists(path) else {
                Issue.record("Missing golden file \(path); run with STEPLOCAL_UPDATE_GOLDEN=1 to create it")
                continue
            }
            let golden = try readText(path)
            #expect(golden == text, "\(name).\(suffix) differs from its golden file; rerun with STEPLOCAL_UPDATE_GOLDEN=1 if the change is intended")
        }
    }
}
