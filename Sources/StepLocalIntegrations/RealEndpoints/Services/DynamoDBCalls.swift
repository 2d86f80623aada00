import StepLocalJSON

/// DynamoDB's optimized integration (`arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`):
/// AWS JSON 1.0 on `POST /` with `X-Amz-Target: DynamoDB_20120810.<Action>`; the state's
/// Parameters are the request body as they are, and the answer's fields (plus SDK metadata)
/// are the result.
enum DynamoDBCalls {
    /// The Task action → the API operation.
    static let actions = ["getItem": "GetItem", "putItem": "PutItem", "updateItem": "UpdateItem", "deleteItem": "DeleteItem"]

    static func call(action: String, parameters: JSONValue, region: String) -> ServiceCall? {
        guard let operation = actions[action] else { return nil }
        return ServiceCall(
            service: "dynamodb", signingName: "dynamodb", region: region,
            request: ServiceHTTPRequest(
                method: "POST", path: "/",
                headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.\(operation)")],
                body: ServiceCall.jsonBody(parameters)),
            reader: .awsJSON(.dynamoDB))
    }
}
