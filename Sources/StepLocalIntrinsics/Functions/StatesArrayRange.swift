import StepLocalJSON

/// `States.ArrayRange(start, end, step)`: integers from start to end inclusive; AWS caps the result
/// at 1000 items and needs a non-zero step.
enum StatesArrayRange: IntrinsicFunctionDefinition {
    static let name = "States.ArrayRange"
    static let signature = IntrinsicSignature(required: [.integer, .integer, .integer])
    static let maximumCount = 1000

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        let start = int(arguments[0]), end = int(arguments[1]), step = int(arguments[2])
        guard step != 0 else { throw .invalidArgument(function: name, "the step must not be 0") }
        let count = (step > 0 ? end >= start : end <= start) ? (end - start) / step + 1 : 0
        guard count <= maximumCount else {
            throw .invalidArgument(function: name, "the array would contain \(count) items, more than the maximum of \(maximumCount)")
        }
        return .array(stride(from: start, through: end, by: step).map { .int($0) })
    }
}
