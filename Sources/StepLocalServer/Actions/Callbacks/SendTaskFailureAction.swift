import StepLocalJSON

/// SendTaskFailure: fails the task behind a token with the given error and cause.
struct SendTaskFailureAction: ActionHandler {
    static let name = "SendTaskFailure"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let token = try request.required("taskToken")
        let outcome = await request.services.configuration.taskCallbacks.fail(
            token: token, error: request.string("error"), cause: request.string("cause"))
        try TaskCallbackAnswer.check(outcome)
        return [:]
    }
}
