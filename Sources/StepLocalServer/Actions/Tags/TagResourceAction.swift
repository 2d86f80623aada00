import StepLocalJSON

/// TagResource: adds or overwrites tags, up to AWS's 50 per resource (`TooManyTags`).
struct TagResourceAction: ActionHandler {
    static let name = "TagResource"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("resourceArn")
        let newTags = try Tags.parse(request.value("tags"))
        try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try TaggableResource.checkExists(arn, in: tables)
            var tags = tables.tags[arn] ?? []
            for tag in newTags {
                if let index = tags.firstIndex(where: { $0.key == tag.key }) {
                    tags[index].value = tag.value
                } else {
                    tags.append(tag)
                }
            }
            try Tags.checkLimit(arn, count: tags.count)
            tables.tags[arn] = tags
        }
        return [:]
    }
}
