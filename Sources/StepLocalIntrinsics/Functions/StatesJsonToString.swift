import StepLocalJSON

/// `States.JsonToString(value)`: the value as compact JSON text.
enum StatesJsonToString: IntrinsicFunctionDefinition {
    static let name = "States.JsonToString"
    static let signature = IntrinsicSignature(required: [.any])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        .string(arguments[0].serialized())
    }
}
