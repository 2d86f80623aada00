import StepLocalASL
import StepLocalIntrinsics
import StepLocalJSON

/// Where a Distributed Map's child inputs come from and where its results go, evaluated when
/// the state started: items read by an ItemReader (then put through ItemSelector) replace the
/// ones taken from the input; an ItemBatcher groups them; a ResultWriter writes or reshapes the results.
struct DistributedMapSources: Sendable {
    let effectiveInput: JSONValue
    let reader: ResolvedItemReader?
    let batcher: ResolvedItemBatcher?
    let writer: ResolvedResultWriter?
}

/// A Distributed Map state: its items run as child executions of a ``MapRun``, each with its
/// own history, instead of as iterations in the parent's history. The parent records
/// MapRunStarted and MapRunSucceeded / MapRunFailed, as AWS does.
///
/// When the parent is redriven at a Distributed Map whose run did not succeed, that run is
/// redriven (MapRunRedriven, its redrive count up): children that succeeded keep their output,
/// the others are redriven from where they stopped (ExecutionRedriven in their own histories),
/// and items never started start now.
extension Interpreter {
    func runDistributedMap(
        _ spec: MapSpec, scope: StateScope, inputs selectedItems: [JSONValue], sources: DistributedMapSources, maxConcurrency: Int,
        toleratedCount: Int?, toleratedPercentage: Double?, frame: inout Frame
    ) async throws(StatesError) -> JSONValue {
        let identity = execution.identity
        let label = spec.label ?? scope.state.name
        let prefix = ARN(identity.executionArn)?.prefix ?? "arn:aws:states:us-east-1:123456789012"
        let childMachineArn = "\(identity.stateMachineArn)/\(label)"
        func newRun(over inputs: ChildInputs) -> MapRun {
            let run = MapRun(
                arn: "\(prefix):mapRun:\(identity.stateMachineName)/\(label):\(Identifiers.uuid())",
                executionArn: identity.executionArn, stateMachineArn: childMachineArn, startDate: clock.now(),
                total: inputs.count,
                settings: MapRun.Settings(
                    maxConcurrency: maxConcurrency, toleratedFailurePercentage: toleratedPercentage, toleratedFailureCount: toleratedCount),
                itemsPerChild: inputs.itemsPerChild)
            execution.add(run)
            return run
        }
        // A new run over an ItemReader starts before it reads, so that DescribeMapRun shows its
        // items as they are read, as on AWS. A run that may be continued instead (the parent was
        // redriven, or a restart interrupted it) is recognised by its items, so those are read first;
        // unless the restart came before any child started (while it read): that one is taken
        // back at once and reads again.
        var startedBeforeReading: (run: MapRun, eventId: Int)? = nil
        if sources.reader != nil, frame.resumeDetail?.mapRun == nil {
            if let unread = execution.claimUnreadInterruptedMapRun(stateMachineArn: childMachineArn) {
                unread.reading(children: 0, items: 0, batched: sources.batcher != nil)
                startedBeforeReading = (unread, record(.mapRunStarted, ["mapRunArn": .string(unread.arn)], frame: &frame))
            } else if !execution.hasInterruptedMapRun(stateMachineArn: childMachineArn) {
                let run = newRun(over: ChildInputs())
                startedBeforeReading = (run, record(.mapRunStarted, ["mapRunArn": .string(run.arn)], frame: &frame))
            }
        }

        // Reading and batching happen inside the Map Run: a failure is recorded as MapRunFailed
        // after MapRunStarted (recorded for States.ItemReaderFailed), so it is kept until then.
        // Each item read becomes its child's input text before the next is read (``ItemPipeline``).
        var preparationFailure: StatesError?
        let inputs: ChildInputs
        do throws(StatesError) {
            if let reader = sources.reader {
                var pipeline = ItemPipeline(
                    batcher: sources.batcher, select: itemSelection(spec, scope: scope, effectiveInput: sources.effectiveInput, frame: frame))
                let growing = startedBeforeReading?.run
                let sink: ItemDecoding.Sink = { item throws(StatesError) in
                    try pipeline.take(item)
                    growing?.reading(children: pipeline.inputs.count, items: pipeline.itemCount, batched: sources.batcher != nil)
                }
                if try await !readMockedItems(reader, state: scope.state, into: sink) {
                    try await readItems(reader, into: sink)
                }
                inputs = pipeline.finish()
            } else {
                var pipeline = ItemPipeline(batcher: sources.batcher, select: nil)
                for item in selectedItems { try pipeline.take(item) }
                inputs = pipeline.finish()
            }
        } catch {
            preparationFailure = error
            inputs = ChildInputs()
        }
        let run: MapRun
        let mode: MapRunMode
        let runStartedEventId: Int
        if let started = startedBeforeReading {
            run = started.run
            run.read(inputs)
            mode = .starting
            runStartedEventId = started.eventId
        } else if let resumed = frame.resumeDetail?.mapRun, resumed.total == inputs.count {
            frame.resumeDetail = nil
            run = resumed
            mode = .redriving
            let count = run.beginRedrive(at: clock.now())
            runStartedEventId = record(
                .mapRunRedriven, ["mapRunArn": .string(run.arn), "redriveCount": .int(count)], frame: &frame)
        } else if let interrupted = execution.claimInterruptedMapRun(stateMachineArn: childMachineArn, inputs: inputs) {
            // A restart interrupted this run: the event that had started it is recorded again (found
            // in place). Its counts are the items read now (one interrupted while it read had counted only some).
            run = interrupted.run
            run.read(inputs)
            mode = .continuing
            var details: JSONObject = ["mapRunArn": .string(run.arn)]
            if interrupted.startedBy == .mapRunRedriven { details["redriveCount"] = .int(run.snapshot().redriveCount) }
            runStartedEventId = record(interrupted.startedBy, details, frame: &frame)
        } else {
            run = newRun(over: inputs)
            mode = .starting
            runStartedEventId = record(.mapRunStarted, ["mapRunArn": .string(run.arn)], frame: &frame)
        }
        if let preparationFailure {
            try failRun(run, with: preparationFailure, frame: &frame)
        }

        let childDefinition = definition.childDefinition(running: spec.processor, type: spec.childExecutionType)
        // A child's Tasks are answered by the mock test case of the top-level execution.
        let childRoot = rootExecutionArn ?? execution.identity.executionArn
        func makeChildInterpreter(running child: Execution, clock: any ExecutionClock, runStartTime: Timestamp? = nil) -> Interpreter {
            Interpreter(
                definition: childDefinition, execution: child, clock: clock, dispatcher: dispatcher, runStartTime: runStartTime,
                objectStore: objectStore, rootExecutionArn: childRoot)
        }
        let (finishedChildren, wakeUp) = AsyncStream<Int>.makeStream()
        run.setWakeUp(wakeUp)
        // Children that had ended before a restart count as they ended.
        var failures = mode == .continuing ? run.children.count { $0.status != .running && $0.status != .succeeded } : 0
        var exceeded = failures > 0 && run.exceedsTolerance(failures: failures)
        let waitingForChildren = execution.beginWaiting(
            PendingWait(stateName: scope.state.name, iterations: frame.iterations, kind: .mapRun(arn: run.arn), since: clock.now(), until: nil))
        await withDiscardingTaskGroup { group in
            var next = 0
            var running = 0
            var finished: Int
            switch mode {
            case .starting: finished = 0
            // On a redrive, children that succeeded are done already.
            case .redriving: finished = run.children.count { $0.status == .succeeded }
            case .continuing: finished = run.children.count { $0.status != .running }
            }
            // When time passes instantly each child waits on a clock of its own, from the moment it
            // starts: children run side by side, as on AWS, and the run ends with the latest. Their
            // clocks are threads of the Map's timeline (see ``InstantTimeline``), so their waits
            // pass in time order across children: a child that times out at 300 s does not end the
            // run before a sibling whose Wait ends at 10 s has ended, whichever ran first.
            var latestChildEnd: Timestamp? = nil
            let fork = ThreadFork(from: clock)
            func childClock(startingAt start: Timestamp?) -> any ExecutionClock {
                fork.threadClock(startingAt: start)
            }
            // Under a store (`--data-dir`) each child keeps a checkpoint and its progress reaches
            // the store through its parent, so a restart continues it where it stood.
            let childObserver: (any ExecutionObserver)? = execution.keepsCheckpoints ? MapRunChildObserver(parent: execution) : nil
            /// Runs child `index` in the run's group: `body` starts or resumes it; a child it leaves
            /// running was cancelled with the run (the parent stopped, or the tolerance broke): aborted.
            func launch(_ child: Execution, index: Int, _ body: @escaping @Sendable () async -> Void) {
                group.addTask {
                    await fork.run(on: child.clock) { await body() }
                    child.finish(status: .aborted, output: nil, error: nil, cause: nil, eventType: .executionAborted, at: child.clock.now())
                    wakeUp.yield(index)
                }
            }
            func start(_ child: Execution, index: Int) {
                let childInterpreter = makeChildInterpreter(running: child, clock: child.clock)
                childInterpreter.recordStarted()
                launch(child, index: index) { await childInterpreter.runExecution() }
            }
            /// Starts the children there is room for; `slotFreedAt`: when the child whose place they take ended.
            func fill(slotFreedAt: Timestamp? = nil) {
                while next < inputs.count, !Task.isCancelled {
                    let index = next
                    let existing = mode == .starting ? nil : run.existingChild(at: index)
                    if let existing, mode == .redriving ? existing.status == .succeeded : existing.status != .running {
                        next += 1
                        continue
                    }
                    if running >= MapRun.concurrencyLimit(run.settings.maxConcurrency) { break }
                    next += 1
                    running += 1
                    if let existing, mode == .redriving {
                        // Redriven where it stopped, in its own history; an unredrivable one stays as it ended.
                        let redriveClock = childClock(startingAt: slotFreedAt)
                        let childInterpreter = makeChildInterpreter(running: existing, clock: redriveClock, runStartTime: redriveClock.now())
                        group.addTask {
                            await fork.run(on: redriveClock) {
                                var runner: Task<Void, Never>? = nil
                                try? existing.beginRedrive(at: redriveClock.now()) { point, eventId in
                                    let task = Task { await childInterpreter.redriveExecution(from: point, redrivenEventId: eventId) }
                                    runner = task
                                    return task
                                }
                                if let runner {
                                    await withTaskCancellationHandler { await runner.value } onCancel: { runner.cancel() }
                                }
                            }
                            existing.finish(status: .aborted, output: nil, error: nil, cause: nil, eventType: .executionAborted, at: clock.now())
                            wakeUp.yield(index)
                        }
                        continue
                    }
                    if let existing, let point = run.takeResumePoint(at: index) {
                        // It was running when the server stopped: it continues in the state it was in, as a
                        // top-level execution does (from that state's checkpoint).
                        let kept = existing.snapshot()
                        let resumedClock = childClock(startingAt: kept.history.last?.timestamp)
                        let child = Execution.restored(kept, tokenSecret: existing.tokenSecret, clock: resumedClock, observer: childObserver)
                        run.replaceChild(at: index, with: child)
                        let childInterpreter = makeChildInterpreter(running: child, clock: resumedClock, runStartTime: point.checkpoint.runStartTime)
                        launch(child, index: index) { await childInterpreter.resumeExecution(from: point.checkpoint, eventsAfterCheckpoint: point.eventsAfterCheckpoint) }
                        continue
                    }
                    if let existing {
                        // It was running when the server stopped before its first state was kept: it starts again from
                        // its beginning, under the same ARN and with the same secret, so a worker holding one of its
                        // task tokens can still answer.
                        let child = Execution(
                            identity: existing.identity, input: nil, inputText: inputs.text(at: index),
                            clock: childClock(startingAt: existing.identity.startTime), recordsHistory: execution.recordsHistory,
                            observer: childObserver, tokenSecret: existing.tokenSecret)
                        run.replaceChild(at: index, with: child)
                        start(child, index: index)
                        continue
                    }
                    let ownClock = childClock(startingAt: slotFreedAt)
                    let child = Execution(
                        identity: ExecutionIdentity(
                            executionArn: "\(prefix):execution:\(identity.stateMachineName)/\(label):\(Identifiers.uuid())",
                            name: Identifiers.uuid(), stateMachineArn: run.stateMachineArn,
                            stateMachineName: "\(identity.stateMachineName)/\(label)", roleArn: identity.roleArn, startTime: ownClock.now()),
                        input: nil, inputText: inputs.text(at: index), clock: ownClock, recordsHistory: execution.recordsHistory,
                        observer: childObserver)
                    run.add(child)
                    start(child, index: index)
                }
                // A store writes the children started (and ended) as the run goes, so a restart can continue it.
                execution.notifyObserver()
            }
            if exceeded { return }
            fill()
            if finished == inputs.count { return }
            // The Map's thread waits for its children's threads to end (an UpdateMapRun wakes it too).
            var ends = finishedChildren.makeAsyncIterator()
            while let event = await fork.awaitThread({ await ends.next() }) {
                var endedAt: Timestamp? = nil
                if event >= 0 {
                    running -= 1
                    finished += 1
                    let ended = run.child(at: event)
                    endedAt = ended.stopDate
                    if let endedAt { latestChildEnd = max(latestChildEnd ?? endedAt, endedAt) }
                    if ended.status != .succeeded {
                        failures += 1
                        if run.exceedsTolerance(failures: failures) {
                            exceeded = true
                            group.cancelAll()
                            break
                        }
                    }
                    if finished == inputs.count { break }
                }
                fill(slotFreedAt: endedAt)
            }
            // The run ends with its latest child (a no-op on the real clock, which is past it already).
            if let latestChildEnd, clock.passesTimeInstantly, latestChildEnd > clock.now() { try? await clock.sleep(until: latestChildEnd) }
        }
        execution.endWaiting(waitingForChildren)
        run.setWakeUp(nil)
        wakeUp.finish()
        frame.lastEventId = execution.lastEventId
        if Task.isCancelled {
            run.finish(.aborted, at: clock.now())
            frame.stopDetail = .mapRun(run)
            throw StatesError("States.Aborted", cause: nil)
        }
        if pastDeadline() {
            run.finish(.aborted, at: clock.now())
            frame.stopDetail = .mapRun(run)
            throw StatesError.timeout()
        }
        if exceeded {
            frame.stopDetail = .mapRun(run)
            // The results of a run that broke its threshold are written too (its FAILED and PENDING files).
            if let writer = sources.writer, writer.bucket != nil { _ = try? await writeResults(writer, run: run, inputs: inputs) }
            let error = StatesError.exceedToleratedFailureThreshold("The specified tolerated failure threshold was exceeded")
            record(
                .mapRunFailed, ["error": .string(error.error), "cause": .string(error.cause ?? "")],
                frame: &frame)
            run.finish(.failed, at: clock.now())
            frame.pendingStateFailedEvent = .mapStateFailed
            throw error
        }
        if let writer = sources.writer {
            let written: JSONValue
            do throws(StatesError) {
                written = try await writeResults(writer, run: run, inputs: inputs)
            } catch {
                frame.stopDetail = .mapRun(run)
                try failRun(run, with: error, frame: &frame)
            }
            record(.mapRunSucceeded, [:], frame: &frame)
            run.finish(.succeeded, at: clock.now())
            let result: JSONValue
            if case .array(let reshaped) = written {
                result = try payloadResult(reshaped, of: scope.state, failedEvent: .mapStateFailed, frame: &frame)
            } else {
                result = written
            }
            recordMapStateSucceeded(frame: &frame, exitedAfter: runStartedEventId)
            return result
        }
        var results: [JSONValue] = []
        results.reserveCapacity(inputs.count)
        for child in run.children {
            let ending = child.ending()
            if ending.status == .succeeded {
                results.append(ending.output ?? .null)
            } else {
                var object: JSONObject = ["Error": .string(ending.error ?? "")]
                object["Cause"] = .string(ending.cause ?? "")
                results.append(.object(object))
            }
        }
        record(.mapRunSucceeded, [:], frame: &frame)
        run.finish(.succeeded, at: clock.now())
        // Without a ResultWriter the children's outputs come back as the state's result: when
        // they pass the payload quota the run has succeeded, the state has not.
        let result = try payloadResult(results, of: scope.state, failedEvent: .mapStateFailed, frame: &frame)
        // MapStateExited names MapRunStarted (MapRunRedriven on a redrive), not MapRunSucceeded:
        // every corpus recording since 2024-11-14 (7 events in 6 histories) does so; the 19
        // recorded up to 2024-06-19 name MapRunSucceeded. AWS changed this between the two dates.
        recordMapStateSucceeded(frame: &frame, exitedAfter: runStartedEventId)
        return result
    }
}

/// How a Distributed Map state's run begins: a new run; the redrive of one that did not succeed
/// (its parent was redriven); or the continuation of one a restart interrupted.
private enum MapRunMode {
    case starting, redriving, continuing
}

extension Interpreter {
    /// Ends a Map Run that could not read, batch or write its items: MapRunFailed with the error,
    /// then (once the failure is final) MapStateFailed, as AWS records for States.ItemReaderFailed.
    func failRun(_ run: MapRun, with error: StatesError, frame: inout Frame) throws(StatesError) -> Never {
        record(
            .mapRunFailed, ["error": .string(error.error), "cause": .string(error.cause ?? "")], frame: &frame)
        run.finish(.failed, at: clock.now())
        frame.pendingStateFailedEvent = .mapStateFailed
        throw error
    }
}
