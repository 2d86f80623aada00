import StepLocalJSON

/// DeleteStateMachine: removes the machine with all its versions, aliases and tags. Deleting a
/// machine that does not exist succeeds, as on AWS. AWS deletes a machine "only when all its
/// executions are completed" and, "on the next state transition, the state machine's executions
/// are terminated": closed executions are forgotten at once (ExecutionDoesNotExist); while
/// STANDARD ones still run the machine stays, `DELETING` (see ``StateMachineDeletion``).
/// An EXPRESS machine goes at once; its executions run to their end, as AWS says they may.
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
            // Asked again while it is being deleted: nothing more to do.
            guard let record = tables.stateMachines[arnText], !record.isDeleting else { return [] }
            let running = tables.releaseExecutions(ofStateMachine: arnText)
            if running.isEmpty {
                StateMachineDeletion.remove(record, from: &tables)
            } else {
                tables.stateMachines[arnText]?.isDeleting = true
            }
            return running
        }
        StateMachineDeletion.endExecutions(running, ofStateMachine: arnText, in: store)
        return [:]
    }
}

/// What happens to a STANDARD state machine deleted while executions of it run: each ends,
/// failed with `States.Runtime` ("State machine NAME has been deleted."), at its next state
/// transition (a Wait or a task waiting for an answer first runs its course); each is forgotten
/// as it ends, and the machine with the last one. Meanwhile the machine is `DELETING`.
enum StateMachineDeletion {
    static let error = "States.Runtime"

    /// The cause AWS gives the executions it ends (AWS re:Post, "Why is my Step Functions state
    /// machine stuck in the DELETING status?").
    static func cause(stateMachineName name: String) -> String {
        "State machine \(name) has been deleted."
    }

    /// Removes the machine, its versions' and aliases' tags, and its own.
    static func remove(_ record: StateMachineRecord, from tables: inout ResourceTables) {
        tables.stateMachines[record.arn] = nil
        tables.tags[record.arn] = nil
        for version in record.versions.values { tables.tags[version.arn] = nil }
        for alias in record.aliases.values { tables.tags[alias.arn] = nil }
    }

    /// Asks each running execution to end at its next transition, then forgets each as it ends
    /// and removes the machine once none of its executions is left.
    static func endExecutions(_ running: [ExecutionRecord], ofStateMachine arn: String, in store: any ResourceStore) {
        for record in running {
            record.execution.endAtNextTransition(error: error, cause: cause(stateMachineName: record.stateMachineName))
            Task {
                _ = await record.execution.waitUntilFinished()
                try? store.transaction { (tables: inout ResourceTables) in
                    tables.removeExecution(record.arn, sequence: record.sequence)
                    guard let machine = tables.stateMachines[arn], machine.isDeleting,
                        tables.releaseExecutions(ofStateMachine: arn).isEmpty
                    else { return }
                    remove(machine, from: &tables)
                }
            }
        }
    }

    /// After a restart: the machines a deletion had left `DELETING` end the executions of theirs
    /// that resumed, and go when they have; one whose executions all ended meanwhile goes now.
    static func continuePending(in store: any ResourceStore) {
        let pending = try? store.transaction { (tables: inout ResourceTables) -> [(String, [ExecutionRecord])] in
            var pending: [(String, [ExecutionRecord])] = []
            for record in tables.stateMachines.values where record.isDeleting {
                let running = tables.releaseExecutions(ofStateMachine: record.arn)
                if running.isEmpty { remove(record, from: &tables) } else { pending.append((record.arn, running)) }
            }
            return pending
        }
        for (arn, running) in pending ?? [] { endExecutions(running, ofStateMachine: arn, in: store) }
    }
}
