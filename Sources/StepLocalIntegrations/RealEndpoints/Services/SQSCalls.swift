import StepLocalJSON

/// SQS's optimized integration (`arn:aws:states:::sqs:sendMessage`, also `.waitForTaskToken`):
/// SQS's JSON protocol on `POST /` with `X-Amz-Target: AmazonSQS.SendMessage`. A `MessageBody`
/// that is not a string is sent as its JSON text, as Step Functions sends it. The request says
/// `x-amzn-query-mode: true`, as the SDKs do, so errors carry the query-compatible codes the
/// Java SDK maps to its exception classes (`AWS.SimpleQueueService.NonExistentQueue`).
enum SQSCalls {
    static func sendMessage(parameters: JSONValue, region: String) -> ServiceCall {
        var body = parameters
        if case .object(var object) = parameters, let message = object["MessageBody"], message.stringValue == nil, !message.isNull {
            object["MessageBody"] = .string(message.serialized())
            body = .object(object)
        }
        return ServiceCall(
            service: "sqs", signingName: "sqs", region: region,
            request: ServiceHTTPRequest(
                method: "POST", path: "/",
                headers: [
                    ("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS.SendMessage"), ("x-amzn-query-mode", "true"),
                ],
                body: ServiceCall.jsonBody(body)),
            reader: .awsJSON(.sqs))
    }
}
