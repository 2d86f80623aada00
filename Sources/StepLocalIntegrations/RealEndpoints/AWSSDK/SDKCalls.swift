import StepLocalASL
import StepLocalJSON

/// `arn:aws:states:::aws-sdk:SERVICE:action` for the AWS JSON-protocol services (see
/// ``SDKOperationTables``): the state's Parameters (Step Functions' names) become the wire
/// request, the answer comes back under Step Functions' names, with no SDK metadata (as recorded
/// on AWS for `aws-sdk:dynamodb`, `aws-sdk:sfn` and `aws-sdk:secretsmanager`).
///
/// Errors are named as the AWS SDK for Java v2, on which these integrations run, names them:
/// `<Service>.<ExceptionClass>` for a code the model declares (`DynamoDb.ResourceNotFoundException`),
/// `<Service>.<Service>Exception` for any other (`SecretsManager.SecretsManagerException`), with the
/// SDK's message as the cause: `<message> (Service: DynamoDb, Status Code: 400, Request ID: <id>)`.
enum SDKCalls {
    /// Whether StepLocal can call `action` of the aws-sdk service `service` (`dynamodb`, `sfn`, ...).
    static func supports(service: String, action: String) -> Bool {
        SDKOperationTables.service(service)?.operations[action] != nil
    }

    static func call(service name: String, action: String, parameters: JSONValue, region: String) -> ServiceCall? {
        guard let service = SDKOperationTables.service(name), let operation = service.operations[action] else { return nil }
        let request = parameters.isNull ? JSONValue.object([:]) : service.toWire(parameters, operation.input)
        return ServiceCall(
            service: name, signingName: service.signingName, region: region,
            request: ServiceHTTPRequest(
                method: "POST", path: "/",
                headers: [
                    ("Content-Type", "application/x-amz-json-\(service.jsonVersion)"),
                    ("X-Amz-Target", "\(service.targetPrefix).\(operation.operation)"),
                ],
                body: Array(request.serialized().utf8)),
            reader: .awsSDK(service, output: operation.output))
    }

    /// The state's result for a JSON answer, or the error Step Functions raises for it.
    static func result(_ response: ServiceHTTPResponse, service: SDKService, output: SDKShapeRef) throws(StatesError) -> JSONValue {
        guard (200..<300).contains(response.status) else { throw error(response, service: service) }
        guard !response.body.isEmpty else { return .object([:]) }
        guard let answer = try? JSONParser.parse(bytes: response.body) else {
            throw StatesError(
                "\(service.javaName).SdkClientException",
                cause: "Unable to unmarshall response (the endpoint answered \(response.status) with a body that is not JSON). "
                    + "Response body: \(String(response.bodyText.prefix(200)))")
        }
        return service.fromWire(answer, output)
    }

    static func error(_ response: ServiceHTTPResponse, service: SDKService) -> StatesError {
        let (code, message) = ServiceErrorNames.jsonErrorParts(response)
        let exceptionClass = service.errors[code] ?? "\(service.javaName)Exception"
        return StatesError(
            "\(service.javaName).\(exceptionClass)",
            cause: "\(message) (Service: \(service.javaName), Status Code: \(response.status), Request ID: \(ServiceErrorNames.requestId(response)))")
    }

    /// The SDK's error for a call that never got an answer.
    static func clientError(service: String, _ description: String) -> StatesError {
        let prefix = SDKOperationTables.service(service)?.javaName ?? service
        return StatesError("\(prefix).SdkClientException", cause: "Unable to execute HTTP request: \(description)")
    }
}
