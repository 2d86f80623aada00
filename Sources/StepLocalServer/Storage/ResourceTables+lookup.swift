import StepLocalASL
import StepLocalEngine

/// Lookups shared by handlers, each throwing AWS's error for a missing resource.
extension ResourceTables {
    /// What a (possibly qualified) state machine ARN resolves to.
    struct ResolvedStateMachine: Sendable {
        var record: StateMachineRecord
        var version: StateMachineVersionRecord?
        var alias: StateMachineAliasRecord?
    }

    func stateMachine(_ arnText: String) throws(AWSServiceError) -> ResolvedStateMachine {
        // Every key is an unqualified state machine ARN that parses: a start names one most of
        // the time, and parsing it cost a few per cent of a StartSyncExecution.
        if let record = stateMachines[arnText] { return ResolvedStateMachine(record: record) }
        let arn = try StatesARN.expect(arnText, .stateMachine)
        guard let record = stateMachines[arn.unqualifiedStateMachineArn] else {
            throw .stateMachineDoesNotExist(arnText)
        }
        switch arn.qualifier {
        case nil:
            guard arn.components.count == 1 else { throw .invalidArn(arnText) }
            return ResolvedStateMachine(record: record)
        case .version(let number):
            guard let version = record.versions[number] else { throw .stateMachineDoesNotExist(arnText) }
            return ResolvedStateMachine(record: record, version: version)
        case .alias(let name):
            guard let alias = record.aliases[name] else {
                throw .resourceNotFound("Resource not found: '\(arnText)'", resourceName: arnText)
            }
            return ResolvedStateMachine(record: record, alias: alias)
        }
    }

    /// An unqualified state machine ARN's record.
    func unqualifiedStateMachine(_ arnText: String) throws(AWSServiceError) -> StateMachineRecord {
        let arn = try StatesARN.expect(arnText, .stateMachine)
        guard arn.components.count == 1 else {
            throw .validationException("Service does not support qualified state machine ARNs for this operation: '\(arnText)'",
                reason: "API_DOES_NOT_SUPPORT_LABELED_ARNS")
        }
        guard let record = stateMachines[arnText] else { throw .stateMachineDoesNotExist(arnText) }
        return record
    }

    func execution(_ arnText: String) throws(AWSServiceError) -> ExecutionRecord {
        _ = try StatesARN.expect(arnText, .execution, .express)
        guard let record = executions[arnText] ?? mapRunChild(arnText) else { throw .executionDoesNotExist(arnText) }
        return record
    }

    func activity(_ arnText: String) throws(AWSServiceError) -> ActivityRecord {
        _ = try StatesARN.expect(arnText, .activity)
        guard let record = activities[arnText] else { throw .activityDoesNotExist(arnText) }
        return record
    }

    /// A child execution of a Distributed Map run (`execution:MACHINE/LABEL:ID`), described
    /// like any execution, with the parent's definition and the map run that started it.
    private func mapRunChild(_ arnText: String) -> ExecutionRecord? {
        guard let arn = ARN(arnText), arn.resource.count == 3, arn.resource[1].contains("/") else { return nil }
        for parent in executions.values {
            for run in parent.execution.mapRuns {
                guard let child = run.children.first(where: { $0.identity.executionArn == arnText }) else { continue }
                return ExecutionRecord(
                    arn: arnText, name: child.identity.name, stateMachineArn: run.stateMachineArn,
                    stateMachineName: child.identity.stateMachineName, stateMachineVersionArn: nil, stateMachineAliasArn: nil,
                    type: parent.type, inputText: child.input.serialized(), traceHeader: nil, revision: parent.revision,
                    startDate: child.identity.startTime, sequence: parent.sequence, execution: child, mapRunArn: run.arn)
            }
        }
        return nil
    }
}
