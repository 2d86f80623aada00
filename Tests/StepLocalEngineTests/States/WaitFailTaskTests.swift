import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// Wait, Fail and Task states (AWS Developer Guide: "Wait workflow state", "Fail workflow
/// state", "Task workflow state").
@Suite("Wait state on a virtual clock")
struct WaitStateTests {
    static func waitedMilliseconds(_ snapshot: ExecutionSnapshot) -> Int64? {
        guard let entered = snapshot.history.first(where: { $0.type == "WaitStateEntered" }),
            let exited = snapshot.history.first(where: { $0.type == "WaitStateExited" })
        else { return nil }
        return exited.timestamp.millisecondsSince1970 - entered.timestamp.millisecondsSince1970
    }

    @Test("Wait Seconds advances the virtual clock by that many seconds and passes the input through")
    func seconds() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Wait","Seconds":10,"End":true}"#), inputJSON: #"{"a":1}"#)
        expectSucceeded(snapshot, output: #"{"a":1}"#)
        #expect(Self.waitedMilliseconds(snapshot) == 10_000)
        #expect(snapshot.eventTypes == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"])
    }

    @Test("A one-year Wait finishes instantly on the virtual clock, with timestamps a year apart")
    func longWait() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Wait","Seconds":31536000,"End":true}"#))
        #expect(snapshot.status == .succeeded)
        #expect(Self.waitedMilliseconds(snapshot) == 31_536_000_000)
    }

    @Test("Wait SecondsPath reads the number of seconds from the input")
    func secondsPath() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Wait","SecondsPath":"$.expiryseconds","End":true}"#), inputJSON: #"{"expiryseconds":42}"#)
        #expect(snapshot.status == .succeeded)
        #expect(Self.waitedMilliseconds(snapshot) == 42_000)
    }

    @Test("Wait SecondsPath pointing at a non-number fails with States.Runtime")
    func secondsPathNotNumber() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Wait","SecondsPath":"$.s","End":true}"#), inputJSON: #"{"s":"ten"}"#)
        expectFailed(snapshot, error: "States.Runtime")
    }

    @Test("Wait SecondsPath pointing at a negative number fails with States.Runtime")
    func secondsPathNegative() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Wait","SecondsPath":"$.s","End":true}"#), inputJSON: #"{"s":-5}"#)
        expectFailed(snapshot, error: "States.Runtime")
    }

    @Test("Wait Timestamp waits until that instant (2023-11-14T23:13:20Z is one hour after the start)")
    func timestamp() async throws {
        // The harness starts the virtual clock at 1_700_000_000_000 ms = 2023-11-14T22:13:20Z.
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Wait","Timestamp":"2023-11-14T23:13:20Z","End":true}"#))
        #expect(snapshot.status == .succeeded)
        #expect(Self.waitedMilliseconds(snapshot) == 3_600_000)
    }

    @Test("Wait TimestampPath reads an RFC 3339 timestamp (with offset) from the input")
    func timestampPath() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Wait","TimestampPath":"$.expirydate","End":true}"#), inputJSON: #"{"expirydate":"2023-11-15T00:13:20+01:00"}"#)
        #expect(snapshot.status == .succeeded)
        #expect(Self.waitedMilliseconds(snapshot) == 3_600_000)
    }

    @Test("A Wait Timestamp in the past does not wait")
    func timestampInPast() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Wait","Timestamp":"2016-03-14T01:59:00Z","End":true}"#))
        #expect(snapshot.status == .succeeded)
        #expect(Self.waitedMilliseconds(snapshot) == 0)
    }

    @Test("Wait TimestampPath pointing at a non-timestamp fails with States.Runtime")
    func timestampPathInvalid() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Wait","TimestampPath":"$.t","End":true}"#), inputJSON: #"{"t":"tomorrow"}"#)
        expectFailed(snapshot, error: "States.Runtime")
    }

    @Test("Consecutive Waits add up on the virtual clock; the execution's stop date follows them")
    func consecutiveWaits() async throws {
        let definition = #"""
            {"StartAt":"W1","States":{"W1":{"Type":"Wait","Seconds":5,"Next":"W2"},"W2":{"Type":"Wait","Seconds":7,"End":true}}}
            """#
        let snapshot = try await Harness.run(definition)
        #expect(snapshot.status == .succeeded)
        #expect(snapshot.stopDate.map { $0.millisecondsSince1970 - Harness.start.millisecondsSince1970 } == 12_000)
    }
}

@Suite("Fail state")
struct FailStateTests {
    @Test("Fail with Error and Cause fails the execution with them")
    func errorAndCause() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Fail","Error":"ErrorA","Cause":"Kaiju attack"}"#))
        expectFailed(snapshot, error: "ErrorA", cause: "Kaiju attack")
        #expect(snapshot.eventTypes == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"])
        let failed = snapshot.history.last!
        #expect(failed.details["error"]?.stringValue == "ErrorA")
        #expect(failed.details["cause"]?.stringValue == "Kaiju attack")
    }

    @Test("Fail without Error or Cause fails with neither")
    func bare() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Fail"}"#))
        #expect(snapshot.status == .failed)
        #expect(snapshot.error == nil)
        #expect(snapshot.cause == nil)
    }

    @Test("ErrorPath and CausePath read the error and cause from the input")
    func paths() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Fail","ErrorPath":"$.Error","CausePath":"$.Cause"}"#), inputJSON: #"{"Error":"MyError","Cause":"because"}"#)
        expectFailed(snapshot, error: "MyError", cause: "because")
    }

    @Test("CausePath can be an intrinsic function (AWS docs States.Format example)")
    func intrinsicCause() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Fail","ErrorPath":"$.Error","CausePath":"States.Format('this is the error: {}, and this is the cause: {}', $.Error, $.Cause)"}"#),
            inputJSON: #"{"Error":"E","Cause":"C"}"#)
        expectFailed(snapshot, error: "E", cause: "this is the error: E, and this is the cause: C")
    }

    @Test("ErrorPath can read the context object")
    func contextError() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Fail","ErrorPath":"$$.State.Name","Cause":"c"}"#))
        expectFailed(snapshot, error: "S", cause: "c")
    }
}

@Suite("Task state with a stub dispatcher")
struct TaskStateTests {
    static let lambda = "arn:aws:states:::lambda:invoke"

    @Test("Parameters are evaluated and handed to the dispatcher; the result replaces the input")
    func parameters() async throws {
        let log = CallLog()
        let dispatcher = StubDispatcher { request in
            log.append(request)
            return ["StatusCode": 200, "Payload": ["echo": request.parameters["Payload"] ?? .null]]
        }
        let definition = Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","Parameters":{"FunctionName":"f","Payload":{"id.$":"$.id"}},"End":true}"#)
        let snapshot = try await Harness.run(definition, inputJSON: #"{"id":7}"#, dispatcher: dispatcher)
        expectSucceeded(snapshot, output: #"{"StatusCode":200,"Payload":{"echo":{"id":7}}}"#)
        #expect(log.count == 1)
        #expect(log.requests.first?.resource == Self.lambda)
        #expect(log.requests.first?.stateName == "S")
        #expect(log.requests.first?.attempt == 0)
    }

    @Test("Without Parameters the task receives the effective input (after InputPath)")
    func effectiveInput() async throws {
        let log = CallLog()
        let dispatcher = StubDispatcher { log.append($0); return "ok" }
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","InputPath":"$.in","End":true}"#), inputJSON: #"{"in":{"k":1}}"#,
            dispatcher: dispatcher)
        expectSucceeded(snapshot, output: #""ok""#)
        #expect(log.requests.first?.parameters.serialized() == #"{"k":1}"#)
    }

    @Test("ResultSelector shapes the task result before ResultPath (AWS docs Payload example)")
    func resultSelector() async throws {
        let dispatcher = StubDispatcher { _ in ["ExecutedVersion": "$LATEST", "Payload": ["foo": "bar"], "StatusCode": 200] }
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","ResultSelector":{"payload.$":"$.Payload","code.$":"$.StatusCode"},"ResultPath":"$.taskresult","End":true}"#),
            inputJSON: #"{"orig":true}"#, dispatcher: dispatcher)
        expectSucceeded(snapshot, output: #"{"orig":true,"taskresult":{"payload":{"foo":"bar"},"code":200}}"#)
    }

    @Test("A task's history is TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded, TaskStateExited")
    func history() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","Parameters":{"a":1},"TimeoutSeconds":30,"HeartbeatSeconds":10,"End":true}"#))
        #expect(snapshot.status == .succeeded, "\(snapshot.error ?? "") \(snapshot.cause ?? "")")
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded",
        ])
        let scheduled = snapshot.history.first { $0.type == "TaskScheduled" }
        #expect(scheduled?.details["resourceType"]?.stringValue == "lambda")
        #expect(scheduled?.details["resource"]?.stringValue == "invoke")
        #expect(scheduled?.details["region"]?.stringValue == "us-east-1")
        #expect(scheduled?.details["parameters"]?.stringValue == #"{"a":1}"#)
        #expect(scheduled?.details["timeoutInSeconds"] == .int(30))
        #expect(scheduled?.details["heartbeatInSeconds"] == .int(10))
    }

    @Test("TimeoutSecondsPath and HeartbeatSecondsPath are read from the input and passed to the dispatcher")
    func timeoutPaths() async throws {
        let log = CallLog()
        let dispatcher = StubDispatcher { log.append($0); return [:] }
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","TimeoutSecondsPath":"$.t","HeartbeatSecondsPath":"$.h","End":true}"#),
            inputJSON: #"{"t":100,"h":20}"#, dispatcher: dispatcher)
        #expect(snapshot.status == .succeeded, "\(snapshot.error ?? "") \(snapshot.cause ?? "")")
        #expect(log.requests.first?.timeoutSeconds == 100)
        #expect(log.requests.first?.heartbeatSeconds == 20)
    }

    @Test("A task that answers quickly does not time out on the virtual clock, even with TimeoutSeconds set")
    func fastTaskWithTimeout() async throws {
        for _ in 0..<20 {
            let snapshot = try await Harness.run(Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","TimeoutSeconds":5,"End":true}"#))
            #expect(snapshot.status == .succeeded, "\(snapshot.error ?? "")")
        }
    }

    @Test("A task that never answers times out with States.Timeout and TaskTimedOut")
    func timeout() async throws {
        let dispatcher = StubDispatcher { _ in
            try await Task.sleep(for: .seconds(3600))
            return [:]
        }
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","TimeoutSeconds":5,"End":true}"#), dispatcher: dispatcher)
        expectFailed(snapshot, error: "States.Timeout")
        #expect(snapshot.eventTypes.contains("TaskTimedOut"))
    }

    @Test("TimeoutSeconds on a real SystemClock with a tiny wait scale times out a slow task")
    func timeoutSystemClock() async throws {
        let dispatcher = StubDispatcher { _ in
            try await Task.sleep(for: .seconds(30))
            return [:]
        }
        // 1 s timeout scaled by 0.01 → about 10 ms of real time.
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","TimeoutSeconds":1,"End":true}"#), clock: SystemClock(waitTimeScale: 0.01),
            dispatcher: dispatcher)
        expectFailed(snapshot, error: "States.Timeout")
    }

    @Test("A StatesError thrown by the dispatcher fails the task with that error and cause (TaskFailed)")
    func taskError() async throws {
        let dispatcher = StubDispatcher { _ in throw StatesError("Lambda.Unknown", cause: "boom") }
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","End":true}"#), dispatcher: dispatcher)
        expectFailed(snapshot, error: "Lambda.Unknown", cause: "boom")
        #expect(snapshot.eventTypes == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed", "ExecutionFailed"])
    }

    @Test("Any other error thrown by the dispatcher fails the task with States.TaskFailed")
    func otherError() async throws {
        struct Oops: Error {}
        let dispatcher = StubDispatcher { _ in throw Oops() }
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Task","Resource":"\#(Self.lambda)","End":true}"#), dispatcher: dispatcher)
        expectFailed(snapshot, error: "States.TaskFailed")
    }

    @Test("A legacy Lambda function ARN records LambdaFunction* events")
    func legacyLambda() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Hello","End":true}"#))
        #expect(snapshot.eventTypes == [
            "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
            "TaskStateExited", "ExecutionSucceeded",
        ])
    }

    @Test("$$.State.RetryCount and $$.Task.Token are visible to Parameters of a .waitForTaskToken task")
    func contextInTask() async throws {
        let log = CallLog()
        let dispatcher = StubDispatcher { log.append($0); return [:] }
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"token.$":"$$.Task.Token","retry.$":"$$.State.RetryCount"},"End":true}"#),
            dispatcher: dispatcher)
        #expect(snapshot.status == .succeeded)
        let parameters = log.requests.first?.parameters
        #expect(parameters?["retry"] == .int(0))
        #expect(parameters?["token"]?.stringValue == log.requests.first?.taskToken)
        #expect(log.requests.first?.taskToken?.isEmpty == false)
    }
}
