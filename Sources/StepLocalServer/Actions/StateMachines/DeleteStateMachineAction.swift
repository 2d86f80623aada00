import StepLocalJSON

/// DeleteStateMachine: removes the machine with all its versions, aliases and tags. Deleting a
/// machine that does not exist succeeds, as on AWS; executions already started keep running
/// and stay describable.
struct DeleteStateMachineAction: ActionHandler {
    static let name = "DeleteStateMachine"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arnText = try request.required("stateMachineArn")
        let arn = try StatesARN.expect(arnText, .stateMachine)
        switch arn.qualifier {
        case .version:
            return try await DeleteStateMachineVersionAction().delete(arnText, request: request)
        case .alias:
            return try await DeleteStateMachineAliasAction().delete(arnText, request: request)
        case nil:
            guard arn.components.count == 1 else { throw .invalidArn(arnText) }
        }
        try request.services.store.transaction { (tables: inout ResourceTables) in
            guard let record = tables.stateMachines.removeValue(forKey: arnText) else { return }
            tables.tags[arnText] = nil
            for version in record.versions.values { tables.tags[version.arn] = nil }
            for alias in record.aliases.values { tables.tags[alias.arn] = nil }
        }
        return [:]
    }
}
