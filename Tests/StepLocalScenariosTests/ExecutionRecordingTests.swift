import Foundation
import StepLocalJSON
import StepLocalScenarios
import Testing

/// `steplocal record`: a history as AWS returns it becomes a scenario whose case passes at once,
/// with each Task's answers (retries included) as its mocks.
@Suite("Recording executions as scenarios")
struct ExecutionRecordingTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func replay(_ scenario: JSONValue) async throws -> CaseResult {
        let parsed = try ScenarioLoader.parse(scenario.serialized(), file: repositoryRoot.appendingPathComponent("scenarios/recorded.json").path)
        let results = await ScenarioRunner().run(ScenarioRunner.select([parsed], filter: nil))
        return try #require(results.first)
    }

    static let names = ExecutionRecording.Names(scenario: "Recorded", stateMachine: "Orders", caseName: "prod failure")

    static let definition: JSONValue = try! JSONValue(parsing: #"""
        {"StartAt":"Charge","States":{
          "Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:charge",
            "Retry":[{"ErrorEquals":["Lambda.ServiceException"],"IntervalSeconds":2,"MaxAttempts":2}],"Next":"Both"},
          "Both":{"Type":"Parallel","Branches":[
            {"StartAt":"Email","States":{"Email":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"Message":"hi"},"End":true}}},
            {"StartAt":"Ledger","States":{"Ledger":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","Parameters":{"TableName":"L","Item":{}},"End":true}}}],
            "End":true}}}
        """#)

    /// A history shaped as GetExecutionHistory returns it (payloads as JSON text): a Lambda that
    /// fails once and is retried, then a Parallel whose branches' events interleave, the second
    /// branch failing the execution.
    static let history: JSONValue = try! JSONValue(parsing: #"""
        {"events":[
          {"id":1,"previousEventId":0,"type":"ExecutionStarted","executionStartedEventDetails":{"input":"{\"order\":7}","roleArn":"r"}},
          {"id":2,"previousEventId":0,"type":"TaskStateEntered","stateEnteredEventDetails":{"name":"Charge","input":"{\"order\":7}"}},
          {"id":3,"previousEventId":2,"type":"LambdaFunctionScheduled","lambdaFunctionScheduledEventDetails":{"resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","input":"{\"order\":7}"}},
          {"id":4,"previousEventId":3,"type":"LambdaFunctionStarted"},
          {"id":5,"previousEventId":4,"type":"LambdaFunctionFailed","lambdaFunctionFailedEventDetails":{"error":"Lambda.ServiceException","cause":"busy"}},
          {"id":6,"previousEventId":5,"type":"LambdaFunctionScheduled","lambdaFunctionScheduledEventDetails":{"resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","input":"{\"order\":7}"}},
          {"id":7,"previousEventId":6,"type":"LambdaFunctionStarted"},
          {"id":8,"previousEventId":7,"type":"LambdaFunctionSucceeded","lambdaFunctionSucceededEventDetails":{"output":"{\"charged\":true}"}},
          {"id":9,"previousEventId":8,"type":"TaskStateExited","stateExitedEventDetails":{"name":"Charge","output":"{\"charged\":true}"}},
          {"id":10,"previousEventId":9,"type":"ParallelStateEntered","stateEnteredEventDetails":{"name":"Both","input":"{\"charged\":true}"}},
          {"id":11,"previousEventId":10,"type":"ParallelStateStarted"},
          {"id":12,"previousEventId":11,"type":"TaskStateEntered","stateEnteredEventDetails":{"name":"Email","input":"{\"charged\":true}"}},
          {"id":13,"previousEventId":11,"type":"TaskStateEntered","stateEnteredEventDetails":{"name":"Ledger","input":"{\"charged\":true}"}},
          {"id":14,"previousEventId":12,"type":"TaskScheduled","taskScheduledEventDetails":{"resource":"publish","resourceType":"sns","region":"us-east-1","parameters":"{\"Message\":\"hi\"}"}},
          {"id":15,"previousEventId":13,"type":"TaskScheduled","taskScheduledEventDetails":{"resource":"putItem","resourceType":"dynamodb","region":"us-east-1","parameters":"{}"}},
          {"id":16,"previousEventId":15,"type":"TaskStarted","taskStartedEventDetails":{"resource":"putItem","resourceType":"dynamodb"}},
          {"id":17,"previousEventId":14,"type":"TaskStarted","taskStartedEventDetails":{"resource":"publish","resourceType":"sns"}},
          {"id":18,"previousEventId":17,"type":"TaskSucceeded","taskSucceededEventDetails":{"resource":"publish","resourceType":"sns","output":"{\"MessageId\":\"m-1\"}"}},
          {"id":19,"previousEventId":16,"type":"TaskFailed","taskFailedEventDetails":{"resource":"putItem","resourceType":"dynamodb","error":"DynamoDB.ProvisionedThroughputExceededException","cause":"slow down"}},
          {"id":20,"previousEventId":19,"type":"ParallelStateFailed"},
          {"id":21,"previousEventId":20,"type":"ExecutionFailed","executionFailedEventDetails":{"error":"DynamoDB.ProvisionedThroughputExceededException","cause":"slow down"}}
        ]}
        """#)

    @Test("A failed execution's history becomes a case: input, each Task's answers in call order, the outcome and states")
    func recordsAFailedExecution() throws {
        let scenario = try ExecutionRecording.scenario(
            definition: Self.definition, events: try ExecutionRecording.events(in: Self.history), names: Self.names)
        let testCase = try #require(scenario["cases"]?.arrayValue?.first)
        #expect(testCase["input"] == ["order": 7])
        #expect(testCase["mocks"]?["Charge"] == [["throw": ["error": "Lambda.ServiceException", "cause": "busy"]], ["return": ["charged": true]]])
        #expect(testCase["mocks"]?["Email"] == [["return": ["MessageId": "m-1"]]])
        #expect(testCase["mocks"]?["Ledger"] == [["throw": ["error": "DynamoDB.ProvisionedThroughputExceededException", "cause": "slow down"]]])
        #expect(testCase["expect"] == [
            "status": "FAILED", "error": "DynamoDB.ProvisionedThroughputExceededException", "cause": "slow down",
            "states": ["Charge", "Both", "Email", "Ledger"], "calls": ["Charge": 2, "Email": 1, "Ledger": 1],
        ])
    }

    @Test("The recorded case passes under steplocal test's runner, offline, on the virtual clock")
    func recordedCasePasses() async throws {
        let scenario = try ExecutionRecording.scenario(
            definition: Self.definition, events: try ExecutionRecording.events(in: Self.history), names: Self.names)
        let result = try await Self.replay(scenario)
        #expect(result.passed, "\(result.failures)")
    }

    @Test("A history that has not ended, or is not a history, is refused with the reason")
    func refusals() throws {
        let running: JSONValue = ["events": [["id": 1, "previousEventId": 0, "type": "ExecutionStarted", "executionStartedEventDetails": ["input": "{}"]]]]
        #expect(throws: ExecutionRecording.Failure.self) {
            try ExecutionRecording.scenario(definition: Self.definition, events: try ExecutionRecording.events(in: running), names: Self.names)
        }
        #expect(throws: ExecutionRecording.Failure.self) { try ExecutionRecording.events(in: ["nope": 1]) }
        #expect(throws: ExecutionRecording.Failure.self) { try ExecutionRecording.definition(in: ["States": [:]]) }
        #expect(try ExecutionRecording.definition(in: ["definition": .string(Self.definition.serialized())]) == Self.definition)
    }

    /// The corpus stores a JSON cause parsed (its normalisation); AWS's export has it as text, which
    /// is written back compactly here (as Lambda sends it; a few expected outputs hold it re-spaced).
    static func causesAsText(_ events: [JSONValue]) -> [JSONValue] {
        events.map { event in
            guard var object = event.objectValue else { return event }
            for (key, value) in object where key.hasSuffix("EventDetails") {
                guard var details = value.objectValue, let cause = details["cause"], cause.stringValue == nil else { continue }
                details["cause"] = .string(cause.serialized())
                object[key] = .object(details)
            }
            return .object(object)
        }
    }

    /// The integration cases recorded on AWS (`../shared/conformance/integrations.jsonl`) whose
    /// history is complete: each is recorded and replayed, and must end as it did on AWS.
    @Test("Histories recorded on AWS (the conformance corpus's integration cases) replay to their recorded outcome")
    func corpusHistoriesReplay() async throws {
        let corpus = Self.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/integrations.jsonl")
        let text = try #require(try? String(contentsOf: corpus, encoding: .utf8), "missing corpus \(corpus.path)")
        var replayed = 0, matched = 0, notLoadable = 0
        var mismatches: [String] = []
        for line in text.split(separator: "\n") {
            let record = try JSONValue(parsing: String(line))
            guard let events = record["history"]?.arrayValue.map(Self.causesAsText), !events.isEmpty, let definition = record["definition"],
                let status = record["expected"]?["status"]?.stringValue, status != "RUNNING"
            else { continue }
            let id = record["id"]?.stringValue ?? "?"
            let scenario: JSONValue
            do {
                scenario = try ExecutionRecording.scenario(
                    definition: definition, events: events, names: .init(scenario: id, stateMachine: "Recorded", caseName: "aws"))
            } catch {
                notLoadable += 1
                continue
            }
            let loaded: Scenario
            do {
                loaded = try ScenarioLoader.parse(scenario.serialized(), file: Self.repositoryRoot.appendingPathComponent("scenarios/recorded.json").path)
            } catch {
                notLoadable += 1  // a definition with the corpus's unresolved placeholders does not load
                continue
            }
            replayed += 1
            let result = try #require(await ScenarioRunner().run(ScenarioRunner.select([loaded], filter: nil)).first)
            if result.passed { matched += 1 } else { mismatches.append("\(id): \(result.failures.joined(separator: "; ").prefix(300))") }
        }
        let summary = "recorded corpus replays: \(matched) passed, \(replayed - matched) failed, \(notLoadable) not loadable"
        print(summary)
        for mismatch in mismatches { print("  " + mismatch) }
        // The 10 that differ, by cause: two workers failed a token with no error, which a
        // scenario mock's `throw` cannot say; AWS let States.ALL catch States.DataLimitExceeded
        // (its error-handling page says it cannot; we follow the page); two causes the corpus
        // keeps re-spaced by Python while the history has them parsed, so the text cannot be
        // restored; three Parallel and Map histories whose events the recorder re-sorted, so the
        // answers cannot be matched to their states and the replay ends otherwise (two Maps exceed
        // their failure tolerance, a Parallel's Catch sees another error); two Parallel catch cases
        // of the same kind; API Gateway Headers validated as AWS does (1). 14 more are Distributed
        // Maps whose ItemReader reads S3 objects the corpus does not hold (a history records no
        // object contents), so their replay has no s3 section and fails with
        // States.ItemReaderFailed. 3 definitions hold the corpus's unresolved placeholders
        // (`<<opaque:...>>` resources) and do not load.
        #expect(summary == "recorded corpus replays: 92 passed, 24 failed, 3 not loadable")
    }
}
