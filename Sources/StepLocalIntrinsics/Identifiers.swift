#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Synchronization

/// Random identifiers in AWS's formats, the one source of them in StepLocal: request ids,
/// execution names, revision ids, Map Run ids, `States.UUID()` and the ids in service responses
/// are lowercase UUIDs (version 4). Clients see them, and a default execution name is as good as a
/// capability to whoever can guess it, so every bit comes from the kernel's generator: an
/// earlier seeded xoshiro256** stream let three observed request ids predict the next execution
/// name. At least two are minted per request, so the kernel's bytes are read 2 KiB at a time
/// (one system call per 128 UUIDs) into ``KernelRandomPool`` and each is used once.
public enum Identifiers {
    private static let pool = Mutex(KernelRandomPool())

    public static func uuid() -> String {
        var words = pool.withLock { pool in TwoWords(high: pool.next(), low: pool.next()) }
        return uuid(using: &words)
    }

    /// A version-4 UUID that is the same for the same `key` and `purpose`, and from which neither
    /// can be recovered (the first 128 bits of SHA-256 over both): for a name that must come out
    /// the same when a call is made again after a restart, without revealing the secret behind
    /// `key`.
    public static func uuid(derivedFrom key: UInt64, purpose: String) -> String {
        var bytes = Array(purpose.utf8)
        withUnsafeBytes(of: key.littleEndian) { bytes.append(contentsOf: $0) }
        let digest = Array(SHA256.hash(data: bytes))
        var words = TwoWords(
            high: digest[0..<8].reduce(0) { $0 << 8 | UInt64($1) }, low: digest[8..<16].reduce(0) { $0 << 8 | UInt64($1) })
        return uuid(using: &words)
    }

    /// Two words drawn under the lock, handed to the formatter outside it.
    private struct TwoWords: RandomNumberGenerator {
        var words: (UInt64, UInt64, Int)
        init(high: UInt64, low: UInt64) { words = (high, low, 0) }
        mutating func next() -> UInt64 {
            defer { words.2 += 1 }
            return words.2 == 0 ? words.0 : words.1
        }
    }

    /// Formats two words as a version-4 UUID (the version and variant bits overwritten).
    public static func uuid(using generator: inout some RandomNumberGenerator) -> String {
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

/// Words of the kernel's cryptographically secure generator, fetched in batches. It has no
/// seed and no state a caller could set or observe: every word is read from the kernel and
/// handed out once, so no identifier is a function of the ones before it.
public struct KernelRandomPool: RandomNumberGenerator {
    private static let batchWords = 256
    private var words: [UInt64] = []
    private var nextIndex = 0

    public init() {}

    public mutating func next() -> UInt64 {
        if nextIndex == words.count {
            words = Self.fetch(Self.batchWords)
            nextIndex = 0
        }
        defer { nextIndex += 1 }
        return words[nextIndex]
    }

    /// `count` words from the kernel's generator in one read (`/dev/urandom`, kept open; the Swift
    /// module of glibc does not declare `getrandom`), or from `SystemRandomNumberGenerator`, which
    /// reads the same source a word at a time, if that fails.
    private static func fetch(_ count: Int) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: count)
        #if canImport(Glibc)
        if let device = urandom {
            let filled = words.withUnsafeMutableBytes { bytes in read(device, bytes.baseAddress, bytes.count) }
            if filled == count * 8 { return words }
        }
        #elseif canImport(Darwin)
        words.withUnsafeMutableBytes { bytes in arc4random_buf(bytes.baseAddress, bytes.count) }
        return words
        #endif
        var system = SystemRandomNumberGenerator()
        return words.map { _ in system.next() }
    }

    #if canImport(Glibc)
    private static let urandom: Int32? = {
        let device = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        return device >= 0 ? device : nil
    }()
    #endif
}
