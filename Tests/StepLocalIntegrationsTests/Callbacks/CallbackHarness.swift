import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Foundation
import Synchronization
import Testing

/// Sees every task token the engine hands to the dispatcher behind it, so a test can play the
/// worker that calls back.
final class TokenSpy: TaskDispatcher {
    let next: any TaskDispatcher
    private let seen = Mutex<[String]>([])
    /// When set, the spy plays a worker that answers `"early"` the moment a token can be read
    /// (its TaskScheduled is recorded before the dispatcher runs), before the dispatcher behind it runs.
    let eagerWorker: CallbackRegistry?
    /// What the eager worker was told.
    let eagerOutcomes = Mutex<[CallbackOutcome]>([])

    init(_ next: any TaskDispatcher, eagerWorker: CallbackRegistry? = nil) {
        self.next = next
        self.eagerWorker = eagerWorker
    }

    func validate(_ request: TaskRequest) async throws(StatesError) { try await next.validate(request) }

    func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        if let token = request.taskToken {
            seen.withLock { $0.append(token) }
            if let eagerWorker {
                let outcome = eagerWorker.succeed(token: token, output: "early")
                eagerOutcomes.withLock { $0.append(outcome) }
            }
        }
        return try await next.dispatch(request)
    }

    /// Waits on the calling thread (up to ~5 s) until the first token has been issued and
    /// `callbacks` has opened it, and returns it ("" if none): for a worker thread, since a full
    /// test run can starve the task pool for longer than a heartbeat period.
    func openToken(in callbacks: CallbackRegistry) -> String {
        for _ in 0..<5000 {
            if let token = seen.withLock({ $0.first }), callbacks.isOpen(token: token) { return token }
            usleep(1_000)
        }
        return ""
    }

    /// Waits (up to ~5 s) until `count` tokens have been seen and returns the last.
    func token(number count: Int = 1) async throws -> String {
        for _ in 0..<5000 {
            if let token = seen.withLock({ $0.count >= count ? $0[count - 1] : nil }) { return token }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("no task token number \(count) was issued")
        throw CancellationError()
    }
}

/// A state machine store for nested executions: definitions by ARN, run in the test's engine.
final class TestNestedHost: NestedExecutionHost {
    let definitions: [String: StateMachineDefinition]
    let engine = Mutex<ExecutionEngine?>(nil)
    let started = Mutex<[Execution]>([])

    init(_ definitions: [String: String]) throws {
        var loaded: [String: StateMachineDefinition] = [:]
        for (arn, text) in definitions { loaded[arn] = try StateMachineDefinition.load(text) }
        self.definitions = loaded
    }

    func startChildExecution(stateMachineArn: String, name: String?, input: JSONValue, parent: TaskRequest) async throws(NestedStartError)
        -> Execution
    {
        guard let definition = definitions[stateMachineArn], let engine = engine.withLock({ $0 }) else {
            throw NestedStartError(code: "StateMachineDoesNotExist", message: "State Machine Does Not Exist: '\(stateMachineArn)'")
        }
        let name = name ?? ServiceResponse.randomUUID()
        let machineName = String(stateMachineArn.split(separator: ":").last!)
        let identity = ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:\(machineName):\(name)", name: name,
            stateMachineArn: stateMachineArn, stateMachineName: machineName, roleArn: CallbackHarness.role,
            // As the server's host: at the parent task's time when it is ahead of the clock's.
            startTime: max(engine.clock.now(), TaskDeadline.current?.dispatchedAt ?? engine.clock.now()))
        let waitedFor = TaskResource(parent.resource).map { $0.pattern == .sync || $0.pattern == .sync2 } ?? false
        let execution = engine.start(definition, input: input, identity: identity, child: true, waitedForByTask: waitedFor)
        started.withLock { $0.append(execution) }
        return execution
    }
}

/// Builds the local dispatcher (on a real clock with waits scaled down, or on the clock given)
/// and runs definitions.
final class CallbackHarness: Sendable {
    static let role = "arn:aws:iam::123456789012:role/StepFunctions"
    static let activityArn = "arn:aws:states:us-east-1:123456789012:activity:Approve"

    let callbacks: CallbackRegistry
    let activities = ActivityScheduler()
    let spy: TokenSpy
    let engine: ExecutionEngine
    private let counter = Mutex(0)

    /// `scale` shrinks HeartbeatSeconds/TimeoutSeconds (0.02: one second lasts 20 ms).
    convenience init(scale: Double = 0.02, activityExists: Bool = true, nested: TestNestedHost? = nil) {
        self.init(clock: SystemClock(waitTimeScale: scale), activityExists: activityExists, nested: nested)
    }

    /// `mocks`, when given, answers in front of the local dispatcher, as a mock config does in
    /// the server; `callbacksCanArrive` false is the scenario runner's registry (no API).
    init(
        clock: any ExecutionClock, activityExists: Bool = true, nested: TestNestedHost? = nil, mocks: MockTestCase? = nil,
        callbacksCanArrive: Bool = true, eagerWorker: Bool = false
    ) {
        callbacks = CallbackRegistry(clock: clock, callbacksCanArrive: callbacksCanArrive)
        let local = LocalTaskDispatcher(
            callbacks: callbacks, activities: activities,
            activityDirectory: activityExists ? AnyActivityExists() as any ActivityDirectory : NoActivities(), nestedExecutions: nested)
        spy = TokenSpy(
            mocks.map { MockDispatcher(testCase: $0, fallback: local) as any TaskDispatcher } ?? local, eagerWorker: eagerWorker ? callbacks : nil)
        engine = ExecutionEngine(clock: clock, dispatcher: spy)
        nested?.engine.withLock { $0 = engine }
    }

    func start(_ definition: String, input: JSONValue = [:]) throws -> Execution {
        let n = counter.withLock { c in
            c += 1
            return c
        }
        let identity = ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:Parent:run-\(n)", name: "run-\(n)",
            stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:Parent", stateMachineName: "Parent", roleArn: Self.role,
            startTime: engine.clock.now())
        return engine.start(try StateMachineDefinition.load(definition), input: input, identity: identity)
    }

    /// A one-Task machine with the given resource and extra Task fields.
    static func taskMachine(_ resource: String, _ extra: String = "") -> String {
        #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(resource)","# + extra + #""End":true}}}"#
    }

    static let sqsToken = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
    static let tokenParameters = #""Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"#
}

struct NoActivities: ActivityDirectory {
    func activityExists(_ activityArn: String) -> Bool { false }
}

extension Execution {
    /// The execution's end, or nil when it has not ended within `limit` (it is stopped then): a
    /// test of something that could hang fails instead of hanging.
    func finished(within limit: Duration) async -> ExecutionSnapshot? {
        await withTaskGroup(of: ExecutionSnapshot?.self) { group in
            group.addTask { await self.waitUntilFinished() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil { _ = stop(error: "Test.Timeout", cause: nil) }
            group.cancelAll()
            return first
        }
    }
}

extension ExecutionSnapshot {
    var eventTypes: [String] { history.map(\.type) }

    func event(_ type: String) -> HistoryEvent? { history.first { $0.type == type } }
}
