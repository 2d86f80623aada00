import Synchronization

/// The change feed of one execution: a reader (the web console's live view) waits for the next
/// history event or change of status instead of polling. Waiting costs the engine nothing until a
/// reader is there: recording an event reads one counter.
extension Execution {
    private static let changeWaiterIds = Atomic<UInt64>(0)

    /// Returns when the history has changed since `mark` (an event recorded, dropped or replaced),
    /// the status is other than `status` or, given `waitsVersion`, what the threads wait for has
    /// changed (``pendingWaits``); when `timeout` passes (a live view sends a keep-alive then), or
    /// when the calling task is cancelled (its reader went away). Returns at once if that is already so.
    public func waitForChange(after mark: HistoryReadMark, waitsVersion: Int? = nil, status: ExecutionStatus, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForChange(after: mark, waitsVersion: waitsVersion, status: status) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForChange(after mark: HistoryReadMark, waitsVersion: Int?, status: ExecutionStatus) async {
        let id = Self.changeWaiterIds.wrappingAdd(1, ordering: .relaxed).newValue
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let changed = state.withLock { s -> Bool in
                    if s.readMark != mark || s.status != status || Task.isCancelled { return true }
                    if let waitsVersion, s.waitsVersion != waitsVersion { return true }
                    s.changeWaiters[id] = continuation
                    changeReaders.add(1, ordering: .relaxed)
                    return false
                }
                if changed { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                guard let waiter = s.changeWaiters.removeValue(forKey: id) else { return nil }
                changeReaders.subtract(1, ordering: .relaxed)
                return waiter
            }
            waiter?.resume()
        }
    }

    /// Resumes every waiting reader (taken under the lock, resumed outside it).
    @inline(never)
    func wakeChangeReaders() {
        let readers = state.withLock { takeChangeWaiters(&$0) }
        for reader in readers.values { reader.resume() }
    }

    /// Hands over every waiting reader of the change feed, leaving none.
    func takeChangeWaiters(_ s: inout State) -> [UInt64: CheckedContinuation<Void, Never>] {
        if s.changeWaiters.isEmpty { return [:] }
        changeReaders.subtract(s.changeWaiters.count, ordering: .relaxed)
        defer { s.changeWaiters = [:] }
        return s.changeWaiters
    }
}
