import StepLocalASL
import StepLocalIntrinsics
import StepLocalJSON
import Synchronization

/// Task states: build the request, hand it to the dispatcher with the state's timeout, and
/// record the Task* (or legacy LambdaFunction*) events AWS records.
extension Interpreter {
    func runTask(_ spec: TaskSpec, scope: StateScope, effectiveInput: JSONValue, frame: inout Frame) async throws(StatesError) -> JSONValue {
        let state = scope.state
        let resource = spec.resource
        if JSONataBridge.expressionText(resource) != nil, state.queryLanguage == .jsonata {
            throw scope.located(.queryEvaluationError("StepLocal does not support JSONata expressions in 'Resource' yet"))
        }
        let shape = TaskResourceARN(resource)
        let callKey = TaskToken.seed(for: execution, at: frame.threadPosition)
        let token: String? = shape.needsTaskToken ? TaskToken.make(seed: callKey) : nil
        let parameters: JSONValue
        // The input after Parameters (Arguments) is held to the payload quota, as AWS documents.
        if state.queryLanguage == .jsonata {
            parameters = try state.arguments.map { t throws(StatesError) in
                try scope.checkedPayload(scope.evaluateWithToken(t, input: scope.rawInput, frame: frame, taskToken: token))
            } ?? scope.rawInput
        } else if let template = state.parameters {
            parameters = try scope.checkedPayload(scope.evaluateWithToken(template, input: effectiveInput, frame: frame, taskToken: token))
        } else {
            parameters = effectiveInput
        }
        let roleArn = try spec.credentialsTemplate.map { t throws(StatesError) in
            try scope.evaluateWithToken(t, input: state.queryLanguage == .jsonata ? scope.rawInput : effectiveInput, frame: frame, taskToken: token)
        }?["RoleArn"]
        let timeout = try scope.integer(spec.timeoutSeconds, input: effectiveInput, frame: frame)
        let heartbeat = try scope.integer(spec.heartbeatSeconds, input: effectiveInput, frame: frame)
        let region = ARN(execution.identity.executionArn)?.region ?? ""

        var request = TaskRequest(
            stateName: state.name, resource: resource, parameters: parameters, taskToken: token, timeoutSeconds: timeout,
            heartbeatSeconds: heartbeat, executionArn: execution.identity.executionArn, rootExecutionArn: rootExecutionArn,
            stateMachineArn: execution.identity.stateMachineArn,
            attempt: scope.retryCount, context: scope.context(frame: frame, taskToken: token))
        request.callKey = callKey ?? 0
        do throws(StatesError) {
            try await dispatcher.validate(request)
        } catch {
            throw scope.located(error)
        }

        if shape.isActivity {
            var details: JSONObject = ["resource": .string(resource), "input": .string(parameters.serialized()), "inputDetails": .notTruncated]
            if let timeout { details["timeoutInSeconds"] = .int(timeout) }
            if let heartbeat { details["heartbeatInSeconds"] = .int(heartbeat) }
            record(.activityScheduled, details, frame: &frame)
        } else if shape.isLegacyLambda {
            var details: JSONObject = ["resource": .string(resource), "input": .string(parameters.serialized()), "inputDetails": .notTruncated]
            if let timeout { details["timeoutInSeconds"] = .int(timeout) }
            record(.lambdaFunctionScheduled, details, frame: &frame)
            record(.lambdaFunctionStarted, [:], frame: &frame)
        } else {
            var details: JSONObject = [
                "resourceType": .string(shape.resourceType), "resource": .string(shape.resourceName), "region": .string(region),
                "parameters": .string(parameters.serialized()),
            ]
            if let timeout { details["timeoutInSeconds"] = .int(timeout) }
            if let heartbeat { details["heartbeatInSeconds"] = .int(heartbeat) }
            if let roleArn { details["taskCredentials"] = ["roleArn": roleArn] }
            let scheduled = record(.taskScheduled, details, frame: &frame)
            let started = record(.taskStarted, ["resourceType": .string(shape.resourceType), "resource": .string(shape.resourceName)], frame: &frame)
            request.submittedBeforeRestart = execution.recordedBeforeRestart(.taskSubmitted, after: started, forCallScheduledAt: scheduled)
                .flatMap { $0.details["output"]?.stringValue }.flatMap { try? JSONValue(parsing: $0) }
        }
        // A call made again after a restart keeps the deadline and heartbeat period of the attempt it repeats; a later Retry attempt gets its own.
        request.resumedAttemptStart = frame.resumedAttemptStart
        let since = frame.resumedAttemptStart ?? clock.now()
        let work = PendingWait(
            stateName: state.name, iterations: frame.iterations, kind: .task(shape.pendingWait), since: since,
            until: timeout.map { since.adding(seconds: Double($0)) }, heartbeatSeconds: heartbeat)
        let waitId = execution.beginWaiting(work)
        // Events the dispatcher records while the task runs (ActivityStarted, TaskSubmitted) chain
        // after ours; heartbeats it hears of update the listed wait.
        let sink = TaskEventSink(execution: execution, lastEventId: frame.lastEventId, threadLog: threadLog, clock: clock, pendingWait: waitId)
        request.events = sink
        let outcome = await dispatch(request, taskDeadline: work.until)
        execution.endWaiting(waitId)
        frame.resumedAttemptStart = nil
        frame.lastEventId = max(frame.lastEventId, sink.lastEventId)
        if shape.isActivity, !sink.hasRecorded(.activityStarted), !outcome.isTimeout, !Task.isCancelled, !pastDeadline() {
            // Answered without a worker (a mock): AWS would have seen one start it.
            record(.activityStarted, [:], frame: &frame)
        }
        switch outcome {
        case .success(let output):
            if output.exceedsPayloadLimit {
                // AWS names the connector, not the state: `lambda` for arn:aws:states:::lambda:invoke,
                // the function's ARN for a bare Lambda ARN (both recorded).
                let error = StatesError.payloadTooLarge(from: shape.isLegacyLambda ? resource : shape.resourceType)
                recordTaskFailure(shape, error, timedOut: false, frame: &frame)
                throw error
            }
            if shape.isActivity {
                record(.activitySucceeded,
                    ["output": .string(output.serialized()), "outputDetails": .notTruncated], frame: &frame)
            } else if shape.isLegacyLambda {
                record(.lambdaFunctionSucceeded,
                    ["output": .string(output.serialized()), "outputDetails": .notTruncated], frame: &frame)
            } else {
                record(.taskSucceeded, [
                    "resourceType": .string(shape.resourceType), "resource": .string(shape.resourceName),
                    "output": .string(output.serialized()), "outputDetails": .notTruncated,
                ], frame: &frame)
            }
            return output
        case .failure(let error):
            // Cancelled (stopped), or the execution's TimeoutSeconds passed while the task waited
            // (instant clock): the execution ends; AWS records no task event for it.
            if Task.isCancelled || pastDeadline() { throw error }
            recordTaskFailure(shape, error, timedOut: error.error == "States.Timeout" || error.error == "States.HeartbeatTimeout", frame: &frame)
            throw error
        }
    }

    private func recordTaskFailure(_ shape: TaskResourceARN, _ error: StatesError, timedOut: Bool, frame: inout Frame) {
        var details: JSONObject = [:]
        if shape.isActivity {
            details["error"] = .string(error.error)
            if let cause = error.cause { details["cause"] = .string(cause) }
            record(timedOut ? .activityTimedOut : .activityFailed, details, frame: &frame)
            return
        }
        if !shape.isLegacyLambda {
            details["resourceType"] = .string(shape.resourceType)
            details["resource"] = .string(shape.resourceName)
        }
        // A worker's SendTaskFailure may name no error: AWS then records no `error` member.
        if !error.error.isEmpty { details["error"] = .string(error.error) }
        if let cause = error.cause { details["cause"] = .string(cause) }
        let type: HistoryEventType =
            shape.isLegacyLambda ? (timedOut ? .lambdaFunctionTimedOut : .lambdaFunctionFailed) : (timedOut ? .taskTimedOut : .taskFailed)
        record(type, details, frame: &frame)
    }

    /// Calls the dispatcher, racing it against the task's timeout (`taskDeadline`: its
    /// TimeoutSeconds after the attempt began) on the execution's clock.
    ///
    /// When time passes instantly (a virtual clock, or WAIT_TIME_SCALE 0) a timer would fire at
    /// once and beat answers that are already on their way, so the task's deadline is handed to
    /// the dispatcher as ``TaskDeadline/current`` instead: a dispatcher that decides the outcome
    /// itself (a mock answering, a token wait expiring at its heartbeat or deadline) claims it,
    /// and the timer then stands down. A dispatcher that claims nothing is doing real work (a stub,
    /// a service that really takes time): the waits it would have skipped are none, so only the
    /// real time it takes counts against the deadline. The engine times it out when that real
    /// time reaches the deadline, stamped at the deadline; however loaded the machine, a call
    /// that answers in milliseconds under a 60-second timeout is never timed out.
    private func dispatch(_ request: TaskRequest, taskDeadline: Timestamp?) async -> Result<JSONValue, StatesError> {
        let dispatcher = self.dispatcher
        let clock = self.clock
        @Sendable func call() async -> Result<JSONValue, StatesError> {
            do {
                return .success(try await dispatcher.dispatch(request))
            } catch let error as StatesError {
                return .failure(error)
            } catch is CancellationError {
                return .failure(StatesError("States.Aborted", cause: nil))
            } catch {
                return .failure(.taskFailed(String(describing: error)))
            }
        }
        let deadline: Timestamp?
        if clock.passesTimeInstantly {
            deadline = [taskDeadline, executionDeadline].compactMap { $0 }.min()
        } else {
            deadline = taskDeadline
        }
        let binding = clock.passesTimeInstantly ? TaskDeadline(at: deadline, dispatchedAt: clock.now()) : nil
        let outcome = await TaskDeadline.$current.withValue(binding) { () async -> Result<JSONValue, StatesError> in
            guard let deadline else { return await call() }
            return await withTaskGroup(of: Result<JSONValue, StatesError>?.self) { group in
                group.addTask { await call() }
                group.addTask {
                    do {
                        if let binding {
                            try await TaskDeadline.sleepInRealTime(until: deadline, on: clock)
                            // The dispatcher answers or times out by itself: no timer.
                            if binding.isClaimed { return nil }
                        }
                        try await clock.sleep(until: deadline)
                    } catch { return nil }
                    return .failure(StatesError.timeout())
                }
                var outcome: Result<JSONValue, StatesError> = .failure(StatesError("States.Aborted", cause: nil))
                while let next = await group.next() {
                    if let next { outcome = next; break }
                }
                group.cancelAll()
                return outcome
            }
        }
        // A wait that expired by itself moves this thread's time to the moment it expired.
        if let moment = binding?.expiry { try? await clock.sleep(until: moment) }
        return outcome
    }
}

extension StateScope {
    func evaluateWithToken(_ template: PayloadTemplate, input: JSONValue, frame: Frame, taskToken: String?) throws(StatesError) -> JSONValue {
        if case .literal(let value) = template { return value }
        do {
            return try template.evaluate(in: environment(input: input, frame: frame, taskToken: taskToken))
        } catch {
            throw located(error)
        }
    }
}

extension Result<JSONValue, StatesError> {
    var isTimeout: Bool {
        if case .failure(let e) = self { return e.error == "States.Timeout" || e.error == "States.HeartbeatTimeout" }
        return false
    }
}

/// Task tokens: opaque, unique, and long like AWS's (160 characters).
///
/// A token is drawn from the execution's random ``Execution/tokenSecret``, its redrive count and
/// the position of the task's thread (``Frame/threadPosition``: which branch or iteration it is,
/// and how many events that thread had recorded), unique within the history and independent of
/// how other threads' events interleave. So the same Task, run again after a restart (even in a
/// Parallel branch that now runs beside replayed ones), hands out the same token, and a worker
/// holding it can still answer. Without a history (the benchmark) tokens are drawn at random.
enum TaskToken {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// What the token of the task at `threadPosition` is drawn from (also the request's
    /// ``TaskRequest/callKey``); nil without a history, where tokens are drawn at random.
    static func seed(for execution: Execution, at threadPosition: UInt64) -> UInt64? {
        guard execution.recordsHistory else { return nil }
        return execution.tokenSecret ^ Frame.mix(threadPosition ^ UInt64(truncatingIfNeeded: execution.redriveCount))
    }

    static func make(seed: UInt64?) -> String {
        var generator = SplitMix64(seed: seed ?? UInt64.random(in: .min ... .max))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160)
        while bytes.count < 160 {
            // Each 64-bit draw gives ten 6-bit characters.
            let z = generator.next()
            for shift in stride(from: 0, to: 60, by: 6) where bytes.count < 160 {
                bytes.append(alphabet[Int((z >> UInt64(shift)) & 63)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The moment a Task must give up when time passes instantly, bound for the duration of one
/// dispatch: the earlier of the state's `TimeoutSeconds` and the execution's `TimeoutSeconds`
/// (nil when neither applies). A dispatcher that settles the task itself, without waiting in real
/// time (a mock's answer, a token wait that expires at its heartbeat or at this deadline),
/// calls ``claim()`` so the engine does not time it out once the deadline's length of real time
/// has passed. It exists because the engine cannot tell a mock answering in microseconds from a
/// worker that never will.
public final class TaskDeadline: Sendable {
    /// Nil when the task may wait for ever (no TimeoutSeconds anywhere).
    public let at: Timestamp?
    /// The task's thread's time when it was dispatched: heartbeat periods count from it.
    public let dispatchedAt: Timestamp?
    private let claimed = Mutex(false)
    private let expiredAt = Mutex<Timestamp?>(nil)

    /// The deadline of the Task being dispatched; nil outside a dispatch or on a clock that really waits.
    @TaskLocal public static var current: TaskDeadline?

    /// Returns when the real time from now to `deadline` on `clock` has passed: how long an
    /// unclaimed dispatch may work before the engine times it out. Its thread skips no waits
    /// meanwhile, so its time moves with the wall clock only.
    static func sleepInRealTime(until deadline: Timestamp, on clock: any ExecutionClock) async throws {
        let remaining = deadline.millisecondsSince1970 - clock.now().millisecondsSince1970
        if remaining > 0 { try await TimerScheduler.shared.sleep(for: .milliseconds(remaining)) }
    }

    public init(at: Timestamp?, dispatchedAt: Timestamp? = nil) {
        self.at = at
        self.dispatchedAt = dispatchedAt
    }

    /// Says the wait ended unanswered at `moment` (a heartbeat period or the deadline): the engine
    /// moves the task's thread clock there, so the timed-out event carries that time.
    public func expire(at moment: Timestamp) { expiredAt.withLock { $0 = moment } }

    /// Says the task's work ended at `moment` on the execution's time (a `.sync` child execution
    /// whose own waits passed at once on its own clock): the engine moves the task's thread clock
    /// there, so the task's next events come after the child's last, as on AWS.
    public func ended(at moment: Timestamp) { expiredAt.withLock { $0 = max($0 ?? moment, moment) } }

    /// When the wait expired or the work ended, if the dispatcher said so.
    public var expiry: Timestamp? { expiredAt.withLock { $0 } }

    /// Says the dispatcher decides this task's outcome itself, deterministically.
    public func claim() { claimed.withLock { $0 = true } }

    public var isClaimed: Bool { claimed.withLock { $0 } }
}

extension ExecutionClock {
    /// True when waits pass at once: a virtual clock, or the wall clock with WAIT_TIME_SCALE 0.
    /// Timeouts are then decided by the dispatcher (see ``TaskDeadline``), not raced.
    public var passesTimeInstantly: Bool {
        isVirtual || (self as? SystemClock)?.waitTimeScale == 0
    }

    /// True for the wall clock with waits scaled (a WAIT_TIME_SCALE other than 0 and 1): a wait
    /// there lasts another time than it says, while timestamps stay real.
    var scalesWaits: Bool {
        guard let system = self as? SystemClock else { return false }
        return system.waitTimeScale != 0 && system.waitTimeScale != 1
    }
}
