import StepLocalASL
import StepLocalJSON

/// Why RedriveExecution refuses an execution, in AWS's words: the text DescribeExecution shows
/// as `redriveStatusReason` and RedriveExecution returns with `ExecutionNotRedrivable`.
public struct RedriveRefusal: Error, Sendable, Equatable {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }
}

extension Execution {
    /// AWS keeps a stopped execution redrivable for 14 days after it stops.
    static let redrivablePeriodSeconds = 14.0 * 86_400
    /// An execution may stay open for at most one year, redrives included.
    static let maximumOpenSeconds = 365.0 * 86_400
    /// A redrive needs room for ExecutionRedriven and at least one more event below 25,000.
    static let redrivableHistoryLimit = 24_999

    /// Nil when RedriveExecution would accept this execution now; otherwise AWS's reason.
    public func redriveRefusal(at now: Timestamp) -> RedriveRefusal? {
        state.withLock { Self.refusal($0, startTime: identity.startTime, now: now) }
    }

    static func refusal(_ s: State, startTime: Timestamp, now: Timestamp) -> RedriveRefusal? {
        switch s.status {
        case .running, .succeeded, .pendingRedrive:
            return RedriveRefusal(reason: "Execution is \(s.status.rawValue) and cannot be redriven")
        case .failed, .timedOut, .aborted:
            break
        }
        if s.eventCount >= redrivableHistoryLimit {
            return RedriveRefusal(reason: "Execution history event limit exceeded")
        }
        if now > startTime.adding(seconds: maximumOpenSeconds) {
            return RedriveRefusal(reason: "Execution has exceeded the max execution time")
        }
        if let stopDate = s.stopDate, now > stopDate.adding(seconds: redrivablePeriodSeconds) {
            return RedriveRefusal(reason: "Execution redrivable period exceeded")
        }
        return nil
    }

    /// When the latest redrive began (nil if never redriven): a resumed run's TimeoutSeconds counts from it.
    var redriveDateForResume: Timestamp? { state.withLock { $0.redriveDate } }

    /// Waits until the task that ran the execution has unwound (a stopped execution's program
    /// records where it stopped while it unwinds).
    func runnerFinished() async {
        let runner = state.withLock { $0.runner }
        await runner?.value
    }

    /// Moves a stopped execution back to RUNNING, counts the redrive, records ExecutionRedriven
    /// and starts `makeRunner` with where the last run stopped and that event's id, all in one
    /// step, so a concurrent StopExecution or second redrive sees a consistent execution.
    func beginRedrive(at now: Timestamp, makeRunner: (RedrivePoint?, Int) -> Task<Void, Never>) throws(RedriveRefusal) {
        let refusal: RedriveRefusal? = state.withLock { s in
            if let refusal = Self.refusal(s, startTime: identity.startTime, now: now) { return refusal }
            s.status = .running
            s.output = nil
            s.closedOutput = nil
            s.error = nil
            s.cause = nil
            s.stopDate = nil
            s.abortRequest = nil
            s.redriveCount += 1
            s.redriveDate = now
            var eventId = 0
            if recordsHistory {
                s.unpackHistory()
                eventId = s.history.count + 1
                s.history.append(
                    HistoryEvent(
                        id: eventId, previousEventId: eventId - 1, timestamp: now, type: .executionRedriven,
                        recorded: .object(["redriveCount": .int(s.redriveCount)])))
            }
            s.runnerEnded = false
            s.checkpoint = nil
            s.runner = makeRunner(s.redrivePoint, eventId)
            s.redrivePoint = nil
            return nil
        }
        if let refusal { throw refusal }
        notifyObserver()
    }
}

extension ExecutionEngine {
    /// RedriveExecution: restarts a failed, timed-out or aborted execution from the state where
    /// it stopped, with that state's input and variables. States that succeeded are not run
    /// again; in a Parallel or Map only the branches and iterations that did not succeed are.
    /// Returns the redrive date.
    public func redrive(_ execution: Execution, definition: StateMachineDefinition) async throws(RedriveRefusal) -> Timestamp {
        await execution.runnerFinished()
        let clock = runClock(of: execution)
        let now = clock.now()
        let interpreter = Interpreter(
            definition: definition, execution: execution, clock: clock, dispatcher: dispatcher, runStartTime: now,
            objectStore: objectStore(for: execution.identity.executionArn))
        try execution.beginRedrive(at: now) { point, eventId in
            BackgroundExecution.task {
                await interpreter.redriveExecution(from: point, redrivenEventId: eventId)
                execution.runnerDidEnd()
            }
        }
        return now
    }

    /// The clock a redriven or resumed run uses: the execution's own under `WAIT_TIME_SCALE=0`
    /// (its time keeps the waits it skipped), otherwise this engine's.
    func runClock(of execution: Execution) -> any ExecutionClock {
        execution.clock is ExecutionOffsetClock ? execution.clock : clock
    }

    /// Continues a running execution a store kept across a restart (``Execution/restored(_:clock:observer:)``),
    /// from `checkpoint`, or from its start (or its latest redrive) when it had reached no state yet.
    /// The history keeps every event recorded before the restart (without a checkpoint, it must
    /// end where the run continues); `eventsAfterCheckpoint` are those after the checkpoint, which
    /// the resumed run finds again as it records them, and where the branches and iterations the
    /// checkpoint keeps (at any depth) find theirs, so as not to run them again.
    public func resume(
        _ execution: Execution, definition: StateMachineDefinition, from checkpoint: ExecutionCheckpoint?,
        eventsAfterCheckpoint: [HistoryEvent] = []
    ) {
        let interpreter = Interpreter(
            definition: definition, execution: execution, clock: runClock(of: execution), dispatcher: dispatcher,
            runStartTime: checkpoint?.runStartTime ?? execution.redriveDateForResume,
            objectStore: objectStore(for: execution.identity.executionArn))
        let lastEventId = execution.lastEventId
        execution.state.withLock { $0.runnerEnded = false }
        execution.setRunner(
            BackgroundExecution.task {
                if let checkpoint {
                    await interpreter.resumeExecution(from: checkpoint, eventsAfterCheckpoint: eventsAfterCheckpoint)
                } else if execution.redriveCount > 0 {
                    await interpreter.redriveExecution(from: nil, redrivenEventId: lastEventId)
                } else {
                    await interpreter.runExecution()
                }
                execution.runnerDidEnd()
            })
    }
}
