import StepLocalJSON

/// DeleteActivity: removes the activity and its tags; deleting a missing one succeeds, as on AWS.
struct DeleteActivityAction: ActionHandler {
    static let name = "DeleteActivity"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("activityArn")
        _ = try StatesARN.expect(arn, .activity)
        try request.services.store.transaction { (tables: inout ResourceTables) in
            tables.activities[arn] = nil
            tables.tags[arn] = nil
        }
        return [:]
    }
}
