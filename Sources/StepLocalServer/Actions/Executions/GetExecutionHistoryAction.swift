import StepLocalJSON

/// GetExecutionHistory: the execution's events, oldest first unless `reverseOrder`, with
/// payloads unless `includeExecutionData` is false, paged by `maxResults` (default 100).
struct GetExecutionHistoryAction: ActionHandler {
    static let name = "GetExecutionHistory"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("executionArn")
        let record = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.execution(arn)
        }
        let reverse = request.bool("reverseOrder") ?? false
        let includeData = request.bool("includeExecutionData") ?? true
        var events = record.execution.snapshot().history
        if reverse { events.reverse() }
        return try PageToken.answer(events, position: { reverse ? -$0.id : $0.id }, key: "events", request: request, scope: "History|\(arn)|\(reverse)") {
            $0.json(includeExecutionData: includeData)
        }
    }
}
