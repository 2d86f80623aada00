public import StepLocalASL
public import StepLocalEngine
public import StepLocalJSON

/// One optimized-integration call, as AWS makes it for a Task: which service and region to
/// sign for, the HTTP request, and how to turn the answer into the state's result or into the
/// error AWS would raise. It exists to keep every service's wire protocol (AWS JSON 1.0 for
/// DynamoDB, SQS and Step Functions, AWS JSON 1.1 for ECS, REST for Lambda, the query protocol
/// for SNS) out of the dispatcher, as pure functions tested without a network.
///
/// Supported (resource → request):
/// - `dynamodb:getItem|putItem|updateItem|deleteItem`: AWS JSON 1.0, the Parameters are the body.
/// - `sqs:sendMessage` (and `.waitForTaskToken`): SQS's JSON protocol.
/// - `lambda:invoke` (and `.waitForTaskToken`) and the legacy function-ARN resource: `Invoke`.
/// - `sns:publish` (and `.waitForTaskToken`): the query protocol, answered in XML.
/// - `ecs:runTask` (and `.sync`, `.waitForTaskToken`): `RunTask`; `.sync` then polls
///   `DescribeTasks` until the task stops (see ``ECSCalls`` and ``SyncJob``).
/// - `states:startExecution` (and `.sync`, `.sync:2`, `.waitForTaskToken`), only at an endpoint
///   configured for `states` itself: `StartExecution`; `.sync` then polls `DescribeExecution`
///   (see ``StepFunctionsCalls``). Without one, nested executions run locally.
/// - `aws-sdk:SERVICE:action` for the AWS JSON-protocol services botocore models (see ``SDKCalls``).
public struct ServiceCall: Sendable {
    /// The endpoint key (`dynamodb`, `sqs`, `lambda`, `sns`, `ecs`, `states`).
    public var service: String
    /// The SigV4 signing name.
    public var signingName: String
    public var region: String
    public var request: ServiceHTTPRequest
    var reader: Reader

    /// How the answer is read.
    enum Reader: Sendable {
        /// An AWS JSON 1.0 body is the result, with SDK metadata added.
        case awsJSON(ServiceErrorNames)
        /// Lambda's Invoke; `legacy` for a function-ARN resource, whose result is the payload alone.
        case lambdaInvoke(legacy: Bool)
        /// A query-protocol XML answer; `resultFields` are read from `<ActionResult>`.
        case awsQuery(ServiceErrorNames, action: String, resultFields: [String])
        /// An aws-sdk integration's JSON answer, renamed to Step Functions' member names.
        case awsSDK(SDKService, output: SDKShapeRef)
        /// An AWS JSON answer rendered as the optimized integration `integration` returns it
        /// (``OptimizedResultRendering``), with SDK metadata when `metadata`.
        case rendered(ServiceErrorNames, integration: String, metadata: Bool)
        /// ECS's RunTask, rendered with metadata; `failOnFailures` (`.sync`, `.waitForTaskToken`):
        /// a non-empty `Failures` fails the task with `AmazonECS.Unknown`.
        case ecsRunTask(failOnFailures: Bool)
    }

    /// How this service's errors are named.
    public var errorNames: ServiceErrorNames {
        switch reader {
        case .awsJSON(let names), .awsQuery(let names, _, _), .rendered(let names, _, _): names
        case .lambdaInvoke: .lambda
        case .ecsRunTask: .ecs
        case .awsSDK(let service, _):
            ServiceErrorNames(
                prefix: service.javaName, serviceName: service.javaName, baseException: "\(service.javaName)Exception", renamed: [:],
                modeled: [])
        }
    }

    /// The endpoint a resource's calls go to: its service (`dynamodb`), the same for the
    /// service's aws-sdk actions (`aws-sdk:dynamodb` → `dynamodb`).
    public static func endpointKey(_ resource: TaskResource) -> String {
        resource.service.hasPrefix("aws-sdk:") ? String(resource.service.dropFirst(8)) : resource.service
    }

    /// Whether StepLocal can make this resource's call for real.
    public static func supports(_ resource: TaskResource) -> Bool {
        switch resource.service {
        case "ecs": return resource.action == "runTask" && resource.pattern != .sync2
        case "states": return resource.action == "startExecution"
        default: break
        }
        guard resource.pattern == .requestResponse || resource.pattern == .waitForTaskToken else { return false }
        if resource.service.hasPrefix("aws-sdk:") {
            return resource.pattern == .requestResponse && SDKCalls.supports(service: String(resource.service.dropFirst(8)), action: resource.action)
        }
        switch resource.service {
        case "dynamodb": return resource.pattern == .requestResponse && DynamoDBCalls.actions[resource.action] != nil
        case "sqs": return resource.action == "sendMessage"
        case "sns": return resource.action == "publish"
        case "lambda": return resource.action == "invoke" || resource.action.hasPrefix("arn:")
        default: return false
        }
    }

    /// The call for `request`, or nil when StepLocal does not make this resource's call. For a
    /// `.sync` resource it is the call that starts the job (see ``syncJob(for:resource:defaultRegion:)``).
    /// Throws what AWS raises for parameters it refuses before calling (a missing FunctionName).
    public static func make(for request: TaskRequest, resource: TaskResource, defaultRegion: String) throws(StatesError) -> ServiceCall? {
        guard supports(resource) else { return nil }
        let region = Self.region(resource: request.resource, parameters: request.parameters, defaultRegion: defaultRegion)
        if resource.service.hasPrefix("aws-sdk:") {
            return SDKCalls.call(service: String(resource.service.dropFirst(8)), action: resource.action, parameters: request.parameters, region: region)
        }
        switch resource.service {
        case "dynamodb": return DynamoDBCalls.call(action: resource.action, parameters: request.parameters, region: region)
        case "sqs": return SQSCalls.sendMessage(parameters: request.parameters, region: region)
        case "sns": return SNSCalls.publish(parameters: request.parameters, region: region)
        case "ecs": return ECSCalls.runTask(parameters: request.parameters, region: region, pattern: resource.pattern)
        case "states": return try StepFunctionsCalls.startExecution(parameters: request.parameters, region: region, stateName: request.stateName)
        case "lambda":
            if resource.action.hasPrefix("arn:") {
                return LambdaCalls.legacyInvoke(functionArn: resource.action, payload: request.parameters, region: region)
            }
            return try LambdaCalls.invoke(parameters: request.parameters, region: region, stateName: request.stateName)
        default: return nil
        }
    }

    /// The `.sync` job for `request` (`ecs:runTask.sync`, `states:startExecution.sync[:2]`): the
    /// call that starts it and how to follow it, or nil when the resource is not one StepLocal
    /// runs to completion.
    public static func syncJob(for request: TaskRequest, resource: TaskResource, defaultRegion: String) throws(StatesError) -> SyncJob? {
        guard resource.pattern == .sync || resource.pattern == .sync2,
            let start = try make(for: request, resource: resource, defaultRegion: defaultRegion)
        else { return nil }
        switch resource.service {
        case "ecs": return SyncJob(start: start, kind: .ecsTask)
        case "states": return SyncJob(start: start, kind: .childExecution(jsonPayloads: resource.pattern == .sync2))
        default: return nil
        }
    }

    /// The region a call is signed for: the resource ARN's, else the one in the ARN the call
    /// names (a Lambda function, an SNS topic, an ECS cluster, a state machine), else the server's.
    static func region(resource: String, parameters: JSONValue, defaultRegion: String) -> String {
        func arnRegion(_ text: String?) -> String? {
            guard let text, let arn = ARN(text), !arn.region.isEmpty else { return nil }
            return arn.region
        }
        return arnRegion(resource) ?? arnRegion(parameters["FunctionName"]?.stringValue) ?? arnRegion(parameters["TopicArn"]?.stringValue)
            ?? arnRegion(parameters["Cluster"]?.stringValue) ?? arnRegion(parameters["StateMachineArn"]?.stringValue) ?? defaultRegion
    }

    /// The state's result for `response`, or the error AWS raises for it.
    public func result(from response: ServiceHTTPResponse) throws(StatesError) -> JSONValue {
        switch reader {
        case .awsJSON(let names):
            return .object(Self.withSDKMetadata(try Self.jsonObject(response, names: names), response))
        case .lambdaInvoke(let legacy):
            return try LambdaCalls.result(response, legacy: legacy)
        case .awsQuery(let names, let action, let fields):
            return try SNSCalls.result(response, names: names, action: action, resultFields: fields)
        case .awsSDK(let service, let output):
            return try SDKCalls.result(response, service: service, output: output)
        case .rendered(let names, let integration, let metadata):
            return try Self.rendered(response, names: names, integration: integration, metadata: metadata)
        case .ecsRunTask(let failOnFailures):
            let result = try Self.rendered(response, names: .ecs, integration: "ecs:runTask", metadata: true)
            if failOnFailures { try ECSCalls.refuseFailures(result) }
            return result
        }
    }

    /// An AWS JSON answer rendered as an optimized integration returns it: members renamed,
    /// timestamps in milliseconds, SDK metadata among them, all in alphabetical order.
    static func rendered(_ response: ServiceHTTPResponse, names: ServiceErrorNames, integration: String, metadata: Bool) throws(StatesError)
        -> JSONValue
    {
        let answer = try jsonObject(response, names: names)
        guard case .object(var fields) = OptimizedResultRendering.render(.object(answer), as: integration) else { return .object(answer) }
        if metadata { fields = OptimizedResultRendering.sortedMembers(withSDKMetadata(fields, response)) }
        return .object(fields)
    }

    /// A JSON-protocol answer's object, or the error AWS raises for a failed or unreadable one.
    static func jsonObject(_ response: ServiceHTTPResponse, names: ServiceErrorNames) throws(StatesError) -> JSONObject {
        guard (200..<300).contains(response.status) else { throw names.jsonError(response) }
        guard !response.body.isEmpty else { return [:] }
        guard case .object(let object)? = try? JSONParser.parse(bytes: response.body) else { throw names.unreadable(response) }
        return object
    }

    /// `SdkHttpMetadata` (every header as received: `AllHttpHeaders` as lists, `HttpHeaders`
    /// as single values; the status) and `SdkResponseMetadata`, added after the service's own
    /// fields, as AWS adds them to an optimized integration's result.
    static func withSDKMetadata(_ fields: JSONObject, _ response: ServiceHTTPResponse, requestId: String? = nil) -> JSONObject {
        var all: JSONObject = [:]
        var single: JSONObject = [:]
        for (name, value) in response.headers {
            var values = all[name]?.arrayValue ?? []
            values.append(.string(value))
            all[name] = .array(values)
            single[name] = .string(value)
        }
        var object = fields
        object["SdkHttpMetadata"] = .object([
            "AllHttpHeaders": .object(all), "HttpHeaders": .object(single), "HttpStatusCode": .number(JSONNumber(response.status)),
        ])
        let id = requestId ?? response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id") ?? ServiceResponse.randomUUID()
        object["SdkResponseMetadata"] = .object(["RequestId": .string(id)])
        return object
    }

    /// Parameters in an AWS JSON body: the Parameters object as it is.
    static func jsonBody(_ parameters: JSONValue) -> [UInt8] {
        Array((parameters.isNull ? JSONValue.object([:]) : parameters).serialized().utf8)
    }
}
