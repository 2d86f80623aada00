import StepLocalJSON

/// ListTagsForResource: the resource's tags in the order they were first set.
struct ListTagsForResourceAction: ActionHandler {
    static let name = "ListTagsForResource"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("resourceArn")
        let tags = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) -> JSONValue in
            try TaggableResource.checkExists(arn, in: tables)
            return Tags.json(tables.tags[arn] ?? [])
        }
        return ["tags": tags]
    }
}
