import StepLocalASL
import StepLocalEngine
import StepLocalJSON

/// RedriveExecution: restarts a failed, timed-out or aborted STANDARD execution from the state
/// where it stopped (the engine keeps that point), under the same ARN, appending to its history.
/// A `clientToken` seen in one of the last ten redrives of the execution returns that redrive's
/// date again without redriving, as AWS's idempotency does.
struct RedriveExecutionAction: ActionHandler {
    static let name = "RedriveExecution"
    /// AWS answers idempotently for the last ten client tokens of an execution.
    static let rememberedTokens = 10

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("executionArn")
        let token = request.string("clientToken")
        let record = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.execution(arn)
        }
        if record.mapRunArn != nil {
            throw .executionNotRedrivable("Execution is part of a Map Run and is redriven by redriving its parent execution")
        }
        if let token, let earlier = record.redriveTokens.first(where: { $0.token == token }) {
            return ["redriveDate": earlier.date.json]
        }
        let redriveDate: Timestamp
        do throws(RedriveRefusal) {
            redriveDate = try await request.services.engine.redrive(record.execution, definition: record.revision.definition)
        } catch {
            throw .executionNotRedrivable(error.reason)
        }
        if let token {
            try request.services.store.transaction { (tables: inout ResourceTables) in
                tables.updateExecution(arn) { stored in
                    stored.redriveTokens.append((token, redriveDate))
                    stored.redriveTokens = Array(stored.redriveTokens.suffix(Self.rememberedTokens))
                }
            }
        }
        return ["redriveDate": redriveDate.json]
    }
}
