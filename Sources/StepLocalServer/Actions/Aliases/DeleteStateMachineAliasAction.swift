import StepLocalJSON

/// DeleteStateMachineAlias: removes the alias; the versions it routed to stay.
struct DeleteStateMachineAliasAction: ActionHandler {
    static let name = "DeleteStateMachineAlias"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        try await delete(try request.required("stateMachineAliasArn"), request: request)
    }

    func delete(_ arnText: String, request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arn = try StatesARN.expect(arnText, .stateMachine)
        guard case .alias(let name) = arn.qualifier else { throw .invalidArn(arnText) }
        try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            guard var record = tables.stateMachines[arn.unqualifiedStateMachineArn], record.aliases[name] != nil else {
                throw .resourceNotFound("Resource not found: '\(arnText)'", resourceName: arnText)
            }
            record.aliases[name] = nil
            tables.stateMachines[record.arn] = record
            tables.tags[arnText] = nil
        }
        return [:]
    }
}
