import StepLocalASL
public import StepLocalEngine
public import StepLocalJSON
import Synchronization

/// The task tokens in flight. A `.waitForTaskToken` or activity task registers its token and
/// suspends in ``awaitResult(token:heartbeatSeconds:periodsFrom:)`` until SendTaskSuccess/SendTaskFailure
/// answers it, HeartbeatSeconds pass without a SendTaskHeartbeat (States.HeartbeatTimeout), its
/// deadline passes on a clock that passes time instantly (States.Timeout), or its execution is
/// stopped (task cancellation). It exists so the API server and the engine meet at one token
/// table without knowing each other.
public final class CallbackRegistry: Sendable {
    private struct Waiter {
        /// The execution whose task issued the token (nil when registered without one).
        var owner: String?
        /// The worker that took the token's activity task (GetActivityTask's `workerName`).
        var workerName: String?
        var continuation: CheckedContinuation<JSONValue, any Error>?
        /// An answer that arrived before the task suspended (or a cancellation).
        var pending: Result<JSONValue, any Error>?
        /// Bumped by every heartbeat; the watchdog re-arms when it changed, from ``lastBeat``.
        var beats = 0
        /// When the latest heartbeat came: the next period counts from it.
        var lastBeat: Timestamp?
        /// Told of every accepted heartbeat while the task waits (the execution lists when the next is due).
        var onBeat: (@Sendable (Timestamp) -> Void)?
        var resolved = false
    }

    private struct Table {
        var open: [String: Waiter] = [:]
        var closed: Set<String> = []
        var closedOrder: [String] = []
    }

    /// Closed tokens are remembered (to answer TaskTimedOut) up to this many.
    private static let closedMemory = 100_000

    private let table = Mutex(Table())
    private let clock: any ExecutionClock
    /// False when no API is attached (`steplocal test`): nothing can ever send a callback.
    public let callbacksCanArrive: Bool

    /// `clock` times heartbeats. When it passes time instantly (a virtual clock, WAIT_TIME_SCALE
    /// 0), a wait that has a heartbeat or a deadline ends at once, at the earlier of them (see
    /// ``awaitResult(token:heartbeatSeconds:periodsFrom:)``). `callbacksCanArrive` is false for a registry no
    /// API can reach, so a wait without either would never end.
    public init(clock: any ExecutionClock, callbacksCanArrive: Bool = true) {
        self.clock = clock
        self.callbacksCanArrive = callbacksCanArrive
    }

    /// Whether `token` has the shape of a token the engine mints (160 characters of the base64
    /// alphabet). Anything else is `InvalidToken`, as AWS answers text it could not have issued.
    public static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 160
            && token.utf8.allSatisfy { c in
                (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2F
            }
    }

    /// Makes `token` known, so callbacks that arrive before the task suspends are kept.
    /// `owner`: the execution whose task issued it, handed back with an answer (see
    /// ``answer(token:with:)``) so that a store can keep the answer with its execution.
    public func register(token: String, owner: String? = nil) {
        table.withLock { t in
            if t.open[token] == nil { t.open[token] = Waiter(owner: owner) } else if t.open[token]?.owner == nil { t.open[token]?.owner = owner }
        }
    }

    /// Gives back, after a restart, an answer a worker sent before the server stopped (that a
    /// store kept): the task that issued `token` runs again, hands out the same token and finds
    /// its answer waiting instead of waiting for one the worker will not send again.
    /// `workerName`: the worker that had taken the activity task, for its ActivityStarted again.
    public func restoreAnswer(token: String, owner: String, result: Result<JSONValue, StatesError>, workerName: String? = nil) {
        table.withLock { t in
            t.open[token] = Waiter(owner: owner, workerName: workerName, pending: result.mapError { $0 as any Error }, resolved: true)
        }
    }

    /// Gives back, after a restart, the moment of the latest SendTaskHeartbeat a worker sent for
    /// `token` before the server stopped (that a store kept): the resumed task's heartbeat period
    /// counts from it, as it would have had the server not stopped.
    public func restoreHeartbeat(token: String, owner: String, at moment: Timestamp) {
        table.withLock { t in
            if t.open[token] == nil { t.open[token] = Waiter(owner: owner) }
            if t.open[token]!.lastBeat.map({ $0 < moment }) ?? true { t.open[token]!.lastBeat = moment }
        }
    }

    /// Whether an answer for `token` is in before its task waits (one given back after a restart),
    /// with the name of the worker that had taken the task.
    public func keptAnswer(token: String) -> (answered: Bool, workerName: String?) {
        table.withLock { t in (t.open[token]?.pending != nil, t.open[token]?.workerName) }
    }

    /// Notes which worker took the activity task behind `token`, kept with its answer.
    public func noteWorker(token: String, name: String?) {
        table.withLock { t in
            if t.open[token] != nil { t.open[token]?.workerName = name }
        }
    }

    /// Whether a task is currently waiting on `token` (tests, diagnostics).
    public func isOpen(token: String) -> Bool { table.withLock { $0.open[token].map { !$0.resolved } ?? false } }

    /// Whether a wait started now with this heartbeat would end at once, without waiting for a
    /// callback: time passes instantly and the task has a heartbeat or a deadline.
    public func expiresAtOnce(heartbeatSeconds: Int?) -> Bool {
        expiry(heartbeatSeconds: heartbeatSeconds) != nil
    }

    /// Suspends until `token` is answered. Registers it if needed and closes it on return, so
    /// later callbacks get `taskTimedOut`. The first heartbeat period counts from `periodsFrom`
    /// (the moment a task made again after a restart first began; now when nil) or from the
    /// latest heartbeat, whichever is later. Throws the worker's ``StatesError``,
    /// States.HeartbeatTimeout, States.Timeout (the task's ``TaskDeadline``, instant clocks
    /// only; on the real clock the engine times the task out), or `CancellationError` when the
    /// execution is stopped.
    ///
    /// When time passes instantly nobody can call back within a heartbeat period or before the
    /// deadline, so the wait ends at once at the earlier of them, with the clock moved there:
    /// the same history every run, however busy the machine is.
    ///
    /// `onHeartbeat` hears of each SendTaskHeartbeat accepted while the task waits, and at once of
    /// one kept from before a restart (see ``restoreHeartbeat(token:owner:at:)``).
    public func awaitResult(
        token: String, heartbeatSeconds: Int?, periodsFrom start: Timestamp? = nil, onHeartbeat: (@Sendable (Timestamp) -> Void)? = nil
    ) async throws -> JSONValue {
        register(token: token)
        defer { close(token) }
        if let onHeartbeat {
            let kept = table.withLock { t -> Timestamp? in
                t.open[token]?.onBeat = onHeartbeat
                return t.open[token]?.lastBeat
            }
            if let kept { onHeartbeat(kept) }
        }
        if clock.passesTimeInstantly {
            TaskDeadline.current?.claim()
            guard let (moment, error) = expiry(heartbeatSeconds: heartbeatSeconds) else { return try await awaitCallback(token) }
            if let answer = expire(token) { return try answer.get() }
            // Inside the engine the task's own thread clock moves there; called alone, the registry's clock does.
            if let deadline = TaskDeadline.current { deadline.expire(at: moment) } else { try await clock.sleep(until: moment) }
            throw error
        }
        guard let heartbeatSeconds, heartbeatSeconds > 0 else {
            return try await awaitCallback(token)
        }
        return try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            group.addTask { try await self.awaitCallback(token) }
            group.addTask {
                try await self.watchHeartbeats(token, seconds: heartbeatSeconds, from: start)
                return nil
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let next { return next }
            }
            throw CancellationError()
        }
    }

    public func succeed(token: String, output: JSONValue) -> CallbackOutcome {
        resolve(token, with: .success(output)).outcome
    }

    public func fail(token: String, error: String?, cause: String?) -> CallbackOutcome {
        resolve(token, with: .failure(Self.workerError(error, cause))).outcome
    }

    /// SendTaskSuccess (`.success`) or SendTaskFailure (`.failure`), with the execution that
    /// issued the token (and the worker that took its activity task) when the answer was
    /// accepted, so that the answer can be kept with it.
    public func answer(token: String, with result: Result<JSONValue, StatesError>) -> (outcome: CallbackOutcome, owner: String?, workerName: String?) {
        resolve(token, with: result.mapError { $0 as any Error })
    }

    /// The error SendTaskFailure's `error` and `cause` make: AWS leaves both out of the events
    /// when the worker sent neither.
    public static func workerError(_ error: String?, _ cause: String?) -> StatesError {
        StatesError(error ?? "", cause: cause)
    }

    public func heartbeat(token: String) -> CallbackOutcome {
        beat(token: token).outcome
    }

    /// SendTaskHeartbeat, with the execution that issued the token and the moment the beat
    /// counts from when it was accepted, so that a store can keep it (see
    /// ``restoreHeartbeat(token:owner:at:)``).
    public func beat(token: String) -> (outcome: CallbackOutcome, owner: String?, at: Timestamp?) {
        guard Self.isWellFormed(token) else { return (.invalidToken, nil, nil) }
        let (outcome, owner, moment, onBeat): (CallbackOutcome, String?, Timestamp?, (@Sendable (Timestamp) -> Void)?) = table.withLock { t in
            guard var waiter = t.open[token], !waiter.resolved else {
                return (t.closed.contains(token) || t.open[token] != nil ? .taskTimedOut : .taskDoesNotExist, nil, nil, nil)
            }
            let now = clock.now()
            waiter.beats += 1
            waiter.lastBeat = now
            t.open[token] = waiter
            return (.accepted, waiter.owner, now, waiter.onBeat)
        }
        if let moment { onBeat?(moment) }
        return (outcome, owner, moment)
    }

    // MARK: - Internals

    /// On an instant clock: when the wait ends by itself, and with which error. A heartbeat
    /// period that ends before the deadline is a HeartbeatTimeout; the deadline (the state's or
    /// the execution's TimeoutSeconds) a Timeout. Nil when only a callback can end it.
    private func expiry(heartbeatSeconds: Int?) -> (Timestamp, StatesError)? {
        guard clock.passesTimeInstantly else { return nil }
        let now = TaskDeadline.current?.dispatchedAt ?? clock.now()
        let heartbeat = heartbeatSeconds.flatMap { $0 > 0 ? now.adding(seconds: Double($0)) : nil }
        switch (heartbeat, TaskDeadline.current?.at) {
        case (let beat?, let deadline?): return beat < deadline ? (beat, .heartbeatTimeout()) : (deadline, .timeout())
        case (let beat?, nil): return (beat, .heartbeatTimeout())
        case (nil, let deadline?): return (deadline, .timeout())
        case (nil, nil): return nil
        }
    }

    /// Ends the wait on `token` unanswered: an answer already in is returned (it came first);
    /// otherwise the token is resolved, so a late callback is told TaskTimedOut.
    private func expire(_ token: String) -> Result<JSONValue, any Error>? {
        table.withLock { t in
            guard var waiter = t.open[token] else { return nil }
            if let pending = waiter.pending { return pending }
            waiter.resolved = true
            t.open[token] = waiter
            return nil
        }
    }

    private func resolve(_ token: String, with result: Result<JSONValue, any Error>) -> (outcome: CallbackOutcome, owner: String?, workerName: String?) {
        guard Self.isWellFormed(token) else { return (.invalidToken, nil, nil) }
        let (outcome, waiter, continuation): (CallbackOutcome, Waiter?, CheckedContinuation<JSONValue, any Error>?) = table.withLock { t in
            guard var waiter = t.open[token], !waiter.resolved else {
                return (t.closed.contains(token) || t.open[token] != nil ? .taskTimedOut : .taskDoesNotExist, nil, nil)
            }
            waiter.resolved = true
            let continuation = waiter.continuation
            waiter.continuation = nil
            if continuation == nil { waiter.pending = result }
            t.open[token] = waiter
            return (.accepted, waiter, continuation)
        }
        continuation?.resume(with: result)
        return (outcome, waiter?.owner, waiter?.workerName)
    }

    private func close(_ token: String) {
        table.withLock { t in
            guard t.open.removeValue(forKey: token) != nil else { return }
            if t.closed.insert(token).inserted {
                t.closedOrder.append(token)
                if t.closedOrder.count > Self.closedMemory {
                    let drop = t.closedOrder.count / 2
                    for old in t.closedOrder.prefix(drop) { t.closed.remove(old) }
                    t.closedOrder.removeFirst(drop)
                }
            }
        }
    }

    private func awaitCallback(_ token: String) async throws -> JSONValue {
        // Only a worker can end this wait: the execution's other branches go on meanwhile.
        try await ThreadWaits.outside { try await awaitCallbackInside(token) }
    }

    private func awaitCallbackInside(_ token: String) async throws -> JSONValue {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONValue, any Error>) in
                let ready: Result<JSONValue, any Error>? = table.withLock { t in
                    guard var waiter = t.open[token] else { return .failure(CancellationError()) }
                    if let pending = waiter.pending { return pending }
                    waiter.continuation = continuation
                    t.open[token] = waiter
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let continuation: CheckedContinuation<JSONValue, any Error>? = table.withLock { t in
                guard var waiter = t.open[token] else { return nil }
                let continuation = waiter.continuation
                waiter.continuation = nil
                waiter.resolved = true
                if continuation == nil, waiter.pending == nil { waiter.pending = .failure(CancellationError()) }
                t.open[token] = waiter
                return continuation
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Returns only by throwing: States.HeartbeatTimeout when a full period passes without a
    /// heartbeat, `CancellationError` when the wait ends otherwise. Each period counts from the
    /// latest heartbeat, as AWS's "more time than the specified seconds elapses between
    /// heartbeats" has it: a task that beat once, early in a period, times out that many seconds
    /// after the beat, not at the end of the period after. The first period counts from `start`
    /// (now when nil) or a heartbeat given back after a restart, whichever is later; a period
    /// that ended while the server was down ends at once.
    private func watchHeartbeats(_ token: String, seconds: Int, from start: Timestamp?) async throws {
        var (seen, periodStart) = table.withLock { t in
            let begin = start ?? clock.now()
            return (t.open[token]?.beats ?? 0, max(begin, t.open[token]?.lastBeat ?? begin))
        }
        while true {
            try await clock.sleep(until: periodStart.adding(seconds: Double(seconds)))
            let (beats, lastBeat) = table.withLock { ($0.open[token]?.beats ?? 0, $0.open[token]?.lastBeat) }
            guard beats != seen, let lastBeat else { throw StatesError.heartbeatTimeout() }
            seen = beats
            periodStart = lastBeat
        }
    }
}

extension CallbackRegistry {
    /// ``awaitResult(token:heartbeatSeconds:periodsFrom:onHeartbeat:)`` for the task `request`
    /// dispatches: its heartbeat period, the start of the attempt it repeats after a restart, and
    /// its heartbeats told to the execution that waits.
    func awaitAnswer(to request: TaskRequest, token: String) async throws -> JSONValue {
        let events = request.events
        return try await awaitResult(
            token: token, heartbeatSeconds: request.heartbeatSeconds, periodsFrom: request.resumedAttemptStart,
            onHeartbeat: { events.heartbeat(at: $0) })
    }
}
