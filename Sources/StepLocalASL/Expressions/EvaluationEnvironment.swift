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

    /// The intrinsics' own sources (one rule for seeded numbers, one UUID formatter).
    public static let systemRandom = IntrinsicEnvironment.systemRandom
    public static let systemUUID = IntrinsicEnvironment.systemUUID

    /// The `$states` object JSONata expressions read.
    public var statesObject: JSONValue {
        var object: JSONObject = ["input": input, "context": context]
        if let result { object["result"] = result }
        if let errorOutput { object["errorOutput"] = errorOutput }
        return .object(object)
    }
}
