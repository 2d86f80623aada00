public import StepLocalJSON

/// The seam between SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat and whatever issued the
/// task token (the engine's callback registry, activities). The server only validates and
/// forwards; the registry decides whether the token exists.
public protocol TaskCallbackRegistry: Sendable {
    func succeed(token: String, output: JSONValue) async -> TaskCallbackOutcome
    func fail(token: String, error: String?, cause: String?) async -> TaskCallbackOutcome
    func heartbeat(token: String) async -> TaskCallbackOutcome
}

/// What became of a callback: AWS answers `InvalidToken`, `TaskDoesNotExist` and `TaskTimedOut` for the last three.
public enum TaskCallbackOutcome: Sendable, Equatable {
    case accepted
    /// The text cannot be a token StepLocal issued.
    case invalidToken
    /// A well-formed token nobody issued.
    case taskDoesNotExist
    /// The token's task already closed (answered, timed out, stopped).
    case taskTimedOut
}

/// A registry where no token exists (tests that want the API without the engine's tokens).
public struct NoTaskCallbacks: TaskCallbackRegistry {
    public init() {}
    public func succeed(token: String, output: JSONValue) async -> TaskCallbackOutcome { .taskDoesNotExist }
    public func fail(token: String, error: String?, cause: String?) async -> TaskCallbackOutcome { .taskDoesNotExist }
    public func heartbeat(token: String) async -> TaskCallbackOutcome { .taskDoesNotExist }
}
