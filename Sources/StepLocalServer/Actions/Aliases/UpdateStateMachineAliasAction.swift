import StepLocalJSON

/// UpdateStateMachineAlias: changes the description and/or routing (one is required).
struct UpdateStateMachineAliasAction: ActionHandler {
    static let name = "UpdateStateMachineAlias"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let arnText = try request.required("stateMachineAliasArn")
        let description = request.string("description")
        let routingValue = request.value("routingConfiguration")
        if description == nil && routingValue == nil {
            throw .validationException(
                "Either the description or the RoutingConfiguration must be specified", reason: "MISSING_REQUIRED_PARAMETER")
        }
        let routing = try routingValue.map { (value: JSONValue) throws(AWSServiceError) in try RoutingConfiguration.parse(value) }
        let now = request.services.now()
        return try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) -> JSONValue in
            var alias = try AliasLookup.alias(arnText, in: tables)
            let machineArn = try StatesARN(parsing: arnText).unqualifiedStateMachineArn
            guard var record = tables.stateMachines[machineArn] else { throw .resourceNotFound("Resource not found: '\(arnText)'") }
            try record.checkNotDeleting(machineArn)
            if let routing {
                guard routing.stateMachineArn == machineArn else {
                    throw .validationException(
                        "Routing configuration must contain state machine version ARNs of the alias's state machine",
                        reason: "INVALID_ROUTING_CONFIGURATION")
                }
                try RoutingConfiguration.checkVersionsExist(routing.entries, in: record)
                alias.routing = routing.entries
            }
            if let description { alias.description = description }
            alias.updateDate = now
            record.aliases[alias.name] = alias
            tables.stateMachines[machineArn] = record
            return ["updateDate": now.json]
        }
    }
}
