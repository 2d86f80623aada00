import StepLocalEngine
import StepLocalJSON

/// DescribeExecution: the execution's status, input, output or error, and how it was started.
/// `includedData: METADATA_ONLY` leaves the payloads out, as on AWS.
struct DescribeExecutionAction: ActionHandler {
    static let name = "DescribeExecution"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("executionArn")
        let record = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.execution(arn)
        }
        let snapshot = record.execution.snapshot()
        let includeData = request.string("includedData") != "METADATA_ONLY"
        var answer: JSONObject = [
            "executionArn": .string(record.arn),
            "stateMachineArn": .string(record.stateMachineArn),
            "name": .string(record.name),
            "status": .string(snapshot.status.rawValue),
            "startDate": record.startDate.json,
        ]
        if let stopDate = snapshot.stopDate { answer["stopDate"] = stopDate.json }
        if includeData { answer["input"] = .string(record.inputText) }
        answer["inputDetails"] = .executionDataDetails(included: includeData)
        if snapshot.status == .succeeded {
            if includeData { answer["output"] = .string(snapshot.output?.serialized() ?? "null") }
            answer["outputDetails"] = .executionDataDetails(included: includeData)
        }
        if let traceHeader = record.traceHeader { answer["traceHeader"] = .string(traceHeader) }
        // AWS describes a TIMED_OUT execution without error and cause (recorded in the conformance
        // corpus); the ExecutionTimedOut event still carries States.Timeout.
        if snapshot.status != .timedOut {
            if let error = snapshot.error { answer["error"] = .string(error) }
            if let cause = snapshot.cause { answer["cause"] = .string(cause) }
        }
        if let version = record.stateMachineVersionArn { answer["stateMachineVersionArn"] = .string(version) }
        if let alias = record.stateMachineAliasArn { answer["stateMachineAliasArn"] = .string(alias) }
        if let mapRunArn = record.mapRunArn { answer["mapRunArn"] = .string(mapRunArn) }
        answer["redriveCount"] = .int(snapshot.identity.redriveCount)
        if let redriveDate = snapshot.redriveDate { answer["redriveDate"] = redriveDate.json }
        let refusal = record.execution.redriveRefusal(at: request.services.now())
        if record.mapRunArn != nil, refusal == nil {
            // A map run's failed children are redriven through their parent, as on AWS.
            answer["redriveStatus"] = "REDRIVABLE_BY_MAP_RUN"
        } else if let refusal {
            answer["redriveStatus"] = "NOT_REDRIVABLE"
            answer["redriveStatusReason"] = .string(refusal.reason)
        } else {
            answer["redriveStatus"] = "REDRIVABLE"
        }
        return .object(answer)
    }
}
