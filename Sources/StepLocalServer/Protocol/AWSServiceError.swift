public import HTTPTypes
public import Hummingbird
import NIOCore
import StepLocalJSON

/// An error of the Step Functions API as a client sees it: the `__type` name from the service
/// model, AWS's message and an HTTP status. It renders itself as AWS JSON 1.0
/// (`{"__type": "...", "message": "..."}`), so every failure, from any handler, reaches the
/// client in one shape. AWS's exact wording lives in the static constructors below.
public struct AWSServiceError: Error, Sendable, Equatable, HTTPResponseError {
    /// The error shape's name, e.g. `StateMachineDoesNotExist`.
    public var type: String
    public var message: String
    public var status: HTTPResponse.Status
    /// Extra members some error shapes carry (`reason` for ValidationException, `resourceName`).
    public var extra: JSONObject

    public init(_ type: String, _ message: String, status: HTTPResponse.Status = .badRequest) {
        self.type = type
        self.message = message
        self.status = status
        self.extra = [:]
    }

    public init(_ type: String, _ message: String, status: HTTPResponse.Status = .badRequest, extra: JSONObject) {
        self.type = type
        self.message = message
        self.status = status
        self.extra = extra
    }

    /// The body AWS sends for this error.
    public var body: JSONValue {
        var object: JSONObject = ["__type": .string(type), "message": .string(message)]
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        AWSJSONResponse.make(status: status, body: body)
    }
}

extension AWSServiceError {
    // MARK: Protocol-level errors

    public static func unknownOperation(_ target: String) -> AWSServiceError {
        AWSServiceError("UnknownOperationException", target.isEmpty ? "Missing X-Amz-Target header" : "Unrecognized operation \(target)")
    }

    public static func serialization(_ message: String) -> AWSServiceError {
        AWSServiceError("SerializationException", message)
    }

    public static func requestTooLarge(limit: Int) -> AWSServiceError {
        AWSServiceError("RequestEntityTooLargeException", "Request body exceeds the maximum size of \(limit) bytes", status: .contentTooLarge)
    }

    /// A SigV4 credential scope naming something that is not a region: AWS's JSON services answer
    /// `InvalidSignatureException` (HTTP 403) with this message, trailing space included.
    public static func invalidSignatureRegion(_ region: String) -> AWSServiceError {
        AWSServiceError("InvalidSignatureException", "Credential should be scoped to a valid region, not '\(region)'. ", status: .forbidden)
    }

    public static func internalFailure(_ message: String) -> AWSServiceError {
        AWSServiceError("InternalFailure", message, status: .internalServerError)
    }

    /// `1 validation error detected: ...; ...` with every problem found, as AWS's request
    /// validation reports it.
    public static func validation(_ problems: [String]) -> AWSServiceError {
        let count = problems.count
        let header = "\(count) validation error\(count == 1 ? "" : "s") detected: "
        return AWSServiceError("ValidationException", header + problems.joined(separator: "; "))
    }

    public static func validationException(_ message: String, reason: String? = nil) -> AWSServiceError {
        AWSServiceError("ValidationException", message, extra: reason.map { ["reason": .string($0)] } ?? [:])
    }

    // MARK: Resource errors

    public static func invalidArn(_ arn: String) -> AWSServiceError {
        AWSServiceError("InvalidArn", "Invalid Arn: '\(arn)'")
    }

    public static func invalidArn(_ arn: String, reason: String) -> AWSServiceError {
        AWSServiceError("InvalidArn", "Invalid Arn: '\(reason)'")
    }

    public static func invalidName(_ name: String) -> AWSServiceError {
        AWSServiceError("InvalidName", "Invalid Name: '\(name)'")
    }

    public static func invalidDefinition(_ message: String) -> AWSServiceError {
        AWSServiceError("InvalidDefinition", message)
    }

    public static func invalidExecutionInput(_ detail: String) -> AWSServiceError {
        AWSServiceError("InvalidExecutionInput", "Invalid State Machine Execution Input: '\(detail)'")
    }

    public static func stateMachineDoesNotExist(_ arn: String) -> AWSServiceError {
        AWSServiceError("StateMachineDoesNotExist", "State Machine Does Not Exist: '\(arn)'")
    }

    public static func stateMachineAlreadyExists(_ arn: String) -> AWSServiceError {
        AWSServiceError("StateMachineAlreadyExists", "State Machine Already Exists: '\(arn)'")
    }

    /// A state machine that DeleteStateMachine left in `DELETING` (its executions still running).
    /// The message is ours: none recorded on AWS was available to compare with.
    public static func stateMachineDeleting(_ arn: String) -> AWSServiceError {
        AWSServiceError("StateMachineDeleting", "State Machine is being deleted: '\(arn)'")
    }

    public static func stateMachineTypeNotSupported(_ message: String) -> AWSServiceError {
        AWSServiceError("StateMachineTypeNotSupported", message)
    }

    public static func executionDoesNotExist(_ arn: String) -> AWSServiceError {
        AWSServiceError("ExecutionDoesNotExist", "Execution Does Not Exist: '\(arn)'")
    }

    public static func executionAlreadyExists(_ arn: String) -> AWSServiceError {
        AWSServiceError("ExecutionAlreadyExists", "Execution Already Exists: '\(arn)'")
    }

    public static func executionNotRedrivable(_ message: String) -> AWSServiceError {
        AWSServiceError("ExecutionNotRedrivable", message)
    }

    public static func activityDoesNotExist(_ arn: String) -> AWSServiceError {
        AWSServiceError("ActivityDoesNotExist", "Activity Does Not Exist: '\(arn)'")
    }

    public static func activityAlreadyExists(_ arn: String) -> AWSServiceError {
        AWSServiceError("ActivityAlreadyExists", "Activity already exists: '\(arn)'")
    }

    public static func resourceNotFound(_ message: String, resourceName: String? = nil) -> AWSServiceError {
        AWSServiceError("ResourceNotFound", message, extra: resourceName.map { ["resourceName": .string($0)] } ?? [:])
    }

    public static func conflict(_ message: String) -> AWSServiceError {
        AWSServiceError("ConflictException", message)
    }

    public static func tooManyTags(_ resourceArn: String, limit: Int) -> AWSServiceError {
        AWSServiceError(
            "TooManyTags", "Resource '\(resourceArn)' cannot have more than \(limit) tags",
            extra: ["resourceName": .string(resourceArn)])
    }

    public static func invalidToken(_ message: String) -> AWSServiceError {
        AWSServiceError("InvalidToken", message)
    }

    public static func taskDoesNotExist() -> AWSServiceError {
        AWSServiceError("TaskDoesNotExist", "Task Does Not Exist")
    }

    public static func taskTimedOut() -> AWSServiceError {
        AWSServiceError("TaskTimedOut", "Task Timed Out")
    }

    public static func invalidOutput(_ detail: String) -> AWSServiceError {
        AWSServiceError("InvalidOutput", "Invalid Output: '\(detail)'")
    }

    public static func missingRequiredParameter(_ message: String) -> AWSServiceError {
        AWSServiceError("MissingRequiredParameter", message)
    }
}
