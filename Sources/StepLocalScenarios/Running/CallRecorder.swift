import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Synchronization

/// Sits in front of a case's dispatcher and remembers every Task call (state and
/// parameters, in order), so `calls` and `called` expectations can be checked afterwards.
final class CallRecorder: TaskDispatcher {
    private let next: any TaskDispatcher
    private let calls: Mutex<[String: [JSONValue]]>

    init(next: any TaskDispatcher) {
        self.next = next
        self.calls = Mutex([:])
    }

    func validate(_ request: TaskRequest) async throws(StatesError) {
        try await next.validate(request)
    }

    func mockedItemReader(_ request: TaskRequest) async throws -> JSONValue? {
        try await next.mockedItemReader(request)
    }

    func dispatch(_ request: TaskRequest) async throws -> JSONValue {
        calls.withLock { $0[request.stateName, default: []].append(request.parameters) }
        return try await next.dispatch(request)
    }

    var recorded: [String: [JSONValue]] { calls.withLock { $0 } }
}
