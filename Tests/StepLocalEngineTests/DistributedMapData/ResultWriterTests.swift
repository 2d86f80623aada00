import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// ResultWriter, from AWS's "ResultWriter (Map)" page: with `s3:putObject` the children's
/// results are written under `PREFIX/MAP-RUN-ID/` (manifest.json, SUCCEEDED_0.json, FAILED_0.json,
/// PENDING_0.json) and the state's result names the manifest; WriterConfig reshapes them.
@Suite("Distributed Map ResultWriter")
struct ResultWriterTests {
    static let writer = #""ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"results","Prefix":"csvProcessJobs"}}"#

    static func json(_ bytes: [UInt8]?) -> JSONValue { Harness.json(String(decoding: bytes ?? [], as: UTF8.self)) }

    @Test("the result is MapRunArn and ResultWriterDetails; the manifest lists SUCCEEDED_0.json with its size; records carry execution metadata (NONE)")
    func writesFiles() async throws {
        let store = S3Harness.store(["results": [:]])
        let snapshot = try await S3Harness.run(
            S3Harness.map(#""ItemsPath":"$.items","# + Self.writer), input: #"{"items":["alpha","bravo"]}"#, store: store)
        #expect(snapshot.status == .succeeded)
        let output = try #require(snapshot.output)
        let mapRunArn = try #require(output["MapRunArn"]?.stringValue)
        let runId = try #require(mapRunArn.split(separator: ":").last.map(String.init))
        #expect(output["ResultWriterDetails"] == ["Bucket": "results", "Key": .string("csvProcessJobs/\(runId)/manifest.json")])
        let files = store.objects(in: "results")
        #expect(files.keys.sorted() == ["csvProcessJobs/\(runId)/SUCCEEDED_0.json", "csvProcessJobs/\(runId)/manifest.json"])
        let succeeded = files["csvProcessJobs/\(runId)/SUCCEEDED_0.json"]
        #expect(Self.json(files["csvProcessJobs/\(runId)/manifest.json"]) == [
            "DestinationBucket": "results", "MapRunArn": .string(mapRunArn),
            "ResultFiles": ["FAILED": [], "PENDING": [], "SUCCEEDED": [["Key": .string("csvProcessJobs/\(runId)/SUCCEEDED_0.json"), "Size": .int(succeeded?.count ?? 0)]]],
        ])
        let records = try #require(Self.json(succeeded).arrayValue)
        #expect(records.count == 2)
        let first = records[0]
        #expect(first["Input"] == "\"alpha\"" && first["Output"] == "\"alpha\"" && first["Status"] == "SUCCEEDED")
        #expect(first["InputDetails"] == ["Included": true] && first["OutputDetails"] == ["Included": true])
        #expect(first["RedriveStatus"] == "NOT_REDRIVABLE" && first["RedriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven")
        #expect(first["StateMachineArn"] == "arn:aws:states:us-east-1:123456789012:stateMachine:TestMachine/M")
        #expect(first["ExecutionArn"]?.stringValue?.hasPrefix("arn:aws:states:us-east-1:123456789012:execution:TestMachine/M:") == true)
        #expect(first["StartDate"]?.stringValue?.hasSuffix("Z") == true && first["StopDate"] != nil && first["Name"] != nil)
        #expect(first["RedriveCount"] == .int(0))
        #expect(snapshot.eventTypes.suffix(5) == ["MapRunStarted", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"])
    }

    @Test("failed children within the tolerance go to FAILED_0.json with Error and Cause and no Output")
    func failedRecords() async throws {
        let store = S3Harness.store(["results": [:]])
        let processor = #"{"P":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Good"},"Good":{"Type":"Succeed"},"Bad":{"Type":"Fail","Error":"Item.Bad","Cause":"two"}}"#
        let snapshot = try await S3Harness.run(
            S3Harness.map(#""ItemsPath":"$.items","ToleratedFailureCount":1,"# + Self.writer, processor: processor), input: #"{"items":[1,2,3]}"#,
            store: store)
        #expect(snapshot.status == .succeeded)
        let files = store.objects(in: "results")
        let failedKey = try #require(files.keys.first { $0.hasSuffix("/FAILED_0.json") })
        let failed = try #require(Self.json(files[failedKey]).arrayValue)
        #expect(failed.count == 1)
        #expect(failed[0]["Error"] == "Item.Bad" && failed[0]["Cause"] == "two" && failed[0]["Status"] == "FAILED" && failed[0]["Output"] == nil)
        #expect(failed[0]["RedriveStatus"] == "REDRIVABLE_BY_MAP_RUN")
        let succeededKey = try #require(files.keys.first { $0.hasSuffix("/SUCCEEDED_0.json") })
        #expect(Self.json(files[succeededKey]).arrayValue?.count == 2)
    }

    @Test("a run over its failure threshold still writes its FAILED and PENDING files, then fails")
    func thresholdExceeded() async throws {
        let store = S3Harness.store(["results": [:]])
        let snapshot = try await S3Harness.run(
            S3Harness.map(#""ItemsPath":"$.items","MaxConcurrency":1,"# + Self.writer, processor: #"{"P":{"Type":"Fail","Error":"E"}}"#),
            input: #"{"items":[1,2,3]}"#, store: store)
        expectFailed(snapshot, error: "States.ExceedToleratedFailureThreshold")
        let keys = store.objects(in: "results").keys.map { String($0.split(separator: "/").last ?? "") }.sorted()
        #expect(keys == ["FAILED_0.json", "PENDING_0.json", "manifest.json"])
    }

    @Test("WriterConfig without Resource reshapes the result: COMPACT (outputs), FLATTEN (arrays spread), NONE (records)")
    func writerConfigOnly() async throws {
        let processor = #"{"P":{"Type":"Pass","Parameters":{"pair.$":"States.Array($, $)"},"OutputPath":"$.pair","End":true}}"#
        func run(_ transformation: String) async throws -> ExecutionSnapshot {
            try await S3Harness.run(
                S3Harness.map(#""ItemsPath":"$.items","ResultWriter":{"WriterConfig":{"Transformation":"\#(transformation)","OutputType":"JSON"}}"#, processor: processor),
                input: #"{"items":[1,2]}"#, store: nil)
        }
        expectSucceeded(try await run("COMPACT"), output: "[[1,1],[2,2]]")
        expectSucceeded(try await run("FLATTEN"), output: "[1,1,2,2]")
        let none = try await run("NONE")
        #expect(none.output?.arrayValue?.first?["Output"] == "[1,1]")
    }

    @Test("OutputType JSONL writes one record per line, and FLATTEN applies to the files")
    func jsonLinesFiles() async throws {
        let store = S3Harness.store(["results": [:]])
        let writer = #""ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"results"},"WriterConfig":{"Transformation":"FLATTEN","OutputType":"JSONL"}}"#
        let snapshot = try await S3Harness.run(
            S3Harness.map(#""ItemsPath":"$.items","# + writer), input: #"{"items":[[1,2],[3]]}"#, store: store)
        #expect(snapshot.status == .succeeded)
        let files = store.objects(in: "results")
        let key = try #require(files.keys.first { $0.hasSuffix("/SUCCEEDED_0.jsonl") })
        #expect(String(decoding: files[key] ?? [], as: UTF8.self) == "1\n2\n3\n")
        // No Prefix: the run's folder sits at the top of the bucket.
        #expect(key.split(separator: "/").count == 2)
    }

    @Test("a bucket that does not exist fails the state with States.ResultWriterFailed after MapRunFailed")
    func missingBucket() async throws {
        let snapshot = try await S3Harness.run(
            S3Harness.map(#""ItemsPath":"$.items","# + Self.writer), input: #"{"items":[1]}"#, store: S3Harness.store([:]))
        expectFailed(snapshot, error: "States.ResultWriterFailed", cause: "The specified bucket does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchBucket)")
        #expect(snapshot.eventTypes.suffix(4) == ["MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"])
    }

    @Test("without an object store, writing fails loudly, saying how to give it one")
    func noStore() async throws {
        let snapshot = try await S3Harness.run(S3Harness.map(#""ItemsPath":"$.items","# + Self.writer), input: #"{"items":[1]}"#, store: nil)
        expectFailed(snapshot, error: "States.ResultWriterFailed")
        #expect(snapshot.cause?.contains("--s3-dir") == true)
    }

    @Test("ResultSelector and ResultPath apply to the ResultWriterDetails result")
    func resultPath() async throws {
        let store = S3Harness.store(["results": [:]])
        let snapshot = try await S3Harness.run(
            S3Harness.map(#""ItemsPath":"$.items","ResultSelector":{"manifest.$":"$.ResultWriterDetails.Key"},"ResultPath":"$.written","# + Self.writer),
            input: #"{"items":[1]}"#, store: store)
        let key = try #require(snapshot.output?["written"]?["manifest"]?.stringValue)
        #expect(key.hasPrefix("csvProcessJobs/") && key.hasSuffix("/manifest.json"))
        #expect(store.objects(in: "results")[key] != nil)
    }
}
