import StepLocalASL
import StepLocalJSON

/// Nested executions at a `STEP_FUNCTIONS_ENDPOINT` (`arn:aws:states:::states:startExecution`,
/// `.sync`, `.sync:2`, `.waitForTaskToken`): Step Functions' own API, AWS JSON 1.0 with
/// `X-Amz-Target: AWSStepFunctions.StartExecution`, signed for `states`. It exists so a state
/// machine can start a child that lives in another StepLocal (or LocalStack, or AWS) and wait for
/// it the way Step Functions waits; without that endpoint the child runs locally
/// (``LocalTaskDispatcher``), and both paths answer alike:
///
/// - request-response: `{ExecutionArn, SdkHttpMetadata, SdkResponseMetadata, StartDate}`, the
///   date in epoch milliseconds;
/// - `.sync` / `.sync:2`: DescribeExecution is polled until the child is no longer `RUNNING`,
///   then its description is the result (``ServiceResponse/describedExecution(_:jsonPayloads:)``:
///   `Input` and `Output` as JSON text for `.sync`, as JSON for `.sync:2`); a child that did not
///   succeed fails the task with States.TaskFailed and that description as the cause;
/// - the service's own errors are `StepFunctions.<Code>Exception`
///   (`StepFunctions.StateMachineDoesNotExistException`).
enum StepFunctionsCalls {
    static func startExecution(parameters: JSONValue, region: String, stateName: String) throws(StatesError) -> ServiceCall? {
        guard case .object(var members) = parameters, members["StateMachineArn"]?.stringValue != nil else {
            throw StatesError.runtime(
                "An error occurred while executing the state '\(stateName)'. The field 'StateMachineArn' is required by states:startExecution.")
        }
        // The API takes the input as JSON text; Step Functions sends a JSON value as its text, and `{}` for none.
        switch members["Input"] {
        case nil, .null?: members["Input"] = "{}"
        case .string?: break
        case let value?: members["Input"] = .string(value.serialized())
        }
        return call(
            "startExecution", .object(members), region: region,
            reader: .rendered(.stepFunctions, integration: "states:startExecution", metadata: true))
    }

    static func describeExecution(_ executionArn: String, region: String) -> ServiceCall? {
        call(
            "describeExecution", ["ExecutionArn": .string(executionArn)], region: region,
            reader: .rendered(.stepFunctions, integration: "states:startExecution.sync", metadata: false))
    }

    static func stopExecution(_ executionArn: String, region: String) -> ServiceCall? {
        call(
            "stopExecution", ["ExecutionArn": .string(executionArn)], region: region,
            reader: .rendered(.stepFunctions, integration: "states:startExecution", metadata: false))
    }

    private static func call(_ action: String, _ parameters: JSONValue, region: String, reader: ServiceCall.Reader) -> ServiceCall? {
        guard var call = SDKCalls.call(service: "sfn", action: action, parameters: parameters, region: region) else { return nil }
        call.service = "states"
        call.reader = reader
        return call
    }

    /// The child `.sync` follows, from StartExecution's result.
    static func startedExecution(_ submitted: JSONValue) throws(StatesError) -> String {
        guard let arn = submitted["ExecutionArn"]?.stringValue else {
            throw StatesError.taskFailed("StartExecution answered without an executionArn: \(submitted.serialized())")
        }
        return arn
    }

    /// DescribeExecution's answer (rendered) → nil while the child runs; the task's result once it
    /// ended, or States.TaskFailed when it did not succeed.
    static func outcome(_ described: JSONValue, jsonPayloads: Bool) throws(StatesError) -> JSONValue? {
        guard let members = described.objectValue, let status = members["Status"]?.stringValue else {
            throw StatesError.taskFailed("DescribeExecution answered without a status: \(described.serialized())")
        }
        if status == "RUNNING" || status == "PENDING_REDRIVE" { return nil }
        return try ServiceResponse.childOutcome(ServiceResponse.describedExecution(members, jsonPayloads: jsonPayloads))
    }
}
