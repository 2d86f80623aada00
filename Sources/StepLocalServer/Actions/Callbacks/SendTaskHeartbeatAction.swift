import StepLocalJSON

/// SendTaskHeartbeat: tells the task behind a token that its worker is still alive.
struct SendTaskHeartbeatAction: ActionHandler {
    static let name = "SendTaskHeartbeat"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let token = try request.required("taskToken")
        try TaskCallbackAnswer.check(await request.services.configuration.taskCallbacks.heartbeat(token: token))
        return [:]
    }
}
