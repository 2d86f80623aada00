import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// `states:startExecution` at a `STEP_FUNCTIONS_ENDPOINT`: StartExecution as Step Functions sends
/// it, and DescribeExecution read into the `.sync` / `.sync:2` result the local nested
/// executions give.
@Suite("Nested execution calls")
struct StepFunctionsCallsTests {
    static let machine = "arn:aws:states:eu-west-1:123456789012:stateMachine:Child"

    static func job(_ resource: String, _ parameters: JSONValue = ["StateMachineArn": .string(machine)]) throws -> SyncJob {
        try ECSCallsTests.syncJob(resource, parameters)
    }

    static let started = ECSCallsTests.answer(#"{"executionArn":"arn:aws:states:eu-west-1:123456789012:execution:Child:run-1","startDate":1700000000.123}"#)

    static let succeeded = ECSCallsTests.answer(
        #"{"executionArn":"arn:x","stateMachineArn":"arn:m","name":"run-1","status":"SUCCEEDED","startDate":1700000000.5,"stopDate":1700000001.25,"input":"{\"n\":1}","inputDetails":{"included":true},"output":"{\"m\":[2]}","outputDetails":{"included":true},"redriveCount":0,"redriveStatus":"NOT_REDRIVABLE"}"#
    )

    @Test("StartExecution is AWS JSON 1.0 for states, signed for the state machine's region, its Input sent as JSON text")
    func startExecutionRequest() throws {
        let call = try ServiceCallTests.call(
            "arn:aws:states:::states:startExecution.sync", ["StateMachineArn": .string(Self.machine), "Input": ["n": 1], "Name": "run-1"])
        #expect(call.service == "states" && call.signingName == "states" && call.region == "eu-west-1")
        #expect(call.request.header("X-Amz-Target") == "AWSStepFunctions.StartExecution")
        #expect(call.request.header("Content-Type") == "application/x-amz-json-1.0")
        #expect(try ServiceCallTests.body(call) == ["stateMachineArn": .string(Self.machine), "input": #"{"n":1}"#, "name": "run-1"])
        let text = try ServiceCallTests.call("arn:aws:states:::states:startExecution", ["StateMachineArn": .string(Self.machine), "Input": #"{"a": 1}"#])
        #expect(try ServiceCallTests.body(text)["input"] == #"{"a": 1}"#)
        let none = try ServiceCallTests.call("arn:aws:states:::states:startExecution", ["StateMachineArn": .string(Self.machine)])
        #expect(try ServiceCallTests.body(none)["input"] == "{}")
    }

    @Test("Without StateMachineArn the state fails before calling, as the local nested executions fail it")
    func missingMachine() {
        let error = ECSCallsTests.failure { try ServiceCallTests.call("arn:aws:states:::states:startExecution", ["Input": [:]]) }
        #expect(error?.error == "States.Runtime")
        #expect(error?.cause?.hasSuffix("The field 'StateMachineArn' is required by states:startExecution.") == true)
    }

    @Test("StartExecution's answer: {ExecutionArn, SdkHttpMetadata, SdkResponseMetadata, StartDate} with the date in milliseconds")
    func startExecutionResult() throws {
        let call = try ServiceCallTests.call("arn:aws:states:::states:startExecution", ["StateMachineArn": .string(Self.machine)])
        let result = try call.result(from: Self.started)
        #expect(result.objectValue?.map(\.key) == ["ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"])
        #expect(result["StartDate"] == 1_700_000_000_123)
        #expect(result["ExecutionArn"] == "arn:aws:states:eu-west-1:123456789012:execution:Child:run-1")
    }

    @Test("Step Functions' errors are StepFunctions.<Code>Exception with the SDK's cause")
    func errors() throws {
        let call = try ServiceCallTests.call("arn:aws:states:::states:startExecution", ["StateMachineArn": .string(Self.machine)])
        let error = ECSCallsTests.failure {
            try call.result(
                from: ECSCallsTests.answer(
                    #"{"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist: 'x'"}"#,
                    status: 400))
        }
        #expect(error?.error == "StepFunctions.StateMachineDoesNotExistException")
        #expect(
            error?.cause
                == "State Machine Does Not Exist: 'x' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: req-1; Proxy: null)"
        )
    }

    @Test(".sync follows the child with DescribeExecution and stops it with StopExecution")
    func followUp() throws {
        let job = try Self.job("arn:aws:states:::states:startExecution.sync")
        let followUp = try job.followUp(submitted: try job.start.result(from: Self.started))
        #expect(followUp.describe.request.header("X-Amz-Target") == "AWSStepFunctions.DescribeExecution")
        #expect(try ServiceCallTests.body(followUp.describe) == ["executionArn": "arn:aws:states:eu-west-1:123456789012:execution:Child:run-1"])
        #expect(followUp.stop.request.header("X-Amz-Target") == "AWSStepFunctions.StopExecution")
        #expect(followUp.describe.service == "states" && followUp.describe.region == "eu-west-1")
    }

    @Test(".sync returns DescribeExecution in Step Functions' names and order, Input and Output as text; nil while RUNNING")
    func syncResult() throws {
        let job = try Self.job("arn:aws:states:::states:startExecution.sync")
        let followUp = try job.followUp(submitted: try job.start.result(from: Self.started))
        let running = ECSCallsTests.answer(#"{"executionArn":"arn:x","stateMachineArn":"arn:m","status":"RUNNING","startDate":1700000000.5}"#)
        #expect(try job.outcome(of: try followUp.describe.result(from: running)) == nil)
        let result = try job.outcome(of: try followUp.describe.result(from: Self.succeeded))
        #expect(
            result == [
                "ExecutionArn": "arn:x", "Input": #"{"n":1}"#, "InputDetails": ["Included": true], "Name": "run-1", "Output": #"{"m":[2]}"#,
                "OutputDetails": ["Included": true], "RedriveCount": 0, "RedriveStatus": "NOT_REDRIVABLE", "StartDate": 1_700_000_000_500,
                "StateMachineArn": "arn:m", "Status": "SUCCEEDED", "StopDate": 1_700_000_001_250,
            ])
    }

    @Test(".sync:2 returns Input and Output as JSON")
    func sync2Result() throws {
        let job = try Self.job("arn:aws:states:::states:startExecution.sync:2")
        let followUp = try job.followUp(submitted: try job.start.result(from: Self.started))
        let result = try job.outcome(of: try followUp.describe.result(from: Self.succeeded))
        #expect(result?["Input"] == ["n": 1])
        #expect(result?["Output"] == ["m": [2]])
    }

    @Test("A child that did not succeed fails the task with States.TaskFailed and its description as the cause")
    func failedChild() throws {
        let job = try Self.job("arn:aws:states:::states:startExecution.sync")
        let followUp = try job.followUp(submitted: try job.start.result(from: Self.started))
        for status in ["FAILED", "TIMED_OUT", "ABORTED"] {
            let described = try followUp.describe.result(
                from: ECSCallsTests.answer(
                    #"{"executionArn":"arn:x","stateMachineArn":"arn:m","status":"\#(status)","startDate":1700000000.5,"error":"ChildError","cause":"bad","input":"{}"}"#
                ))
            let error = ECSCallsTests.failure { try job.outcome(of: described) }
            #expect(error?.error == "States.TaskFailed")
            #expect(
                error?.cause
                    == #"{"Cause":"bad","Error":"ChildError","ExecutionArn":"arn:x","Input":"{}","StartDate":1700000000500,"StateMachineArn":"arn:m","Status":"\#(status)"}"#
            )
        }
    }
}
