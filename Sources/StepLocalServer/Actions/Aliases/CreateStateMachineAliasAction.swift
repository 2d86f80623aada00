import StepLocalJSON

/// CreateStateMachineAlias: an alias named `name` on the machine its routed versions belong to.
/// Creating the same alias again with the same routing and description returns it; a different
/// one is a `ConflictException`.
struct CreateStateMachineAliasAction: ActionHandler {
    static let name = "CreateStateMachineAlias"
    static let aliasLimit = 100

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let name = try request.required("name")
        let description = request.string("description")
        let routing = try RoutingConfiguration.parse(request.value("routingConfiguration"))
        let now = request.services.now()
        return try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) -> JSONValue in
            guard var record = tables.stateMachines[routing.stateMachineArn] else {
                throw .resourceNotFound("Resource not found: '\(routing.stateMachineArn)'", resourceName: routing.stateMachineArn)
            }
            try record.checkNotDeleting(routing.stateMachineArn)
            try RoutingConfiguration.checkVersionsExist(routing.entries, in: record)
            if let existing = record.aliases[name] {
                guard existing.routing == routing.entries, existing.description == description else {
                    throw .conflict("Failed to create alias because an alias with the same name and a different routing configuration already exists.")
                }
                return ["stateMachineAliasArn": .string(existing.arn), "creationDate": existing.creationDate.json]
            }
            guard record.aliases.count < Self.aliasLimit else {
                throw AWSServiceError("ServiceQuotaExceededException", "The maximum number of aliases (\(Self.aliasLimit)) for this state machine has been reached")
            }
            let alias = StateMachineAliasRecord(
                arn: "\(record.arn):\(name)", name: name, description: description, routing: routing.entries, creationDate: now,
                updateDate: now)
            record.aliases[name] = alias
            tables.stateMachines[record.arn] = record
            return ["stateMachineAliasArn": .string(alias.arn), "creationDate": now.json]
        }
    }
}
