import StepLocalASL
import StepLocalIntegrations
import StepLocalJSON

/// SendTaskSuccess/Failure/Heartbeat delivered to the integrations' ``CallbackRegistry``,
/// where `.waitForTaskToken` and activity tasks wait. The default registry of a built
/// application unless a test injects its own.
struct LocalTaskCallbacks: TaskCallbackRegistry {
    let registry: CallbackRegistry
    /// An answered activity task leaves its queue at once, even if no worker took it yet.
    var activities: ActivityScheduler? = nil
    /// With `--data-dir`, where an accepted answer or heartbeat is written before the API answers.
    var answerLog: (any TaskAnswerLog)? = nil

    func succeed(token: String, output: JSONValue) async -> TaskCallbackOutcome {
        answered(token, .success(output))
    }

    func fail(token: String, error: String?, cause: String?) async -> TaskCallbackOutcome {
        answered(token, .failure(CallbackRegistry.workerError(error, cause)))
    }

    private func answered(_ token: String, _ result: Result<JSONValue, StatesError>) -> TaskCallbackOutcome {
        let (outcome, owner, workerName) = registry.answer(token: token, with: result)
        if outcome == .accepted {
            activities?.withdraw(taskToken: token)
            if let owner { answerLog?.keep(result, token: token, executionArn: owner, workerName: workerName) }
        }
        return Self.outcome(outcome)
    }

    func heartbeat(token: String) async -> TaskCallbackOutcome {
        let (outcome, owner, moment) = registry.beat(token: token)
        if outcome == .accepted, let owner, let moment { answerLog?.keepHeartbeat(token: token, executionArn: owner, at: moment) }
        return Self.outcome(outcome)
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

/// Keeps a worker's answer to a task token (SendTaskSuccess / SendTaskFailure) before the API
/// says it was accepted, so that a server that dies before the task records the answer does not
/// lose it: after the restart the task runs again, hands out the same token and finds the answer
/// (``CallbackRegistry/restoreAnswer(token:owner:result:workerName:)``). Heartbeats are kept the
/// same way, so a resumed task's heartbeat period counts from the latest one rather than from the
/// restart (``CallbackRegistry/restoreHeartbeat(token:owner:at:)``). The `--data-dir` store is one.
protocol TaskAnswerLog: Sendable {
    /// `workerName`: the worker that had taken the token's activity task, if one did.
    func keep(_ answer: Result<JSONValue, StatesError>, token: String, executionArn: String, workerName: String?)
    /// A SendTaskHeartbeat accepted at `moment` (the latest one per token counts).
    func keepHeartbeat(token: String, executionArn: String, at moment: Timestamp)
}
