/// SplitMix64: the one small deterministic generator of the project. Seeded `States.MathRandom`
/// and JSONata's `$random(seed)` repeat themselves with it, as AWS's seeded calls do (the exact
/// numbers AWS picks are not reproducible); the engine draws task tokens from it.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        let value = Self.mix(state)
        state &+= Self.increment
        return value
    }

    /// One step of the generator on its own: the number a generator at state `value` draws next,
    /// every bit of `value` spread over it. The engine derives thread keys with it.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ increment
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15
}
