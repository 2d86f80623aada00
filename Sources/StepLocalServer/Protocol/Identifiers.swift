import Synchronization

/// Random identifiers in AWS's formats: request ids, execution names and revision ids are
/// lowercase UUIDs (version 4). At least two are minted per request, so they come from a
/// xoshiro256** stream seeded once from the system generator (identifiers need uniqueness, not
/// secrecy; two `getrandom` calls per UUID were ~4 % of a StartSyncExecution profile), and are
/// written straight into a 36-byte string rather than assembled from pieces.
enum Identifiers {
    private static let stream: Mutex<Xoshiro256StarStar> = {
        var system = SystemRandomNumberGenerator()
        return Mutex(Xoshiro256StarStar(seed: (system.next(), system.next(), system.next(), system.next())))
    }()

    static func uuid() -> String {
        var generator = stream.withLock { stream in
            Replayed(high: stream.next(), low: stream.next())
        }
        return uuid(using: &generator)
    }

    /// Two words drawn under the lock, handed to the formatter outside it.
    private struct Replayed: RandomNumberGenerator {
        var words: (UInt64, UInt64, Int)
        init(high: UInt64, low: UInt64) { words = (high, low, 0) }
        mutating func next() -> UInt64 {
            defer { words.2 += 1 }
            return words.2 == 0 ? words.0 : words.1
        }
    }

    static func uuid(using generator: inout some RandomNumberGenerator) -> String {
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000  // version 4
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            func put(_ word: UInt64, nibbles: ClosedRange<Int>) {
                for nibble in nibbles.reversed() {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        buffer[index] = UInt8(ascii: "-")
                        index += 1
                    }
                    buffer[index] = digits.utf8Start[Int((word >> UInt64(nibble * 4)) & 0xF)]
                    index += 1
                }
            }
            put(high, nibbles: 0...15)
            put(low, nibbles: 0...15)
            return index
        }
    }
}

/// xoshiro256** (Blackman and Vigna, 2018): a small, fast, well-distributed 64-bit generator with
/// 256 bits of state, so identifiers drawn from one seeded stream do not repeat in practice.
struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init(seed: (UInt64, UInt64, UInt64, UInt64)) {
        // An all-zero state would only ever yield zeros.
        s = seed == (0, 0, 0, 0) ? (0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9, 0x94D0_49BB_1331_11EB, 1) : seed
    }

    mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
