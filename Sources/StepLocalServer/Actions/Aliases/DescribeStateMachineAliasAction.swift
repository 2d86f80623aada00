import StepLocalJSON

/// DescribeStateMachineAlias: the alias's routing, description and dates.
struct DescribeStateMachineAliasAction: ActionHandler {
    static let name = "DescribeStateMachineAlias"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try request.required("stateMachineAliasArn")
        let alias = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try AliasLookup.alias(arn, in: tables)
        }
        var answer: JSONObject = ["stateMachineAliasArn": .string(alias.arn), "name": .string(alias.name)]
        if let description = alias.description { answer["description"] = .string(description) }
        answer["routingConfiguration"] = alias.routingJSON
        answer["creationDate"] = alias.creationDate.json
        answer["updateDate"] = alias.updateDate.json
        return .object(answer)
    }
}

/// Finds an alias by ARN, answering `ResourceNotFound` as AWS does for a missing one.
enum AliasLookup {
    static func alias(_ arnText: String, in tables: ResourceTables) throws(AWSServiceError) -> StateMachineAliasRecord {
        let arn = try StatesARN.expect(arnText, .stateMachine)
        guard case .alias(let name) = arn.qualifier else { throw .invalidArn(arnText) }
        guard let alias = tables.stateMachines[arn.unqualifiedStateMachineArn]?.aliases[name] else {
            throw .resourceNotFound("Resource not found: '\(arnText)'", resourceName: arnText)
        }
        return alias
    }
}
