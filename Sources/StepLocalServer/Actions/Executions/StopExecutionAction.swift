import StepLocalJSON

/// StopExecution: aborts a running execution with the given error and cause; a finished one is
/// left as it is and its stop date returned.
struct StopExecutionAction: ActionHandler {
    static let name = "StopExecution"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("executionArn")
        let record = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.execution(arn)
        }
        let stopDate = record.execution.stop(error: request.string("error"), cause: request.string("cause"))
        return ["stopDate": stopDate.json]
    }
}
