import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import StepLocalIntrinsics

/// What StartExecution and StartSyncExecution share: resolving a (possibly version- or
/// alias-qualified) state machine ARN to the revision to run, routing through an alias by
/// weight, and checking the name and input.
struct ExecutionStarter {
    struct Plan: Sendable {
        var record: StateMachineRecord
        var revision: StateMachineRevision
        var versionArn: String?
        var aliasArn: String?
        var name: String
        var input: (text: String, value: JSONValue)
        var traceHeader: String?
    }

    static func plan(_ request: ActionRequest) throws(AWSServiceError) -> Plan {
        let arn = try request.required("stateMachineArn")
        let name = request.string("name") ?? Identifiers.uuid()
        try NameRules.validate(name)
        let input = try request.json("input") { .invalidExecutionInput($0) }
        let resolved = try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            try tables.stateMachine(arn)
        }
        try resolved.record.checkNotDeleting(arn)
        var plan = Plan(
            record: resolved.record, revision: resolved.record.revision, versionArn: nil, aliasArn: nil, name: name, input: input,
            traceHeader: request.string("traceHeader"))
        if let version = resolved.version {
            plan.revision = version.revision
            plan.versionArn = version.arn
        } else if let alias = resolved.alias {
            let version = try route(alias, in: resolved.record, draw: request.services.configuration.routingDraw())
            plan.revision = version.revision
            plan.versionArn = version.arn
            plan.aliasArn = alias.arn
        }
        return plan
    }

    /// Picks the version an alias sends this start to: `draw` in 0..<100 falls into one
    /// version's share of the weights.
    static func route(_ alias: StateMachineAliasRecord, in record: StateMachineRecord, draw: Int) throws(AWSServiceError) -> StateMachineVersionRecord {
        var remaining = draw
        var chosen = alias.routing.last?.versionArn
        for entry in alias.routing {
            if remaining < entry.weight {
                chosen = entry.versionArn
                break
            }
            remaining -= entry.weight
        }
        guard let chosen, let version = record.versions.values.first(where: { $0.arn == chosen }) else {
            throw .stateMachineDoesNotExist(alias.arn)
        }
        return version
    }

    static func identity(_ plan: Plan, executionArn: String, startTime: Timestamp) -> ExecutionIdentity {
        ExecutionIdentity(
            executionArn: executionArn, name: plan.name, stateMachineArn: plan.versionArn ?? plan.record.arn,
            stateMachineName: plan.record.name, roleArn: plan.revision.roleArn, startTime: startTime)
    }
}
