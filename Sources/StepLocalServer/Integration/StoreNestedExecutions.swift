import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Synchronization
import StepLocalIntrinsics

/// Starts the child executions of `states:startExecution` tasks from the server's store, in
/// the server's own engine, and records them like StartExecution does, so DescribeExecution,
/// ListExecutions and StopExecution see them. The engine is bound after it is built, because
/// the engine's dispatcher is what holds this host.
final class StoreNestedExecutions: NestedExecutionHost {
    private let store: any ResourceStore
    private let arns: ARNFactory
    private let routingDraw: @Sendable () -> Int
    private let engine = Mutex<ExecutionEngine?>(nil)

    init(store: any ResourceStore, region: String, accountId: String, routingDraw: @escaping @Sendable () -> Int) {
        self.store = store
        self.arns = ARNFactory(region: region, account: accountId)
        self.routingDraw = routingDraw
    }

    func bind(_ engine: ExecutionEngine) {
        self.engine.withLock { $0 = engine }
    }

    func startChildExecution(stateMachineArn: String, name: String?, input: JSONValue, parent: TaskRequest) async throws(NestedStartError)
        -> Execution
    {
        guard let engine = engine.withLock({ $0 }) else {
            throw NestedStartError(code: "StateMachineDoesNotExist", message: "State Machine Does Not Exist: '\(stateMachineArn)'")
        }
        // Without a Name, one derived from the call: the same Task attempt made again after a
        // restart finds the child it started before and waits for it, instead of starting another.
        let derivedName = name == nil && parent.callKey != 0
        let name = name ?? (derivedName ? Identifiers.uuid(derivedFrom: parent.callKey, purpose: "nested execution name") : Identifiers.uuid())
        let draw = routingDraw()
        // The child lives in the parent's region and account, whatever the server's defaults.
        let arns = ARN(parent.executionArn).map { ARNFactory(region: $0.region, account: $0.account) } ?? self.arns
        do {
            try NameRules.validate(name)
            return try store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) -> Execution in
                let resolved = try tables.stateMachine(stateMachineArn)
                let machine = resolved.record
                try machine.checkNotDeleting(stateMachineArn)
                var revision = machine.revision
                var versionArn: String?
                var aliasArn: String?
                if let version = resolved.version {
                    revision = version.revision
                    versionArn = version.arn
                } else if let alias = resolved.alias {
                    let version = try ExecutionStarter.route(alias, in: machine, draw: draw)
                    revision = version.revision
                    versionArn = version.arn
                    aliasArn = alias.arn
                }
                // Under WAIT_TIME_SCALE=0 the parent's task may be ahead of the wall clock (waits it
                // skipped): the child starts at the parent's time, not before the task that starts it.
                let now = max(engine.clock.now(), TaskDeadline.current?.dispatchedAt ?? engine.clock.now())
                let executionArn =
                    machine.type == .express
                    ? arns.expressExecution(stateMachine: machine.name, name: name) : arns.execution(stateMachine: machine.name, name: name)
                if let existing = tables.executions[executionArn] {
                    // Ours from before a restart; or, as StartExecution is, idempotent for a running one with the same input.
                    let sameCall = existing.execution.status == .running && existing.inputText == input.serialized() && existing.stateMachineArn == machine.arn
                    guard derivedName || sameCall else { throw .executionAlreadyExists(executionArn) }
                    return existing.execution
                }
                let identity = ExecutionIdentity(
                    executionArn: executionArn, name: name, stateMachineArn: versionArn ?? machine.arn, stateMachineName: machine.name,
                    roleArn: revision.roleArn, startTime: now)
                let waitedFor = TaskResource(parent.resource).map { $0.pattern == .sync || $0.pattern == .sync2 } ?? false
                let execution = engine.start(revision.definition, input: input, identity: identity, child: true, waitedForByTask: waitedFor)
                if machine.type != .express {
                    tables.insertExecution(ExecutionRecord(
                        arn: executionArn, name: name, stateMachineArn: machine.arn, stateMachineName: machine.name,
                        stateMachineVersionArn: versionArn, stateMachineAliasArn: aliasArn, type: machine.type,
                        inputText: input.serialized(), traceHeader: nil, revision: revision, startDate: now,
                        sequence: tables.nextSequence(), execution: execution))
                }
                return execution
            }
        } catch {
            throw NestedStartError(code: error.type, message: error.message)
        }
    }
}
