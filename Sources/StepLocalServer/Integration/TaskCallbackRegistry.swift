public import StepLocalJSON

/// The seam between SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat and whatever issued the
/// task token (the engine's callback registry, activities). The server only validates and
/// forwards; the registry decides whether the token exists.
public protocol TaskCallbackRegistry: Sendable {
    func succeed(token: String, output: JSONValue) async -> TaskCallbackOutcome
    func fail(token: String, error: String?, cause: String?) async -> TaskCallbackOutcome
    func heartbeat(token: String) async -> TaskCallbackOutcome
}

/// What became of a callback: AWS answers `TaskDoesNotExist` and `TaskTimedOut` for the last two.
public enum TaskCallbackOutcome: Sendable, Equatable {
    case accepted
    case taskDoesNotExist
    case taskTimedOut
}

/// The registry used until the engine issues task tokens: no token exists.
public struct NoTaskCallbacks: TaskCallbackRegistry {
    public init() {}
    public func succeed(token: String, output: JSONValue) async -> TaskCallbackOutcome { .taskDoesNotExist }
    public func fail(token: String, error: String?, cause: String?) async -> TaskCallbackOutcome { .taskDoesNotExist }
    public func heartbeat(token: String) async -> TaskCallbackOutcome { .taskDoesNotExist }
}
