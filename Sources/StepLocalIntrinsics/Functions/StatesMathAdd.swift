import StepLocalJSON

/// `States.MathAdd(a, b)`: the sum of two numbers, each first rounded like Java's `Math.round`
/// (AWS conformance test_math_add: `1.5 + 1.51` is `4`, `-2.5 + 0` is `-2`). AWS documents the
/// operands as 32-bit integers.
enum StatesMathAdd: IntrinsicFunctionDefinition {
    static let name = "States.MathAdd"
    static let signature = IntrinsicSignature(required: [.number, .number])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        var sum: Int64 = 0
        for argument in arguments {
            let value: Int64
            if case .number(.int(let i)) = argument {
                value = i
            } else {
                value = Int64(JavaText.round(argument.numberValue?.doubleValue ?? 0))
            }
            guard Int64(Int32.min)...Int64(Int32.max) ~= value else {
                throw .invalidArgument(function: name, "the value \(value) is outside the range of a 32-bit integer")
            }
            sum += value
        }
        return .number(.int(sum))
    }
}
