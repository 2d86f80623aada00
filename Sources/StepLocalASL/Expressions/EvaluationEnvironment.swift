import StepLocalJSON
import StepLocalIntrinsics

/// What an expression in a state can see: the state's effective input, the context object
/// (`$$` / `$states.context`), the workflow variables in scope, and for JSONata the state's
/// `$states.result` / `$states.errorOutput`. Randomness is injected so tests are deterministic.
public struct EvaluationEnvironment: Sendable {
    public var input: JSONValue
    /// The context object is built only when an expression reads it: most states never do,
    /// and building it costs more than the rest of a Pass state.
    public var context: JSONValue { contextProvider() }
    private let contextProvider: @Sendable () -> JSONValue
    public var variables: [String: JSONValue]
    public var result: JSONValue?
    public var errorOutput: JSONValue?
    public var random: @Sendable (ClosedRange<Int>, Int?) -> Int
    public var uuid: @Sendable () -> String

    public init(
        input: JSONValue, context: @autoclosure @escaping @Sendable () -> JSONValue, variables: [String: JSONValue] = [:], result: JSONValue? = nil,
        errorOutput: JSONValue? = nil,
        random: @escaping @Sendable (ClosedRange<Int>, Int?) -> Int = EvaluationEnvironment.systemRandom,
        uuid: @escaping @Sendable () -> String = EvaluationEnvironment.systemUUID
    ) {
        self.input = input
        self.contextProvider = context
        self.variables = variables
        self.result = result
        self.errorOutput = errorOutput
        self.random = random
        self.uuid = uuid
    }

    public static let systemRandom: @Sendable (ClosedRange<Int>, Int?) -> Int = { range, seed in
        if let seed {
            var generator = SplitMix64(seed: UInt64(bitPattern: Int64(seed)))
            return Int.random(in: range, using: &generator)
        }
        return Int.random(in: range)
    }

    public static let systemUUID: @Sendable () -> String = { Identifiers.uuid() }

    /// The `$states` object JSONata expressions read.
    public var statesObject: JSONValue {
        var object: JSONObject = ["input": input, "context": context]
        if let result { object["result"] = result }
        if let errorOutput { object["errorOutput"] = errorOutput }
        return .object(object)
    }
}
