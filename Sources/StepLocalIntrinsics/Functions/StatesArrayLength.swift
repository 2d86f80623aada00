import StepLocalJSON

/// `States.ArrayLength(array)`: the number of items.
enum StatesArrayLength: IntrinsicFunctionDefinition {
    static let name = "States.ArrayLength"
    static let signature = IntrinsicSignature(required: [.array])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        .int(arguments[0].arrayValue?.count ?? 0)
    }
}
