import StepLocalJSON

/// ListActivities: the region's activities, oldest first, paged.
struct ListActivitiesAction: ActionHandler {
    static let name = "ListActivities"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let prefix = request.arns.activity("")
        let records = try request.services.store.transaction { (tables: inout ResourceTables) in
            tables.activities.values.filter { $0.arn.hasPrefix(prefix) }.sorted { $0.sequence < $1.sequence }
        }
        let page = try PageToken.page(
            records, maxResults: request.int("maxResults"), nextToken: request.string("nextToken"), scope: "ListActivities")
        var answer: JSONObject = [
            "activities": .array(
                page.items.map { ["activityArn": .string($0.arn), "name": .string($0.name), "creationDate": $0.creationDate.json] })
        ]
        if let token = page.nextToken { answer["nextToken"] = .string(token) }
        return .object(answer)
    }
}
