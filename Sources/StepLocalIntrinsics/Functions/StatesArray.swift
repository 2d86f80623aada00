import StepLocalJSON

/// `States.Array(values...)`: the values as a JSON array, in order.
enum StatesArray: IntrinsicFunctionDefinition {
    static let name = "States.Array"
    static let signature = IntrinsicSignature(required: [], variadic: .any)

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        .array(arguments)
    }
}
