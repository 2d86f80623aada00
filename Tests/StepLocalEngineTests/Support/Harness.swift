import Foundation
import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// A TaskDispatcher answered by a closure: tests decide what every Task returns or throws.
struct StubDispatcher: TaskDispatcher {
    let handler: @Sendable (TaskRequest) async throws -> JSONValue

    init(_ handler: @escaping @Sendable (TaskRequest) async throws -> JSONValue) {
        self.handler = handler
    }

    /// Every Task answers with its own parameters (an echo service).
    static let echo = StubDispatcher { $0.parameters }

    func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        try await handler(request)
    }
}

/// Counts calls, thread-safely, so tests can assert how often a Task ran (retries).
final class CallLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [TaskRequest] = []

    func append(_ request: TaskRequest) {
        lock.lock(); defer { lock.unlock() }
        entries.append(request)
    }

    var requests: [TaskRequest] {
        lock.lock(); defer { lock.unlock() }
        return entries
    }

    var count: Int { requests.count }
}

enum Harness {
    static let start = Timestamp(millisecondsSince1970: 1_700_000_000_000)

    static func identity(startTime: Timestamp = start) -> ExecutionIdentity {
        ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:TestMachine:test-execution", name: "test-execution",
            stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:TestMachine", stateMachineName: "TestMachine",
            roleArn: "arn:aws:iam::123456789012:role/test", startTime: startTime)
    }

    /// Loads `definition` (throws its diagnostics if invalid) and runs it to the end on a
    /// virtual clock with the given dispatcher. Returns the final snapshot.
    static func run(
        _ definition: String, input: JSONValue = [:], clock: any ExecutionClock = VirtualClock(start: start),
        dispatcher: any TaskDispatcher = StubDispatcher.echo
    ) async throws -> ExecutionSnapshot {
        let loaded = try StateMachineDefinition.load(definition)
        let identity = identity(startTime: clock.now())
        return await ExecutionEngine(clock: clock, dispatcher: dispatcher).run(loaded, input: input, identity: identity)
    }

    /// Same as `run`, input given as JSON text.
    static func run(
        _ definition: String, inputJSON: String, clock: any ExecutionClock = VirtualClock(start: start),
        dispatcher: any TaskDispatcher = StubDispatcher.echo
    ) async throws -> ExecutionSnapshot {
        try await run(definition, input: json(inputJSON), clock: clock, dispatcher: dispatcher)
    }

    static func json(_ text: String) -> JSONValue {
        do { return try JSONValue(parsing: text) } catch {
            Issue.record("test JSON does not parse: \(text)")
            return .null
        }
    }

    /// A machine with a single state named "S" (ending the execution) built from `stateJSON`.
    static func single(_ stateJSON: String) -> String {
        #"{"StartAt":"S","States":{"S":\#(stateJSON)}}"#
    }

    /// The diagnostics of an invalid definition (empty when it loads).
    static func diagnostics(_ definition: String) -> [Diagnostic] {
        StateMachineDefinition.validate(definition)
    }
}

/// JSON with object keys sorted, so comparisons ignore key order where AWS does not promise one.
func canonical(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
        var sorted: JSONObject = [:]
        for key in object.keys.sorted() { sorted[key] = canonical(object[key]!) }
        return .object(sorted)
    case .array(let items): return .array(items.map(canonical))
    default: return value
    }
}

/// Expects the execution to have succeeded with `expected` (JSON text) as output, ignoring key order.
func expectSucceeded(_ snapshot: ExecutionSnapshot, output expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(snapshot.status == .succeeded, "status \(snapshot.status) error \(snapshot.error ?? "-") cause \(snapshot.cause ?? "-")", sourceLocation: sourceLocation)
    let actual = snapshot.output.map { canonical($0).serialized() } ?? "<none>"
    #expect(actual == canonical(Harness.json(expected)).serialized(), sourceLocation: sourceLocation)
}

/// Expects the execution to have failed with `error` (and `cause` when given).
func expectFailed(_ snapshot: ExecutionSnapshot, error: String, cause: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(snapshot.status == .failed, "status \(snapshot.status), output \(snapshot.output?.serialized() ?? "-")", sourceLocation: sourceLocation)
    #expect(snapshot.error == error, "cause: \(snapshot.cause ?? "-")", sourceLocation: sourceLocation)
    if let cause { #expect(snapshot.cause == cause, sourceLocation: sourceLocation) }
}

extension ExecutionSnapshot {
    var eventTypes: [String] { history.map(\.type) }
}

extension Harness {
    /// Runs a loaded definition, giving up after `seconds` of wall time: then the execution is
    /// stopped (so a runaway loop does not keep burning CPU) and nil is returned.
    static func runBounded(
        _ definition: StateMachineDefinition, input: JSONValue, seconds: Double = 2, clock: any ExecutionClock = VirtualClock(start: start),
        dispatcher: any TaskDispatcher = StubDispatcher.echo
    ) async -> ExecutionSnapshot? {
        let execution = ExecutionEngine(clock: clock, dispatcher: dispatcher).start(definition, input: input, identity: identity(startTime: clock.now()))
        return await finished(execution, within: seconds)
    }

    /// Waits up to `seconds` of wall time for `execution` to end; then stops it and returns nil.
    static func finished(_ execution: Execution, within seconds: Double) async -> ExecutionSnapshot? {
        let finished: ExecutionSnapshot? = await withTaskGroup(of: ExecutionSnapshot?.self) { group in
            group.addTask { await execution.waitUntilFinished() }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil { execution.stop(error: "Test.Timeout", cause: "the test gave up waiting") }
            group.cancelAll()
            // The waiter child returns once stop() has finished the execution.
            return first
        }
        return finished
    }
}
