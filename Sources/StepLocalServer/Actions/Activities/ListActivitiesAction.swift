import StepLocalJSON

/// ListActivities: the region's activities, oldest first, paged.
struct ListActivitiesAction: ActionHandler {
    static let name = "ListActivities"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let prefix = request.arns.activity("")
        let records = try request.services.store.transaction { (tables: inout ResourceTables) in
            tables.activities.values.filter { $0.arn.hasPrefix(prefix) }.sorted { $0.sequence < $1.sequence }
        }
        return try PageToken.answer(records, position: \.sequence, key: "activities", request: request, scope: "ListActivities") {
            ["activityArn": .string($0.arn), "name": .string($0.name), "creationDate": $0.creationDate.json]
        }
    }
}
