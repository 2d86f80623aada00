import StepLocalASL
import StepLocalEngine
import StepLocalJSON

/// StartExecution: starts a run in the background. For STANDARD machines a name can be used
/// once: the same name and input while that execution is still running returns it again
/// (AWS's idempotency); otherwise `ExecutionAlreadyExists`. EXPRESS executions get
/// `express:` ARNs and, as on AWS, cannot be described or listed afterwards.
struct StartExecutionAction: ActionHandler {
    static let name = "StartExecution"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let (request, testCaseName) = MockTestCaseSelection.split(request)
        let plan = try ExecutionStarter.plan(request)
        let testCase = try MockTestCaseSelection.resolve(
            testCaseName, stateMachine: plan.record.name, definition: plan.revision.definition, request: request)
        let engine = request.services.engine
        let now = request.services.now()
        let machine = plan.record

        if machine.type == .express {
            let arn = request.arns.expressExecution(stateMachine: machine.name, name: plan.name)
            MockTestCaseSelection.bind(testCase, executionArn: arn, request: request)
            let execution = engine.start(
                plan.revision.definition, input: plan.input.value, inputText: plan.input.text, identity: ExecutionStarter.identity(plan, executionArn: arn, startTime: now))
            MockTestCaseSelection.unbindWhenFinished(testCase, execution, request: request)
            return ["executionArn": .string(arn), "startDate": now.json]
        }

        let arn = request.arns.execution(stateMachine: machine.name, name: plan.name)
        return try request.services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) -> JSONValue in
            // Deleted since the plan was made: nothing starts for a machine that is going.
            guard let current = tables.stateMachines[machine.arn] else { throw .stateMachineDoesNotExist(machine.arn) }
            try current.checkNotDeleting(machine.arn)
            if let existing = tables.executions[arn] {
                guard existing.execution.status == .running, existing.inputText == plan.input.text,
                    existing.stateMachineArn == machine.arn
                else { throw .executionAlreadyExists(arn) }
                return ["executionArn": .string(arn), "startDate": existing.startDate.json]
            }
            MockTestCaseSelection.bind(testCase, executionArn: arn, request: request)
            let execution = engine.start(
                plan.revision.definition, input: plan.input.value, inputText: plan.input.text, identity: ExecutionStarter.identity(plan, executionArn: arn, startTime: now))
            var record = ExecutionRecord(
                arn: arn, name: plan.name, stateMachineArn: machine.arn, stateMachineName: machine.name,
                stateMachineVersionArn: plan.versionArn, stateMachineAliasArn: plan.aliasArn, type: machine.type,
                inputText: plan.input.text, traceHeader: plan.traceHeader, revision: plan.revision, startDate: now,
                sequence: tables.nextSequence(), execution: execution)
            record.mockTestCase = testCase?.name
            tables.insertExecution(record)
            return ["executionArn": .string(arn), "startDate": now.json]
        }
    }
}
