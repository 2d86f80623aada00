import StepLocalJSON

/// SendTaskSuccess: hands a task token's JSON output to whoever issued the token.
struct SendTaskSuccessAction: ActionHandler {
    static let name = "SendTaskSuccess"

    func handle(_ request: ActionRequest) async throws(AWSServiceError) -> JSONValue {
        let token = try request.required("taskToken")
        let output = try request.json("output") { .invalidOutput($0) }
        let outcome = await request.services.configuration.taskCallbacks.succeed(token: token, output: output.value)
        try TaskCallbackAnswer.check(outcome)
        return [:]
    }
}

/// Turns a callback outcome into AWS's answer.
enum TaskCallbackAnswer {
    static func check(_ outcome: TaskCallbackOutcome) throws(AWSServiceError) {
        switch outcome {
        case .accepted: return
        case .invalidToken: throw .invalidToken("Invalid token")
        case .taskDoesNotExist: throw .taskDoesNotExist()
        case .taskTimedOut: throw .taskTimedOut()
        }
    }
}
