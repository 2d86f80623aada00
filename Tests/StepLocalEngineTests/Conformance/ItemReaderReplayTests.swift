import Foundation
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// Replays the Distributed Map cases of `../shared/conformance/integrations.jsonl` that read their
/// items from S3 (`Map.ItemReader`), each over the objects its recording was made with
/// (`ItemReaderObjects.json`), and compares outcome and history event types with AWS's. A case of
/// the corpus whose objects are not in that file fails the test: it must be added, not skipped.
@Suite("ItemReader cases recorded on AWS, replayed over the objects they read")
struct ItemReaderReplayTests {
    static let corpus = RecordedCorpus("integrations.jsonl")

    /// Case id → bucket → key → body, read from `ItemReaderObjects.json`.
    static func recordedObjects() throws -> [String: [String: [String: String]]] {
        let file = RecordedCorpus.repositoryRoot.appendingPathComponent("Tests/StepLocalEngineTests/Conformance/ItemReaderObjects.json")
        let document = try JSONValue(parsing: try String(contentsOf: file, encoding: .utf8))
        var cases: [String: [String: [String: String]]] = [:]
        for (id, buckets) in document["cases"]?.objectValue ?? [:] {
            var objects: [String: [String: String]] = [:]
            for (bucket, keys) in buckets.objectValue ?? [:] {
                objects[bucket] = (keys.objectValue ?? [:]).reduce(into: [:]) { $0[$1.key] = $1.value.stringValue }
            }
            cases[id] = objects
        }
        return cases
    }

    @Test("14 ItemReader cases: outcome and history event types match AWS for all")
    func replay() async throws {
        guard Self.corpus.exists else {
            Issue.record("The integrations corpus is missing at \(Self.corpus.file.path)")
            return
        }
        let objects = try Self.recordedObjects()
        var lines: [JSONValue] = []
        for (index, caseValue) in try Self.corpus.cases() {
            guard let definition = caseValue["definition"], definition.serialized().contains("\"ItemReader\"") else { continue }
            let id = caseValue["id"]?.stringValue ?? "case-\(index)"
            guard let caseObjects = objects[id] else {
                Issue.record("ItemReaderObjects.json has no objects for \(id)")
                continue
            }
            let start = VirtualClock().now()
            let store = InMemoryObjectStore(objects: caseObjects.mapValues { $0.mapValues { Array($0.utf8) } }, now: { start })
            lines.append(await RecordedCorpus.run(caseValue, index: index, objectStore: store) { _ in UnmockedTaskDispatcher() })
        }
        #expect(lines.count == 14)
        #expect(objects.count == lines.count, "ItemReaderObjects.json names cases the corpus does not hold")
        let summaryLines = try await Self.corpus.compare(lines)
        for line in [
            "conformance: 14 passed, 0 failed", "history event types JSONPath: 14 passed, 0 failed",
            "history event details JSONPath: 5 passed, 9 failed",
        ] {
            #expect(summaryLines.contains(line), "expected '\(line)'")
        }
        // The nine whose details differ were recorded before AWS's change of 2024 (issue 12):
        // their MapStateExited names MapRunSucceeded as its previous event, today's names MapRunStarted.
        let validated = Dictionary(uniqueKeysWithValues: try Self.corpus.cases().compactMap { _, value in
            value["id"]?.stringValue.map { ($0, value["last_validated"]?.stringValue ?? "") }
        })
        for line in summaryLines where line.hasPrefix("DETAILS ") {
            let caseId = validated.keys.first { line.hasPrefix("DETAILS \($0):") } ?? line
            #expect(line.contains("MapStateExited: expected {\"id\": 7, \"previousEventId\": 5"), "\(line.prefix(300))")
            #expect((validated[caseId] ?? "9999") < "2024-11", "\(caseId) was recorded after AWS's change")
        }
    }
}
