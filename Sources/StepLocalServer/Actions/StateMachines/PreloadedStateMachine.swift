public import StepLocalASL
import StepLocalJSON
import StepLocalIntrinsics

/// A state machine that exists from the moment the server listens (`steplocal serve
/// --scenarios`), created in the default region exactly as a CreateStateMachine call would
/// create it, so it describes, lists and starts (also as `arn#case`) like any other. Preloading
/// happens in process, before the first request, so nothing races it and the server needs no
/// HTTP client of its own.
public struct PreloadedStateMachine: Sendable {
    public var name: String
    public var definition: String
    public var type: StateMachineType
    public var roleArn: String

    public init(name: String, definition: String, type: StateMachineType, roleArn: String) {
        self.name = name
        self.definition = definition
        self.type = type
        self.roleArn = roleArn
    }
}

extension ServerServices {
    /// Creates each machine through CreateStateMachine's own rules (name, role, definition,
    /// idempotency); the first refusal stops start-up with AWS's error.
    func preload(_ machines: [PreloadedStateMachine]) throws(AWSServiceError) {
        for machine in machines {
            let body: JSONObject = [
                "name": .string(machine.name), "definition": .string(machine.definition), "type": .string(machine.type.rawValue),
                "roleArn": .string(machine.roleArn),
            ]
            if let operation = ServiceModel.operations[CreateStateMachineAction.name] {
                try RequestValidator.validate(body, operation: operation)
            }
            let request = ActionRequest(
                action: CreateStateMachineAction.name, input: body, region: configuration.region, accountId: configuration.accountId,
                services: self)
            if try adoptKept(machine, arn: request.arns.stateMachine(machine.name)) { continue }
            _ = try CreateStateMachineAction.create(request)
        }
    }

    /// With `--data-dir`, a scenario's machine may be kept from an earlier start: it takes the
    /// scenario's current definition and role as a new revision (as UpdateStateMachine would),
    /// so editing a scenario file and restarting runs the edit. Its executions stay. Returns false
    /// when no such machine is kept.
    private func adoptKept(_ machine: PreloadedStateMachine, arn: String) throws(AWSServiceError) -> Bool {
        guard configuration.dataDirectory != nil else { return false }
        let kept = try store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in tables.stateMachines[arn] }
        guard let kept else { return false }
        guard kept.type == machine.type else {
            throw .conflict(
                "The data directory keeps \(arn) as a \(kept.type.rawValue) state machine, but its scenario now declares \(machine.type.rawValue); delete the state machine or the data directory")
        }
        if kept.revision.definitionText == machine.definition, kept.revision.roleArn == machine.roleArn { return true }
        let definition = try DefinitionLoading.load(machine.definition, type: machine.type)
        let now = self.now()
        try store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in
            guard var record = tables.stateMachines[arn] else { return }
            record.revision.definitionText = machine.definition
            record.revision.definition = definition
            record.revision.roleArn = machine.roleArn
            record.revision.revisionId = Identifiers.uuid()
            record.revision.updateDate = now
            tables.stateMachines[arn] = record
        }
        return true
    }
}
