import StepLocalEngine
import StepLocalJSON

/// ListMapRuns: the map runs an execution's Distributed Map states started, oldest first, paged;
/// an unknown execution is `ExecutionDoesNotExist`.
struct ListMapRunsAction: ActionHandler {
    static let name = "ListMapRuns"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("executionArn")
        let record = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.execution(arn)
        }
        // Map runs are only ever appended, so a run's index is its position.
        let runs = Array(record.execution.mapRuns.enumerated())
        return try PageToken.answer(runs, position: \.offset, key: "mapRuns", request: request, scope: "MapRuns|\(arn)") { _, run in
            var item: JSONObject = [
                "executionArn": .string(run.executionArn), "mapRunArn": .string(run.arn),
                "stateMachineArn": .string(run.stateMachineArn), "startDate": run.startDate.json,
            ]
            if let stopDate = run.stopDate { item["stopDate"] = stopDate.json }
            return .object(item)
        }
    }
}
