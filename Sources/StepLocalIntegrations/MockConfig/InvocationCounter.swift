import Synchronization

/// Counts Task invocations per execution and state: the number Step Functions Local's
/// `"0"`, `"1-2"` keys refer to. Shared by reference so every attempt sees the same count.
public final class InvocationCounter: Sendable {
    /// Per execution ARN, per state name (so an execution's counts are forgotten in one step).
    private let counts: Mutex<[String: [String: Int]]>

    public init() {
        counts = Mutex([:])
    }

    /// The invocation number of this call (0 for the first), counting it.
    public func next(executionArn: String, stateName: String) -> Int {
        counts.withLock { counts in
            let current = counts[executionArn]?[stateName] ?? 0
            counts[executionArn, default: [:]][stateName] = current + 1
            return current
        }
    }

    public func count(executionArn: String, stateName: String) -> Int {
        counts.withLock { $0[executionArn]?[stateName] ?? 0 }
    }

    /// Sets an execution's counts (a resumed execution's, counted again from its history).
    public func restore(executionArn: String, counts restored: [String: Int]) {
        counts.withLock { $0[executionArn] = restored }
    }

    /// Forgets an execution's counts once nothing can run it again.
    public func forget(executionArn: String) {
        counts.withLock { $0[executionArn] = nil }
    }
}
