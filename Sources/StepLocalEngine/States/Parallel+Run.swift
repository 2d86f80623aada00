import StepLocalASL
import StepLocalJSON

/// Parallel: runs its branches as sub-programs with their own frames, in order when they cannot
/// wait, as child tasks otherwise. Also the rule both Parallel and Map hold their joined result to.
extension Interpreter {
    func runParallel(_ branches: [StateProgram], scope: StateScope, effectiveInput: JSONValue, frame: inout Frame) async throws(StatesError)
        -> JSONValue
    {
        let state = scope.state
        let input: JSONValue
        if state.queryLanguage == .jsonata {
            input = try state.arguments.map { t throws(StatesError) in try scope.checkedPayload(scope.evaluate(t, input: scope.rawInput, frame: frame)) }
                ?? scope.rawInput
        } else {
            input = try state.parameters.map { t throws(StatesError) in try scope.checkedPayload(scope.evaluate(t, input: effectiveInput, frame: frame)) }
                ?? effectiveInput
        }
        if let mocked = try mockedResult(of: state) { return mocked }
        // Entered again after a restart, it started when it was first entered.
        let startedId = record(.parallelStateStarted, [:], frame: &frame, at: frame.resumedAttemptStart)
        frame.resumedAttemptStart = nil
        let forkBase = frame.forkBase(after: startedId)
        // On redrive, branches that succeeded keep their output; the others continue where they stopped.
        let resume = frame.resumeDetail?.branches
        frame.resumeDetail = nil
        // After a restart, the events of branches that had finished or were under way are recorded
        // again: the finished ones are not run, the others continue at the state they were in.
        let (replayed, resumedThreads) = resumed == nil ? ([:], [:]) : replayKeptThreads(startedId: startedId)
        // Observed by a store, the execution's own thread and every kept thread keep their branches (see ``KeptThreads``).
        let keepsFinished = keepsThreads(frame)
        var outcomes = [ProgramOutcome?](repeating: nil, count: branches.count)
        var stopPoints = [RedrivePoint?](repeating: nil, count: branches.count)
        for (i, thread) in replayed { outcomes[i] = .succeeded(thread.output) }
        // The last event of the branch that failed first: ParallelStateFailed follows it.
        var failedBranchEventId: Int?
        // The latest of the branches' last events: ParallelStateSucceeded follows it (not the
        // execution's last event, which a thread running beside this Parallel may have recorded).
        var lastBranchEventId = replayed.values.map(\.lastEventId).max() ?? 0
        @Sendable func runBranch(_ index: Int, on thread: Interpreter) async -> (ProgramOutcome, RedrivePoint?, Int) {
            var f = forkBase.forkedBranch(index)
            f.isParallelBranch = true
            if let output = resume?[index]?.output { return (.succeeded(output), nil, f.lastEventId) }
            let resumedThread = resumedThreads.isEmpty ? nil : resumedThreads[index]
            if let resumedThread {
                f.lastEventId = resumedThread.lastEventId
                f.threadEvents = resumedThread.position.threadEvents
                if resumedThread.retry == nil { f.resumedAttemptStart = resumedThread.position.enteredTime }
            }
            let outcome = await thread.runProgram(
                branches[index], input: input, frame: &f, resumingAt: resumedThread?.position.point ?? resume?[index]?.stopPoint,
                keepsPosition: keepsFinished, enteredTime: resumedThread?.position.enteredTime, retrying: resumedThread?.retry)
            if keepsFinished, case .succeeded(let output) = outcome, let log = thread.threadLog {
                execution.keepFinishedThread(along: log.path, output: output, eventIds: log.eventIds)
            }
            return (outcome, f.redrivePoint, f.lastEventId)
        }
        if branches.allSatisfy(\.neverWaits) {
            for i in branches.indices where outcomes[i] == nil {
                let (outcome, point, lastEventId) = keepsFinished
                    ? await runBranch(i, on: keptThread(startedId, i, resumed: resumedThreads[i])) : await runBranch(i, on: self)
                outcomes[i] = outcome
                stopPoints[i] = point
                lastBranchEventId = max(lastBranchEventId, lastEventId)
                if case .failed = outcome { failedBranchEventId = lastEventId }
                if case .succeeded? = outcomes[i] { continue }
                break
            }
            if pastDeadline() { throw StatesError.timeout() }
        } else {
            // Branches that can wait run side by side, each on its own thread clock.
            let fork = ThreadFork(from: clock)
            let threads = branches.indices.map { i -> Interpreter? in
                guard outcomes[i] == nil else { return nil }
                return keepsFinished ? forThread(in: fork).keptThread(startedId, i, resumed: resumedThreads[i]) : forThread(in: fork)
            }
            await withTaskGroup(of: (Int, ProgramOutcome, RedrivePoint?, Int).self) { group in
                for case (let i, let thread?) in threads.enumerated() {
                    group.addTask {
                        let (outcome, point, lastEventId) = await fork.run(on: thread.clock) { await runBranch(i, on: thread) }
                        return (i, outcome, point, lastEventId)
                    }
                }
                while let (i, outcome, point, lastEventId) = await fork.awaitThread({ await group.next() }) {
                    outcomes[i] = outcome
                    stopPoints[i] = point
                    lastBranchEventId = max(lastBranchEventId, lastEventId)
                    if case .succeeded = outcome { continue }
                    if case .failed = outcome, failedBranchEventId == nil { failedBranchEventId = lastEventId }
                    group.cancelAll()
                }
            }
            await join(threads.compactMap { $0 })
        }
        await catchUp(with: replayed)
        var results: [JSONValue] = []
        for outcome in outcomes {
            switch outcome {
            case .succeeded(let value)?: results.append(value)
            case .failed(let error)?:
                frame.lastEventId = failedBranchEventId ?? execution.lastEventId
                frame.stopDetail = .branches(BranchProgress.collect(outcomes, points: stopPoints))
                frame.pendingStateFailedEvent = .parallelStateFailed
                throw error
            case .timedOut?:
                frame.stopDetail = .branches(BranchProgress.collect(outcomes, points: stopPoints))
                throw StatesError.timeout()
            case .cancelled?, nil:
                continue
            }
        }
        if Task.isCancelled {
            frame.stopDetail = .branches(BranchProgress.collect(outcomes, points: stopPoints))
            throw StatesError("States.Aborted", cause: nil)
        }
        frame.lastEventId = lastBranchEventId > 0 ? lastBranchEventId : execution.lastEventId
        let result = try payloadResult(results, of: state, failedEvent: .parallelStateFailed, frame: &frame)
        record(.parallelStateSucceeded, [:], frame: &frame)
        return result
    }

    /// The outputs of a Map's iterations or a Parallel's branches as the state's result, held to
    /// the payload quota like any other result: over 256 KiB the state owes `failedEvent` (recorded once
    /// the failure is final) and fails with States.DataLimitExceeded (a Map of 1,000 1-KiB results does).
    func payloadResult(_ outputs: [JSONValue], of state: State, failedEvent: HistoryEventType, frame: inout Frame) throws(StatesError) -> JSONValue {
        let result = JSONValue.array(outputs)
        if result.exceedsPayloadLimit {
            frame.pendingStateFailedEvent = failedEvent  // recorded once the failure is final
            throw StatesError.payloadTooLarge(from: state.name)
        }
        return result
    }
}
