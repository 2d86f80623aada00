import StepLocalASL
import StepLocalJSON

/// A Distributed Map's ResultWriter with its `Parameters`/`Arguments` evaluated.
struct ResolvedResultWriter: Sendable {
    let spec: ResultWriterSpec
    /// Nil when the writer only reshapes the results (WriterConfig without Resource).
    let bucket: String?
    let prefix: String

    /// The transformation in force: as given, else NONE when writing to S3 and COMPACT when not
    /// ("ResultWriter (Map)", WriterConfig).
    var transformation: ResultWriterSpec.Transformation { spec.transformation ?? (bucket == nil ? .compact : .none) }
}

extension Interpreter {
    func resolveResultWriter(_ spec: ResultWriterSpec, scope: StateScope, effectiveInput: JSONValue, frame: Frame) throws(StatesError) -> ResolvedResultWriter {
        guard spec.writesToS3 else { return ResolvedResultWriter(spec: spec, bucket: nil, prefix: "") }
        let input = scope.isJSONata ? scope.rawInput : effectiveInput
        let field = scope.isJSONata ? "Arguments" : "Parameters"
        let parameters = try spec.parameters.map { t throws(StatesError) in try scope.evaluate(t, input: input, frame: frame) } ?? [:]
        guard case .object(let members) = parameters else {
            throw scope.located(.runtime("The ResultWriter's \(field) must be an object, but was: \(parameters.serialized())"))
        }
        for name in members.keys where name != "Bucket" && name != "Prefix" {
            throw scope.located(.runtime("StepLocal does not support '\(name)' in the ResultWriter's \(field) (it writes with Bucket and Prefix)"))
        }
        guard let bucket = members["Bucket"]?.stringValue, !bucket.isEmpty else {
            throw scope.located(.runtime("The ResultWriter's \(field) must give 'Bucket' as a non-empty string"))
        }
        if let prefix = members["Prefix"], prefix.stringValue == nil {
            throw scope.located(.runtime("The ResultWriter's \(field) must give 'Prefix' as a string, but it was \(prefix.serialized())"))
        }
        return ResolvedResultWriter(spec: spec, bucket: bucket, prefix: members["Prefix"]?.stringValue ?? "")
    }

    /// The state's result once the children have ended: with S3, the run's files are written
    /// (`PREFIX/RUN-ID/manifest.json` and `SUCCEEDED_0`, `FAILED_0`, `PENDING_0` for the
    /// statuses that have records) and the result names the manifest, as AWS's "ResultWriter
    /// (Map)" page shows; without, the results reshaped by the transformation.
    func writeResults(_ writer: ResolvedResultWriter, run: MapRun, inputs: ChildInputs) async throws(StatesError) -> JSONValue {
        let transformation = writer.transformation
        let children = run.children
        guard let bucket = writer.bucket else {
            var succeeded: [JSONValue] = []
            var failed: [JSONValue] = []
            collectResults(of: children, transformation: transformation, succeeded: { succeeded.append($0) }, failed: { failed.append($0) })
            return .array(succeeded + failed)
        }
        guard let store = objectStore else {
            throw .resultWriterFailed(
                "StepLocal has nowhere to write the results to s3://\(bucket)/\(writer.prefix): start the server with --s3-dir DIR "
                    + "(results land in DIR/\(bucket)/...) or an S3 endpoint (--endpoint s3=URL, AWS_ENDPOINT_URL_S3), or run the scenario with steplocal test (results are kept in memory for its s3 expectations)")
        }
        // Each record is serialised into its file as it is made: a run's records can be hundreds of
        // MB of text, which as values would take several times that.
        let lines = writer.spec.outputType == .jsonl
        var succeeded = ResultFile(lines: lines), failed = ResultFile(lines: lines), pending = ResultFile(lines: lines)
        collectResults(of: children, transformation: transformation, succeeded: { succeeded.append($0) }, failed: { failed.append($0) })
        // Items whose child never started (the run stopped at its failure threshold).
        for input in inputs.texts(from: children.count) {
            pending.append(["Input": .string(input), "InputDetails": ["Included": true], "Status": "PENDING"])
        }
        succeeded.close()
        failed.close()
        pending.close()
        let runId = ARN(run.arn)?.resource.last ?? ""
        let folder = writer.prefix.isEmpty ? runId : (writer.prefix.hasSuffix("/") ? writer.prefix + runId : "\(writer.prefix)/\(runId)")
        let suffix = lines ? "jsonl" : "json"
        var files: JSONObject = ["FAILED": [], "PENDING": [], "SUCCEEDED": []]
        do throws(ObjectStoreError) {
            for (status, file) in [("FAILED", failed), ("PENDING", pending), ("SUCCEEDED", succeeded)] where file.count > 0 {
                let body = file.bytes
                let key = "\(folder)/\(status)_0.\(suffix)"
                try await store.putObject(bucket: bucket, key: key, body: body)
                files[status] = [["Key": .string(key), "Size": .int(body.count)]]
            }
            let manifest: JSONValue = ["DestinationBucket": .string(bucket), "MapRunArn": .string(run.arn), "ResultFiles": .object(files)]
            let manifestKey = "\(folder)/manifest.json"
            try await store.putObject(bucket: bucket, key: manifestKey, body: Array(manifest.serialized().utf8))
            run.recordResultsWritten(succeeded.count + failed.count)
            return ["MapRunArn": .string(run.arn), "ResultWriterDetails": ["Bucket": .string(bucket), "Key": .string(manifestKey)]]
        } catch {
            throw .resultWriterFailed(error.causeText)
        }
    }

    /// Hands each child's part of the results, in child order, to `succeeded` or `failed`. A
    /// succeeded child's part is shaped by the transformation: its record (NONE), its output
    /// (COMPACT), or its output's elements when it is an array (FLATTEN). "If a child workflow
    /// execution fails, Step Functions returns its execution result unchanged": its record.
    private func collectResults(
        of children: [Execution], transformation: ResultWriterSpec.Transformation, succeeded: (JSONValue) -> Void,
        failed: (JSONValue) -> Void
    ) {
        for child in children {
            let ending = child.ending()
            guard ending.status == .succeeded else {
                failed(Self.executionRecord(child, ending: ending, now: clock.now()))
                continue
            }
            let output = ending.output ?? .null
            switch transformation {
            case .none: succeeded(Self.executionRecord(child, ending: ending, now: clock.now()))
            case .compact: succeeded(output)
            case .flatten:
                if case .array(let elements) = output { elements.forEach(succeeded) } else { succeeded(output) }
            }
        }
    }

    /// One child as a result file records it with Transformation NONE: its description as
    /// DescribeExecution gives it, members capitalised, input and output as JSON text.
    static func executionRecord(_ child: Execution, ending snapshot: Execution.Ending, now: Timestamp) -> JSONValue {
        var record = JSONObject()
        if snapshot.status != .succeeded {
            if let cause = snapshot.cause { record["Cause"] = .string(cause) }
            if let error = snapshot.error { record["Error"] = .string(error) }
        }
        record["ExecutionArn"] = .string(child.identity.executionArn)
        record["Input"] = .string(child.inputText ?? child.input.serialized())
        record["InputDetails"] = ["Included": true]
        record["Name"] = .string(child.identity.name)
        if snapshot.status == .succeeded {
            record["Output"] = .string((snapshot.output ?? .null).serialized())
            record["OutputDetails"] = ["Included": true]
        }
        record["RedriveCount"] = .int(snapshot.redriveCount)
        if let refusal = child.redriveRefusal(at: now) {
            record["RedriveStatus"] = "NOT_REDRIVABLE"
            record["RedriveStatusReason"] = .string(refusal.reason)
        } else {
            record["RedriveStatus"] = "REDRIVABLE_BY_MAP_RUN"
        }
        record["StartDate"] = .string(child.identity.startTime.iso8601)
        record["StateMachineArn"] = .string(child.identity.stateMachineArn)
        record["Status"] = .string(snapshot.status.rawValue)
        if let stopDate = snapshot.stopDate { record["StopDate"] = .string(stopDate.iso8601) }
        return .object(record)
    }
}

/// One result file (`SUCCEEDED_0.json`, ...) as its records are made: a JSON array, or one record
/// a line (`OutputType` JSONL).
private struct ResultFile {
    let lines: Bool
    private var body: [UInt8] = []
    private(set) var count = 0

    init(lines: Bool) {
        self.lines = lines
    }

    mutating func append(_ record: JSONValue) {
        if !lines { body.append(count == 0 ? UInt8(ascii: "[") : UInt8(ascii: ",")) }
        JSONSerializer().append(record, to: &body)
        if lines { body.append(UInt8(ascii: "\n")) }
        count += 1
    }

    /// The file's bytes, once ``close()`` has ended it.
    var bytes: [UInt8] { body }

    /// Ends the file: an array's closing bracket.
    mutating func close() {
        if !lines, count > 0 { body.append(UInt8(ascii: "]")) }
    }
}
