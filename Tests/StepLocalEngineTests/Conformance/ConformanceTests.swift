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
        guard let lines = try await Self.runEveryCase(keptHistories: .all) else { return }
        let summaryLines = try await Self.corpus.compare(lines)
        #expect(summaryLines.contains("JSONPath: 364 passed, 0 failed"))
        #expect(summaryLines.contains("JSONata: 61 passed, 0 failed"))
        #expect(summaryLines.contains("conformance: 425 passed, 0 failed"))
        // Every recorded history (not of a sync execution), event type by event type, in order.
        #expect(summaryLines.contains("history event types JSONPath: 125 passed, 0 failed"))
        #expect(summaryLines.contains("history event types JSONata: 61 passed, 0 failed"))
        // Each event's details and previousEventId after the corpus's normalisation. The cases
        // that differ are exactly those of KnownHistoryDetailDifferences.txt, each with its reason.
        #expect(summaryLines.contains("history event details JSONPath: 117 passed, 6 failed"))
        #expect(summaryLines.contains("history event details JSONata: 61 passed, 0 failed"))
        let differing = Set(summaryLines.filter { $0.hasPrefix("DETAILS ") }.compactMap { $0.dropFirst(8).components(separatedBy: ": ").first })
        #expect(differing == (try Self.knownDetailDifferences()))
    }

    @Test("every pure case gives AWS's status, output, error and cause when its history is only counted, as the server runs EXPRESS executions")
    func outcomesWithoutAKeptHistory() async throws {
        guard let lines = try await Self.runEveryCase(keptHistories: .none) else { return }
        #expect(lines.allSatisfy { $0["history_types"] == .array([]) })
        // Error causes name the state's entered event id (`entered at the event id #2`): counted
        // without a history, the ids are the same.
        let summaryLines = try await Self.corpus.compare(lines)
        #expect(summaryLines.contains("conformance: 425 passed, 0 failed"), "\(summaryLines.filter { !$0.hasPrefix("DETAILS ") })")
    }

    /// Every case's result line; nil (an issue recorded) when the corpus is missing.
    static func runEveryCase(keptHistories: KeptHistories) async throws -> [JSONValue]? {
        guard corpus.exists else {
            Issue.record("The conformance corpus is missing at \(corpus.file.path)")
            return nil
        }
        var lines: [JSONValue] = []
        for (index, caseValue) in try corpus.cases() {
            lines.append(await RecordedCorpus.run(caseValue, index: index, keptHistories: keptHistories) { _ in UnmockedTaskDispatcher() })
        }
        return lines
    }

    /// The case ids listed in KnownHistoryDetailDifferences.txt (`<id> | <reason>`; every entry needs a reason).
    static func knownDetailDifferences() throws -> Set<String> {
        let file = RecordedCorpus.repositoryRoot.appendingPathComponent("Tests/StepLocalEngineTests/Conformance/KnownHistoryDetailDifferences.txt")
        var ids: Set<String> = []
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.components(separatedBy: " | ")
            #expect(parts.count == 2 && !parts[1].isEmpty, "an entry without a reason: \(line)")
            ids.insert(parts[0])
        }
        return ids
    }
}
