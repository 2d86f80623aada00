import StepLocalGraph
import StepLocalJSON
import Testing

/// How an execution history (GetExecutionHistory's events, in AWS's JSON shape) becomes
/// per-state statuses, as the AWS console shows them.
@Suite("Execution status from history")
struct ExecutionStatusTests {
    static func events(_ text: String) throws -> [JSONValue] {
        try JSONValue(parsing: text).arrayValue ?? []
    }

    @Test("A successful path: every entered state succeeded; inputs and outputs are parsed; others are left out")
    func successPath() throws {
        let summaries = ExecutionGraphStatus.summaries(events: try Self.events(#"""
            [
            {"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1700000000.0,"executionStartedEventDetails":{"input":"{\"n\":1}","roleArn":"arn:aws:iam::123456789012:role/r"}},
            {"id":2,"previousEventId":1,"type":"PassStateEntered","timestamp":1700000000.1,"stateEnteredEventDetails":{"name":"Prepare","input":"{\"n\":1}"}},
            {"id":3,"previousEventId":2,"type":"PassStateExited","timestamp":1700000000.2,"stateExitedEventDetails":{"name":"Prepare","output":"{\"n\":2}","assignedVariables":{"total":"42","who":"\"ann\""}}},
            {"id":4,"previousEventId":3,"type":"TaskStateEntered","timestamp":1700000000.3,"stateEnteredEventDetails":{"name":"Charge","input":"{\"n\":2}"}},
            {"id":5,"previousEventId":4,"type":"TaskScheduled","timestamp":1700000000.4,"taskScheduledEventDetails":{"resourceType":"lambda","resource":"invoke","region":"us-east-1","parameters":"{}"}},
            {"id":6,"previousEventId":5,"type":"TaskStarted","timestamp":1700000000.5,"taskStartedEventDetails":{"resourceType":"lambda","resource":"invoke"}},
            {"id":7,"previousEventId":6,"type":"TaskSucceeded","timestamp":1700000000.6,"taskSucceededEventDetails":{"resourceType":"lambda","resource":"invoke","output":"{}"}},
            {"id":8,"previousEventId":7,"type":"TaskStateExited","timestamp":1700000000.7,"stateExitedEventDetails":{"name":"Charge","output":"{\"paid\":true}"}},
            {"id":9,"previousEventId":8,"type":"SucceedStateEntered","timestamp":1700000000.8,"stateEnteredEventDetails":{"name":"Done","input":"{\"paid\":true}"}},
            {"id":10,"previousEventId":9,"type":"SucceedStateExited","timestamp":1700000000.9,"stateExitedEventDetails":{"name":"Done","output":"{\"paid\":true}"}},
            {"id":11,"previousEventId":10,"type":"ExecutionSucceeded","timestamp":1700000001.0,"executionSucceededEventDetails":{"output":"{\"paid\":true}"}}
            ]
            """#))
        #expect(summaries.keys.sorted() == ["Charge", "Done", "Prepare"])
        #expect(summaries.values.allSatisfy { $0.status == .succeeded })
        #expect(summaries["Prepare"]?.input == ["n": 1])
        #expect(summaries["Prepare"]?.output == ["n": 2])
        #expect(summaries["Prepare"]?.assignedVariables == ["total": 42, "who": "ann"])
        #expect(summaries["Charge"]?.attempts == 1)
        #expect(summaries["Charge"]?.enteredEventIds == [4])
        #expect(summaries["Charge"]?.output == ["paid": true])
        #expect(summaries["Charge"]?.error == nil)
        #expect(summaries["NeverThere"] == nil)
    }

    @Test("A Catch: the failing Task is caught (with its error) and the handler runs")
    func caught() throws {
        let summaries = ExecutionGraphStatus.summaries(events: try Self.events(#"""
            [
            {"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1.0,"executionStartedEventDetails":{"input":"{}"}},
            {"id":2,"previousEventId":1,"type":"TaskStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Charge","input":"{}"}},
            {"id":3,"previousEventId":2,"type":"TaskScheduled","timestamp":1.0,"taskScheduledEventDetails":{"resourceType":"lambda","resource":"invoke","region":"us-east-1","parameters":"{}"}},
            {"id":4,"previousEventId":3,"type":"TaskStarted","timestamp":1.0,"taskStartedEventDetails":{"resourceType":"lambda","resource":"invoke"}},
            {"id":5,"previousEventId":4,"type":"TaskFailed","timestamp":1.0,"taskFailedEventDetails":{"resourceType":"lambda","resource":"invoke","error":"CardDeclined","cause":"insufficient funds"}},
            {"id":6,"previousEventId":5,"type":"TaskStateExited","timestamp":1.0,"stateExitedEventDetails":{"name":"Charge","output":"{\"Error\":\"CardDeclined\",\"Cause\":\"insufficient funds\"}"}},
            {"id":7,"previousEventId":6,"type":"PassStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Apologise","input":"{}"}},
            {"id":8,"previousEventId":7,"type":"PassStateExited","timestamp":1.0,"stateExitedEventDetails":{"name":"Apologise","output":"{}"}},
            {"id":9,"previousEventId":8,"type":"ExecutionSucceeded","timestamp":1.0,"executionSucceededEventDetails":{"output":"{}"}}
            ]
            """#))
        #expect(summaries["Charge"]?.status == .caught)
        #expect(summaries["Charge"]?.error == "CardDeclined")
        #expect(summaries["Charge"]?.cause == "insufficient funds")
        #expect(summaries["Apologise"]?.status == .succeeded)
    }

    @Test("A Retry then success: succeeded after 2 attempts")
    func retriedThenSucceeded() throws {
        let summaries = ExecutionGraphStatus.summaries(events: try Self.events(#"""
            [
            {"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1.0,"executionStartedEventDetails":{"input":"{}"}},
            {"id":2,"previousEventId":1,"type":"TaskStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Call","input":"{}"}},
            {"id":3,"previousEventId":2,"type":"LambdaFunctionScheduled","timestamp":1.0,"lambdaFunctionScheduledEventDetails":{"resource":"arn:aws:lambda:us-east-1:123456789012:function:f","input":"{}"}},
            {"id":4,"previousEventId":3,"type":"LambdaFunctionStarted","timestamp":1.0},
            {"id":5,"previousEventId":4,"type":"LambdaFunctionFailed","timestamp":1.0,"lambdaFunctionFailedEventDetails":{"error":"Lambda.ServiceException","cause":"flaky"}},
            {"id":6,"previousEventId":5,"type":"LambdaFunctionScheduled","timestamp":2.0,"lambdaFunctionScheduledEventDetails":{"resource":"arn:aws:lambda:us-east-1:123456789012:function:f","input":"{}"}},
            {"id":7,"previousEventId":6,"type":"LambdaFunctionStarted","timestamp":2.0},
            {"id":8,"previousEventId":7,"type":"LambdaFunctionSucceeded","timestamp":2.0,"lambdaFunctionSucceededEventDetails":{"output":"{\"ok\":true}"}},
            {"id":9,"previousEventId":8,"type":"TaskStateExited","timestamp":2.0,"stateExitedEventDetails":{"name":"Call","output":"{\"ok\":true}"}},
            {"id":10,"previousEventId":9,"type":"ExecutionSucceeded","timestamp":2.0,"executionSucceededEventDetails":{"output":"{\"ok\":true}"}}
            ]
            """#))
        #expect(summaries["Call"]?.status == .succeeded)
        #expect(summaries["Call"]?.attempts == 2)
        #expect(summaries["Call"]?.output == ["ok": true])
    }

    @Test("An uncaught failure: the state failed, with the task's error")
    func uncaughtFailure() throws {
        let summaries = ExecutionGraphStatus.summaries(events: try Self.events(#"""
            [
            {"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1.0,"executionStartedEventDetails":{"input":"{}"}},
            {"id":2,"previousEventId":1,"type":"PassStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Prepare","input":"{}"}},
            {"id":3,"previousEventId":2,"type":"PassStateExited","timestamp":1.0,"stateExitedEventDetails":{"name":"Prepare","output":"{}"}},
            {"id":4,"previousEventId":3,"type":"TaskStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Ship","input":"{}"}},
            {"id":5,"previousEventId":4,"type":"TaskScheduled","timestamp":1.0,"taskScheduledEventDetails":{"resourceType":"ecs","resource":"runTask.sync","region":"us-east-1","parameters":"{}"}},
            {"id":6,"previousEventId":5,"type":"TaskStarted","timestamp":1.0,"taskStartedEventDetails":{"resourceType":"ecs","resource":"runTask.sync"}},
            {"id":7,"previousEventId":6,"type":"TaskFailed","timestamp":1.0,"taskFailedEventDetails":{"resourceType":"ecs","resource":"runTask.sync","error":"States.TaskFailed","cause":"container exited 1"}},
            {"id":8,"previousEventId":7,"type":"ExecutionFailed","timestamp":1.0,"executionFailedEventDetails":{"error":"States.TaskFailed","cause":"container exited 1"}}
            ]
            """#))
        #expect(summaries["Prepare"]?.status == .succeeded)
        #expect(summaries["Ship"]?.status == .failed)
        #expect(summaries["Ship"]?.error == "States.TaskFailed")
        #expect(summaries["Ship"]?.cause == "container exited 1")
        #expect(summaries["Ship"]?.output == nil)
    }

    @Test("A Fail state fails with the execution's error")
    func failState() throws {
        let summaries = ExecutionGraphStatus.summaries(events: try Self.events(#"""
            [
            {"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1.0,"executionStartedEventDetails":{"input":"{}"}},
            {"id":2,"previousEventId":1,"type":"FailStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Rejected","input":"{}"}},
            {"id":3,"previousEventId":2,"type":"ExecutionFailed","timestamp":1.0,"executionFailedEventDetails":{"error":"Rejected","cause":"no"}}
            ]
            """#))
        #expect(summaries["Rejected"] == StateRunSummary(status: .failed, input: [:], error: "Rejected", cause: "no", attempts: 1, enteredEventIds: [2]))
    }

    @Test("An aborted execution with a Wait in progress: the Wait is cancelled")
    func abortedWhileWaiting() throws {
        let summaries = ExecutionGraphStatus.summaries(events: try Self.events(#"""
            [
            {"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1.0,"executionStartedEventDetails":{"input":"{}"}},
            {"id":2,"previousEventId":1,"type":"WaitStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"WaitOneYear","input":"{}"}},
            {"id":3,"previousEventId":2,"type":"ExecutionAborted","timestamp":5.0,"executionAbortedEventDetails":{"error":"Stopped","cause":"by a person"}}
            ]
            """#))
        #expect(summaries["WaitOneYear"]?.status == .cancelled)
        #expect(summaries["ChargeRenewal"] == nil)
    }

    @Test("A running execution: the entered, unexited state is running (also between retries)")
    func running() throws {
        let summaries = ExecutionGraphStatus.summaries(events: try Self.events(#"""
            [
            {"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1.0,"executionStartedEventDetails":{"input":"{}"}},
            {"id":2,"previousEventId":1,"type":"TaskStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Approve","input":"{\"id\":7}"}},
            {"id":3,"previousEventId":2,"type":"TaskScheduled","timestamp":1.0,"taskScheduledEventDetails":{"resourceType":"sqs","resource":"sendMessage.waitForTaskToken","region":"us-east-1","parameters":"{}"}},
            {"id":4,"previousEventId":3,"type":"TaskStarted","timestamp":1.0,"taskStartedEventDetails":{"resourceType":"sqs","resource":"sendMessage.waitForTaskToken"}},
            {"id":5,"previousEventId":4,"type":"TaskFailed","timestamp":1.0,"taskFailedEventDetails":{"resourceType":"sqs","resource":"sendMessage.waitForTaskToken","error":"SQS.ThrottlingException","cause":"slow down"}}
            ]
            """#))
        #expect(summaries["Approve"]?.status == .running)
        #expect(summaries["Approve"]?.input == ["id": 7])
        #expect(summaries["Approve"]?.attempts == 1)
    }

    @Test("Interleaved Parallel branches: a failing branch fails its state; its sibling is cancelled; the caught Parallel moves on")
    func parallelBranches() throws {
        let summaries = ExecutionGraphStatus.summaries(events: try Self.events(#"""
            [
            {"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1.0,"executionStartedEventDetails":{"input":"{}"}},
            {"id":2,"previousEventId":1,"type":"ParallelStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Both","input":"{}"}},
            {"id":3,"previousEventId":2,"type":"ParallelStateStarted","timestamp":1.0},
            {"id":4,"previousEventId":3,"type":"TaskStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Left","input":"{}"}},
            {"id":5,"previousEventId":3,"type":"WaitStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Right","input":"{}"}},
            {"id":6,"previousEventId":4,"type":"TaskScheduled","timestamp":1.0,"taskScheduledEventDetails":{"resourceType":"lambda","resource":"invoke","region":"us-east-1","parameters":"{}"}},
            {"id":7,"previousEventId":6,"type":"TaskStarted","timestamp":1.0,"taskStartedEventDetails":{"resourceType":"lambda","resource":"invoke"}},
            {"id":8,"previousEventId":7,"type":"TaskFailed","timestamp":1.0,"taskFailedEventDetails":{"resourceType":"lambda","resource":"invoke","error":"Boom","cause":"left broke"}},
            {"id":9,"previousEventId":8,"type":"ParallelStateFailed","timestamp":1.0},
            {"id":10,"previousEventId":9,"type":"ParallelStateExited","timestamp":1.0,"stateExitedEventDetails":{"name":"Both","output":"{}"}},
            {"id":11,"previousEventId":10,"type":"PassStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Recover","input":"{}"}}
            ]
            """#))
        #expect(summaries["Left"]?.status == .failed)
        #expect(summaries["Left"]?.error == "Boom")
        #expect(summaries["Right"]?.status == .cancelled)
        #expect(summaries["Both"]?.status == .caught)
        #expect(summaries["Both"]?.error == "Boom")
        #expect(summaries["Both"]?.attempts == 1)
        #expect(summaries["Recover"]?.status == .running)
    }

    @Test("Map iterations are aggregated: one failed iteration makes the inner state failed; events may come newest first")
    func mapIterations() throws {
        let forward = try Self.events(#"""
            [
            {"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1.0,"executionStartedEventDetails":{"input":"{}"}},
            {"id":2,"previousEventId":1,"type":"MapStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Each","input":"[1,2]"}},
            {"id":3,"previousEventId":2,"type":"MapStateStarted","timestamp":1.0,"mapStateStartedEventDetails":{"length":2}},
            {"id":4,"previousEventId":3,"type":"MapIterationStarted","timestamp":1.0,"mapIterationStartedEventDetails":{"name":"Each","index":0}},
            {"id":5,"previousEventId":3,"type":"MapIterationStarted","timestamp":1.0,"mapIterationStartedEventDetails":{"name":"Each","index":1}},
            {"id":6,"previousEventId":4,"type":"PassStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Item","input":"1"}},
            {"id":7,"previousEventId":5,"type":"PassStateEntered","timestamp":1.0,"stateEnteredEventDetails":{"name":"Item","input":"2"}},
            {"id":8,"previousEventId":6,"type":"PassStateExited","timestamp":1.0,"stateExitedEventDetails":{"name":"Item","output":"1"}},
            {"id":9,"previousEventId":8,"type":"MapIterationSucceeded","timestamp":1.0,"mapIterationSucceededEventDetails":{"name":"Each","index":0}},
            {"id":10,"previousEventId":7,"type":"MapIterationFailed","timestamp":1.0,"mapIterationFailedEventDetails":{"name":"Each","index":1}},
            {"id":11,"previousEventId":10,"type":"MapStateFailed","timestamp":1.0},
            {"id":12,"previousEventId":11,"type":"ExecutionFailed","timestamp":1.0,"executionFailedEventDetails":{"error":"States.Runtime","cause":"bad item"}}
            ]
            """#)
        for events in [forward, Array(forward.reversed())] {
            let summaries = ExecutionGraphStatus.summaries(events: events)
            #expect(summaries["Item"]?.status == .failed)
            #expect(summaries["Item"]?.enteredEventIds == [6, 7])
            #expect(summaries["Item"]?.attempts == 2)
            #expect(summaries["Each"]?.status == .failed)
            #expect(summaries["Each"]?.error == "States.Runtime")
        }
    }

    @Test("The events of a get-execution-history answer or a bare array")
    func historyDocument() throws {
        let document = try JSONValue(parsing: #"{"events":[{"id":1,"type":"ExecutionStarted"}],"nextToken":null}"#)
        #expect(ExecutionGraphStatus.events(inHistory: document)?.count == 1)
        #expect(ExecutionGraphStatus.events(inHistory: ["a"])?.count == 1)
        #expect(ExecutionGraphStatus.events(inHistory: "nope") == nil)
    }
}
