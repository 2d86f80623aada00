import Foundation
import StepLocalEngine
import StepLocalJSON
import Testing

@testable import StepLocalServer

/// DeleteStateMachine while executions run, as the API reference says: the machine is
/// `DELETING` "and begins the deletion process. A state machine is deleted only when all its
/// executions are completed. On the next state transition, the state machine's executions are
/// terminated" (failed with States.Runtime, "State machine NAME has been deleted.", as AWS
/// re:Post shows). Meanwhile nothing new starts: `StateMachineDeleting`.
@Suite("DeleteStateMachine while executions run")
struct StateMachineDeletionTests {
    static let machineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Orders"

    /// Waits for a task token (which the test answers), then passes on to a Pass state.
    static let asking = #"""
        {"StartAt":"Ask","States":{
          "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"Next":"After"},
          "After":{"Type":"Pass","End":true}}}
        """#

    static func start(_ api: APIClient) async throws -> String {
        let started = try await api.call("StartExecution", ["stateMachineArn": .string(machineArn), "input": #"{"n": 1}"#])
        return try #require(started["executionArn"]?.stringValue, "\(started.body)")
    }

    /// The execution's snapshot once it has ended, or as it stands after 10 s.
    static func ended(_ execution: Execution) async throws -> ExecutionSnapshot {
        for _ in 0..<2000 where execution.status == .running { try await Task.sleep(for: .milliseconds(5)) }
        return execution.snapshot()
    }

    /// DescribeStateMachine's answer once it is no longer `DELETING` (polled for up to 5 s).
    static func describeOnceDeleted(_ api: APIClient) async throws -> APIResponse {
        var described = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(machineArn)])
        for _ in 0..<1000 where described["status"] == "DELETING" {
            try await Task.sleep(for: .milliseconds(5))
            described = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(machineArn)])
        }
        return described
    }

    @Test("A machine deleted while its execution waits for a token is DELETING; the answer's next transition fails the execution with States.Runtime, and the machine goes with it")
    func deletedWhileATaskWaits() async throws {
        try await withAPIAndServices(Fixtures.configuration(clock: SystemClock())) { api, services in
            try await api.createStateMachine("Orders", definition: Self.asking, extra: ["publish": true])
            let arn = try await Self.start(api)
            let token = try await DataDirectoryTests.resumedTaskToken(api, arn)
            let execution = try services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in try tables.execution(arn) }.execution

            #expect(try await api.call("DeleteStateMachine", ["stateMachineArn": .string(Self.machineArn)]).status == .ok)
            #expect(try await api.call("DescribeStateMachine", ["stateMachineArn": .string(Self.machineArn)])["status"] == "DELETING")
            #expect(try await api.call("DescribeStateMachine", ["stateMachineArn": .string(Self.machineArn + ":1")])["status"] == "DELETING")
            // Nothing new starts or changes while it goes; deleting it again is no error.
            let refused: [(String, JSONValue)] = [
                ("StartExecution", ["stateMachineArn": .string(Self.machineArn)]),
                ("StartExecution", ["stateMachineArn": .string(Self.machineArn + ":1")]),
                ("UpdateStateMachine", ["stateMachineArn": .string(Self.machineArn), "definition": .string(Fixtures.passMachine)]),
                ("CreateStateMachine", [
                    "name": "Orders", "definition": .string(Self.asking), "roleArn": .string(Fixtures.role),
                ]),
                ("PublishStateMachineVersion", ["stateMachineArn": .string(Self.machineArn)]),
                ("ListStateMachineAliases", ["stateMachineArn": .string(Self.machineArn)]),
            ]
            for (action, body) in refused {
                let answer = try await api.call(action, body)
                #expect(answer.status == .badRequest, "\(action)")
                #expect(answer.errorType == "StateMachineDeleting", "\(action): \(answer.body)")
            }
            #expect(try await api.call("DeleteStateMachine", ["stateMachineArn": .string(Self.machineArn)]).status == .ok)
            // The task is not cut short: it still waits for its answer.
            #expect(try await api.call("DescribeExecution", ["executionArn": .string(arn)])["status"] == "RUNNING")

            let answered = try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": #"{"paid": true}"#])
            #expect(answered.status == .ok, "\(answered.body)")
            let ended = try await Self.ended(execution)
            #expect(ended.status == .failed)
            #expect(ended.error == "States.Runtime")
            #expect(ended.cause == "State machine Orders has been deleted.")
            #expect(ended.history.map(\.type) == [
                "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited",
                "ExecutionFailed",
            ])

            // Its last execution ended: the machine, its version and the execution are gone.
            #expect(try await Self.describeOnceDeleted(api).errorType == "StateMachineDoesNotExist")
            #expect(try await api.call("DescribeStateMachine", ["stateMachineArn": .string(Self.machineArn + ":1")]).errorType == "StateMachineDoesNotExist")
            #expect(try await api.call("DescribeExecution", ["executionArn": .string(arn)]).errorType == "ExecutionDoesNotExist")
            // The name is free again.
            #expect(try await api.call("CreateStateMachine", [
                "name": "Orders", "definition": .string(Fixtures.passMachine), "roleArn": .string(Fixtures.role),
            ]).status == .ok)
        }
    }

    @Test("The next transition of any branch ends the whole execution: a sibling branch in a long Wait does not hold it")
    func anyBranchsTransitionEndsTheExecution() async throws {
        let definition = #"""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":100000,"End":true}}},
              {"StartAt":"Ask","States":{
                "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                  "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"Next":"After"},
                "After":{"Type":"Pass","End":true}}}]}}}
            """#
        try await withAPIAndServices(Fixtures.configuration(clock: SystemClock())) { api, services in
            try await api.createStateMachine("Orders", definition: definition)
            let arn = try await Self.start(api)
            let token = try await DataDirectoryTests.resumedTaskToken(api, arn)
            let execution = try services.store.transaction { (tables: inout ResourceTables) throws(AWSServiceError) in try tables.execution(arn) }.execution
            _ = try await api.call("DeleteStateMachine", ["stateMachineArn": .string(Self.machineArn)])
            _ = try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": "{}"])
            let ended = try await Self.ended(execution)
            #expect(ended.status == .failed)
            #expect(ended.cause == "State machine Orders has been deleted.")
            #expect(ended.history.last?.type == "ExecutionFailed")
            #expect(!ended.history.contains { $0.type == "WaitStateExited" })
            #expect(try await Self.describeOnceDeleted(api).errorType == "StateMachineDoesNotExist")
        }
    }

    @Test("An EXPRESS machine goes at once, as AWS deletes one eventually while its executions may still run")
    func expressMachineGoesAtOnce() async throws {
        try await withAPI(Fixtures.configuration(clock: SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: Fixtures.waitMachine, type: "EXPRESS")
            _ = try await Self.start(api)
            _ = try await api.call("DeleteStateMachine", ["stateMachineArn": .string(Self.machineArn)])
            #expect(try await api.call("DescribeStateMachine", ["stateMachineArn": .string(Self.machineArn)]).errorType == "StateMachineDoesNotExist")
        }
    }

    @Test("With --data-dir a machine left DELETING stays so across a restart; its resumed execution ends at its next transition and the machine goes")
    func deletingSurvivesARestart() async throws {
        let directory = DataDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let arn = try await withAPI(DataDirectoryTests.configuration(directory, clock: SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: Self.asking)
            let arn = try await Self.start(api)
            _ = try await DataDirectoryTests.resumedTaskToken(api, arn)
            _ = try await api.call("DeleteStateMachine", ["stateMachineArn": .string(Self.machineArn)])
            try await Task.sleep(for: .milliseconds(200))  // the store writes within 20 ms
            return arn
        }
        try await withAPI(DataDirectoryTests.configuration(directory, clock: SystemClock())) { api in
            let described = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(Self.machineArn)])
            #expect(described["status"] == "DELETING", "\(described.body)")
            let listed = try await api.call("ListExecutions", ["stateMachineArn": .string(Self.machineArn)])
            #expect(listed.status == .ok, "\(listed.body)")
            #expect(try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn)]).errorType == "StateMachineDeleting")
            try await DataDirectoryTests.answerAfterResume(api, token: try await DataDirectoryTests.resumedTaskToken(api, arn))
            #expect(try await Self.describeOnceDeleted(api).errorType == "StateMachineDoesNotExist")
            try await Task.sleep(for: .milliseconds(200))
        }
        try await withAPI(DataDirectoryTests.configuration(directory)) { api in
            let machine = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(Self.machineArn)])
            let execution = try await api.call("DescribeExecution", ["executionArn": .string(arn)])
            #expect(machine.errorType == "StateMachineDoesNotExist")
            #expect(execution.errorType == "ExecutionDoesNotExist")
        }
    }
}
