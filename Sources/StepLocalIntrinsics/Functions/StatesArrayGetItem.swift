import StepLocalJSON

/// `States.ArrayGetItem(array, index)`: the item at a zero-based index.
enum StatesArrayGetItem: IntrinsicFunctionDefinition {
    static let name = "States.ArrayGetItem"
    static let signature = IntrinsicSignature(required: [.array, .integer])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        let items = arguments[0].arrayValue ?? []
        let index = int(arguments[1])
        guard index >= 0, index < items.count else {
            throw .invalidArgument(function: name, "the index \(index) is out of bounds for an array of \(items.count) items")
        }
        return items[index]
    }
}
