public import StepLocalJSON

/// What an intrinsic call can see and the sources of randomness it may use.
///
/// Randomness is injected (house rule 2) so `States.MathRandom` and `States.UUID` are deterministic
/// in tests and in the virtual-clock driver.
public struct IntrinsicEnvironment: Sendable {
    /// The value `$` paths read (the state input, or the effective input of the field).
    public var input: JSONValue
    /// The context object `$$` paths read.
    public var context: JSONValue
    /// Workflow variables that `$name` paths read.
    public var variables: [String: JSONValue]
    /// A random integer in the range; the second argument is the seed when one was given.
    public var random: @Sendable (ClosedRange<Int>, Int?) -> Int
    /// A fresh version-4 UUID string.
    public var uuid: @Sendable () -> String

    public init(
        input: JSONValue,
        context: JSONValue = [:],
        variables: [String: JSONValue] = [:],
        random: @escaping @Sendable (ClosedRange<Int>, Int?) -> Int = IntrinsicEnvironment.systemRandom,
        uuid: @escaping @Sendable () -> String = IntrinsicEnvironment.systemUUID
    ) {
        self.input = input
        self.context = context
        self.variables = variables
        self.random = random
        self.uuid = uuid
    }

    /// Uniform over the range; with a seed, a fixed sequence (SplitMix64) so equal seeds give equal numbers.
    public static let systemRandom: @Sendable (ClosedRange<Int>, Int?) -> Int = { range, seed in
        guard let seed else { return Int.random(in: range) }
        var generator = SplitMix64(seed: UInt64(bitPattern: Int64(seed)))
        return Int.random(in: range, using: &generator)
    }

    /// A random RFC 4122 version-4 UUID in lower case, as AWS returns.
    public static let systemUUID: @Sendable () -> String = { Identifiers.uuid() }
}
