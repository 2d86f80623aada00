import StepLocalIntegrations
import StepLocalJSON

/// SendTaskSuccess/Failure/Heartbeat delivered to the integrations' ``CallbackRegistry``,
/// where `.waitForTaskToken` and activity tasks wait. The default registry of a built
/// application unless a test injects its own.
struct LocalTaskCallbacks: TaskCallbackRegistry {
    let registry: CallbackRegistry

    func succeed(token: String, output: JSONValue) async -> TaskCallbackOutcome {
        Self.outcome(registry.succeed(token: token, output: output))
    }

    func fail(token: String, error: String?, cause: String?) async -> TaskCallbackOutcome {
        Self.outcome(registry.fail(token: token, error: error, cause: cause))
    }

    func heartbeat(token: String) async -> TaskCallbackOutcome {
        Self.outcome(registry.heartbeat(token: token))
    }

    static func outcome(_ outcome: CallbackOutcome) -> TaskCallbackOutcome {
        switch outcome {
        case .accepted: .accepted
        case .invalidToken: .invalidToken
        case .taskDoesNotExist: .taskDoesNotExist
        case .taskTimedOut: .taskTimedOut
        }
    }
}
