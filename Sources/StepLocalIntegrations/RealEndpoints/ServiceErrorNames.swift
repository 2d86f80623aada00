public import StepLocalASL
import StepLocalJSON

/// How Step Functions names a service's errors, so Retry and Catch match what they match on
/// AWS. Step Functions runs the integrations on the AWS SDK for Java (v1), and the error is
/// `<Prefix>.<the SDK's exception class>`: a modeled error code becomes its class
/// (`DynamoDB.ConditionalCheckFailedException`, `SQS.QueueDoesNotExistException`,
/// `SNS.NotFoundException`, `Lambda.ResourceNotFoundException`), any other code the service's
/// base class (`SQS.AmazonSQSException`, `DynamoDB.AmazonDynamoDBException`). The cause is the
/// SDK's message: `<message> (Service: AmazonSQS; Status Code: 400; Error Code: <code>;
/// Request ID: <id>; Proxy: null)`. Both shapes are as recorded on AWS in the shared
/// conformance corpus (`error_handling/test_task_service_*.py`).
public struct ServiceErrorNames: Sendable {
    /// `DynamoDB`, `SQS`, `SNS`, `Lambda`.
    public let prefix: String
    /// The Java SDK's service name in causes: `AmazonDynamoDBv2`, `AmazonSQS`, ...
    public let serviceName: String
    /// The class for error codes the SDK does not model.
    public let baseException: String
    /// Wire error code → exception class, for the codes whose class is not `<code>Exception`.
    let renamed: [String: String]
    /// Modeled error codes whose class is `<code>` (ending in Exception) or `<code>Exception`.
    let modeled: Set<String>

    /// The exception class for a wire error code.
    public func exceptionClass(forCode code: String) -> String {
        if let renamed = renamed[code] { return renamed }
        guard modeled.contains(code) else { return baseException }
        return code.hasSuffix("Exception") ? code : code + "Exception"
    }

    /// The error a failed call raises.
    public func error(code: String, message: String, status: Int, requestId: String) -> StatesError {
        StatesError(
            "\(prefix).\(exceptionClass(forCode: code))",
            cause: "\(message) (Service: \(serviceName); Status Code: \(status); Error Code: \(code); Request ID: \(requestId); Proxy: null)")
    }

    /// The call never got an answer (connection refused, reset, bad address): the SDK's client
    /// exception, which Retry can name (`SQS.SdkClientException`).
    public func clientError(_ description: String) -> StatesError {
        StatesError("\(prefix).SdkClientException", cause: "Unable to execute HTTP request: \(description)")
    }

    /// A JSON-protocol error answer (`{"__type": "...#Code", "message": ...}`, or the code in
    /// `X-Amzn-ErrorType`); SQS names its query-compatible code in `x-amzn-query-error`.
    func jsonError(_ response: ServiceHTTPResponse) -> StatesError {
        let (code, message) = Self.jsonErrorParts(response)
        return error(code: code, message: message, status: response.status, requestId: Self.requestId(response))
    }

    /// The error code and message of a JSON-protocol error answer.
    static func jsonErrorParts(_ response: ServiceHTTPResponse) -> (code: String, message: String) {
        let body = try? JSONParser.parse(bytes: response.body)
        var code = response.header("x-amzn-query-error").map { String($0.prefix { $0 != ";" }) }
            ?? body?["__type"]?.stringValue ?? response.header("X-Amzn-ErrorType") ?? body?["code"]?.stringValue ?? "Unknown"
        // `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` → the part after `#`;
        // `ResourceNotFoundException:http://internal.amazon.com/...` → the part before `:`.
        if let hash = code.lastIndex(of: "#") { code = String(code[code.index(after: hash)...]) }
        if let colon = code.firstIndex(of: ":") { code = String(code[..<colon]) }
        let message = body?["message"]?.stringValue ?? body?["Message"]?.stringValue ?? body?["errorMessage"]?.stringValue ?? response.bodyText
        return (code, message)
    }

    /// A success status whose body is not what the protocol promises.
    func unreadable(_ response: ServiceHTTPResponse) -> StatesError {
        StatesError(
            "\(prefix).SdkClientException",
            cause: "Unable to unmarshall response (the endpoint answered \(response.status) with a body that is not \(prefix)'s). "
                + "Response body: \(String(response.bodyText.prefix(200)))")
    }

    static func requestId(_ response: ServiceHTTPResponse) -> String {
        response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id") ?? "null"
    }

    // MARK: - The services

    /// DynamoDB's modeled errors (botocore's `dynamodb` model); the SDK adds `Exception` to
    /// `InternalServerError` and `RequestLimitExceeded`.
    public static let dynamoDB = ServiceErrorNames(
        prefix: "DynamoDB", serviceName: "AmazonDynamoDBv2", baseException: "AmazonDynamoDBException", renamed: [:],
        modeled: [
            "BackupInUseException", "BackupNotFoundException", "ConditionalCheckFailedException", "ContinuousBackupsUnavailableException",
            "DuplicateItemException", "ExportConflictException", "ExportNotFoundException", "GlobalTableAlreadyExistsException",
            "GlobalTableNotFoundException", "IdempotentParameterMismatchException", "ImportConflictException", "ImportNotFoundException",
            "IndexNotFoundException", "InternalServerError", "InvalidExportTimeException", "InvalidRestoreTimeException",
            "ItemCollectionSizeLimitExceededException", "LimitExceededException", "PointInTimeRecoveryUnavailableException",
            "PolicyNotFoundException", "ProvisionedThroughputExceededException", "ReplicaAlreadyExistsException", "ReplicaNotFoundException",
            "ReplicatedWriteConflictException", "RequestLimitExceeded", "ResourceInUseException", "ResourceNotFoundException",
            "TableAlreadyExistsException", "TableInUseException", "TableNotFoundException", "ThrottlingException",
            "TransactionCanceledException", "TransactionConflictException", "TransactionInProgressException",
        ])

    /// SQS's modeled errors. Its answers carry the query protocol's codes
    /// (`AWS.SimpleQueueService.NonExistentQueue`), which the SDK maps to classes by name.
    public static let sqs = ServiceErrorNames(
        prefix: "SQS", serviceName: "AmazonSQS", baseException: "AmazonSQSException",
        renamed: [
            "AWS.SimpleQueueService.NonExistentQueue": "QueueDoesNotExistException",
            "AWS.SimpleQueueService.QueueDeletedRecently": "QueueDeletedRecentlyException",
            "AWS.SimpleQueueService.PurgeQueueInProgress": "PurgeQueueInProgressException",
            "AWS.SimpleQueueService.UnsupportedOperation": "UnsupportedOperationException",
            "AWS.SimpleQueueService.BatchEntryIdsNotDistinct": "BatchEntryIdsNotDistinctException",
            "AWS.SimpleQueueService.EmptyBatchRequest": "EmptyBatchRequestException",
            "AWS.SimpleQueueService.InvalidBatchEntryId": "InvalidBatchEntryIdException",
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest": "TooManyEntriesInBatchRequestException",
            "AWS.SimpleQueueService.BatchRequestTooLong": "BatchRequestTooLongException",
            "AWS.SimpleQueueService.MessageNotInflight": "MessageNotInflightException",
            "QueueAlreadyExists": "QueueNameExistsException",
        ],
        modeled: [
            "BatchEntryIdsNotDistinct", "BatchRequestTooLong", "EmptyBatchRequest", "InvalidAddress", "InvalidAttributeName",
            "InvalidAttributeValue", "InvalidBatchEntryId", "InvalidIdFormat", "InvalidMessageContents", "InvalidSecurity", "KmsAccessDenied",
            "KmsDisabled", "KmsInvalidKeyUsage", "KmsInvalidState", "KmsNotFound", "KmsOptInRequired", "KmsThrottled", "MessageNotInflight",
            "OverLimit", "PurgeQueueInProgress", "QueueDeletedRecently", "QueueDoesNotExist", "QueueNameExists", "ReceiptHandleIsInvalid",
            "RequestThrottled", "ResourceNotFoundException", "TooManyEntriesInBatchRequest", "UnsupportedOperation",
        ])

    /// SNS's query-protocol codes and their classes (botocore's `sns` model: `error.code` → shape).
    public static let sns = ServiceErrorNames(
        prefix: "SNS", serviceName: "AmazonSNS", baseException: "AmazonSNSException",
        renamed: ["ParameterValueInvalid": "InvalidParameterValueException", "KMSOptInRequired": "KMSOptInRequiredException",
            "ValidationException": "ValidationException",
        ],
        modeled: [
            "AuthorizationError", "BatchEntryIdsNotDistinct", "BatchRequestTooLong", "ConcurrentAccess", "EmptyBatchRequest",
            "EndpointDisabled", "FilterPolicyLimitExceeded", "InternalError", "InvalidBatchEntryId", "InvalidParameter", "InvalidSecurity",
            "InvalidState", "KMSAccessDenied", "KMSDisabled", "KMSInvalidState", "KMSNotFound", "NotFound", "OptedOut",
            "PlatformApplicationDisabled", "ReplayLimitExceeded", "ResourceNotFound", "StaleTag", "SubscriptionLimitExceeded", "TagLimitExceeded",
            "TagPolicy", "Throttled", "TooManyEntriesInBatchRequest", "TopicLimitExceeded", "UserError", "VerificationException",
        ])

    /// ECS's errors (`ECS.ClusterNotFoundException`, any other code `ECS.AmazonECSException`):
    /// the classes botocore's `ecs` model declares, which the Java SDK v1 names alike.
    public static let ecs = fromSDKModel("ecs", prefix: "ECS", serviceName: "AmazonECS", baseException: "AmazonECSException")

    /// Step Functions' errors, for nested executions at a `STEP_FUNCTIONS_ENDPOINT`
    /// (`StepFunctions.StateMachineDoesNotExistException`, any other code
    /// `StepFunctions.AWSStepFunctionsException`), as the local nested executions name them.
    public static let stepFunctions = fromSDKModel(
        "sfn", prefix: "StepFunctions", serviceName: "AWSStepFunctions", baseException: "AWSStepFunctionsException")

    /// The names of a service whose error classes the aws-sdk tables declare (wire code → class).
    private static func fromSDKModel(_ service: String, prefix: String, serviceName: String, baseException: String) -> ServiceErrorNames {
        ServiceErrorNames(
            prefix: prefix, serviceName: serviceName, baseException: baseException,
            renamed: SDKOperationTables.service(service)?.errors ?? [:], modeled: [])
    }

    /// Lambda's modeled errors (botocore's `lambda` model).
    public static let lambda = ServiceErrorNames(
        prefix: "Lambda", serviceName: "AWSLambda", baseException: "AWSLambdaException", renamed: [:],
        modeled: [
            "CodeSigningConfigNotFoundException", "CodeStorageExceededException", "CodeVerificationFailedException", "EC2AccessDeniedException",
            "EC2ThrottledException", "EC2UnexpectedException", "EFSIOException", "EFSMountConnectivityException", "EFSMountFailureException",
            "EFSMountTimeoutException", "ENILimitReachedException", "InvalidCodeSignatureException", "InvalidParameterValueException",
            "InvalidRequestContentException", "InvalidRuntimeException", "InvalidSecurityGroupIDException", "InvalidSubnetIDException",
            "InvalidZipFileException", "KMSAccessDeniedException", "KMSDisabledException", "KMSInvalidStateException", "KMSNotFoundException",
            "PolicyLengthExceededException", "PreconditionFailedException", "ProvisionedConcurrencyConfigNotFoundException",
            "RecursiveInvocationException", "RequestTooLargeException", "ResourceConflictException", "ResourceInUseException",
            "ResourceNotFoundException", "ResourceNotReadyException", "ServiceException", "SnapStartException", "SnapStartNotReadyException",
            "SnapStartTimeoutException", "SubnetIPAddressLimitReachedException", "TooManyRequestsException", "UnsupportedMediaTypeException",
        ])
}
