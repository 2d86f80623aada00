import Synchronization

/// Counts Task invocations per execution and state: the number Step Functions Local's
/// `"0"`, `"1-2"` keys refer to. Shared by reference so every attempt sees the same count.
public final class InvocationCounter: Sendable {
    private let counts: Mutex<[String: Int]>

    public init() {
        counts = Mutex([:])
    }

    /// The invocation number of this call (0 for the first), counting it.
    public func next(executionArn: String, stateName: String) -> Int {
        let key = Self.key(executionArn, stateName)
        return counts.withLock { counts in
            let current = counts[key, default: 0]
            counts[key] = current + 1
            return current
        }
    }

    public func count(executionArn: String, stateName: String) -> Int {
        counts.withLock { $0[Self.key(executionArn, stateName), default: 0] }
    }

    /// Forgets an execution's counts once it has finished.
    public func forget(executionArn: String) {
        let prefix = executionArn + "\u{0}"
        counts.withLock { counts in
            for key in counts.keys where key.hasPrefix(prefix) { counts.removeValue(forKey: key) }
        }
    }

    private static func key(_ executionArn: String, _ stateName: String) -> String {
        executionArn + "\u{0}" + stateName
    }
}
