public import StepLocalASL
import StepLocalJSON

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
            _ = try CreateStateMachineAction.create(request)
        }
    }
}
