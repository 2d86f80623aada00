import StepLocalASL
import StepLocalJSON

/// Map (inline): runs its iterations as sub-programs with their own frames, in order when they
/// cannot wait (so a 10,000-item Map of Pass states costs no task switches), as child tasks
/// otherwise, at most ``inlineMapConcurrencyLimit`` at once.
extension Interpreter {
    /// AWS runs at most 40 iterations of an inline Map at once, whatever MaxConcurrency says
    /// (0, the default, means "as many as possible", which is 40): "In this mode, the Map state
    /// supports up to 40 concurrent iterations" (Using Map state in Inline mode).
    static let inlineMapConcurrencyLimit = 40

    func runMap(_ spec: MapSpec, scope: StateScope, effectiveInput: JSONValue, frame: inout Frame) async throws(StatesError) -> JSONValue {
        let state = scope.state
        // With an ItemReader the items come from S3, read once the Map Run has started; ItemsPath
        // then takes nothing from the input: "You can use ItemsPath in the Distributed Map state
        // only if you use a JSON input passed from a previous state" (AWS, "ItemsPath"), and a
        // recorded Map whose ItemsPath named an array of its input ran over the object's items.
        let reader = try spec.itemReader.map { r throws(StatesError) in
            try resolveItemReader(r, scope: scope, effectiveInput: effectiveInput, frame: frame)
        }
        let items = reader == nil ? try mapItems(spec, scope: scope, effectiveInput: effectiveInput, frame: frame) : []
        let maxConcurrency = try scope.integer(spec.maxConcurrency, input: effectiveInput, frame: frame) ?? 0
        if state.queryLanguage == .jsonPath, reader == nil { scope.inspect(.afterItemsPath, .array(items)) }
        scope.inspect(.maxConcurrency, .int(maxConcurrency))
        // AWS records MapStateStarted before it reads the tolerance fields: a bad
        // ToleratedFailure*Path fails the state after MapStateStarted (recorded).
        // Entered again after a restart, it started when it was first entered.
        let startedId = record(.mapStateStarted, ["length": .int(items.count)], frame: &frame, at: frame.resumedAttemptStart)
        frame.resumedAttemptStart = nil
        let toleratedCount = try scope.integer(spec.toleratedFailureCount, input: effectiveInput, frame: frame)
        var toleratedPercentage: Double?
        if let source = spec.toleratedFailurePercentage {
            let value = try scope.number(source, input: effectiveInput, frame: frame)
            guard let pct = value.numberValue?.doubleValue else {
                throw scope.located(
                    .runtime("The ToleratedFailurePercentagePath field refers to value \"\(value.serializedForMessage)\" which is not a valid float: \(source.pathText)"))
            }
            guard (0...100).contains(pct) else { throw scope.located(.runtime("ToleratedFailurePercentage must be between 0 and 100.")) }
            toleratedPercentage = pct
        }
        if let toleratedCount { scope.inspect(.toleratedFailureCount, .int(toleratedCount)) }
        if let toleratedPercentage { scope.inspect(.toleratedFailurePercentage, .double(toleratedPercentage)) }

        let batcher = try spec.itemBatcher.map { b throws(StatesError) in
            try resolveItemBatcher(b, scope: scope, effectiveInput: effectiveInput, frame: frame)
        }
        let writer = try spec.resultWriter.map { w throws(StatesError) in
            try resolveResultWriter(w, scope: scope, effectiveInput: effectiveInput, frame: frame)
        }
        let iterationInputs = try selectItems(items, spec: spec, scope: scope, effectiveInput: effectiveInput, frame: frame)

        if spec.itemSelector != nil, reader == nil { scope.inspect(.afterItemSelector, .array(iterationInputs)) }
        if let stateMock = hooks?.stateMock, stateMock.stateName == state.name {
            var total = iterationInputs.count
            if let reader, let data = stateMock.itemReaderData {
                total = try await readItems(reader, from: InMemoryReaderData(bytes: Array(data.utf8))) { _ in }
            }
            if case .success = stateMock.outcome, let failures = stateMock.iterationFailures {
                let tolerance = FailureTolerance(count: toleratedCount, percentage: toleratedPercentage)
                if tolerance.isSet, tolerance.isExceeded(failures: failures, of: total) {
                    throw StatesError.exceedToleratedFailureThreshold("The specified tolerated failure threshold was exceeded")
                }
            }
        }
        if let mocked = try mockedResult(of: state) { return mocked }
        if spec.isDistributed {
            let sources = DistributedMapSources(effectiveInput: effectiveInput, reader: reader, batcher: batcher, writer: writer)
            return try await runDistributedMap(
                spec, scope: scope, inputs: iterationInputs, sources: sources, maxConcurrency: maxConcurrency, toleratedCount: toleratedCount,
                toleratedPercentage: toleratedPercentage, frame: &frame)
        }
        let forkBase = frame.forkBase(after: startedId)
        let name = state.name
        let processor = spec.processor
        // On redrive, iterations that succeeded keep their output; the others continue where they stopped.
        let resume = frame.resumeDetail?.branches
        frame.resumeDetail = nil
        // After a restart, iterations that had finished have their events recorded again instead.
        // Those under way continue at the state they were in, their events recorded again too.
        let (replayed, resumedThreads) = resumed == nil ? ([:], [:]) : replayKeptThreads(startedId: startedId)
        // Observed by a store, the execution's own thread and every kept thread keep their iterations (see ``KeptThreads``).
        let keepsFinished = keepsThreads(frame)
        // AWS's chain through an inline Map whose iterations run one after another (recorded): an
        // iteration's end event names its last inner event; the next MapIterationStarted, and a
        // MapStateFailed, name that inner event too; MapStateSucceeded and MapStateExited both
        // name the last MapIterationSucceeded.
        /// Its MapIterationStarted, recorded by the thread that starts it (nil for a resumed
        /// iteration, which had recorded it, or one that redrive keeps).
        func recordStart(_ index: Int, after previous: Int, on thread: Interpreter) -> Int? {
            guard resume?[index]?.output == nil, resumedThreads.isEmpty || resumedThreads[index] == nil else { return nil }
            return thread.recordIterationEvent(.mapIterationStarted, name: name, index: index, previous: previous)
        }
        /// Runs one iteration after `previous` (or after `startedEvent`, its MapIterationStarted
        /// already recorded); returns how it ended, its last inner event and its end event.
        @Sendable func iterate(
            _ index: Int, _ input: JSONValue, after previous: Int, startedEvent: Int? = nil, on thread: Interpreter
        ) async -> (ProgramOutcome, RedrivePoint?, Int, Int) {
            if let output = resume?[index]?.output { return (.succeeded(output), nil, previous, previous) }
            var f = forkBase.forkedBranch(index)
            f.iterations.append(index)
            let resumedThread = resumedThreads.isEmpty ? nil : resumedThreads[index]
            if let resumedThread {
                // Its MapIterationStarted and the events after it were recorded again.
                f.lastEventId = resumedThread.lastEventId
                f.threadEvents = resumedThread.position.threadEvents
                if resumedThread.retry == nil { f.resumedAttemptStart = resumedThread.position.enteredTime }
            } else {
                f.lastEventId = startedEvent ?? thread.recordIterationEvent(.mapIterationStarted, name: name, index: index, previous: previous)
            }
            let outcome = await thread.runProgram(
                processor, input: input, frame: &f, resumingAt: resumedThread?.position.point ?? resume?[index]?.stopPoint,
                keepsPosition: keepsFinished, enteredTime: resumedThread?.position.enteredTime, retrying: resumedThread?.retry)
            let ended: Int
            switch outcome {
            case .succeeded(let output):
                ended = thread.recordIterationEvent(.mapIterationSucceeded, name: name, index: index, previous: f.lastEventId)
                if keepsFinished, let log = thread.threadLog {
                    execution.keepFinishedThread(along: log.path, output: output, eventIds: log.eventIds)
                }
            case .failed: ended = thread.recordIterationEvent(.mapIterationFailed, name: name, index: index, previous: f.lastEventId)
            case .cancelled, .timedOut: ended = thread.recordIterationEvent(.mapIterationAborted, name: name, index: index, previous: f.lastEventId)
            }
            return (outcome, f.redrivePoint, f.lastEventId, ended)
        }

        let tolerance = FailureTolerance(count: toleratedCount, percentage: toleratedPercentage)
        let tolerant = tolerance.isSet
        var outcomes = [ProgramOutcome?](repeating: nil, count: items.count)
        for (i, finished) in replayed { outcomes[i] = .succeeded(finished.output) }
        var stopPoints = [RedrivePoint?](repeating: nil, count: items.count)
        var failures = 0
        func exceeded() -> Bool { tolerance.isExceeded(failures: failures, of: items.count) }
        var firstError: StatesError?
        // Iterations run one after another here: each chains to the previous one's last event.
        var lastInnerEvent: Int? = nil
        var lastEndEvent: Int? = nil
        // MaxConcurrency 1 runs them one after another too, and AWS chains them so (recorded).
        if processor.neverWaits || maxConcurrency == 1 {
            var tail = startedId
            for (i, input) in iterationInputs.enumerated() {
                if !replayed.isEmpty, let finished = replayed[i] {
                    tail = finished.lastInnerEventId
                    lastInnerEvent = finished.lastInnerEventId
                    lastEndEvent = finished.lastEventId
                    outcomes[i] = .succeeded(finished.output)
                    continue
                }
                let (outcome, point, last, ended) =
                    keepsFinished
                    ? await iterate(i, input, after: tail, on: keptThread(startedId, i, resumed: resumedThreads[i]))
                    : await iterate(i, input, after: tail, on: self)
                tail = last
                lastInnerEvent = last
                if ended > 0 { lastEndEvent = ended }
                outcomes[i] = outcome
                stopPoints[i] = point
                if case .failed(let e) = outcome {
                    failures += 1
                    if firstError == nil { firstError = e }
                    if exceeded() { break }
                }
            }
        } else {
            // A sliding window: the next iteration starts only when one ends, so only the running
            // ones hold a task and its memory, however many items there are.
            let limit = min(maxConcurrency > 0 ? maxConcurrency : Self.inlineMapConcurrencyLimit, Self.inlineMapConcurrencyLimit)
            // Each iteration runs on its own thread clock; the Map's time then moves to the latest of theirs.
            var latest: Interpreter? = nil
            let fork = ThreadFork(from: clock)
            // The latest iteration end: MapStateSucceeded names it (not the execution's last event,
            // which a thread running beside this Map may have recorded).
            lastEndEvent = replayed.values.map(\.lastEventId).max()
            await withTaskGroup(of: (Int, ProgramOutcome, RedrivePoint?, Int, Int, Interpreter).self) { group in
                var nextIndex = 0
                // Starts the next iteration that has not finished already (replayed); false when none is left.
                @discardableResult
                func launch(after ended: Interpreter? = nil) -> Bool {
                    while !replayed.isEmpty, nextIndex < iterationInputs.count, replayed[nextIndex] != nil { nextIndex += 1 }
                    guard nextIndex < iterationInputs.count else { return false }
                    let i = nextIndex
                    let input = iterationInputs[i]
                    // It takes the place of the iteration that ended, at the time that one ended.
                    let forked = forThread(in: fork, startingAt: ended?.clock.now())
                    let thread = keepsFinished ? forked.keptThread(startedId, i, resumed: resumedThreads[i]) : forked
                    // Started here, in item order, rather than in the iteration's task, which may run after the next one's.
                    let startedEvent = recordStart(i, after: startedId, on: thread)
                    group.addTask {
                        let (outcome, point, last, ended) = await fork.run(on: thread.clock) {
                            await iterate(i, input, after: startedId, startedEvent: startedEvent, on: thread)
                        }
                        return (i, outcome, point, last, ended, thread)
                    }
                    nextIndex += 1
                    return true
                }
                var started = 0
                while started < limit, launch() { started += 1 }
                var stopped = false
                while let (i, outcome, point, last, ended, thread) = await fork.awaitThread({ await group.next() }) {
                    if latest.map({ thread.clock.now() > $0.clock.now() }) ?? true { latest = thread }
                    if ended > 0 { lastEndEvent = max(lastEndEvent ?? 0, ended) }
                    // After the threshold broke, the cancelled iterations still report how they
                    // ended: those that finished keep their output for a redrive.
                    outcomes[i] = outcome
                    stopPoints[i] = point
                    if stopped { continue }
                    if case .failed(let e) = outcome {
                        failures += 1
                        if firstError == nil { firstError = e }
                        if exceeded() {
                            // MapStateFailed names the last inner event of the iteration that broke the threshold.
                            lastInnerEvent = last
                            group.cancelAll()
                            stopped = true
                            continue
                        }
                    }
                    if nextIndex < iterationInputs.count, !Task.isCancelled { launch(after: thread) }
                }
            }
            if let latest { await join([latest]) }
            await catchUp(with: replayed)
        }
        if Task.isCancelled || pastDeadline() || exceeded() {
            frame.stopDetail = .branches(BranchProgress.collect(outcomes, points: stopPoints))
        }
        if Task.isCancelled { throw StatesError("States.Aborted", cause: nil) }
        if pastDeadline() { throw StatesError.timeout() }
        frame.lastEventId = lastInnerEvent ?? execution.lastEventId
        if exceeded(), let firstError {
            frame.pendingStateFailedEvent = .mapStateFailed
            if tolerant {
                throw StatesError.exceedToleratedFailureThreshold("The specified tolerated failure threshold was exceeded")
            }
            throw firstError
        }
        var results: [JSONValue] = []
        results.reserveCapacity(outcomes.count)
        for outcome in outcomes {
            switch outcome {
            case .succeeded(let value)?: results.append(value)
            case .failed(let error)?:
                var object: JSONObject = ["Error": .string(error.error)]
                object["Cause"] = .string(error.cause ?? "")
                results.append(.object(object))
            default: results.append(.null)
            }
        }
        let result = try payloadResult(results, of: state, failedEvent: .mapStateFailed, frame: &frame)
        if let lastEndEvent { frame.lastEventId = lastEndEvent }
        recordMapStateSucceeded(frame: &frame)
        return result
    }

    /// Records MapStateSucceeded without moving the thread's chain on: AWS's MapStateExited names
    /// the event MapStateSucceeded names (the last MapIterationSucceeded, MapStateStarted for no
    /// items), never MapStateSucceeded itself (recorded in every Map history of the conformance
    /// corpus). A Distributed Map passes `exitedAfter`, its MapRunStarted event, which AWS's
    /// MapStateExited names instead (see ``runDistributedMap``).
    func recordMapStateSucceeded(frame: inout Frame, exitedAfter: Int? = nil) {
        let chainEnd = exitedAfter ?? frame.lastEventId
        let id = record(.mapStateSucceeded, [:], frame: &frame)
        if id > 0, id < Self.historyEventLimit - 1, chainEnd > 0 { frame.lastEventId = chainEnd }
    }

    /// Each item through ItemSelector, which sees the effective input as `$` (JSONata: the
    /// state's input) and the item as `$$.Map.Item`; without one, the items as they are.
    func selectItems(_ items: [JSONValue], spec: MapSpec, scope: StateScope, effectiveInput: JSONValue, frame: Frame) throws(StatesError) -> [JSONValue] {
        guard let select = itemSelection(spec, scope: scope, effectiveInput: effectiveInput, frame: frame) else { return items }
        var selected: [JSONValue] = []
        selected.reserveCapacity(items.count)
        for (index, item) in items.enumerated() { selected.append(try select(index, item)) }
        return selected
    }

    /// The state's `ItemSelector` as a function of an item and its index (which `$$.Map.Item`
    /// gives it); nil without one, when an item is its own input.
    func itemSelection(_ spec: MapSpec, scope: StateScope, effectiveInput: JSONValue, frame: Frame)
        -> ((Int, JSONValue) throws(StatesError) -> JSONValue)?
    {
        guard let selector = spec.itemSelector else { return nil }
        let selectorInput = scope.isJSONata ? scope.rawInput : effectiveInput
        return { index, item throws(StatesError) in
            var itemFrame = frame
            itemFrame.mapItem = (index, item)
            return try scope.checkedPayload(scope.evaluate(selector, input: selectorInput, frame: itemFrame))
        }
    }

    private func mapItems(_ spec: MapSpec, scope: StateScope, effectiveInput: JSONValue, frame: Frame) throws(StatesError) -> [JSONValue] {
        let state = scope.state
        if state.queryLanguage == .jsonata {
            if let items = spec.items {
                let value = try scope.evaluate(items, input: scope.rawInput, frame: frame)
                guard case .array(let array) = value else {
                    if case .jsonata(_, let text, _) = items {
                        throw scope.located(.queryEvaluationError(
                            "The JSONata expression '\(text)' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '\(value.typeName)' for value: \(value.serialized())",
                            location: "Items"))
                    }
                    throw scope.located(.queryEvaluationError("Map state input must be an array but was: \(value.serialized())"))
                }
                return array
            }
            guard case .array(let array) = scope.rawInput else {
                throw scope.located(.queryEvaluationError("Map state input must be an array but was: \(scope.rawInput.serialized())"))
            }
            return array
        }
        let value = try spec.itemsPath.map { p throws(StatesError) in try scope.select(p, in: effectiveInput, frame: frame) } ?? effectiveInput
        guard case .array(let array) = value else {
            throw scope.located(.runtime("Map state input must be an array but was: \(value.serialized())"))
        }
        return array
    }

    /// Records a MapIteration* event. Like ``record(_:_:_:frame:)`` it ends the execution at
    /// AWS's 25,000-event limit, so iteration events count towards it too.
    @discardableResult
    func recordIterationEvent(_ type: HistoryEventType, name: String, index: Int, previous: Int) -> Int {
        guard execution.recordsHistory else { return execution.countEvent(type) }
        let details: JSONObject = ["name": .string(name), "index": .int(index)]
        let id = execution.record(type, details: details, previous: previous, at: clock.now())
        if id > 0 { threadLog?.append(id) }
        if id >= Self.historyEventLimit - 1 { endAtHistoryLimit() }
        return id
    }
}
