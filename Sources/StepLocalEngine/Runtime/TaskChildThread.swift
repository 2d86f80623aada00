import Synchronization

/// A nested execution that a parent's Task waits for (`states:startExecution.sync`), run as a
/// thread of the parent's thread when time passes instantly. Detached on a time of its own, the
/// child's waits were invisible to the parent's other branches: a branch waiting 10 s went on
/// while a `.sync` child's 5 s Wait had not passed, and the parent's TaskSucceeded came after the
/// 10 s branch, stamped 10 s, where AWS records it at 5 s and first. As a thread of the parent's
/// ``InstantTimeline`` the child's waits take their turn with every other thread's, across both
/// executions, so each history stays in time order.
///
/// The parent's wait ends when the child's thread has ended in the timeline, not merely when the
/// child is visibly finished: the thread that forked it then counts as running again in the
/// same step, as a Parallel's does when a branch ends.
final class TaskChildThread: Sendable {
    let fork: ThreadFork
    /// The parent's thread that started the child: only its wait takes turns with the child's.
    let forkedBy: ThreadClock
    private let state = Mutex<(ended: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    init(fork: ThreadFork, forkedBy: ThreadClock) {
        self.fork = fork
        self.forkedBy = forkedBy
    }

    /// The child's thread ended (its run returned and the timeline knows).
    func end() {
        let waiters = state.withLock { s in
            s.ended = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once ``end()`` has been called.
    func waitForEnd() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = state.withLock { s in
                if !s.ended { s.waiters.append(continuation) }
                return s.ended
            }
            if ended { continuation.resume() }
        }
    }
}
