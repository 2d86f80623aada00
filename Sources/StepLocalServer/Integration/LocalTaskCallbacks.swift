import StepLocalIntegrations
import StepLocalJSON

/// SendTaskSuccess/Failure/Heartbeat delivered to the integrations' ``CallbackRegistry``,
/// where `.waitForTaskToken` and activity tasks wait. The default registry of a built
/// application unless a test injects its own.
struct LocalTaskCallbacks: TaskCallbackRegistry {
    let registry: CallbackRegistry
    /// An answered activity task leaves its queue at once, even if no worker took it yet.
    var activities: ActivityScheduler? = nil

    func succeed(token: String, output: JSONValue) async -> TaskCallbackOutcome {
        answered(token, registry.succeed(token: token, output: output))
    }

    func fail(token: String, error: String?, cause: String?) async -> TaskCallbackOutcome {
        answered(token, registry.fail(token: token, error: error, cause: cause))
    }

    private func answered(_ token: String, _ outcome: CallbackOutcome) -> TaskCallbackOutcome {
        if outcome == .accepted { activities?.withdraw(taskToken: token) }
        return Self.outcome(outcome)
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
