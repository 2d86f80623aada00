import StepLocalJSON

/// `States.ArrayPartition(array, size)`: chunks of `size` items, the last one possibly shorter.
enum StatesArrayPartition: IntrinsicFunctionDefinition {
    static let name = "States.ArrayPartition"
    static let signature = IntrinsicSignature(required: [.array, .integer])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        let items = arguments[0].arrayValue ?? []
        let size = int(arguments[1])
        guard size > 0 else { throw .invalidArgument(function: name, "the chunk size must be greater than 0") }
        return .array(stride(from: 0, to: items.count, by: size).map { .array(Array(items[$0..<min($0 + size, items.count)])) })
    }
}
