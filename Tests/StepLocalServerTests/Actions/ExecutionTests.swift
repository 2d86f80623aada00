import StepLocalEngine
import StepLocalJSON
import Testing

@testable import StepLocalServer

@Suite("Executions")
struct ExecutionTests {
    @Test("StartExecution runs the machine; DescribeExecution reports output, input and dates")
    func startAndDescribe() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(arn), "name": "run-1", "input": #"{"a":1}"#])
            #expect(started["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:orders:run-1")
            #expect(started["startDate"]?.numberValue != nil)
            let described = try await api.waitForExecution("arn:aws:states:us-east-1:123456789012:execution:orders:run-1")
            #expect(described["status"] == "SUCCEEDED")
            #expect(described["input"] == #"{"a":1}"#)
            #expect(described["output"] == #"{"ok":true}"#)
            #expect(described["stateMachineArn"] == .string(arn))
            #expect(described["name"] == "run-1")
            #expect(described["stopDate"]?.numberValue != nil)
            #expect(described["redriveStatus"] == "NOT_REDRIVABLE")
        }
    }

    @Test("Without a name, StartExecution names the execution with a UUID")
    func generatedName() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(arn)])
            let executionArn = try #require(started["executionArn"]?.stringValue)
            #expect(executionArn.split(separator: ":").last?.count == 36)
        }
    }

    @Test("Input that is not JSON is InvalidExecutionInput")
    func invalidInput() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            let response = try await api.call("StartExecution", ["stateMachineArn": .string(arn), "input": "{oops"])
            #expect(response.errorType == "InvalidExecutionInput")
        }
    }

    @Test("Reusing a name: same input while running returns the execution, otherwise ExecutionAlreadyExists")
    func idempotentStart() async throws {
        try await withAPI(Fixtures.configuration(clock: SystemClock())) { api in
            let arn = try await api.createStateMachine("slow", definition: Fixtures.waitMachine)
            let first = try await api.call("StartExecution", ["stateMachineArn": .string(arn), "name": "once", "input": "{}"])
            let again = try await api.call("StartExecution", ["stateMachineArn": .string(arn), "name": "once", "input": "{}"])
            #expect(again["executionArn"] == first["executionArn"])
            #expect(again["startDate"] == first["startDate"])
            let different = try await api.call("StartExecution", ["stateMachineArn": .string(arn), "name": "once", "input": #"{"x":1}"#])
            #expect(different.errorType == "ExecutionAlreadyExists")
            let executionArn = try #require(first["executionArn"]?.stringValue)
            let stopped = try await api.call("StopExecution", ["executionArn": .string(executionArn), "error": "Manual", "cause": "test"])
            #expect(stopped["stopDate"]?.numberValue != nil)
            let described = try await api.call("DescribeExecution", ["executionArn": .string(executionArn)])
            #expect(described["status"] == "ABORTED")
            let finished = try await api.call("StartExecution", ["stateMachineArn": .string(arn), "name": "once", "input": "{}"])
            #expect(finished.errorType == "ExecutionAlreadyExists")
        }
    }

    @Test("A failing machine reports its error and cause, and can be redriven (here to fail again in its Fail state)")
    func failed() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("fails", definition: Fixtures.failMachine)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(arn)])
            let described = try await api.waitForExecution(try #require(started["executionArn"]?.stringValue))
            #expect(described["status"] == "FAILED")
            #expect(described["error"] == "Boom")
            #expect(described["cause"] == "it broke")
            #expect(described["output"] == nil)
            #expect(described["redriveStatus"] == "REDRIVABLE")
            #expect(described["redriveStatusReason"] == nil)
            let redrive = try await api.call("RedriveExecution", ["executionArn": started["executionArn"] ?? .null])
            #expect(redrive.errorType == nil)
            #expect(redrive["redriveDate"] != nil)
            let again = try await api.waitForExecution(try #require(started["executionArn"]?.stringValue))
            #expect(again["status"] == "FAILED")
            #expect(again["redriveCount"] == 1)
            #expect(again["redriveDate"] == redrive["redriveDate"])
        }
    }

    @Test("ListExecutions filters by status, pages newest first, and refuses EXPRESS machines")
    func list() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            let fails = try await api.createStateMachine("fails", definition: Fixtures.failMachine)
            for index in 0..<3 {
                let started = try await api.call("StartExecution", ["stateMachineArn": .string(arn), "name": .string("e\(index)")])
                _ = try await api.waitForExecution(try #require(started["executionArn"]?.stringValue))
            }
            let failed = try await api.call("StartExecution", ["stateMachineArn": .string(fails)])
            _ = try await api.waitForExecution(try #require(failed["executionArn"]?.stringValue))

            let page = try await api.call("ListExecutions", ["stateMachineArn": .string(arn), "maxResults": 2])
            #expect(page["executions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["e2", "e1"])
            let rest = try await api.call("ListExecutions", ["stateMachineArn": .string(arn), "maxResults": 2, "nextToken": page["nextToken"] ?? .null])
            #expect(rest["executions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["e0"])
            let filtered = try await api.call("ListExecutions", ["stateMachineArn": .string(arn), "statusFilter": "FAILED"])
            #expect(filtered["executions"] == [])
            let failedList = try await api.call("ListExecutions", ["stateMachineArn": .string(fails), "statusFilter": "FAILED"])
            #expect(failedList["executions"]?.arrayValue?.count == 1)

            let express = try await api.createStateMachine("fast", type: "EXPRESS")
            let refused = try await api.call("ListExecutions", ["stateMachineArn": .string(express)])
            #expect(refused.errorType == "StateMachineTypeNotSupported")
            let neither = try await api.call("ListExecutions", [:])
            #expect(neither.errorType == "ValidationException")
        }
    }

    @Test("ExecutionStarted and the first state's entered event hold the input text as sent (spacing kept); later events re-serialize")
    func inputTextKept() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine(
                "spaced", definition: #"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}"#)
            let text = #"["Hello", "World"]"#
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(arn), "input": .string(text)])
            let executionArn = try #require(started["executionArn"]?.stringValue)
            _ = try await api.waitForExecution(executionArn)
            let events = try await api.call("GetExecutionHistory", ["executionArn": .string(executionArn)])["events"]?.arrayValue ?? []
            #expect(events.first?["executionStartedEventDetails"]?["input"] == .string(text))
            let entered = events.filter { $0["type"] == "PassStateEntered" }.map { $0["stateEnteredEventDetails"]?["input"] }
            #expect(entered == [.string(text), .string(#"["Hello","World"]"#)])
        }
    }

    @Test("GetExecutionHistory returns AWS's events, reversible, with or without data, paged")
    func history() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(arn), "input": #"{"a":1}"#])
            let executionArn = try #require(started["executionArn"]?.stringValue)
            _ = try await api.waitForExecution(executionArn)
            let history = try await api.call("GetExecutionHistory", ["executionArn": .string(executionArn)])
            let types = history["events"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
            #expect(types.first == "ExecutionStarted")
            #expect(types.last == "ExecutionSucceeded")
            #expect(types.contains("PassStateEntered"))
            let reversed = try await api.call("GetExecutionHistory", ["executionArn": .string(executionArn), "reverseOrder": true, "maxResults": 1])
            #expect(reversed["events"]?.arrayValue?.first?["type"] == "ExecutionSucceeded")
            #expect(reversed["nextToken"] != nil)
            let noData = try await api.call("GetExecutionHistory", ["executionArn": .string(executionArn), "includeExecutionData": false])
            #expect(noData["events"]?.arrayValue?.first?["executionStartedEventDetails"]?["input"] == nil)
            let missing = try await api.call("GetExecutionHistory", ["executionArn": "arn:aws:states:us-east-1:123456789012:execution:orders:nope"])
            #expect(missing.errorType == "ExecutionDoesNotExist")
        }
    }

    @Test("DescribeStateMachineForExecution returns the definition the execution started with")
    func definitionForExecution() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(arn)])
            _ = try await api.call("UpdateStateMachine", ["stateMachineArn": .string(arn), "definition": .string(Fixtures.otherPassMachine)])
            let described = try await api.call("DescribeStateMachineForExecution", ["executionArn": started["executionArn"] ?? .null])
            #expect(described["definition"] == .string(Fixtures.passMachine))
            #expect(described["name"] == "orders")
        }
    }

    @Test("StartSyncExecution answers an EXPRESS run with status, output and billingDetails; STANDARD is refused")
    func sync() async throws {
        try await withAPI { api in
            let express = try await api.createStateMachine("fast", type: "EXPRESS")
            let response = try await api.call("StartSyncExecution", ["stateMachineArn": .string(express), "name": "s1", "input": "{}"])
            #expect(response["status"] == "SUCCEEDED")
            #expect(response["output"] == #"{"ok":true}"#)
            #expect(response["executionArn"]?.stringValue?.hasPrefix("arn:aws:states:us-east-1:123456789012:express:fast:s1:") == true)
            #expect(response["billingDetails"]?["billedMemoryUsedInMB"] == 64)
            #expect(response["billingDetails"]?["billedDurationInMilliseconds"]?.numberValue?.intValue ?? 0 >= 100)
            let standard = try await api.createStateMachine("slow")
            let refused = try await api.call("StartSyncExecution", ["stateMachineArn": .string(standard)])
            #expect(refused.errorType == "StateMachineTypeNotSupported")
        }
    }

    @Test("Unknown executions are ExecutionDoesNotExist; a state machine ARN is InvalidArn")
    func unknownExecution() async throws {
        try await withAPI { api in
            let arn = "arn:aws:states:us-east-1:123456789012:execution:m:e"
            let response = try await api.call("DescribeExecution", ["executionArn": .string(arn)])
            #expect(response.errorType == "ExecutionDoesNotExist")
            #expect(response.message == "Execution Does Not Exist: '\(arn)'")
            let wrong = try await api.call("StopExecution", ["executionArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m"])
            #expect(wrong.errorType == "InvalidArn")
        }
    }
}
