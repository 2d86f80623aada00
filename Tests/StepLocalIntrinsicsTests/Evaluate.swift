import StepLocalIntrinsics
import StepLocalJSON

/// Test helpers: evaluate an expression against JSON input with deterministic randomness.
enum Evaluate {
    static func json(_ text: String) -> JSONValue { try! JSONValue(parsing: text) }

    static func environment(_ input: String = "{}", context: String = "{}", variables: [String: JSONValue] = [:]) -> IntrinsicEnvironment {
        IntrinsicEnvironment(
            input: json(input), context: json(context), variables: variables,
            random: { range, seed in range.lowerBound + (seed ?? 0) % (range.count) },
            uuid: { "2f6ba6ed-b8ec-4e14-a8ab-fba4a6b1b5ee" })
    }

    static func run(_ expression: String, _ input: String = "{}", context: String = "{}",
                    variables: [String: JSONValue] = [:]) throws -> JSONValue {
        try IntrinsicExpression(expression).evaluate(in: environment(input, context: context, variables: variables))
    }

    static func error(_ expression: String, _ input: String = "{}") -> IntrinsicError? {
        do {
            _ = try IntrinsicExpression(expression).evaluate(in: environment(input))
            return nil
        } catch {
            return error
        }
    }
}
