import StepLocalJSON

/// UntagResource: removes tags by key; keys that are not set are ignored.
struct UntagResourceAction: ActionHandler {
    static let name = "UntagResource"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("resourceArn")
        let keys = Set((request.value("tagKeys")?.arrayValue ?? []).compactMap(\.stringValue))
        try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try TaggableResource.checkExists(arn, in: tables)
            tables.tags[arn]?.removeAll { keys.contains($0.key) }
        }
        return [:]
    }
}
