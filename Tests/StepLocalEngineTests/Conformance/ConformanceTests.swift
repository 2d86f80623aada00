import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// Runs every pure case of `../shared/conformance/pure.jsonl` (recorded on real AWS) through the
/// engine on a virtual clock, then compares with the corpus's own normaliser.
@Suite("Conformance with executions recorded on AWS")
struct ConformanceTests {
    static let corpus = RecordedCorpus("pure.jsonl")

    @Test("every pure case (364 JSONPath, 61 JSONata) gives AWS's status, output, error, cause and history event types")
    func pureCases() async throws {
        guard Self.corpus.exists else {
            Issue.record("The conformance corpus is missing at \(Self.corpus.file.path)")
            return
        }
        var lines: [JSONValue] = []
        for (index, caseValue) in try Self.corpus.cases() {
            lines.append(await RecordedCorpus.run(caseValue, index: index) { _ in UnmockedTaskDispatcher() })
        }
        let summaryLines = try Self.corpus.compare(lines)
        #expect(summaryLines.contains("JSONPath: 364 passed, 0 failed"))
        #expect(summaryLines.contains("JSONata: 61 passed, 0 failed"))
        #expect(summaryLines.contains("conformance: 425 passed, 0 failed"))
        // Every recorded history (not of a sync execution), event type by event type, in order.
        #expect(summaryLines.contains("history event types JSONPath: 125 passed, 0 failed"))
        #expect(summaryLines.contains("history event types JSONata: 61 passed, 0 failed"))
        // Each event's details and previousEventId after the corpus's normalisation. The two that
        // differ are Distributed Maps whose MapStateExited AWS chained to MapRunStarted, where 19
        // of its 26 recorded Distributed Map histories chain it to MapRunSucceeded (a race in AWS).
        #expect(summaryLines.contains("history event details JSONPath: 121 passed, 2 failed"))
        #expect(summaryLines.contains("history event details JSONata: 61 passed, 0 failed"))
    }
}
