import StepLocalJSON

/// `States.MathRandom(start, end[, seed])`: a random integer from start (inclusive) to end
/// (exclusive). Non-integer bounds round like Java's `Math.round`.
enum StatesMathRandom: IntrinsicFunctionDefinition {
    static let name = "States.MathRandom"
    static let signature = IntrinsicSignature(required: [.number, .number], optional: [.integer])

    static func evaluate(_ arguments: [JSONValue], in environment: IntrinsicEnvironment) throws(IntrinsicError) -> JSONValue {
        let start = Int(JavaText.round(arguments[0].numberValue?.doubleValue ?? 0))
        let end = Int(JavaText.round(arguments[1].numberValue?.doubleValue ?? 0))
        guard start < end else {
            throw .invalidArgument(function: name, "the start value (\(start)) must be less than the end value (\(end))")
        }
        let seed = arguments.count > 2 ? int(arguments[2]) : nil
        return .int(environment.random(start...(end - 1), seed))
    }
}
