import StepLocalJSON

/// `States.ArrayContains(array, value)`: whether an element equals the value (deep equality, so
/// `[[1,2,3],2]` contains `[1,2,3]`; AWS conformance test_array_contains).
enum StatesArrayContains: IntrinsicFunctionDefinition {
    static let name = "States.ArrayContains"
    static let signature = IntrinsicSignature(required: [.array, .any])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        .bool((arguments[0].arrayValue ?? []).contains(arguments[1]))
    }
}
