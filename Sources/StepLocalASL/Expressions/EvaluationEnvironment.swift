import StepLocalJSON

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
            var generator = SeededGenerator(seed: UInt64(bitPattern: Int64(seed)))
            return Int.random(in: range, using: &generator)
        }
        return Int.random(in: range)
    }

    public static let systemUUID: @Sendable () -> String = {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { b -> String in
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }
        return hex[0..<4].joined() + "-" + hex[4..<6].joined() + "-" + hex[6..<8].joined() + "-" + hex[8..<10].joined() + "-"
            + hex[10..<16].joined()
    }

    /// The `$states` object JSONata expressions read.
    public var statesObject: JSONValue {
        var object: JSONObject = ["input": input, "context": context]
        if let result { object["result"] = result }
        if let errorOutput { object["errorOutput"] = errorOutput }
        return .object(object)
    }
}

/// SplitMix64: a tiny deterministic generator for seeded `States.MathRandom` / `$random(seed)`.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
