import StepLocalJSON

/// DeleteStateMachine: removes the machine with all its versions, aliases and tags. Deleting a
/// machine that does not exist succeeds, as on AWS. AWS deletes a machine "only when all its
/// executions are completed", and its executions with it: closed executions are forgotten at
/// once (ExecutionDoesNotExist), running ones keep running, stay describable, and are forgotten
/// when they close.
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
        let store = request.services.store
        let running = try store.transaction { (tables: inout ResourceTables) -> [ExecutionRecord] in
            guard let record = tables.stateMachines.removeValue(forKey: arnText) else { return [] }
            tables.tags[arnText] = nil
            for version in record.versions.values { tables.tags[version.arn] = nil }
            for alias in record.aliases.values { tables.tags[alias.arn] = nil }
            return tables.releaseExecutions(ofStateMachine: arnText)
        }
        // The ones still running stay describable until they close, then go too.
        for record in running {
            Task {
                _ = await record.execution.waitUntilFinished()
                try? store.transaction { (tables: inout ResourceTables) in tables.removeExecution(record.arn, sequence: record.sequence) }
            }
        }
        return [:]
    }
}
