import StepLocalJSON

/// `States.ArrayUnique(array)`: the items without repeats, first occurrences in order.
enum StatesArrayUnique: IntrinsicFunctionDefinition {
    static let name = "States.ArrayUnique"
    static let signature = IntrinsicSignature(required: [.array])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        var seen = Set<JSONValue>()
        var unique: [JSONValue] = []
        for item in arguments[0].arrayValue ?? [] where seen.insert(item).inserted {
            unique.append(item)
        }
        return .array(unique)
    }
}
