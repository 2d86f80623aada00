import StepLocalJSON

/// RedriveExecution: StepLocal's engine cannot resume a failed execution from its failed state
/// yet, so this answers AWS's `ExecutionNotRedrivable` with a message saying so instead of
/// pretending. Running and succeeded executions get AWS's own reason.
struct RedriveExecutionAction: ActionHandler {
    static let name = "RedriveExecution"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("executionArn")
        let record = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.execution(arn)
        }
        throw .executionNotRedrivable(Redrive.reason(for: record.execution.status))
    }
}
