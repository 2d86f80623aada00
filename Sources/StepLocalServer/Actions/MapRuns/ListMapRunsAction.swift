import StepLocalJSON

/// ListMapRuns: the map runs of an execution, which is always an empty list for now (see
/// ``DescribeMapRunAction``); an unknown execution is `ExecutionDoesNotExist`.
struct ListMapRunsAction: ActionHandler {
    static let name = "ListMapRuns"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("executionArn")
        _ = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.execution(arn)
        }
        if let token = request.string("nextToken") {
            _ = try PageToken.decode(token, scope: "MapRuns|\(arn)")
        }
        return ["mapRuns": []]
    }
}
