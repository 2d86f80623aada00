import Foundation
import StepLocalJSON
import StepLocalJSONata
import Testing

/// Runs jsonata-js's official conformance suite (`<repo>/../shared/jsonata-test-suite`, or
/// `$JSONATA_TEST_SUITE`) against ``JSONataExpression``: every case must pass except exactly those
/// listed, each with its reason, in `KnownFailures.txt` next to this file. A missing suite fails.
struct JSONataSuiteTests {
    static var suiteURL: URL {
        if let env = ProcessInfo.processInfo.environment["JSONATA_TEST_SUITE"] { return URL(fileURLWithPath: env) }
        // <repo>/Tests/StepLocalJSONataTests/JSONataSuiteTests.swift → <repo>/../shared/jsonata-test-suite
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/jsonata-test-suite")
    }

    static let knownFailuresURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("KnownFailures.txt")

    /// The case ids of `KnownFailures.txt` (`<case id> — <reason>` per line, `#` comments).
    static func knownFailures() throws -> Set<String> {
        let text = try String(contentsOf: knownFailuresURL, encoding: .utf8)
        var ids: Set<String> = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.components(separatedBy: " — ")
            precondition(parts.count == 2 && !parts[1].isEmpty, "KnownFailures.txt: every line needs a reason: \(line)")
            ids.insert(parts[0])
        }
        return ids
    }

    @Test("The official JSONata test suite passes every case but the known failures (1682 of 1686)")
    func officialSuite() throws {
        let root = Self.suiteURL
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("groups").path) else {
            Issue.record("The JSONata test suite is missing at \(root.path): expected ../shared/jsonata-test-suite beside the repository")
            return
        }
        // Deeply recursive cases need more stack than a test thread has; run on a big-stack thread.
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.report = JSONataSuiteRunner(root: root, groupFilter: ProcessInfo.processInfo.environment["JSONATA_SUITE_GROUP"]).run()
            done.signal()
        }
        thread.stackSize = 1 << 29
        thread.start()
        done.wait()
        let report = try #require(box.report)
        print(report.text)
        let failing = Set(report.text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("FAIL ") else { return nil }
            return String(line.dropFirst(5).prefix { $0 != ":" })
        })
        let known = try Self.knownFailures()
        #expect(failing.subtracting(known).isEmpty, "new failures: \(failing.subtracting(known).sorted())")
        #expect(known.subtracting(failing).isEmpty, "now passing, remove from KnownFailures.txt: \(known.subtracting(failing).sorted())")
        if ProcessInfo.processInfo.environment["JSONATA_SUITE_GROUP"] == nil {
            #expect(report.passed == 1682 && report.failed == 1686 - 1682, "\(report.passed) passed, \(report.failed) failed")
        }
    }
}

/// Carries the runner's report out of the big-stack thread.
final class ResultBox: @unchecked Sendable {
    // Written once by the worker thread before the semaphore is signalled, read after waiting.
    var report: JSONataSuiteRunner.Report?
}
