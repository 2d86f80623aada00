import StepLocalEngine
import StepLocalJSON
import Testing

@testable import StepLocalServer

/// Task tokens, activities and nested executions through the API, as boto3 drives them.
@Suite("Task tokens, activities and nested executions through the API")
struct CallbackActivityTests {
    static let tokenMachine = #"""
        {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
         "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}
        """#

    static func activityMachine(_ arn: String) -> String {
        #"{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"\#(arn)","End":true}}}"#
    }

    /// Waits until the execution's history has an event of `type`, then returns the history.
    static func history(_ api: APIClient, _ arn: String, until type: String) async throws -> [JSONValue] {
        for _ in 0..<5000 {
            let events = try await api.call("GetExecutionHistory", ["executionArn": .string(arn)])["events"]?.arrayValue ?? []
            if events.contains(where: { $0["type"]?.stringValue == type }) { return events }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("no \(type) event in \(arn)")
        return []
    }

    /// The token the Ask state put in its message body, read back from TaskScheduled.
    static func token(_ api: APIClient, _ arn: String) async throws -> String {
        let events = try await history(api, arn, until: "TaskSubmitted")
        let scheduled = try #require(events.first { $0["type"]?.stringValue == "TaskScheduled" })
        let parameters = try JSONValue(parsing: try #require(scheduled["taskScheduledEventDetails"]?["parameters"]?.stringValue))
        return try #require(parameters["MessageBody"]?["token"]?.stringValue)
    }

    @Test("A .waitForTaskToken task waits for SendTaskSuccess; the token then closes (TaskTimedOut)")
    func sendTaskSuccess() async throws {
        try await withAPI { api in
            let machine = try await api.createStateMachine("approval", definition: Self.tokenMachine)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(machine), "name": "one"])
            let arn = try #require(started["executionArn"]?.stringValue)
            let token = try await Self.token(api, arn)
            #expect(try await api.call("DescribeExecution", ["executionArn": .string(arn)])["status"] == "RUNNING")
            #expect(try await api.call("SendTaskHeartbeat", ["taskToken": .string(token)]).status == .ok)
            let sent = try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": #"{"approved":true}"#])
            #expect(sent.status == .ok)
            let done = try await api.waitForExecution(arn)
            #expect(done["status"] == "SUCCEEDED")
            #expect(done["output"] == #"{"approved":true}"#)
            let again = try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": "{}"])
            #expect(again.errorType == "TaskTimedOut")
        }
    }

    @Test("SendTaskFailure fails the execution with the worker's error and cause")
    func sendTaskFailure() async throws {
        try await withAPI { api in
            let machine = try await api.createStateMachine("approval", definition: Self.tokenMachine)
            let arn = try #require(try await api.call("StartExecution", ["stateMachineArn": .string(machine)])["executionArn"]?.stringValue)
            let token = try await Self.token(api, arn)
            let sent = try await api.call("SendTaskFailure", ["taskToken": .string(token), "error": "Rejected", "cause": "no budget"])
            #expect(sent.status == .ok)
            let done = try await api.waitForExecution(arn)
            #expect(done["status"] == "FAILED")
            #expect(done["error"] == "Rejected")
            #expect(done["cause"] == "no budget")
        }
    }

    @Test("StopExecution while a task waits closes its token")
    func stopWhileWaiting() async throws {
        try await withAPI { api in
            let machine = try await api.createStateMachine("approval", definition: Self.tokenMachine)
            let arn = try #require(try await api.call("StartExecution", ["stateMachineArn": .string(machine)])["executionArn"]?.stringValue)
            let token = try await Self.token(api, arn)
            #expect(try await api.call("StopExecution", ["executionArn": .string(arn)]).status == .ok)
            #expect(try await api.waitForExecution(arn)["status"] == "ABORTED")
            var answer = try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": "{}"])
            for _ in 0..<1000 where answer.errorType == nil {
                try await Task.sleep(for: .milliseconds(1))
                answer = try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": "{}"])
            }
            #expect(answer.errorType == "TaskTimedOut")
        }
    }

    @Test("Tokens StepLocal could not have issued are InvalidToken; well-formed unknown ones TaskDoesNotExist")
    func badTokens() async throws {
        try await withAPI { api in
            let unknown = JSONValue.string(String(repeating: "Zz09", count: 40))
            let calls: [(String, JSONValue, String)] = [
                ("SendTaskSuccess", ["taskToken": "nope", "output": "{}"], "InvalidToken"),
                ("SendTaskHeartbeat", ["taskToken": "nope"], "InvalidToken"),
                ("SendTaskSuccess", ["taskToken": unknown, "output": "{}"], "TaskDoesNotExist"),
                ("SendTaskFailure", ["taskToken": unknown], "TaskDoesNotExist"),
                ("SendTaskHeartbeat", ["taskToken": unknown], "TaskDoesNotExist"),
            ]
            for (action, body, expected) in calls {
                let answer = try await api.call(action, body)
                #expect(answer.errorType == expected, "\(action)")
            }
        }
    }

    @Test("An activity task goes to a GetActivityTask worker, who answers it; Activity* events are recorded")
    func activityWorker() async throws {
        try await withAPI { api in
            let activity = try #require(try await api.call("CreateActivity", ["name": "approve"])["activityArn"]?.stringValue)
            let machine = try await api.createStateMachine("work", definition: Self.activityMachine(activity))
            let arn = try #require(
                try await api.call("StartExecution", ["stateMachineArn": .string(machine), "input": #"{"order":7}"#])["executionArn"]?.stringValue)
            var task = try await api.call("GetActivityTask", ["activityArn": .string(activity), "workerName": "w1"])
            for _ in 0..<1000 where task["taskToken"] == nil {
                task = try await api.call("GetActivityTask", ["activityArn": .string(activity), "workerName": "w1"])
            }
            let token = try #require(task["taskToken"]?.stringValue)
            #expect(task["input"] == #"{"order":7}"#)
            #expect(try await api.call("SendTaskHeartbeat", ["taskToken": .string(token)]).status == .ok)
            #expect(try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": #"{"ok":1}"#]).status == .ok)
            let done = try await api.waitForExecution(arn)
            #expect(done["status"] == "SUCCEEDED")
            #expect(done["output"] == #"{"ok":1}"#)
            let events = try await Self.history(api, arn, until: "ExecutionSucceeded")
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types == [
                "ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
                "ExecutionSucceeded",
            ])
            let startedEvent = events.first { $0["type"] == "ActivityStarted" }
            #expect(startedEvent?["activityStartedEventDetails"]?["workerName"] == "w1")
            // Exactly once: nobody else gets it.
            #expect(try await api.call("GetActivityTask", ["activityArn": .string(activity)])["taskToken"] == nil)
        }
    }

    @Test("An activity that was deleted fails the state with States.Runtime")
    func deletedActivity() async throws {
        try await withAPI { api in
            let activity = try #require(try await api.call("CreateActivity", ["name": "gone"])["activityArn"]?.stringValue)
            let machine = try await api.createStateMachine("work", definition: Self.activityMachine(activity))
            _ = try await api.call("DeleteActivity", ["activityArn": .string(activity)])
            let arn = try #require(try await api.call("StartExecution", ["stateMachineArn": .string(machine)])["executionArn"]?.stringValue)
            let done = try await api.waitForExecution(arn)
            #expect(done["status"] == "FAILED")
            #expect(done["error"] == "States.Runtime")
            #expect(
                done["cause"]
                    == .string("An error occurred while executing the state 'Work' (entered at the event id #2). The activity \(activity) does not exist."))
        }
    }

    @Test("states:startExecution.sync:2 runs the child from the store; the child is an execution of its own")
    func nestedSync() async throws {
        try await withAPI { api in
            let child = try await api.createStateMachine("child")
            let parentDefinition = #"""
                {"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
                 "Parameters":{"StateMachineArn":"\#(child)","Name":"kid","Input":{"a":1}},"End":true}}}
                """#
            let parent = try await api.createStateMachine("parent", definition: parentDefinition)
            let arn = try #require(try await api.call("StartExecution", ["stateMachineArn": .string(parent)])["executionArn"]?.stringValue)
            let done = try await api.waitForExecution(arn)
            #expect(done["status"] == "SUCCEEDED")
            let output = try JSONValue(parsing: try #require(done["output"]?.stringValue))
            #expect(output["Output"] == ["ok": true])
            #expect(output["Input"] == ["a": 1])
            let childArn = try #require(output["ExecutionArn"]?.stringValue)
            #expect(childArn == "arn:aws:states:us-east-1:123456789012:execution:child:kid")
            let described = try await api.call("DescribeExecution", ["executionArn": .string(childArn)])
            #expect(described["status"] == "SUCCEEDED")
            #expect(described["input"] == #"{"a":1}"#)
        }
    }

    /// Creates a child machine that waits `childWaitSeconds`, and a parent (`parentDefinition` of
    /// the child's ARN) that runs it; runs the parent to success. Returns the parent's history
    /// and the child's execution ARN.
    static func runParentOfChild(_ api: APIClient, childWaitSeconds: Int, parentDefinition: (String) -> String) async throws -> ([JSONValue], JSONValue) {
        let child = try await api.createStateMachine(
            "child", definition: #"{"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":\#(childWaitSeconds),"End":true}}}"#)
        let parent = try await api.createStateMachine("parent", definition: parentDefinition(child))
        let arn = try #require(try await api.call("StartExecution", ["stateMachineArn": .string(parent)])["executionArn"]?.stringValue)
        let done = try await api.waitForExecution(arn)
        #expect(done["status"] == "SUCCEEDED")
        let outputText = try #require(done["output"]?.stringValue)
        let childArn = try #require(try JSONValue(parsing: outputText)["ExecutionArn"])
        let events = try #require(try await api.call("GetExecutionHistory", ["executionArn": .string(arn)])["events"]?.arrayValue)
        return (events, childArn)
    }

    @Test("Under WAIT_TIME_SCALE=0 a .sync child's waits move its parent's time too: the parent's task ends after the child, as on AWS")
    func nestedSyncTakesOnTheChildsTime() async throws {
        try await withAPI(Fixtures.configuration(clock: SystemClock(waitTimeScale: 0))) { api in
            let (events, childArn) = try await Self.runParentOfChild(api, childWaitSeconds: 3600) { child in
                #"""
                {"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
                 "Parameters":{"StateMachineArn":"\#(child)","Input":{"a":1}},"Next":"After"},"After":{"Type":"Pass","End":true}}}
                """#
            }
            let childStop = try #require(try await api.call("DescribeExecution", ["executionArn": childArn])["stopDate"]?.numberValue?.doubleValue)
            func time(_ type: String) -> Double? { events.first { $0["type"] == .string(type) }?["timestamp"]?.numberValue?.doubleValue }
            let started = try #require(time("ExecutionStarted"))
            let succeeded = try #require(time("TaskSucceeded"))
            #expect(succeeded >= childStop, "the parent's task ended at \(succeeded), before its child (\(childStop))")
            #expect(try #require(time("ExecutionSucceeded")) - started >= 3600)
        }
    }

    @Test("Under WAIT_TIME_SCALE=0 a .sync child started after its parent skipped an hour's Wait starts at the parent's time, not the wall clock's")
    func nestedSyncStartsAtTheParentsTime() async throws {
        try await withAPI(Fixtures.configuration(clock: SystemClock(waitTimeScale: 0))) { api in
            let (events, childArn) = try await Self.runParentOfChild(api, childWaitSeconds: 60) { child in
                #"""
                {"StartAt":"Later","States":{"Later":{"Type":"Wait","Seconds":3600,"Next":"Run"},
                 "Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
                 "Parameters":{"StateMachineArn":"\#(child)","Input":{"a":1}},"End":true}}}
                """#
            }
            let described = try await api.call("DescribeExecution", ["executionArn": childArn])
            let childStart = try #require(described["startDate"]?.numberValue?.doubleValue)
            let childStop = try #require(described["stopDate"]?.numberValue?.doubleValue)
            func time(_ type: String) -> Double? { events.first { $0["type"] == .string(type) }?["timestamp"]?.numberValue?.doubleValue }
            let started = try #require(time("ExecutionStarted"))
            let scheduled = try #require(time("TaskScheduled"))
            #expect(scheduled - started >= 3600)
            #expect(childStart >= scheduled, "the child started at \(childStart), before the task that started it (\(scheduled))")
            #expect(childStop - childStart >= 60)
            #expect(try #require(time("TaskSucceeded")) >= childStop)
            // The child's own history runs on from its start.
            let childEvents = try #require(try await api.call("GetExecutionHistory", ["executionArn": childArn])["events"]?.arrayValue)
            #expect(childEvents.first?["timestamp"]?.numberValue?.doubleValue == childStart)
        }
    }

    @Test("states:startExecution on an unknown state machine fails with StepFunctions.StateMachineDoesNotExistException")
    func nestedUnknown() async throws {
        try await withAPI { api in
            let parentDefinition = #"""
                {"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
                 "Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:nope"},"End":true}}}
                """#
            let parent = try await api.createStateMachine("parent", definition: parentDefinition)
            let arn = try #require(try await api.call("StartExecution", ["stateMachineArn": .string(parent)])["executionArn"]?.stringValue)
            let done = try await api.waitForExecution(arn)
            #expect(done["error"] == "StepFunctions.StateMachineDoesNotExistException")
        }
    }
}
