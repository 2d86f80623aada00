#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much more of the current thread's stack a recursive walk may use, measured from where the
/// walk started. Counting levels alone cannot keep a walk inside the stack: the same level of
/// JSONata evaluation takes about 10 KiB in a debug build and a tenth of that in release. So the
/// walks that user input can make deep (JSONata parsing and evaluation) also check the address of
/// their own frames against this budget, and fail with an error instead of overflowing.
///
/// Threads here are created with the process's RLIMIT_STACK (8 MiB by default on Linux, for the
/// main thread, Dispatch's and Swift concurrency's workers and NIO's event loops alike); the
/// default budget is half of it, at most 4 MiB, leaving the caller's frames the other half.
public struct StackBudget: Sendable {
    private let base: UInt
    private let bytes: UInt

    /// Starts measuring here: the budget is `bytes` below the caller's frame.
    @inline(__always)
    public init(bytes: Int = StackBudget.defaultBytes) {
        base = StackBudget.currentAddress()
        self.bytes = UInt(max(0, bytes))
    }

    /// True once the stack has grown more than the budget since ``init(bytes:)``.
    @inline(__always)
    public var isExhausted: Bool {
        let here = StackBudget.currentAddress()
        return here < base && base - here > bytes
    }

    /// Half the thread stack RLIMIT_STACK gives new threads, at most 4 MiB (8 MiB when the limit is
    /// unlimited, as glibc then gives threads at least that).
    public static let defaultBytes: Int = {
        let ceiling = 4 << 20
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_STACK.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return ceiling }
        return min(ceiling, Int(clamping: limit.rlim_cur / 2))
    }()

    @inline(never)
    static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }
}
