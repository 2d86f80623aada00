import StepLocalJSON

/// `States.UUID()`: a fresh version-4 UUID, from the environment's source.
enum StatesUUID: IntrinsicFunctionDefinition {
    static let name = "States.UUID"
    static let signature = IntrinsicSignature(required: [])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        .string(environment.uuid())
    }
}
