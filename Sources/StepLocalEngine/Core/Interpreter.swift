import StepLocalASL
import StepLocalJSON
import Synchronization

/// Runs one execution of a definition: walks states, applies the data-flow pipeline, performs
/// waits and tasks through the injected clock and dispatcher, and records AWS's history.
///
/// It is straight-line async code rather than a hand-written event machine: a state that does
/// no I/O never suspends, so Pass/Choice loops run at function-call speed, and Parallel
/// branches and Map iterations are child tasks only when they can actually wait.
struct Interpreter: Sendable {
    let definition: StateMachineDefinition
    let execution: Execution
    /// The execution's clock, or in a Parallel branch or Map iteration the thread's own (see ``ThreadClock``).
    var clock: any ExecutionClock
    let dispatcher: any TaskDispatcher
    /// When this run began: the execution's start, or its latest redrive. `TimeoutSeconds` counts from here.
    var runStartTime: Timestamp? = nil
    /// TestState's and scenario cases' hooks: a Context overlay, a mock of a Map or Parallel state.
    var hooks: RunHooks? = nil
    /// Where Distributed Map ItemReaders read and ResultWriters write; nil: they fail, saying so.
    var objectStore: (any ObjectStore)? = nil
    /// In a branch or iteration of the state the execution's own thread is in (when a store
    /// observes the execution): collects the ids of the events it records (see ``FinishedThread``).
    var threadLog: ThreadEventLog? = nil
    /// In a Distributed Map's child: the top-level execution whose Map Run started it (see
    /// ``TaskRequest/rootExecutionArn``); nil in a top-level execution.
    var rootExecutionArn: String? = nil
    /// After a restart: what the first state takes up again (one reference, nil in every other
    /// run, so the interpreter stays small to copy).
    var resumed: ResumedState? = nil

    /// The largest payload AWS lets a state produce (256 KiB).
    static let payloadLimit = 262_144
    /// The most all of an execution's variables may hold together (10 MiB).
    static let variablesLimit = 10_485_760
    /// AWS ends an execution whose history reaches 25,000 events ("Quotas related to state machine
    /// executions"): event 25,000 is ExecutionFailed, States.Runtime, as recorded on AWS.
    static let historyEventLimit = 25_000

    /// Records ExecutionStarted; done before the run is scheduled, so a StopExecution that
    /// arrives at once still finds it first in the history. Returns the event's id.
    @discardableResult
    func recordStarted() -> Int {
        guard execution.recordsHistory else { return execution.countEvent(.executionStarted) }
        let identity = execution.identity
        var startDetails: JSONObject = [
            "input": .string(execution.inputText ?? execution.input.serialized()), "inputDetails": .notTruncated,
            "roleArn": .string(identity.roleArn),
        ]
        // A version ARN has an eighth part (`...:stateMachine:NAME:3`); counting colons spares
        // every start an array of substrings.
        if identity.stateMachineArn.utf8.reduce(0, { $1 == UInt8(ascii: ":") ? $0 + 1 : $0 }) >= 7 {
            startDetails["stateMachineVersionArn"] = .string(identity.stateMachineArn)
        }
        return execution.record(.executionStarted, details: startDetails, previous: 0, at: identity.startTime)
    }

    /// Runs the execution from `StartAt`, after `recordStarted`. AWS chains the first state's
    /// entered event to no event (previousEventId 0), not to ExecutionStarted: recorded in every
    /// history of the conformance corpus.
    ///
    /// `startAt` names a state of this interpreter's program to begin with instead of `StartAt`
    /// (start anywhere); it is entered with the execution's input and `variables`.
    func runExecution(variables: [String: JSONValue] = [:], startAt: String? = nil) async {
        let point = startAt.map { RedrivePoint(stateName: $0, input: execution.input, variables: variables, detail: nil) }
        await runToEnd(frame: Frame(variables: variables, lastEventId: 0, mapItem: nil), resumingAt: point)
    }

    /// RedriveExecution: continues a failed, timed-out or aborted execution from where it
    /// stopped, after the ExecutionRedriven event that `Execution.redrive` recorded.
    func redriveExecution(from point: RedrivePoint?, redrivenEventId: Int) async {
        await runToEnd(frame: Frame(variables: [:], lastEventId: redrivenEventId, mapItem: nil), resumingAt: point)
    }

    /// Continues an execution a store kept while it ran, from the top-level state it was in,
    /// entering it again at the same moment: a Wait keeps its deadline, a Task runs again (at least
    /// once, as on AWS). The branches or iterations of it (at any depth) that had finished are not
    /// run again, and those under way continue where they stood. The history keeps every event
    /// recorded before the restart; `eventsAfterCheckpoint` are those after the checkpoint, which
    /// the run finds again as it records them (see ``Execution/expectReplay(of:)``) and where the
    /// kept threads find theirs.
    func resumeExecution(from checkpoint: ExecutionCheckpoint, eventsAfterCheckpoint: [HistoryEvent]) async {
        let position = checkpoint.position
        var frame = Frame(variables: position.variables, lastEventId: position.lastEventId, mapItem: nil)
        frame.threadEvents = position.threadEvents
        // A state in a Retry's back-off makes a new attempt, with a whole new TimeoutSeconds.
        if checkpoint.retry == nil { frame.resumedAttemptStart = position.enteredTime }
        var interpreter = self
        interpreter.resumed = ResumedState(
            threads: KeptThreadReplay(checkpoint.threads, recorded: eventsAfterCheckpoint),
            retry: checkpoint.retry.map { ($0, position.enteredTime) }, recorded: eventsAfterCheckpoint)
        // The first state's checkpoint finds this one and keeps its entered time; the threads it
        // names are kept again as they are taken up.
        var kept = checkpoint
        kept.threads = nil
        execution.keep(kept)
        // The kept threads' events are not recorded again (finished threads do not run; running
        // ones continue after them): only the others are expected.
        let keptThreadEvents = Set(checkpoint.threads?.replayedEvents(in: eventsAfterCheckpoint).map(\.id) ?? [])
        execution.expectReplay(of: keptThreadEvents.isEmpty ? eventsAfterCheckpoint : eventsAfterCheckpoint.filter { !keptThreadEvents.contains($0.id) })
        await interpreter.runToEnd(frame: frame, resumingAt: position.point)
    }

    /// Runs the top-level program (racing `TimeoutSeconds` on the real clock), records how the
    /// execution ended and keeps where it stopped for a later redrive.
    private func runToEnd(frame: Frame, resumingAt point: RedrivePoint?) async {
        // Started from a branch of another execution (a nested child), it keeps its own time; a
        // Map Run's child on an instant clock is a thread of its Map's timeline, and waits in turn.
        if let thread = clock as? ThreadClock {
            await TimelineSlot.$current.withValue(TimelineSlot(clock: thread)) { await runOwnProgram(frame: frame, resumingAt: point) }
        } else {
            await ThreadWaits.detached { await runOwnProgram(frame: frame, resumingAt: point) }
        }
    }

    private func runOwnProgram(frame: Frame, resumingAt point: RedrivePoint?) async {
        // The execution's own TimeoutSeconds is listed with its threads' waits, so a run that has
        // not moved says when it will time out (EXPRESS's implicit five minutes are not: nobody
        // can look at a running EXPRESS execution).
        let timeoutWait = definition.timeoutSeconds == nil ? nil : maximumDurationDeadline.map { deadline in
            execution.beginWaiting(
                PendingWait(
                    stateName: "", iterations: [], kind: .executionTimeout, since: runStartTime ?? execution.identity.startTime,
                    until: deadline))
        }
        defer { if let timeoutWait { execution.endWaiting(timeoutWait) } }
        let start = {
            var start = frame
            start.isExecutionThread = true
            return start
        }()
        let outcome: ProgramOutcome
        var stoppedAt: RedrivePoint?
        // An EXPRESS execution's five minutes without a TimeoutSeconds need no timer: they are
        // checked between states and cap its waits (see ``executionDeadline``).
        if definition.timeoutSeconds != nil, let timeout = definition.maximumDurationSeconds, !clock.passesTimeInstantly {
            let deadline = (runStartTime ?? execution.identity.startTime).adding(seconds: Double(timeout))
            (outcome, stoppedAt) = await withTaskGroup(of: (ProgramOutcome, RedrivePoint?)?.self) { group in
                group.addTask {
                    var f = start
                    let outcome = await self.runProgram(
                        self.definition.program, input: self.execution.input, frame: &f, resumingAt: point, isTopLevel: true)
                    return (outcome, f.redrivePoint)
                }
                group.addTask {
                    do { try await self.clock.sleep(until: deadline) } catch { return nil }
                    return (.failed(StatesError("States.Timeout", cause: nil)), nil)
                }
                var result: (ProgramOutcome, RedrivePoint?) = (.cancelled, nil)
                while let next = await group.next() {
                    if let next {
                        result = next
                        break
                    }
                }
                group.cancelAll()
                // The program's own stop point, once it has seen the cancellation.
                while let next = await group.next() {
                    if let next, next.1 != nil { result.1 = next.1 }
                }
                return result
            }
            execution.keepRedrivePoint(stoppedAt)
            if case .failed(let e) = outcome, e.error == "States.Timeout", e.cause == nil, execution.status == .running {
                execution.finish(status: .timedOut, output: nil, error: "States.Timeout", cause: nil, eventType: .executionTimedOut, at: clock.now())
                return
            }
        } else {
            var f = start
            outcome = await runProgram(definition.program, input: execution.input, frame: &f, resumingAt: point, isTopLevel: true)
            stoppedAt = f.redrivePoint
            execution.keepRedrivePoint(stoppedAt)
        }
        switch outcome {
        case .succeeded(let output):
            execution.finish(status: .succeeded, output: output, error: nil, cause: nil, eventType: .executionSucceeded, at: clock.now())
        case .failed(let error):
            execution.finish(status: .failed, output: nil, error: error.error, cause: error.cause, eventType: .executionFailed, at: clock.now())
        case .cancelled:
            break  // StopExecution already recorded ExecutionAborted.
        case .timedOut:
            execution.finish(status: .timedOut, output: nil, error: "States.Timeout", cause: nil, eventType: .executionTimedOut, at: clock.now())
        }
    }

    /// The execution's `TimeoutSeconds` deadline (for EXPRESS, at most five minutes after its
    /// start), which caps its waits. When time passes instantly (a virtual clock, or
    /// WAIT_TIME_SCALE 0) the engine checks it itself between states; a racing timer would fire at
    /// once there. On the real clock a timer races the run for `TimeoutSeconds`, and an EXPRESS
    /// execution's five minutes are checked as on an instant clock (see ``pastDeadline()``).
    var executionDeadline: Timestamp? {
        guard clock.passesTimeInstantly || (definition.type == .express && !clock.scalesWaits) else { return nil }
        return maximumDurationDeadline
    }

    private var maximumDurationDeadline: Timestamp? {
        definition.maximumDurationSeconds.map { (runStartTime ?? execution.identity.startTime).adding(seconds: Double($0)) }
    }

    /// Whether the execution's time is up, checked between states. An EXPRESS execution's five
    /// minutes are checked on every clock, a racing timer for every one being a cost each
    /// StartSyncExecution would pay. Where waits are scaled they are not capped (a wait lasts
    /// another time than it says there): this check between states alone ends the execution.
    func pastDeadline() -> Bool {
        guard clock.passesTimeInstantly || definition.type == .express, let deadline = maximumDurationDeadline else { return false }
        return clock.now() >= deadline
    }

    /// Runs states from `program.startAt` (or, on redrive, from where the program stopped) until
    /// one ends the program or fails. A program that does not succeed leaves in
    /// `frame.redrivePoint` the state it stopped in, with that state's input and variables.
    ///
    /// `isTopLevel`: the execution's own thread (not a Parallel branch or Map iteration), whose
    /// position is kept as the execution's ``ExecutionCheckpoint`` when a store observes it.
    ///
    /// `thread`: this program is branch or iteration `index` of the fork whose started event is
    /// `startedId`, whose position is kept as it enters each state when its ``threadLog`` is kept
    /// (see ``RunningThread``); `enteredTime` then names when the first state was entered, for a
    /// thread resumed after a restart.
    func runProgram(
        _ program: StateProgram, input: JSONValue, frame: inout Frame, resumingAt point: RedrivePoint? = nil, isTopLevel: Bool = false,
        keepsPosition: Bool = false, enteredTime firstEnteredTime: Timestamp? = nil, retrying: RetryProgress? = nil
    ) async -> ProgramOutcome {
        var pendingEnteredTime = firstEnteredTime
        let keepsCheckpoints = isTopLevel && execution.keepsCheckpoints
        // A restart in a Retry's back-off continues that state where its Retry was (kept checkpoint
        // and all); a kept branch or iteration is handed its own (`retrying`).
        var retryToResume = isTopLevel ? resumed?.retry : retrying.map { ($0, firstEnteredTime ?? clock.now()) }
        var name = program.startAt
        var value = input
        if let point {
            name = point.stateName
            value = point.input
            frame.variables = point.variables
            frame.resumeDetail = point.detail
        }
        // The loop keeps only what crosses its waits: the rest runs in synchronous helpers whose
        // temporaries stay on the thread's stack, not in this async frame, which a suspended
        // execution keeps for as long as it waits.
        while true {
            if let stopped = stopBeforeState(name, input: value, frame: &frame) { return stopped }
            guard let state = program.states[name] else {
                return .failed(.runtime("The state '\(name)' does not exist"))
            }
            frame.stopDetail = nil
            let outcome: StateOutcome
            if let retry = retryToResume {
                retryToResume = nil
                pendingEnteredTime = nil
                outcome = await resumeRetrying(state, input: value, frame: &frame, enteredTime: retry.1, progress: retry.0)
            } else {
                let enteredTime = enter(
                    name, input: value, keepsCheckpoint: keepsCheckpoints, keepsPosition: keepsPosition, resumedTime: pendingEnteredTime,
                    frame: &frame)
                pendingEnteredTime = nil
                outcome = await runState(state, input: value, frame: &frame, enteredTime: enteredTime)
            }
            switch next(after: outcome, in: name, input: value, frame: &frame) {
            case .state(let nextName, let output):
                name = nextName
                value = output
            case .ended(let ended):
                return ended
            }
        }
    }

    /// Where a program goes after one of its states: on to the next, or to its end.
    private enum ProgramStep {
        case state(String, JSONValue)
        case ended(ProgramOutcome)
    }

    /// The program stops before entering `name` when its thread was cancelled, the execution's
    /// time is up or its history is full; the state it stopped before is its redrive point.
    @inline(never)
    private func stopBeforeState(_ name: String, input: JSONValue, frame: inout Frame) -> ProgramOutcome? {
        guard Task.isCancelled || pastDeadline() || frame.lastEventId >= Self.historyEventLimit - 1 else { return nil }
        frame.redrivePoint = RedrivePoint(stateName: name, input: input, variables: frame.variables, detail: nil)
        if Task.isCancelled { return .cancelled }
        if pastDeadline() { return .timedOut }
        // The history limit (or a stop) ended the execution: this thread's events are refused.
        if execution.status != .running { return .cancelled }
        return nil
    }

    /// Keeps where the thread stands as it enters `name` (the execution's checkpoint, or the
    /// thread's position in its fork) and returns the moment it enters it: now, or the one a
    /// resumed run kept.
    @inline(never)
    private func enter(
        _ name: String, input: JSONValue, keepsCheckpoint: Bool, keepsPosition: Bool, resumedTime: Timestamp?, frame: inout Frame
    ) -> Timestamp {
        var enteredTime = keepsCheckpoint ? keepCheckpoint(name, input: input, frame: &frame) : clock.now()
        if let resumedTime { enteredTime = resumedTime }
        if keepsPosition, let log = threadLog {
            execution.keepThreadPosition(
                along: log.path,
                RunningThread(
                    position: ThreadPosition(
                        stateName: name, input: input, variables: frame.variables, lastEventId: frame.lastEventId,
                        threadEvents: frame.threadEvents, enteredTime: enteredTime),
                    eventIds: log.eventIds))
        }
        return enteredTime
    }

    /// What the program does after state `name` (entered with `input`) came out as `outcome`.
    @inline(never)
    private func next(after outcome: StateOutcome, in name: String, input: JSONValue, frame: inout Frame) -> ProgramStep {
        frame.resumeDetail = nil
        frame.resumedAttemptStart = nil
        switch outcome {
        case .next(let nextName, let output):
            // Its state machine was deleted: AWS ends its executions at their next transition
            // (entering again, after a restart, the state it was in is none).
            if execution.endsAtNextTransition.load(ordering: .relaxed), execution.endAsAsked(at: clock.now()) {
                frame.redrivePoint = RedrivePoint(stateName: nextName, input: output, variables: frame.variables, detail: nil)
                return .ended(.cancelled)
            }
            return .state(nextName, output)
        case .end(let output):
            return .ended(.succeeded(output))
        case .failed(let error):
            // A state assigns its variables only on its way out to a next state, so a failed
            // state left them as they were on entry.
            frame.redrivePoint = RedrivePoint(stateName: name, input: input, variables: frame.variables, detail: frame.stopDetail)
            if Task.isCancelled { return .ended(.cancelled) }
            if pastDeadline() { return .ended(.timedOut) }
            return .ended(.failed(error))
        }
    }

    /// Keeps where the execution's own thread stands as it enters `name` (only when a store
    /// observes the execution: running in memory pays one check per state) and returns the
    /// entered time it names, which the state's entered event then carries.
    /// Entering again the state a resumed run starts with keeps that checkpoint's entered time.
    @inline(never)
    func keepCheckpoint(_ name: String, input: JSONValue, frame: inout Frame) -> Timestamp {
        execution.keepCheckpoint(after: frame.lastEventId) { previous, eventCount in
            let resumed = previous.flatMap { $0.eventCount == eventCount && $0.position.stateName == name ? $0.position.enteredTime : nil }
            return ExecutionCheckpoint(
                position: ThreadPosition(
                    stateName: name, input: input, variables: frame.variables, lastEventId: frame.lastEventId, threadEvents: frame.threadEvents,
                    enteredTime: resumed ?? clock.now()),
                eventCount: eventCount, runStartTime: runStartTime)
        }
    }

    /// This interpreter on a clock of its own, for a Parallel branch or Map iteration that can wait
    /// (see ``ThreadClock``), starting now or at `start` (when the iteration it follows ended); it
    /// must run through `fork.run(on:)`, and the state joins them with ``join(_:)``.
    func forThread(in fork: ThreadFork, startingAt start: Timestamp? = nil) -> Interpreter {
        var branch = self
        branch.clock = fork.threadClock(startingAt: start)
        return branch
    }

    /// After a Parallel's branches or a Map's iterations: this thread's time moves on to the
    /// latest of theirs (a no-op on the real clock, where they all share one).
    func join(_ threads: [Interpreter]) async {
        guard clock.passesTimeInstantly, let latest = threads.map({ $0.clock.now() }).max(), latest > clock.now() else { return }
        try? await clock.sleep(until: latest)
    }

    // MARK: - History helpers

    /// Records an event on this frame's thread. The details are built only when the execution
    /// keeps a history (benchmarks turn it off), since building them serializes payloads.
    @discardableResult
    func record(_ type: HistoryEventType, _ details: @autoclosure () -> JSONObject, frame: inout Frame, at time: Timestamp? = nil) -> Int {
        guard execution.recordsHistory else { return countUnkeptEvent(type, frame: &frame) }
        return record(type, recorded: .object(details()), frame: &frame, at: time)
    }

    /// Records an event whose details keep a payload as its value (see ``RecordedDetails``).
    /// `time`: when it happened, if not now (a state entered again after a restart keeps its entered time).
    @discardableResult
    func record(_ type: HistoryEventType, recorded: @autoclosure () -> RecordedDetails, frame: inout Frame, at time: Timestamp? = nil) -> Int {
        guard execution.recordsHistory else { return countUnkeptEvent(type, frame: &frame) }
        var stamp = time ?? clock.now()
        return record(type, recorded: recorded(), frame: &frame, stampedAt: &stamp)
    }

    /// Records an event at `stamp` and leaves in it the moment the event was stamped with (no
    /// earlier than the event before it: see ``Execution/record(_:recorded:previous:stampedAt:)``).
    @discardableResult
    func record(_ type: HistoryEventType, recorded: @autoclosure () -> RecordedDetails, frame: inout Frame, stampedAt stamp: inout Timestamp) -> Int {
        guard execution.recordsHistory else { return countUnkeptEvent(type, frame: &frame) }
        let id = execution.record(type, recorded: recorded(), previous: frame.lastEventId, stampedAt: &stamp)
        if id > 0 {
            frame.lastEventId = id
            frame.threadEvents &+= 1
            threadLog?.append(id)
        }
        if id >= Self.historyEventLimit - 1 { endAtHistoryLimit() }
        // A refused event means the execution has ended: mark the frame so its program stops.
        if id == 0, execution.recordsHistory { frame.lastEventId = Self.historyEventLimit }
        return id
    }

    /// Without a history: numbers the event as ``record(_:recorded:frame:at:)`` would, builds
    /// nothing, and applies no event limit (AWS has none for a history it does not keep).
    @inline(__always) @discardableResult
    func countUnkeptEvent(_ type: HistoryEventType, frame: inout Frame) -> Int {
        guard execution.countsEvents else { return 0 }
        let id = execution.countEvent(type)
        if id > 0 {
            frame.lastEventId = id
            frame.threadEvents &+= 1
        } else {
            // Refused: the execution has ended, and this frame's program stops.
            frame.lastEventId = max(frame.lastEventId, Self.historyEventLimit)
        }
        return id
    }

    /// AWS ends an execution whose history reaches 25,000 events: event 25,000 is ExecutionFailed.
    func endAtHistoryLimit() {
        execution.finish(
            status: .failed, output: nil, error: "States.Runtime",
            cause: "The execution reached the maximum number of history events (\(Self.historyEventLimit)).", eventType: .executionFailed,
            at: clock.now())
    }

    /// Lays `overrides` over a Context object: a member that is an object in both is merged one
    /// level down (`{"Execution": {"Name": "x"}}` keeps the other Execution members), any other
    /// member replaces or adds.
    static func overlay(_ overrides: JSONObject, on context: inout JSONObject) {
        for (key, value) in overrides {
            if case .object(let members) = value, case .object(var existing)? = context[key] {
                for (member, memberValue) in members { existing[member] = memberValue }
                context[key] = .object(existing)
            } else {
                context[key] = value
            }
        }
    }
}
