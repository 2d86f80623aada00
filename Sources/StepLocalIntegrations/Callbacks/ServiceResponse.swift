public import StepLocalEngine
public import StepLocalJSON

/// The pieces of AWS's integration answers that StepLocal makes up itself: the SDK metadata
/// AWS adds to every service response, and the StartExecution / DescribeExecution shapes a
/// nested execution returns (`.sync` with Input/Output as JSON text, `.sync:2` as JSON).
public enum ServiceResponse {
    /// `SdkHttpMetadata` and `SdkResponseMetadata`, merged after `fields`.
    public static func withMetadata(_ fields: JSONObject) -> JSONObject {
        let requestId = randomUUID()
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
    public static func submitted(service: String) -> JSONObject {
        switch service {
        case "sqs", "sns", "aws-sdk:sqs", "aws-sdk:sns": withMetadata(["MessageId": .string(randomUUID())])
        default: withMetadata([:])
        }
    }

    /// StartExecution's answer as the `states:startExecution` integration returns it.
    public static func startExecution(_ child: ExecutionIdentity) -> JSONObject {
        var object: JSONObject = ["ExecutionArn": .string(child.executionArn)]
        object = withMetadata(object)
        object["StartDate"] = .number(JSONNumber(Int(child.startTime.millisecondsSince1970)))
        return object
    }

    /// DescribeExecution of a finished child, as `.sync` (`jsonPayloads` false: Input and
    /// Output as JSON text) and `.sync:2` (true: as JSON) return it, keys in AWS's order.
    public static func describe(_ snapshot: ExecutionSnapshot, jsonPayloads: Bool) -> JSONObject {
        func payload(_ value: JSONValue) -> JSONValue { jsonPayloads ? value : .string(value.serialized()) }
        var object: JSONObject = [:]
        if let cause = snapshot.cause { object["Cause"] = .string(cause) }
        if let error = snapshot.error { object["Error"] = .string(error) }
        object["ExecutionArn"] = .string(snapshot.identity.executionArn)
        object["Input"] = payload(snapshot.input)
        object["InputDetails"] = ["Included": true]
        object["Name"] = .string(snapshot.identity.name)
        if snapshot.status == .succeeded {
            object["Output"] = payload(snapshot.output ?? .null)
            object["OutputDetails"] = ["Included": true]
        }
        object["StartDate"] = .number(JSONNumber(Int(snapshot.identity.startTime.millisecondsSince1970)))
        object["StateMachineArn"] = .string(snapshot.identity.stateMachineArn)
        object["Status"] = .string(snapshot.status.rawValue)
        if let stop = snapshot.stopDate { object["StopDate"] = .number(JSONNumber(Int(stop.millisecondsSince1970))) }
        return object
    }

    /// A random version-4 UUID in lower case, without Foundation.
    public static func randomUUID() -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { b in String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16) }
        return hex[0..<4].joined() + "-" + hex[4..<6].joined() + "-" + hex[6..<8].joined() + "-" + hex[8..<10].joined() + "-" + hex[10..<16].joined()
    }
}
