import StepLocalASL
import StepLocalJSON
import StepLocalJSONPath

/// One state's life: entered, input processing, the work (with Retry), result processing,
/// Catch, exited. The JSONPath and JSONata pipelines live in `Core/StateScope+DataFlow.swift`.
extension Interpreter {
    /// `enteredTime`: now, or the moment a kept checkpoint names (see ``keepCheckpoint(_:input:frame:)``).
    ///
    /// Only the waits are here: everything else a state does runs in ``beginState(_:input:frame:enteredTime:)``
    /// and ``finishWait(_:scope:deadline:capped:effectiveInput:frame:)``, synchronous, so that their
    /// temporaries live on the thread's stack and not in this function's async frame, which a
    /// suspended execution keeps for as long as it waits (with them all inline it was 4.6 KB of
    /// every waiting execution's 15 KB).
    func runState(_ state: State, input: JSONValue, frame: inout Frame, enteredTime: Timestamp) async -> StateOutcome {
        switch beginState(state, input: input, frame: &frame, enteredTime: enteredTime) {
        case .done(let outcome):
            return outcome
        case .wait(var scope, let effectiveInput, let deadline, let capped, let wait):
            if await !sleep(until: capped, waitingFor: wait) { return .failed(StatesError("States.Aborted", cause: nil)) }
            return finishWait(state, scope: &scope, deadline: deadline, capped: capped, effectiveInput: effectiveInput, frame: &frame)
        case .work(var scope, let effectiveInput):
            return await runWithRetry(state, scope: &scope, effectiveInput: effectiveInput, frame: &frame)
        }
    }

    /// What a state does after its synchronous start: it has ended, it waits (a Wait state), or
    /// it works, with its Retry (a Task, Parallel or Map).
    enum StateStart {
        case done(StateOutcome)
        case wait(StateScope, effectiveInput: JSONValue, deadline: Timestamp, capped: Timestamp, PendingWait)
        case work(StateScope, effectiveInput: JSONValue)
    }

    /// Records the state's entry, processes its input and runs it to its end when it does not wait.
    @inline(never)
    private func beginState(_ state: State, input: JSONValue, frame: inout Frame, enteredTime: Timestamp) -> StateStart {
        let enteredAfterEventId = frame.lastEventId
        // Entered when its event says (a thread that records just before it can stamp it later).
        var enteredTime = enteredTime
        let enteredId: Int
        // The first state (the only one whose entered event follows no event) holds the
        // execution's input text as sent, as AWS records it (see ``Execution/inputText``).
        if enteredAfterEventId == 0, let inputText = execution.inputText {
            enteredId = record(
                state.enteredEvent,
                recorded: .object(["name": .string(state.name), "input": .string(inputText), "inputDetails": .notTruncated]),
                frame: &frame, stampedAt: &enteredTime)
        } else {
            enteredId = record(
                state.enteredEvent, recorded: .stateEntered(name: state.name, input: input), frame: &frame, stampedAt: &enteredTime)
        }
        var scope = StateScope(state: state, rawInput: input, enteredTime: enteredTime, enteredEventId: enteredId, execution: execution, hooks: hooks)
        scope.enteredAfterEventId = enteredAfterEventId
        scope.inspect(.input, input)

        do throws(StatesError) {
            let effectiveInput = try scope.effectiveInput(frame: frame)
            switch state.kind {
            case .choice(let spec):
                return .done(try finishChoice(spec, scope: &scope, effectiveInput: effectiveInput, frame: &frame))
            case .fail(let spec):
                let env = scope.environment(input: effectiveInput, frame: frame)
                let error = try spec.error.map { s throws(StatesError) in try scope.resolve(s, env) }
                let cause = try spec.cause.map { s throws(StatesError) in try scope.resolve(s, env) }
                // A Fail state without Error has no error name; Execution.finish leaves it out.
                return .done(.failed(StatesError(error ?? "", cause: cause)))
            case .succeed:
                let output = try scope.finalOutput(result: nil, effectiveInput: effectiveInput, frame: frame)
                recordExited(scope, output: output, assigned: nil, frame: &frame)
                return .done(.end(output))
            case .wait(let spec):
                // Counted from the state's entry: a Wait resumed after a restart keeps its deadline.
                let deadline = try scope.waitDeadline(spec, from: enteredTime, effectiveInput: effectiveInput, frame: frame)
                let capped = executionDeadline.map { min($0, deadline) } ?? deadline
                let wait = PendingWait(stateName: state.name, iterations: frame.iterations, kind: .wait, since: enteredTime, until: deadline)
                return .wait(scope, effectiveInput: effectiveInput, deadline: deadline, capped: capped, wait)
            case .pass(let result):
                var value: JSONValue? = nil
                if state.queryLanguage == .jsonPath {
                    if let result { value = try scope.checkedPayload(result) } else if let parameters = state.parameters {
                        value = try scope.checkedPayload(scope.evaluate(parameters, input: effectiveInput, frame: frame))
                    } else {
                        value = effectiveInput
                    }
                    if result == nil, let value { scope.inspect(.afterParameters, value) }
                }
                return .done(try finishSimple(state, scope: &scope, result: value, effectiveInput: effectiveInput, frame: &frame))
            case .task, .parallel, .map:
                return .work(scope, effectiveInput: effectiveInput)
            }
        } catch {
            return .done(handleFailure(error, state: state, scope: &scope, frame: &frame))
        }
    }

    /// A Wait state's end, once its time has passed.
    @inline(never)
    private func finishWait(
        _ state: State, scope: inout StateScope, deadline: Timestamp, capped: Timestamp, effectiveInput: JSONValue, frame: inout Frame
    ) -> StateOutcome {
        // Cut short by the execution's TimeoutSeconds (virtual clock): the execution times out.
        if capped < deadline, pastDeadline() { return .failed(.timeout()) }
        do throws(StatesError) {
            return try finishSimple(state, scope: &scope, result: nil, effectiveInput: effectiveInput, frame: &frame)
        } catch {
            return handleFailure(error, state: state, scope: &scope, frame: &frame)
        }
    }

    /// Sleeps on the execution's clock until `moment`, with `wait` among the execution's pending
    /// waits meanwhile; false when the thread was stopped first.
    private func sleep(until moment: Timestamp, waitingFor wait: PendingWait) async -> Bool {
        await execution.waiting(wait) { [clock] in
            do { try await clock.sleep(until: moment) } catch { return false }
            return true
        }
    }

    /// Records `<Type>StateExited` (with assigned variables, when any: an empty `Assign` records
    /// none, as AWS does); an inspector sees the variables in scope once the state has assigned its own.
    func recordExited(_ scope: StateScope, output: JSONValue, assigned: JSONObject?, frame: inout Frame) {
        let state = scope.state
        scope.inspect(.variables, .object(JSONObject(uniqueKeysWithValues: frame.variables.sorted { $0.key < $1.key })))
        guard execution.recordsHistory else {
            countUnkeptEvent(state.exitedEvent, frame: &frame)
            return
        }
        guard let assigned, !assigned.isEmpty else {
            record(state.exitedEvent, recorded: .stateExited(name: state.name, output: output), frame: &frame)
            return
        }
        var details: JSONObject = ["name": .string(state.name), "output": .string(output.serialized()), "outputDetails": .notTruncated]
        var shown: JSONObject = [:]
        for (k, v) in assigned { shown[k] = .string(v.serialized()) }
        details["assignedVariables"] = .object(shown)
        details["assignedVariablesDetails"] = .notTruncated
        record(state.exitedEvent, details, frame: &frame)
    }

    /// Pass, Wait: result → (ResultPath, OutputPath | Output), Assign, exit, transition.
    func finishSimple(_ state: State, scope: inout StateScope, result: JSONValue?, effectiveInput: JSONValue, frame: inout Frame) throws(StatesError)
        -> StateOutcome
    {
        if let result { scope.inspect(.result, result) }
        return try leave(state, scope: &scope, result: result, effectiveInput: effectiveInput, frame: &frame)
    }

    /// Every state that ends normally: Assign and the output from `result` (after ResultSelector),
    /// the exited event, the transition.
    private func leave(_ state: State, scope: inout StateScope, result: JSONValue?, effectiveInput: JSONValue, frame: inout Frame) throws(StatesError)
        -> StateOutcome
    {
        let assigned = try scope.assignments(state.assign, result: result, effectiveInput: effectiveInput, frame: frame)
        let output = try scope.finalOutput(result: result, effectiveInput: effectiveInput, frame: frame)
        if let assigned { frame.assign(assigned) }
        recordExited(scope, output: output, assigned: assigned, frame: &frame)
        if let next = state.next { return .next(next, output) }
        return .end(output)
    }

    /// Task, Parallel, Map: the work, retried per `Retry`, then result processing.
    /// `resuming`: after a restart, how far the Retry had got (see ``RetryProgress``): its back-off
    /// is waited out, then its next attempt is made.
    /// Not inlined into ``runState(_:input:frame:enteredTime:)``: its frame would then be in every
    /// waiting execution's, a Wait's included.
    @inline(never)
    func runWithRetry(
        _ state: State, scope: inout StateScope, effectiveInput: JSONValue, frame: inout Frame, resuming: RetryProgress? = nil
    ) async -> StateOutcome {
        var attemptsByRetrier = resuming?.attemptsByRetrier ?? [Int](repeating: 0, count: state.retry.count)
        var attempt = resuming?.attempt ?? 0
        var lastDelay: [Double] = resuming?.lastDelaySeconds ?? state.retry.map(\.intervalSeconds)
        var backOffUntil = resuming?.retryAt
        var backOffSince: Timestamp? = nil
        // The execution's own thread keeps its Retry's progress with its checkpoint, for a restart;
        // a kept branch or iteration with its position there (see ``RunningThread/retry``).
        let keepsProgress = frame.isExecutionThread && execution.keepsCheckpoints
        let threadLog = execution.keepsCheckpoints && !frame.isExecutionThread ? self.threadLog : nil
        while true {
            if let retryAt = backOffUntil {
                backOffUntil = nil
                let backOff = PendingWait(
                    stateName: state.name, iterations: frame.iterations, kind: .retry(attempt: attempt + 1), since: backOffSince ?? clock.now(),
                    until: retryAt)
                if await !sleep(until: executionDeadline.map { min($0, retryAt) } ?? retryAt, waitingFor: backOff) {
                    return .failed(StatesError("States.Aborted", cause: nil))
                }
                // The execution's TimeoutSeconds passed during the backoff (virtual clock): no further attempt.
                if pastDeadline() { return .failed(.timeout()) }
            }
            if Task.isCancelled { return .failed(StatesError("States.Aborted", cause: nil)) }
            scope.retryCount = attempt
            let error: StatesError
            do throws(StatesError) {
                let result: JSONValue
                switch state.kind {
                case .task(let spec): result = try await runTask(spec, scope: scope, effectiveInput: effectiveInput, frame: &frame)
                case .parallel(let branches): result = try await runParallel(branches, scope: scope, effectiveInput: effectiveInput, frame: &frame)
                case .map(let spec): result = try await runMap(spec, scope: scope, effectiveInput: effectiveInput, frame: &frame)
                default: result = effectiveInput
                }
                return try finishWork(state, scope: &scope, result: result, effectiveInput: effectiveInput, frame: &frame)
            } catch let e {
                error = e
            }
            // A retried Map or Parallel does not record its failure (AWS: MapStateStarted again,
            // no MapStateFailed in between); handleFailure records it once the failure is final.
            let owedFailureEvent = frame.pendingStateFailedEvent
            frame.pendingStateFailedEvent = nil
            if Task.isCancelled { return .failed(StatesError("States.Aborted", cause: nil)) }
            guard let index = state.retry.firstIndex(where: { $0.matches(error) }) else {
                frame.pendingStateFailedEvent = owedFailureEvent
                return handleFailure(error, state: state, scope: &scope, frame: &frame)
            }
            let retrier = state.retry[index]
            guard attemptsByRetrier[index] < retrier.maxAttempts else {
                frame.pendingStateFailedEvent = owedFailureEvent
                return handleFailure(error, state: state, scope: &scope, frame: &frame)
            }
            scope.inspect(.retryIndex, .int(index))
            var delay = attemptsByRetrier[index] == 0 ? retrier.intervalSeconds : lastDelay[index] * retrier.backoffRate
            if let cap = retrier.maxDelaySeconds { delay = min(delay, cap) }
            lastDelay[index] = delay
            attemptsByRetrier[index] += 1
            attempt += 1
            let wait = retrier.jitterFull ? Double.random(in: 0...delay) : delay
            // Counted from the failure as recorded (TaskFailed, or the failed attempt's last
            // event), not from a later read of the clock: the retry is scheduled exactly `wait`
            // after it, whatever time passed in between on a clock that really waits.
            let failedAt = execution.timestamp(ofEvent: frame.lastEventId).map { min($0, clock.now()) } ?? clock.now()
            let retryAt = failedAt.adding(seconds: wait)
            if keepsProgress || threadLog != nil {
                let progress = RetryProgress(
                    attempt: attempt, attemptsByRetrier: attemptsByRetrier, lastDelaySeconds: lastDelay, retryAt: retryAt,
                    eventCount: 0, lastEventId: frame.lastEventId, threadEvents: frame.threadEvents,
                    enteredEventId: scope.enteredEventId, enteredAfterEventId: scope.enteredAfterEventId)
                if keepsProgress {
                    execution.keepRetryProgress(after: frame.lastEventId) { eventCount in
                        var kept = progress
                        kept.eventCount = eventCount
                        return kept
                    }
                } else if let threadLog {
                    execution.keepThreadRetry(along: threadLog.path, progress, eventIds: threadLog.eventIds)
                }
            }
            backOffUntil = retryAt
            backOffSince = failedAt
        }
    }

    /// After a restart, continues a Task, Parallel or Map state that was waiting out a Retry
    /// back-off: its entered event and failed attempts are in the history already, so it goes
    /// straight back to ``runWithRetry(_:scope:effectiveInput:frame:resuming:)``.
    @inline(never)
    func resumeRetrying(_ state: State, input: JSONValue, frame: inout Frame, enteredTime: Timestamp, progress: RetryProgress) async -> StateOutcome {
        frame.lastEventId = progress.lastEventId
        frame.threadEvents = progress.threadEvents
        var scope = StateScope(
            state: state, rawInput: input, enteredTime: enteredTime, enteredEventId: progress.enteredEventId, execution: execution, hooks: hooks)
        scope.enteredAfterEventId = progress.enteredAfterEventId
        do throws(StatesError) {
            let effectiveInput = try scope.effectiveInput(frame: frame)
            return await runWithRetry(state, scope: &scope, effectiveInput: effectiveInput, frame: &frame, resuming: progress)
        } catch {
            return handleFailure(error, state: state, scope: &scope, frame: &frame)
        }
    }

    func finishWork(_ state: State, scope: inout StateScope, result: JSONValue, effectiveInput: JSONValue, frame: inout Frame) throws(StatesError)
        -> StateOutcome
    {
        scope.inspect(.result, result)
        var selected = result
        if state.queryLanguage == .jsonPath {
            if let selector = state.resultSelector { selected = try scope.checkedPayload(scope.evaluate(selector, input: result, frame: frame)) }
            scope.inspect(.afterResultSelector, selected)
        }
        return try leave(state, scope: &scope, result: selected, effectiveInput: effectiveInput, frame: &frame)
    }

    /// After retries: a matching catcher transitions with the error output; otherwise the state fails.
    /// TestState's mock of a Map or Parallel state: its result instead of running the branches or
    /// iterations (taken once their inputs are known, so the input stages are still inspected),
    /// or its error; `nil` when the state is not the mocked one.
    func mockedResult(of state: State) throws(StatesError) -> JSONValue? {
        guard let stateMock = hooks?.stateMock, stateMock.stateName == state.name else { return nil }
        switch stateMock.outcome {
        case .success(let result): return result
        case .failure(let error): throw error
        }
    }

    func handleFailure(_ error: StatesError, state: State, scope: inout StateScope, frame: inout Frame) -> StateOutcome {
        if let owed = frame.pendingStateFailedEvent {
            frame.pendingStateFailedEvent = nil
            record(owed, [:], frame: &frame)
        }
        let located = scope.located(error)
        if Task.isCancelled || pastDeadline() { return .failed(located) }
        guard let index = state.catchers.firstIndex(where: { $0.matches(located) }) else {
            recordEvaluationFailure(located, scope: scope, frame: &frame)
            recordAbortedInParallelBranch(state, frame: frame)
            return .failed(located)
        }
        let catcher = state.catchers[index]
        scope.inspect(.catchIndex, .int(index))
        // A failure without an error name (SendTaskFailure sent neither error nor cause) reaches
        // the Catch as {"Error": null, "Cause": null}, as recorded on AWS; a named error without a
        // cause (a timeout) has the cause "".
        var errorOutput: JSONObject = ["Error": located.error.isEmpty ? .null : .string(located.error)]
        errorOutput["Cause"] = located.cause.map(JSONValue.string) ?? (located.error.isEmpty ? .null : "")
        scope.inspect(.caughtError, .object(errorOutput))
        do throws(StatesError) {
            let (output, assigned) = try scope.catchOutput(catcher, errorOutput: .object(errorOutput), frame: frame)
            if let assigned { frame.assign(assigned) }
            recordExited(scope, output: output, assigned: assigned, frame: &frame)
            return .next(catcher.next, output)
        } catch {
            let failure = scope.located(error)
            recordEvaluationFailure(failure, scope: scope, frame: &frame)
            return .failed(failure)
        }
    }

    /// A Task state whose failure ends a Parallel branch is aborted: AWS records
    /// `TaskStateAborted` after the task's failure and chains the Parallel's ParallelStateFailed
    /// to the failure, not to the abort (recorded, for Lambda and SQS callback tasks). A Map
    /// iteration ends without it (recorded), and other state types were not recorded failing in
    /// a branch, so they are left as they are.
    func recordAbortedInParallelBranch(_ state: State, frame: Frame) {
        guard frame.isParallelBranch, case .task = state.kind else { return }
        var unchained = frame
        record(.taskStateAborted, [:], frame: &unchained)
    }

    /// A JSONata state that fails on an expression (States.QueryEvaluationError) first records
    /// `EvaluationFailed` (error, cause, the failing field as `location`, the state), as AWS does;
    /// a Map or Parallel that failed that way before starting its work then records its
    /// `<Type>StateFailed`. AWS chains the event to the one before the state was entered, except
    /// for a Wait's Seconds/Timestamp, which it chains to the Wait's entered event (both recorded).
    /// An error that a state inside a Map or Parallel raised was recorded there: the Map or
    /// Parallel it fails records no second EvaluationFailed (recorded).
    func recordEvaluationFailure(_ error: StatesError, scope: StateScope, frame: inout Frame) {
        let state = scope.state
        guard state.queryLanguage == .jsonata, error.error == "States.QueryEvaluationError" else { return }
        if let cause = error.cause, cause.hasPrefix("An error occurred while executing the state '"),
            !cause.hasPrefix("An error occurred while executing the state '\(state.name)' (entered at the event id #\(scope.enteredEventId)).")
        {
            return
        }
        var details: JSONObject = ["error": .string(error.error)]
        if let cause = error.cause { details["cause"] = .string(cause) }
        if let location = error.location { details["location"] = .string(location) }
        details["state"] = .string(state.name)
        let nothingSinceEntered = frame.lastEventId == scope.enteredEventId
        var previous = scope.enteredAfterEventId
        if case .wait = state.kind { previous = scope.enteredEventId }
        let id = execution.record(.evaluationFailed, details: details, previous: previous)
        guard id > 0 else { return }
        threadLog?.append(id)
        frame.lastEventId = id
        guard nothingSinceEntered else { return }
        switch state.kind {
        case .map: record(.mapStateFailed, [:], frame: &frame)
        case .parallel: record(.parallelStateFailed, [:], frame: &frame)
        default: break
        }
    }
}
