public import StepLocalASL
public import StepLocalEngine
import StepLocalIntrinsics
public import StepLocalJSON

/// The pieces of AWS's integration answers that StepLocal makes up itself: the SDK metadata
/// AWS adds to every service response, and the StartExecution / DescribeExecution shapes a
/// nested execution returns (`.sync` with Input/Output as JSON text, `.sync:2` as JSON).
public enum ServiceResponse {
    /// `SdkHttpMetadata` and `SdkResponseMetadata`, merged after `fields`. `callKey`: the call's
    /// ``TaskRequest/callKey``; when it names the call, the request id is derived from it (see
    /// ``id(_:callKey:)``), else random.
    public static func withMetadata(_ fields: JSONObject, callKey: UInt64 = 0) -> JSONObject {
        let requestId = id("request id", callKey: callKey)
        var object = fields
        object["SdkHttpMetadata"] = .object([
            "AllHttpHeaders": .object([
                "x-amzn-RequestId": .array([.string(requestId)]), "Content-Type": .array(["application/x-amz-json-1.0"]),
            ]),
            "HttpHeaders": .object(["Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": .string(requestId)]),
            "HttpStatusCode": 200,
        ])
        object["SdkResponseMetadata"] = .object(["RequestId": .string(requestId)])
        return object
    }

    /// What the called service answered before the task started waiting for its token
    /// (recorded as TaskSubmitted): a message id for SNS and SQS, metadata for all.
    public static func submitted(service: String, callKey: UInt64 = 0) -> JSONObject {
        switch service {
        case "sqs", "sns", "aws-sdk:sqs", "aws-sdk:sns": withMetadata(["MessageId": .string(id("message id", callKey: callKey))], callKey: callKey)
        default: withMetadata([:], callKey: callKey)
        }
    }

    /// StartExecution's answer as the `states:startExecution` integration returns it.
    public static func startExecution(_ child: ExecutionIdentity, callKey: UInt64 = 0) -> JSONObject {
        var object: JSONObject = ["ExecutionArn": .string(child.executionArn)]
        object = withMetadata(object, callKey: callKey)
        object["StartDate"] = .number(JSONNumber(Int(child.startTime.millisecondsSince1970)))
        return object
    }

    /// DescribeExecution of a finished child, as `.sync` (`jsonPayloads` false: Input and
    /// Output as JSON text) and `.sync:2` (true: as JSON) return it, keys in AWS's order.
    public static func describe(_ snapshot: ExecutionSnapshot, jsonPayloads: Bool) -> JSONObject {
        var object: JSONObject = [:]
        if let cause = snapshot.cause { object["Cause"] = .string(cause) }
        if let error = snapshot.error { object["Error"] = .string(error) }
        object["ExecutionArn"] = .string(snapshot.identity.executionArn)
        object["Input"] = .string(snapshot.input.serialized())
        object["InputDetails"] = ["Included": true]
        object["Name"] = .string(snapshot.identity.name)
        if snapshot.status == .succeeded {
            object["Output"] = .string((snapshot.output ?? .null).serialized())
            object["OutputDetails"] = ["Included": true]
        }
        object["StartDate"] = .number(JSONNumber(Int(snapshot.identity.startTime.millisecondsSince1970)))
        object["StateMachineArn"] = .string(snapshot.identity.stateMachineArn)
        object["Status"] = .string(snapshot.status.rawValue)
        if let stop = snapshot.stopDate { object["StopDate"] = .number(JSONNumber(Int(stop.millisecondsSince1970))) }
        return describedExecution(object, jsonPayloads: jsonPayloads)
    }

    /// A finished child's DescribeExecution (members named as Step Functions names them, `Input`
    /// and `Output` as the API gives them: JSON text) as `.sync` (`jsonPayloads` false: as text)
    /// and `.sync:2` (true: parsed) return it, members in alphabetical order as AWS writes them.
    /// Local children (``describe(_:jsonPayloads:)``) and children at a `STEP_FUNCTIONS_ENDPOINT`
    /// are both shaped here, so the two answer alike.
    public static func describedExecution(_ described: JSONObject, jsonPayloads: Bool) -> JSONObject {
        var object = described
        if jsonPayloads {
            for key in ["Input", "Output"] {
                if case .string(let text)? = object[key], let parsed = try? JSONValue(parsing: text) { object[key] = parsed }
            }
        }
        object.sort { $0.key < $1.key }
        return object
    }

    /// What a `.sync` task makes of its finished child: the description is the result when the
    /// child succeeded; otherwise the task fails with States.TaskFailed and the description
    /// (its Error and Cause included) as the cause, as AWS fails it.
    public static func childOutcome(_ described: JSONObject) throws(StatesError) -> JSONValue {
        guard described["Status"]?.stringValue == ExecutionStatus.succeeded.rawValue else {
            throw StatesError.taskFailed(JSONValue.object(described).serialized())
        }
        return .object(described)
    }

    /// A random version-4 UUID in lower case (``Identifiers``).
    public static func randomUUID() -> String { Identifiers.uuid() }

    /// An id in an answer StepLocal makes up for a call: derived one-way from the call's
    /// ``TaskRequest/callKey`` when it has one, so the same call made again after a restart
    /// answers the same and the events it records again read as they did (see
    /// the engine's `Execution.expectReplay(of:)`); random otherwise.
    static func id(_ purpose: String, callKey: UInt64) -> String {
        callKey == 0 ? randomUUID() : Identifiers.uuid(derivedFrom: callKey, purpose: purpose)
    }
}
