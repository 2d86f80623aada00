import Foundation
import GRDB
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

@testable import StepLocalServer

/// `steplocal serve --data-dir`: what the API created answers the same after the server starts
/// again on the same directory, and what was running then continues.
@Suite("Data directory")
struct DataDirectoryTests {
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("steplocal-data-\(UUID().uuidString)").path
    }

    static func configuration(_ directory: String, clock: any ExecutionClock = VirtualClock(), maxExecutions: Int? = nil) -> ServerConfiguration {
        var configuration = Fixtures.configuration(clock: clock)
        configuration.dataDirectory = directory
        if let maxExecutions { configuration.maxExecutions = maxExecutions }
        return configuration
    }

    static let machineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Orders"
    static let activityArn = "arn:aws:states:us-east-1:123456789012:activity:Work"

    /// The answers a restart must not change.
    static func observe(_ api: APIClient, execution: String) async throws -> [String: JSONValue] {
        var seen: [String: JSONValue] = [:]
        seen["machine"] = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(machineArn)]).body
        seen["version"] = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(machineArn + ":1")]).body
        seen["versions"] = try await api.call("ListStateMachineVersions", ["stateMachineArn": .string(machineArn)]).body
        seen["alias"] = try await api.call("DescribeStateMachineAlias", ["stateMachineAliasArn": .string(machineArn + ":live")]).body
        seen["machineTags"] = try await api.call("ListTagsForResource", ["resourceArn": .string(machineArn)]).body
        seen["activity"] = try await api.call("DescribeActivity", ["activityArn": .string(activityArn)]).body
        seen["activityTags"] = try await api.call("ListTagsForResource", ["resourceArn": .string(activityArn)]).body
        seen["execution"] = try await api.call("DescribeExecution", ["executionArn": .string(execution)]).body
        seen["history"] = try await api.call("GetExecutionHistory", ["executionArn": .string(execution)]).body
        seen["executions"] = try await api.call("ListExecutions", ["stateMachineArn": .string(machineArn)]).body
        seen["aliasExecutions"] = try await api.call("ListExecutions", ["stateMachineArn": .string(machineArn + ":live")]).body
        seen["forExecution"] = try await api.call("DescribeStateMachineForExecution", ["executionArn": .string(execution)]).body
        return seen
    }

    @Test("State machines, versions, aliases, activities, tags and finished executions answer the same after a restart")
    func everythingSurvivesARestart() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.a, 1)"},"End":true}}}"#
        let before = try await withAPI(Self.configuration(directory)) { api in
            try await api.createStateMachine("Orders", definition: definition, extra: ["tags": [["key": "team", "value": "billing"]]])
            #expect(try await api.call("PublishStateMachineVersion", ["stateMachineArn": .string(Self.machineArn)]).status == .ok)
            #expect(try await api.call("CreateStateMachineAlias", [
                "name": "live", "routingConfiguration": [["stateMachineVersionArn": .string(Self.machineArn + ":1"), "weight": 100]],
            ]).status == .ok)
            #expect(try await api.call("CreateActivity", ["name": "Work", "tags": [["key": "k", "value": "v"]]]).status == .ok)
            let started = try await api.call(
                "StartExecution", ["stateMachineArn": .string(Self.machineArn + ":live"), "name": "first", "input": #"{"a": 41}"#])
            let execution = try #require(started["executionArn"]?.stringValue)
            #expect(try await api.waitForExecution(execution)["output"] == #"{"sum":42}"#)
            return (execution, try await Self.observe(api, execution: execution))
        }
        // What is compared is real: every answer above succeeded.
        for (name, answer) in before.1 { #expect(answer["__type"] == nil, "\(name) failed before the restart: \(answer)") }
        #expect(before.1["history"]?["events"]?.arrayValue?.count == 4)
        #expect(before.1["alias"]?["routingConfiguration"]?.arrayValue?.count == 1)
        try await withAPI(Self.configuration(directory)) { api in
            let after = try await Self.observe(api, execution: before.0)
            for (name, answer) in before.1 {
                #expect(after[name] == answer, "\(name) changed across the restart")
            }
            // The restored machine runs, and its next execution lists after the first.
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "name": "second", "input": #"{"a": 1}"#])
            let second = try #require(started["executionArn"]?.stringValue)
            #expect(try await api.waitForExecution(second)["output"] == #"{"sum":2}"#)
            let names = try await api.call("ListExecutions", ["stateMachineArn": .string(Self.machineArn)])["executions"]?.arrayValue?
                .compactMap { $0["name"]?.stringValue }
            #expect(names == ["second", "first"])
            #expect(try await api.call("DeleteActivity", ["activityArn": .string(Self.activityArn)]).status == .ok)
            #expect(try await api.call("DeleteStateMachine", ["stateMachineArn": .string(Self.machineArn)]).status == .ok)
        }
        // Deletions are kept too.
        try await withAPI(Self.configuration(directory)) { api in
            #expect(try await api.call("ListStateMachines")["stateMachines"] == [])
            #expect(try await api.call("ListActivities")["activities"] == [])
            let gone = try await api.call("DescribeExecution", ["executionArn": .string(before.0)])
            #expect(gone.errorType == "ExecutionDoesNotExist")
        }
    }

    /// Starts `definition` on a server of `directory` (real clock) and returns once its history has
    /// `events` events and they have reached the file; that server is then left behind, as if killed.
    static func startAndAbandon(_ directory: String, definition: String, events: Int, clock: any ExecutionClock = SystemClock()) async throws -> String {
        try await withAPI(Self.configuration(directory, clock: clock)) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": #"{"n": 1}"#])
            let arn = try #require(started["executionArn"]?.stringValue)
            for _ in 0..<400 {
                if (try await api.call("GetExecutionHistory", ["executionArn": .string(arn)])["events"]?.arrayValue?.count ?? 0) >= events { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(200))
            return arn
        }
    }

    /// Creates the Orders machine, starts it under `testCase`, and returns once its history has an
    /// event of `type` and that has reached the file (the store writes within 20 ms).
    static func startAndAwait(_ type: String, testCase: String, definition: String, api: APIClient) async throws -> String {
        try await api.createStateMachine("Orders", definition: definition)
        let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn + "#" + testCase)])
        let arn = try #require(started["executionArn"]?.stringValue)
        for _ in 0..<400 where !(try await Self.history(api, arn)).contains(where: { $0["type"] == .string(type) }) {
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(200))
        return arn
    }

    static func history(_ api: APIClient, _ arn: String) async throws -> [JSONValue] {
        try #require(try await api.call("GetExecutionHistory", ["executionArn": .string(arn)])["events"]?.arrayValue)
    }

    /// The history once its last event is `last` (polled on the real clock, for up to 10 s).
    static func history(_ api: APIClient, _ arn: String, endingWith last: String) async throws -> [JSONValue] {
        try await history(api, arn, until: { $0.last?["type"] == .string(last) })
    }

    /// The history once `done` holds for it (polled on the real clock, for up to 10 s; as it is then).
    static func history(_ api: APIClient, _ arn: String, until done: ([JSONValue]) -> Bool) async throws -> [JSONValue] {
        var events = try await history(api, arn)
        for _ in 0..<500 where !done(events) {
            try await Task.sleep(for: .milliseconds(20))
            events = try await history(api, arn)
        }
        return events
    }

    /// Plays a worker of the Work activity: polls until it gets a task (up to about 3 s), waits
    /// `delay`, then answers with `output` (the task's own input when nil).
    static func workActivity(_ api: APIClient, worker: String, after delay: Duration = .zero, output: JSONValue? = nil) async throws {
        var task = try await api.call("GetActivityTask", ["activityArn": .string(activityArn), "workerName": .string(worker)])
        for _ in 0..<600 where task["taskToken"]?.stringValue == nil {
            try await Task.sleep(for: .milliseconds(5))
            task = try await api.call("GetActivityTask", ["activityArn": .string(activityArn), "workerName": .string(worker)])
        }
        let token = try #require(task["taskToken"]?.stringValue)
        try await Task.sleep(for: delay)
        _ = try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": output ?? .string(task["input"]?.stringValue ?? "null")])
    }

    /// The timestamp of the first event of `type`, in seconds.
    static func timestamp(of type: String, in events: [JSONValue]) -> Double? {
        events.first { $0["type"] == .string(type) }?["timestamp"]?.numberValue?.doubleValue
    }

    @Test("An execution waiting when the server stopped continues at the next start: the Wait keeps its deadline, the history has no gap or repeat")
    func waitingExecutionResumes() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"{"StartAt":"Before","States":{"Before":{"Type":"Pass","Next":"W"},"W":{"Type":"Wait","Seconds":100000,"Next":"After"},"After":{"Type":"Pass","Result":"done","End":true}}}"#
        let execution = try await Self.startAndAbandon(directory, definition: definition, events: 4)
        // Virtual clock for the second server: the rest of the 100,000 s passes at once.
        try await withAPI(Self.configuration(directory)) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED")
            #expect(described["output"] == #""done""#)
            let events = try await Self.history(api, execution)
            #expect(events.compactMap { $0["type"]?.stringValue } == [
                "ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered", "WaitStateExited",
                "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
            ])
            #expect(events.compactMap { $0["id"]?.numberValue?.intValue } == Array(1...8))
            #expect(events.compactMap { $0["previousEventId"]?.numberValue?.intValue } == [0, 0, 2, 3, 4, 5, 6, 7])
            // The Wait ended 100,000 s after it was entered, before the restart.
            let entered = try #require(events[3]["timestamp"]?.numberValue?.doubleValue)
            let exited = try #require(events[4]["timestamp"]?.numberValue?.doubleValue)
            #expect(exited - entered == 100_000)
        }
    }

    /// The token of the first `.waitForTaskToken` Task `execution` scheduled (again, once it resumed after a restart).
    static func resumedTaskToken(_ api: APIClient, _ execution: String) async throws -> String {
        var before = try await Self.history(api, execution)
        for _ in 0..<400 where !before.contains(where: { $0["type"] == "TaskScheduled" }) {
            try await Task.sleep(for: .milliseconds(5))
            before = try await Self.history(api, execution)
        }
        let parameters = try #require(before.first { $0["type"] == "TaskScheduled" }?["taskScheduledEventDetails"]?["parameters"]?.stringValue)
        return try #require(try JSONValue(parsing: parameters)["MessageBody"]?["token"]?.stringValue)
    }

    /// Answers `{"answer": 42}` with `token`, once the resumed Task has registered it again.
    static func answerAfterResume(_ api: APIClient, token: String) async throws {
        var answered = try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": #"{"answer": 42}"#])
        for _ in 0..<200 where answered.errorType == "TaskDoesNotExist" {
            try await Task.sleep(for: .milliseconds(5))
            answered = try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": #"{"answer": 42}"#])
        }
        #expect(answered.status == .ok, "\(answered.body)")
    }

    @Test("The events a resumed Task records again read as they did before the restart: same ids, moments and details (the made-up SQS answer too), so no event a client has read changes")
    func resumedEventsKeepTheirMoments() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"""
            {"StartAt":"Before","States":{"Before":{"Type":"Pass","Next":"Ask"},
            "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}
            """#
        let (execution, before) = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn)])
            let arn = try #require(started["executionArn"]?.stringValue)
            _ = try await Self.history(api, arn, endingWith: "TaskSubmitted")
            try await Task.sleep(for: .milliseconds(200))  // in the file
            // What a client read before the server stopped.
            return (arn, try await Self.history(api, arn))
        }
        #expect(before.compactMap { $0["type"]?.stringValue }.last == "TaskSubmitted")
        #expect(before.count == 7)
        try await Task.sleep(for: .milliseconds(600))
        try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            let again = try await Self.history(api, execution, endingWith: "TaskSubmitted")
            #expect(again == before, "the events recorded again differ from those first recorded")
            try await Self.answerAfterResume(api, token: try await Self.resumedTaskToken(api, execution))
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED")
            let events = try await Self.history(api, execution)
            #expect(Array(events.prefix(7)) == before)
            Self.expectConsecutive(events)
        }
    }

    @Test("A Parallel and an inline Map under way when the server stopped keep their history as it was read: every event before the restart keeps its id, place and moment, and the rest follow")
    func resumedForkKeepsItsHistory() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"""
            {"StartAt":"Fork","States":{"Fork":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Slow","States":{"Slow":{"Type":"Wait","Seconds":4,"End":true}}},
              {"StartAt":"Note","States":{"Note":{"Type":"Pass","Next":"Each"},
                "Each":{"Type":"Map","ItemsPath":"$.items","End":true,"ItemProcessor":{"StartAt":"Mark","States":{
                  "Mark":{"Type":"Pass","Next":"Hold"},"Hold":{"Type":"Wait","Seconds":4,"End":true}}}}}},
              {"StartAt":"Quick","States":{"Quick":{"Type":"Pass","End":true}}}]}}}
            """#
        // Started, the Parallel's 2 events, the Wait branch's 1, the Map branch's 4 and 4 for each
        // of its 3 iterations, the Pass branch's 2: every thread waiting or done.
        let eventsWhileWaiting = 22
        let (execution, before) = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": #"{"items": [1, 2, 3]}"#])
            let arn = try #require(started["executionArn"]?.stringValue)
            _ = try await Self.history(api, arn, until: { $0.count >= eventsWhileWaiting })
            try await Task.sleep(for: .milliseconds(200))  // in the file
            return (arn, try await Self.history(api, arn))
        }
        try #require(before.count == eventsWhileWaiting, "every thread should still be waiting")
        try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            // The Waits end 4 s after they were entered, before the restart.
            let events = try await Self.history(api, execution, endingWith: "ExecutionSucceeded")
            #expect(events.last?["type"] == "ExecutionSucceeded")
            #expect(Array(events.prefix(before.count)) == before, "the events recorded before the restart changed")
            // The Wait branch's exit, 2 for each iteration, the Map's and the Parallel's 2 each, the execution's end.
            #expect(events.count == eventsWhileWaiting + 12)
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "WaitStateEntered" }.count == 4)
            #expect(types.filter { $0 == "WaitStateExited" }.count == 4)
            #expect(types.filter { $0 == "MapIterationStarted" }.count == 3)
            Self.expectConsecutive(events)
        }
    }

    @Test("A resumed branch whose Task call comes out otherwise (a new States.UUID() in its parameters) puts its TaskScheduled in place of the first one: one per attempt, ids unchanged")
    func resumedCallWithNewParametersTakesTheSamePlace() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"""
            {"StartAt":"Fork","States":{"Fork":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token","request.$":"States.UUID()"}},"End":true}}},
              {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":1,"Next":"Hold again"},
                "Hold again":{"Type":"Wait","Seconds":3,"End":true}}}]}}}
            """#
        let (execution, before) = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": "{}"])
            let arn = try #require(started["executionArn"]?.stringValue)
            // The Wait branch records after the Task's events: the first Wait's exit, the second's entry.
            _ = try await Self.history(api, arn, until: { $0.contains { $0["stateEnteredEventDetails"]?["name"] == "Hold again" } })
            try await Task.sleep(for: .milliseconds(200))  // in the file
            return (arn, try await Self.history(api, arn))
        }
        let types = before.compactMap { $0["type"]?.stringValue }
        try #require(types.contains("TaskSubmitted") && types.last == "WaitStateEntered", "\(types)")
        let ended = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            try await Self.answerAfterResume(api, token: try await Self.resumedTaskToken(api, execution))
            let events = try await Self.history(api, execution, endingWith: "ExecutionSucceeded")
            #expect(events.last?["type"] == "ExecutionSucceeded")
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "TaskScheduled" }.count == 1, "\(types)")
            #expect(types.filter { $0 == "TaskStarted" }.count == 1)
            #expect(types.filter { $0 == "TaskSubmitted" }.count == 1)
            Self.expectConsecutive(events)
            // Every event read before the restart is where it was; only the call's parameters changed.
            for (old, new) in zip(before, events) {
                #expect(old["id"] == new["id"] && old["type"] == new["type"] && old["timestamp"] == new["timestamp"])
                if old["type"] != "TaskScheduled" { #expect(old == new) }
            }
            let request = { (events: [JSONValue]) -> String? in
                let parameters = events.first { $0["type"] == "TaskScheduled" }?["taskScheduledEventDetails"]?["parameters"]?.stringValue
                return parameters.flatMap { try? JSONValue(parsing: $0)["MessageBody"]?["request"]?.stringValue }
            }
            #expect(request(events) != nil && request(events) != request(before), "the call was made again with a new UUID")
            return events
        }
        // The replaced event was written in place of the first one in the file too.
        try await withAPI(Self.configuration(directory, clock: VirtualClock())) { api in
            let again = try await Self.history(api, execution)
            #expect(again == ended)
        }
    }

    @Test("On the real clock a resumed Wait waits only the time it had left, not its whole duration again")
    func waitKeepsItsRemainingTime() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3,"End":true}}}"#
        let execution = try await Self.startAndAbandon(directory, definition: definition, events: 2)
        try await Task.sleep(for: .milliseconds(1300))  // about 1.5 s of the 3 have passed when the next server starts
        try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            let events = try await Self.history(api, execution, endingWith: "ExecutionSucceeded")
            #expect(events.last?["type"] == "ExecutionSucceeded")
            let entered = try #require(Self.timestamp(of: "WaitStateEntered", in: events))
            let exited = try #require(Self.timestamp(of: "WaitStateExited", in: events))
            // 3 s after it was entered, not 3 s after the restart (which would be 4.5 s or more).
            #expect(exited - entered >= 3)
            #expect(exited - entered < 4, "the Wait lasted \(exited - entered) s")
        }
    }

    @Test("A Parallel branch still in its first state (a Wait) when the server stopped continues there: the Wait keeps its deadline on the real clock")
    func branchInItsFirstStateKeepsItsWait() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":3,"End":true}}},
              {"StartAt":"Note","States":{"Note":{"Type":"Pass","End":true}}}]}}}
            """#
        let execution = try await Self.startAndAbandon(directory, definition: definition, events: 6)
        try await Task.sleep(for: .milliseconds(1300))  // about 1.5 s of the 3 have passed when the next server starts
        try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            let events = try await Self.history(api, execution, endingWith: "ExecutionSucceeded")
            #expect(events.last?["type"] == "ExecutionSucceeded")
            #expect(events.filter { $0["type"] == "WaitStateEntered" }.count == 1)
            let entered = try #require(Self.timestamp(of: "WaitStateEntered", in: events))
            let exited = try #require(Self.timestamp(of: "WaitStateExited", in: events))
            let started = try #require(Self.timestamp(of: "ExecutionStarted", in: events))
            // The Parallel, entered again, keeps the moment it started (the first run read the clock
            // twice for these two events, a millisecond apart at times; the restart came 1.3 s
            // later); the Wait was entered before the restart and left 3 s later, not 3 s after it.
            let parallelEntered = try #require(Self.timestamp(of: "ParallelStateEntered", in: events))
            let parallelStarted = try #require(Self.timestamp(of: "ParallelStateStarted", in: events))
            #expect(parallelStarted - parallelEntered >= 0 && parallelStarted - parallelEntered < 0.5)
            #expect(entered - started < 1)
            #expect(exited - entered >= 3)
            #expect(exited - entered < 4, "the Wait lasted \(exited - entered) s")
        }
    }

    @Test("A task waiting for a token keeps its TimeoutSeconds across a restart: it times out that long after it began, not after the restart")
    func taskTimeoutKeepsCountingAcrossARestart() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"""
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "TimeoutSeconds":2,"Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}
            """#
        // About 1 s of the 2 has passed when the next server starts.
        let (error, after) = try await Self.taskTimesOutAfterRestart(directory, definition, downtime: .milliseconds(800))
        #expect(error == "States.Timeout")
        // 2 s after the task began, not 2 s after the restart (which would be 3 s or more).
        #expect(after >= 1.95)
        #expect(after < 2.7, "the task timed out \(after) s after it began")
    }

    /// Starts `definition` (a task waiting for its token) on a server of `directory`, leaves it,
    /// starts the next server `downtime` later and returns the error the execution failed with
    /// and how long after the task's state was entered the task timed out.
    static func taskTimesOutAfterRestart(_ directory: String, _ definition: String, downtime: Duration) async throws -> (JSONValue?, Double) {
        let execution = try await Self.startAndAbandon(directory, definition: definition, events: 5)
        try await Task.sleep(for: downtime)
        return try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            let events = try await Self.history(api, execution, endingWith: "ExecutionFailed")
            let entered = try #require(Self.timestamp(of: "TaskStateEntered", in: events))
            let timedOut = try #require(Self.timestamp(of: "TaskTimedOut", in: events))
            return (events.last?["executionFailedEventDetails"]?["error"], timedOut - entered)
        }
    }

    static let heartbeatTask = #"""
        {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "HeartbeatSeconds":3,"Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}
        """#

    @Test("A task waiting for a token keeps its heartbeat period across a restart: without a heartbeat it times out HeartbeatSeconds after it began, not after the restart")
    func heartbeatPeriodKeepsCountingAcrossARestart() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // About 1.7 s of the 3 have passed when the next server starts.
        let (error, after) = try await Self.taskTimesOutAfterRestart(directory, Self.heartbeatTask, downtime: .milliseconds(1500))
        #expect(error == "States.HeartbeatTimeout")
        // 3 s after the task began, not 3 s after the restart (which would be 4.7 s or more).
        #expect(after >= 2.95)
        #expect(after < 4.2, "the task timed out \(after) s after it began")
    }

    @Test("A SendTaskHeartbeat answered before the server stopped is kept: the resumed task times out HeartbeatSeconds after that beat, neither after the restart nor after the task began")
    func heartbeatSurvivesARestart() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (execution, beatAt) = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: Self.heartbeatTask)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn)])
            let arn = try #require(started["executionArn"]?.stringValue)
            let token = try await Self.resumedTaskToken(api, arn)
            try await Task.sleep(for: .milliseconds(1500))
            let beatAt = Date().timeIntervalSince1970
            let beat = try await api.call("SendTaskHeartbeat", ["taskToken": .string(token)])
            #expect(beat.status == .ok, "\(beat.body)")
            // Left at once, as if killed: only what was written before the answer counts.
            return (arn, beatAt)
        }
        try await Task.sleep(for: .milliseconds(1000))
        try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            let events = try await Self.history(api, execution, endingWith: "ExecutionFailed")
            #expect(events.last?["executionFailedEventDetails"]?["error"] == "States.HeartbeatTimeout")
            let timedOut = try #require(Self.timestamp(of: "TaskTimedOut", in: events))
            // 3 s after the beat: counted from the restart it would be 4 s or more, from the task's start about 1.5 s.
            #expect(timedOut - beatAt >= 2.95)
            #expect(timedOut - beatAt < 3.8, "the task timed out \(timedOut - beatAt) s after the heartbeat")
        }
    }

    @Test("A .sync child execution under way when the server stopped is waited for again after the restart, not started a second time")
    func syncChildIsNotStartedTwice() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let childArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Child"
        let child = #"{"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":100000,"Next":"Done"},"Done":{"Type":"Pass","Result":"done","End":true}}}"#
        let parent = #"""
            {"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
            "Parameters":{"StateMachineArn":"\#(childArn)","Input":{"n":1}},"OutputPath":"$.Output","End":true}}}
            """#
        let (execution, childrenBefore) = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            try await api.createStateMachine("Child", definition: child)
            try await api.createStateMachine("Orders", definition: parent)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn)])
            let arn = try #require(started["executionArn"]?.stringValue)
            for _ in 0..<400 where !(try await Self.history(api, arn)).contains(where: { $0["type"] == "TaskSubmitted" }) {
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(200))
            let children = try #require(try await api.call("ListExecutions", ["stateMachineArn": .string(childArn)])["executions"]?.arrayValue)
            return (arn, children.compactMap { $0["executionArn"]?.stringValue })
        }
        #expect(childrenBefore.count == 1)
        try await withAPI(Self.configuration(directory)) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            #expect(described["output"] == #""done""#)
            let children = try #require(try await api.call("ListExecutions", ["stateMachineArn": .string(childArn)])["executions"]?.arrayValue)
            #expect(children.compactMap { $0["executionArn"]?.stringValue } == childrenBefore)
            #expect(children.first?["status"] == "SUCCEEDED")
            let submitted = try await Self.history(api, execution).first { $0["type"] == "TaskSubmitted" }
            let output = try JSONValue(parsing: submitted?["taskSubmittedEventDetails"]?["output"]?.stringValue ?? "{}")
            #expect(output["ExecutionArn"]?.stringValue == childrenBefore.first)
        }
    }

    @Test("A task waiting for a token when the server stopped still accepts SendTaskSuccess with the same token after the restart")
    func taskTokenSurvivesARestart() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"""
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}
            """#
        let execution = try await Self.startAndAbandon(directory, definition: definition, events: 5)
        try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            // The resumed Task records its events again (same ids) as it runs again, just after start-up.
            try await Self.answerAfterResume(api, token: try await Self.resumedTaskToken(api, execution))
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED")
            #expect(described["output"] == #"{"answer":42}"#)
            let events = try await Self.history(api, execution)
            #expect(events.compactMap { $0["type"]?.stringValue } == [
                "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited",
                "ExecutionSucceeded",
            ])
            #expect(events.compactMap { $0["id"]?.numberValue?.intValue } == Array(1...8))
        }
    }

    @Test("Under WAIT_TIME_SCALE=0 an execution that skipped an hour's Wait goes on from its own time after a restart, not from the wall clock's")
    func skippedWaitsSurviveARestart() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"""
            {"StartAt":"Later","States":{"Later":{"Type":"Wait","Seconds":3600,"Next":"Ask"},
             "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
             "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}
            """#
        let skipping = SystemClock(waitTimeScale: 0)
        let execution = try await Self.startAndAbandon(directory, definition: definition, events: 7, clock: skipping)
        try await withAPI(Self.configuration(directory, clock: skipping)) { api in
            try await Self.answerAfterResume(api, token: try await Self.resumedTaskToken(api, execution))
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED")
            let events = try await Self.history(api, execution)
            let times = events.compactMap { $0["timestamp"]?.numberValue?.doubleValue }
            #expect(times == times.sorted(), "\(events.map { "\($0["type"]?.stringValue ?? "") \($0["timestamp"]?.numberValue?.doubleValue ?? 0)" })")
            let started = try #require(Self.timestamp(of: "ExecutionStarted", in: events))
            #expect(try #require(Self.timestamp(of: "TaskSucceeded", in: events)) - started >= 3600)
        }
    }

    @Test("An execution started with a mock test case resumes under the same test case, its invocation counts carried over")
    func testCaseSurvivesARestart() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func configuration(_ clock: any ExecutionClock) throws -> ServerConfiguration {
            try Self.mockedConfiguration(directory, clock: clock)
        }
        // Charge answers {"n": 0} the first time and {"n": 1} the second; the loop ends on 1.
        let definition = #"""
            {"StartAt":"Charge","States":{
            "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"charge"},"OutputPath":"$.Payload","Next":"Hold"},
            "Hold":{"Type":"Wait","Seconds":100000,"Next":"Decide"},
            "Decide":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":0,"Next":"Charge"}],"Default":"Done"},
            "Done":{"Type":"Pass","End":true}}}
            """#
        let execution = try await withAPI(try configuration(SystemClock())) { api in
            try await Self.startAndAwait("WaitStateEntered", testCase: "Happy", definition: definition, api: api)
        }
        try await withAPI(try configuration(VirtualClock())) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            #expect(described["output"] == #"{"n":1}"#)
            // Invoked twice in all: once before the restart (invocation 0), once after (invocation 1).
            let entered = try await Self.history(api, execution).filter { $0["type"] == "TaskStateEntered" }
            #expect(entered.count == 2)
        }
    }

    /// The Orders machine's `Happy` test case: `Charge` answers `{"n": 0}`, then `{"n": 1}`, then
    /// `{"n": 2}`, so how often it ran shows in the outputs.
    static let happyMocks = #"""
        {"StateMachines": {"Orders": {"TestCases": {"Happy": {"Charge": "Paid"}}}},
         "MockedResponses": {"Paid": {"0": {"Return": {"Payload": {"n": 0}}}, "1": {"Return": {"Payload": {"n": 1}}},
                                      "2": {"Return": {"Payload": {"n": 2}}}}}}
        """#

    /// A server on `directory` with the mock configuration `mocks` (a Step Functions Local file's text).
    static func mockedConfiguration(_ directory: String, clock: any ExecutionClock, mocks: String = happyMocks) throws -> ServerConfiguration {
        var configuration = Self.configuration(directory, clock: clock)
        configuration.mockConfig = try MockConfigLoader.parse(mocks, file: "mocks.json")
        return configuration
    }

    /// Every event names an earlier one as its previous, and ids run 1, 2, 3, ... without a gap.
    static func expectConsecutive(_ events: [JSONValue]) {
        let ids = events.compactMap { $0["id"]?.numberValue?.intValue }
        #expect(ids == Array(1...max(1, events.count)))
        for event in events {
            let id = event["id"]?.numberValue?.intValue ?? 0
            let previous = event["previousEventId"]?.numberValue?.intValue ?? -1
            #expect((0..<id).contains(previous), "event \(id) names \(previous)")
        }
    }

    @Test("A Parallel resumed after a restart runs again only the branch that had not finished: the finished one's Task is not called twice, the waiting one's token still answers")
    func parallelResumesOnlyUnfinishedBranches() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}},
              {"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                "Parameters":{"FunctionName":"charge"},"OutputPath":"$.Payload","Next":"Note"},
                "Note":{"Type":"Pass","End":true}}}]}}}
            """#
        let (execution, token) = try await withAPI(try Self.mockedConfiguration(directory, clock: SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn + "#Happy")])
            let arn = try #require(started["executionArn"]?.stringValue)
            var events: [JSONValue] = []
            for _ in 0..<400 {
                events = try await Self.history(api, arn)
                if events.contains(where: { $0["type"] == "TaskSubmitted" }), events.contains(where: { $0["type"] == "PassStateExited" }) { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(200))
            let scheduled = try #require(events.first { $0["taskScheduledEventDetails"]?["resourceType"] == "sqs" })
            let parameters = try #require(scheduled["taskScheduledEventDetails"]?["parameters"]?.stringValue)
            return (arn, try #require(try JSONValue(parsing: parameters)["MessageBody"]?["token"]?.stringValue))
        }
        try await withAPI(try Self.mockedConfiguration(directory, clock: SystemClock())) { api in
            try await Self.answerAfterResume(api, token: token)
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            // Charge's first answer: run again, the branch would have had its second.
            #expect(described["output"] == #"[{"answer":42},{"n":0}]"#)
            let events = try await Self.history(api, execution)
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "TaskScheduled" }.count == 2)
            #expect(types.filter { $0 == "PassStateEntered" }.count == 1)
            #expect(types.filter { $0 == "ParallelStateEntered" }.count == 1)
            #expect(types.last == "ExecutionSucceeded")
            Self.expectConsecutive(events)
        }
    }

    @Test("An inline Map resumed after a restart runs again only the iterations that had not finished")
    func mapResumesOnlyUnfinishedIterations() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Items 0 and 2 call Charge and finish; item 1 waits 100,000 s, across the restart.
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","End":true,"ItemProcessor":{
              "ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Kind","States":{
              "Kind":{"Type":"Choice","Choices":[{"Variable":"$.slow","BooleanEquals":true,"Next":"Hold"}],"Default":"Charge"},
              "Hold":{"Type":"Wait","Seconds":100000,"Next":"Slow"},
              "Slow":{"Type":"Pass","Result":"slow","End":true},
              "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"charge"},
                "ResultSelector":{"n.$":"$.Payload.n"},"End":true}}}}}}
            """#
        let execution = try await withAPI(try Self.mockedConfiguration(directory, clock: SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", [
                "stateMachineArn": .string(Self.machineArn + "#Happy"), "input": #"{"items":[{"slow":false},{"slow":true},{"slow":false}]}"#,
            ])
            let arn = try #require(started["executionArn"]?.stringValue)
            for _ in 0..<400 {
                let succeeded = try await Self.history(api, arn).filter { $0["type"] == "MapIterationSucceeded" }.count
                if succeeded == 2 { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(200))
            return arn
        }
        try await withAPI(try Self.mockedConfiguration(directory, clock: VirtualClock())) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            // Both Charges kept the answers they had before the restart (0 and 1, in whichever order).
            let output = try JSONValue(parsing: try #require(described["output"]?.stringValue))
            let results = try #require(output.arrayValue)
            #expect(results.count == 3)
            let charged = [results[0]["n"], results[2]["n"]].compactMap { $0?.numberValue?.intValue }.sorted()
            #expect(charged == [0, 1], "\(output)")
            #expect(results[1] == "slow")
            let events = try await Self.history(api, execution)
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "TaskScheduled" }.count == 2)
            #expect(types.filter { $0 == "MapIterationStarted" }.count == 3)
            #expect(types.filter { $0 == "MapIterationSucceeded" }.count == 3)
            #expect(types.filter { $0 == "WaitStateEntered" }.count == 1)
            Self.expectConsecutive(events)
            // The waiting iteration kept its deadline: its Wait ended 100,000 s after it began.
            let waitEntered = try #require(Self.timestamp(of: "WaitStateEntered", in: events))
            let waitExited = try #require(Self.timestamp(of: "WaitStateExited", in: events))
            #expect(waitExited - waitEntered == 100_000)
        }
    }

    @Test("A Task waiting out a Retry back-off when the server stopped makes its next attempt after the restart, not its first again; the back-off keeps its end")
    func retryProgressSurvivesARestart() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let mocks = #"""
            {"StateMachines": {"Orders": {"TestCases": {"Flaky": {"Charge": "FailsTwice"}}}},
             "MockedResponses": {"FailsTwice": {"0-1": {"Throw": {"Error": "Busy", "Cause": "try later"}},
                                                "2": {"Return": {"Payload": {"paid": true}}}}}}
            """#
        func configuration(_ clock: any ExecutionClock) throws -> ServerConfiguration {
            try Self.mockedConfiguration(directory, clock: clock, mocks: mocks)
        }
        // Attempt 0 fails at once, attempt 1 after 100,000 s (its back-off spans the restart), attempt 2 succeeds.
        let definition = #"""
            {"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Parameters":{"FunctionName":"charge","attempt.$":"$$.State.RetryCount"},"OutputPath":"$.Payload",
            "Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":100000,"BackoffRate":1.5,"MaxAttempts":3}],"End":true}}}
            """#
        let execution = try await withAPI(try configuration(SystemClock())) { api in
            try await Self.startAndAwait("TaskFailed", testCase: "Flaky", definition: definition, api: api)
        }
        try await withAPI(try configuration(VirtualClock())) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            #expect(described["output"] == #"{"paid":true}"#)
            let events = try await Self.history(api, execution)
            #expect(events.compactMap { $0["type"]?.stringValue } == [
                "ExecutionStarted", "TaskStateEntered",
                "TaskScheduled", "TaskStarted", "TaskFailed",
                "TaskScheduled", "TaskStarted", "TaskFailed",
                "TaskScheduled", "TaskStarted", "TaskSucceeded",
                "TaskStateExited", "ExecutionSucceeded",
            ])
            Self.expectConsecutive(events)
            // Each attempt saw its own RetryCount, and the back-offs were 100,000 s then 150,000 s.
            let attempts = events.filter { $0["type"] == "TaskScheduled" }.compactMap { event -> Int? in
                guard let text = event["taskScheduledEventDetails"]?["parameters"]?.stringValue else { return nil }
                return (try? JSONValue(parsing: text))?["attempt"]?.numberValue?.intValue
            }
            #expect(attempts == [0, 1, 2])
            let stamps = events.compactMap { $0["timestamp"]?.numberValue?.doubleValue }
            #expect(stamps[5] - stamps[4] == 100_000)
            #expect(stamps[8] - stamps[7] == 150_000)
        }
    }

    @Test("A Parallel branch waiting out a Retry back-off across two restarts still continues there, not from its first state: what that state made (a new States.UUID()) is not made again")
    func branchRetryProgressSurvivesTwoRestarts() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Attempt 0 is failed by the worker; attempt 1 follows a 100,000 s back-off that spans both restarts.
        let definition = #"""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Stamp","States":{"Stamp":{"Type":"Pass","Parameters":{"id.$":"States.UUID()"},"Next":"Work"},
                "Work":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:Work",
                "Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":100000,"MaxAttempts":2}],"End":true}}},
              {"StartAt":"Note","States":{"Note":{"Type":"Pass","Result":"noted","End":true}}}]}}}
            """#
        @Sendable func stamp(_ events: [JSONValue]) -> JSONValue? {
            events.first { $0["type"] == "PassStateExited" && $0["stateExitedEventDetails"]?["name"] == "Stamp" }
        }
        let (execution, stamped) = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            _ = try await api.call("CreateActivity", ["name": "Work"])
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": "{}"])
            let arn = try #require(started["executionArn"]?.stringValue)
            let task = try await api.call("GetActivityTask", ["activityArn": .string(Self.activityArn), "workerName": "first"])
            let token = try #require(task["taskToken"]?.stringValue)
            #expect(try await api.call("SendTaskFailure", ["taskToken": .string(token), "error": "Busy"]).status == .ok)
            let events = try await Self.history(api, arn, endingWith: "ActivityFailed")
            try await Task.sleep(for: .milliseconds(200))  // in the file
            return (arn, try #require(stamp(events)))
        }
        // The first restart resumes the branch in its back-off; the second must find it there again.
        try await withAPI(Self.configuration(directory, clock: SystemClock())) { _ in try await Task.sleep(for: .milliseconds(300)) }
        try await withAPI(Self.configuration(directory, clock: VirtualClock())) { api in
            // On the virtual clock the back-off passes at once and attempt 1 is offered.
            let events = try await Self.history(api, execution, until: { $0.filter { $0["type"] == "ActivityScheduled" }.count >= 2 })
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "ActivityScheduled" }.count == 2, "\(types)")
            #expect(types.filter { $0 == "ActivityFailed" }.count == 1)
            #expect(stamp(events) == stamped, "the branch ran its first state again")
            Self.expectConsecutive(events)
        }
    }

    @Test("A Parallel branch waiting out a Retry back-off when the server stopped makes its next attempt after the restart, not its first again")
    func branchRetryProgressSurvivesARestart() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let mocks = #"""
            {"StateMachines": {"Orders": {"TestCases": {"Flaky": {"Charge": "FailsOnce"}}}},
             "MockedResponses": {"FailsOnce": {"0": {"Throw": {"Error": "Busy", "Cause": "try later"}},
                                               "1": {"Return": {"Payload": {"paid": true}}}}}}
            """#
        // The branch's attempt 0 fails at once; attempt 1 follows a 100,000 s back-off that spans the restart.
        let definition = #"""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                "Parameters":{"FunctionName":"charge","attempt.$":"$$.State.RetryCount"},"OutputPath":"$.Payload",
                "Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":100000,"MaxAttempts":2}],"End":true}}},
              {"StartAt":"Note","States":{"Note":{"Type":"Pass","Result":"noted","End":true}}}]}}}
            """#
        let (execution, failedBefore) = try await withAPI(try Self.mockedConfiguration(directory, clock: SystemClock(), mocks: mocks)) { api in
            let arn = try await Self.startAndAwait("TaskFailed", testCase: "Flaky", definition: definition, api: api)
            return (arn, try await Self.history(api, arn).first { $0["type"] == "TaskFailed" }?["timestamp"])
        }
        try await withAPI(try Self.mockedConfiguration(directory, clock: VirtualClock(), mocks: mocks)) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            #expect(described["output"] == #"[{"paid":true},"noted"]"#)
            // The failed attempt was not made again: its event is the one recorded before the restart.
            #expect(try await Self.history(api, execution).first { $0["type"] == "TaskFailed" }?["timestamp"] == failedBefore)
            let events = try await Self.history(api, execution)
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "TaskScheduled" }.count == 2)
            #expect(types.filter { $0 == "TaskFailed" }.count == 1)
            #expect(types.filter { $0 == "TaskStateEntered" }.count == 1)
            Self.expectConsecutive(events)
            // Attempts 0 and 1, the second 100,000 s after the first failed.
            let scheduled = events.filter { $0["type"] == "TaskScheduled" }
            let attempts = scheduled.compactMap { event -> Int? in
                guard let text = event["taskScheduledEventDetails"]?["parameters"]?.stringValue else { return nil }
                return (try? JSONValue(parsing: text))?["attempt"]?.numberValue?.intValue
            }
            #expect(attempts == [0, 1])
            let failedAt = try #require(Self.timestamp(of: "TaskFailed", in: events))
            let retriedAt = try #require(scheduled.last?["timestamp"]?.numberValue?.doubleValue)
            #expect(retriedAt - failedAt == 100_000)
        }
    }

    @Test("An inline Map iteration under way when the server stopped continues at the state it was in: its Task is not called again, its Wait keeps its deadline")
    func iterationResumesWhereItStood() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Each iteration calls Charge, then waits 100,000 s (across the restart), then ends.
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","End":true,"ItemProcessor":{
              "ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Charge","States":{
              "Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"charge"},
                "ResultSelector":{"n.$":"$.Payload.n"},"Next":"Hold"},
              "Hold":{"Type":"Wait","Seconds":100000,"Next":"Done"},
              "Done":{"Type":"Pass","End":true}}}}}}
            """#
        let execution = try await withAPI(try Self.mockedConfiguration(directory, clock: SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", [
                "stateMachineArn": .string(Self.machineArn + "#Happy"), "input": #"{"items":[1,2]}"#,
            ])
            let arn = try #require(started["executionArn"]?.stringValue)
            for _ in 0..<400 where (try await Self.history(api, arn)).filter({ $0["type"] == "WaitStateEntered" }).count < 2 {
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(200))
            return arn
        }
        try await withAPI(try Self.mockedConfiguration(directory, clock: VirtualClock())) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            // The answers of invocations 0 and 1, from before the restart; run again, they would be 2 and a failure.
            let output = try JSONValue(parsing: try #require(described["output"]?.stringValue))
            let charged = (output.arrayValue ?? []).compactMap { $0["n"]?.numberValue?.intValue }.sorted()
            #expect(charged == [0, 1], "\(output)")
            let events = try await Self.history(api, execution)
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "TaskScheduled" }.count == 2)
            #expect(types.filter { $0 == "MapIterationStarted" }.count == 2)
            #expect(types.filter { $0 == "WaitStateEntered" }.count == 2)
            #expect(types.filter { $0 == "MapIterationSucceeded" }.count == 2)
            Self.expectConsecutive(events)
            // Each Wait ended 100,000 s after it was entered, before the restart.
            let entered = events.filter { $0["type"] == "WaitStateEntered" }.compactMap { $0["timestamp"]?.numberValue?.doubleValue }
            let exited = events.filter { $0["type"] == "WaitStateExited" }.compactMap { $0["timestamp"]?.numberValue?.doubleValue }
            #expect(entered.count == 2 && exited.count == 2)
            if entered.count == 2, exited.count == 2 { #expect(exited.sorted()[1] - entered.sorted()[1] == 100_000) }
        }
    }

    @Test("A Parallel inside a Map iteration resumes only its unfinished branch after a restart: the finished branch's activity is not scheduled again, the waiting one keeps its deadline")
    func nestedParallelResumesOnlyItsUnfinishedBranch() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Each iteration runs a Parallel: one branch's activity is worked before the restart, the
        // other waits 100,000 s across it. Scheduled again, the activity would find no worker.
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","End":true,"ItemProcessor":{
              "ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Both","States":{
              "Both":{"Type":"Parallel","End":true,"Branches":[
                {"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"\#(Self.activityArn)","Next":"Noted"},
                  "Noted":{"Type":"Pass","End":true}}},
                {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":100000,"Next":"Held"},
                  "Held":{"Type":"Pass","Result":"held","End":true}}}]}}}}}}
            """#
        let execution = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            _ = try await api.call("CreateActivity", ["name": "Work"])
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": #"{"items":[1,2]}"#])
            let arn = try #require(started["executionArn"]?.stringValue)
            for _ in 0..<2 {
                let task = try await api.call("GetActivityTask", ["activityArn": .string(Self.activityArn), "workerName": "before"])
                let token = try #require(task["taskToken"]?.stringValue)
                _ = try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": .string(task["input"]?.stringValue ?? "null")])
            }
            for _ in 0..<400 {
                let types = try await Self.history(api, arn).compactMap { $0["type"]?.stringValue }
                if types.filter({ $0 == "WaitStateEntered" }).count == 2, types.filter({ $0 == "PassStateExited" }).count == 2 { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(200))
            return arn
        }
        try await withAPI(Self.configuration(directory)) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            #expect(described["output"] == "[[1,\"held\"],[2,\"held\"]]")
            let events = try await Self.history(api, execution)
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "ActivityScheduled" }.count == 2)
            #expect(types.filter { $0 == "ParallelStateStarted" }.count == 2)
            #expect(types.filter { $0 == "WaitStateEntered" }.count == 2)
            #expect(types.filter { $0 == "MapIterationSucceeded" }.count == 2)
            Self.expectConsecutive(events)
            // Each Wait ended 100,000 s after it was entered, before the restart.
            let entered = events.filter { $0["type"] == "WaitStateEntered" }.compactMap { $0["timestamp"]?.numberValue?.doubleValue }.sorted()
            let exited = events.filter { $0["type"] == "WaitStateExited" }.compactMap { $0["timestamp"]?.numberValue?.doubleValue }.sorted()
            #expect(entered.count == 2 && exited.count == 2)
            if entered.count == 2, exited.count == 2 { #expect(exited[1] - entered[1] == 100_000) }
        }
    }

    @Test("A Parallel that its Retry started again keeps that attempt's finished branches across a restart")
    func retriedParallelKeepsItsBranches() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let mocks = #"""
            {"StateMachines": {"Orders": {"TestCases": {"Flaky": {"Charge": "FailsOnce"}}}},
             "MockedResponses": {"FailsOnce": {"0": {"Throw": {"Error": "Busy", "Cause": "try later"}},
                                               "1": {"Return": {"Payload": {"paid": 1}}},
                                               "2": {"Return": {"Payload": {"paid": 2}}}}}}
            """#
        func configuration(_ clock: any ExecutionClock) throws -> ServerConfiguration {
            try Self.mockedConfiguration(directory, clock: clock, mocks: mocks)
        }
        // Attempt 0: Charge fails, so the Parallel fails and is retried after 1 s; attempt 1:
        // Charge succeeds while the other branch waits 100,000 s, across the restart.
        let definition = #"""
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,
              "Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":1,"MaxAttempts":2}],"Branches":[
              {"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                "Parameters":{"FunctionName":"charge"},"OutputPath":"$.Payload","End":true}}},
              {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":100000,"End":true}}}]}}}
            """#
        let execution = try await withAPI(try configuration(SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn + "#Flaky")])
            let arn = try #require(started["executionArn"]?.stringValue)
            for _ in 0..<800 where (try await Self.history(api, arn)).filter({ $0["type"] == "TaskSucceeded" }).isEmpty {
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(200))
            return arn
        }
        try await withAPI(try configuration(VirtualClock())) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            // Invocation 1's answer: called again after the restart, Charge would have answered 2.
            let output = try JSONValue(parsing: try #require(described["output"]?.stringValue))
            #expect(output.arrayValue?.first?["paid"] == 1, "\(output)")
            let events = try await Self.history(api, execution)
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "TaskScheduled" }.count == 2)
            #expect(types.filter { $0 == "ParallelStateStarted" }.count == 2)
            #expect(types.filter { $0 == "ParallelStateEntered" }.count == 1)
            Self.expectConsecutive(events)
        }
    }

    @Test("A finished Distributed Map's Map Run (batched: item and execution counts apart) and child executions answer the same after a restart")
    func mapRunsSurviveARestart() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemBatcher":{"MaxItemsPerBatch":2},"ItemProcessor":{
              "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
              "StartAt":"Double","States":{"Double":{"Type":"Pass","Parameters":{"v.$":"States.ArrayLength($.Items)"},"End":true}}}}}}
            """#
        @Sendable func observe(_ api: APIClient, _ execution: String) async throws -> [String: JSONValue] {
            var seen: [String: JSONValue] = [:]
            let runs = try await api.call("ListMapRuns", ["executionArn": .string(execution)])
            seen["runs"] = runs.body
            let run = try #require(runs["mapRuns"]?.arrayValue?.first?["mapRunArn"])
            seen["run"] = try await api.call("DescribeMapRun", ["mapRunArn": run]).body
            let children = try await api.call("ListExecutions", ["mapRunArn": run])
            seen["children"] = children.body
            let child = try #require(children["executions"]?.arrayValue?.first?["executionArn"])
            seen["child"] = try await api.call("DescribeExecution", ["executionArn": child]).body
            seen["childHistory"] = try await api.call("GetExecutionHistory", ["executionArn": child]).body
            return seen
        }
        let (execution, before) = try await withAPI(Self.configuration(directory)) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": "[1, 2, 3]"])
            let arn = try #require(started["executionArn"]?.stringValue)
            #expect(try await api.waitForExecution(arn)["output"] == #"[{"v":2},{"v":1}]"#)
            return (arn, try await observe(api, arn))
        }
        #expect(before["children"]?["executions"]?.arrayValue?.count == 2)
        #expect(before["run"]?["itemCounts"]?["total"] == 3 && before["run"]?["executionCounts"]?["total"] == 2)
        #expect(before["childHistory"]?["events"]?.arrayValue?.isEmpty == false)
        try await withAPI(Self.configuration(directory)) { api in
            let after = try await observe(api, execution)
            for (name, answer) in before {
                #expect(after[name] == answer, "\(name) changed across the restart")
            }
        }
    }

    /// Items marked slow wait 100,000 s in their child execution; the others end at once.
    static let slowDistributedMap = #"""
        {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemProcessor":{
          "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Kind","States":{
          "Kind":{"Type":"Choice","Choices":[{"Variable":"$.slow","BooleanEquals":true,"Next":"Hold"}],"Default":"Done"},
          "Hold":{"Type":"Wait","Seconds":100000,"Next":"Done"},
          "Done":{"Type":"Pass","Parameters":{"n.$":"$.n"},"End":true}}}}}}
        """#

    /// Starts the slow Distributed Map on a real clock and waits until `ended` children have ended.
    static func startSlowDistributedMap(_ api: APIClient, input: String, ended: Int) async throws -> (execution: String, run: JSONValue) {
        try await api.createStateMachine("Orders", definition: slowDistributedMap)
        let started = try await api.call("StartExecution", ["stateMachineArn": .string(machineArn), "input": .string(input)])
        let arn = try #require(started["executionArn"]?.stringValue)
        for _ in 0..<400 {
            let runs = try await api.call("ListMapRuns", ["executionArn": .string(arn)])["mapRuns"]?.arrayValue ?? []
            if let run = runs.first?["mapRunArn"],
                try await api.call("DescribeMapRun", ["mapRunArn": run])["executionCounts"]?["succeeded"]?.numberValue?.intValue == ended
            {
                try await Task.sleep(for: .milliseconds(200))
                return (arn, run)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("the Distributed Map's fast children did not end: \(try await api.call("DescribeExecution", ["executionArn": .string(arn)]).body) \(try await Self.history(api, arn))")
        throw CancellationError()
    }

    @Test("A Distributed Map under way when the server stopped continues its Map Run: children that ended keep their outcome, those running start again under the same ARN")
    func distributedMapContinuesItsRun() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = #"[{"n":0,"slow":false},{"n":1,"slow":true},{"n":2,"slow":false},{"n":3,"slow":true}]"#
        let (execution, run, childrenBefore, fastHistories) = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            let (execution, run) = try await Self.startSlowDistributedMap(api, input: input, ended: 2)
            let children = try #require(try await api.call("ListExecutions", ["mapRunArn": run])["executions"]?.arrayValue)
            var fast: [String: JSONValue] = [:]
            for child in children where child["status"] == "SUCCEEDED" {
                let arn = try #require(child["executionArn"])
                fast[arn.stringValue ?? ""] = try await api.call("GetExecutionHistory", ["executionArn": arn]).body
            }
            return (execution, run, children.compactMap { $0["executionArn"]?.stringValue }.sorted(), fast)
        }
        #expect(childrenBefore.count == 4 && fastHistories.count == 2)
        try await withAPI(Self.configuration(directory)) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            #expect(described["output"] == #"[{"n":0},{"n":1},{"n":2},{"n":3}]"#)
            // One run, the same one, now with every child succeeded.
            let runs = try #require(try await api.call("ListMapRuns", ["executionArn": .string(execution)])["mapRuns"]?.arrayValue)
            #expect(runs.map { $0["mapRunArn"] } == [run])
            let counts = try await api.call("DescribeMapRun", ["mapRunArn": run])["executionCounts"]
            #expect(counts?["succeeded"] == 4 && counts?["total"] == 4 && counts?["running"] == 0)
            // The same four children: the two that ended were not run again, the two waiting started again.
            let children = try #require(try await api.call("ListExecutions", ["mapRunArn": run])["executions"]?.arrayValue)
            #expect(children.compactMap { $0["executionArn"]?.stringValue }.sorted() == childrenBefore)
            for (arn, history) in fastHistories {
                #expect(try await api.call("GetExecutionHistory", ["executionArn": .string(arn)]).body == history)
            }
            // The parent records its run once, with no gap or repeat.
            let events = try await Self.history(api, execution)
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "MapRunStarted" }.count == 1)
            #expect(types.filter { $0 == "MapRunSucceeded" }.count == 1)
            #expect(events.first { $0["type"] == "MapRunStarted" }?["mapRunStartedEventDetails"]?["mapRunArn"] == run)
            Self.expectConsecutive(events)
        }
    }

    @Test("A Distributed Map child is in the file as ended before DescribeExecution says it ended: a crash right after cannot bring it back running")
    func mapRunChildEndIsWrittenBeforeItIsVisible() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // One child ends a second in, its last change long written; the other keeps the parent running.
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemProcessor":{
              "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Hold","States":{
              "Hold":{"Type":"Wait","SecondsPath":"$.s","End":true}}}}}}
            """#
        try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": #"[{"s":1},{"s":100000}]"#])
            let arn = try #require(started["executionArn"]?.stringValue)
            var children: [JSONValue] = []
            for _ in 0..<400 where children.count < 2 {
                try await Task.sleep(for: .milliseconds(5))
                guard let run = try await api.call("ListMapRuns", ["executionArn": .string(arn)])["mapRuns"]?.arrayValue?.first?["mapRunArn"] else { continue }
                children = try await api.call("ListExecutions", ["mapRunArn": run])["executions"]?.arrayValue ?? []
            }
            var quick: String?
            for child in children {
                let described = try await api.call("DescribeExecution", ["executionArn": try #require(child["executionArn"])])
                if described["input"] == #"{"s":1}"# { quick = child["executionArn"]?.stringValue }
            }
            let child = try #require(quick)
            var reading = Configuration()
            reading.readonly = true
            let file = try DatabaseQueue(path: URL(fileURLWithPath: directory).appendingPathComponent(SQLiteResourceStore.fileName).path, configuration: reading)
            @Sendable func statusInFile() throws -> String? {
                try file.read { db in
                    try String.fetchAll(db, sql: "SELECT record FROM map_run_children").lazy
                        .compactMap { try? JSONValue(parsing: $0) }
                        .first { $0["arn"]?.stringValue == child }?["status"]?.stringValue
                }
            }
            var seenEnded = false
            for _ in 0..<5000 where !seenEnded {
                seenEnded = try await api.call("DescribeExecution", ["executionArn": .string(child)])["status"] == "SUCCEEDED"
                if !seenEnded { try await Task.sleep(for: .milliseconds(1)) }
            }
            #expect(seenEnded)
            // Read the moment the end is seen, before the parent's next write (within 20 ms) would bring it.
            #expect(try statusInFile() == "SUCCEEDED")
            _ = try await api.call("StopExecution", ["executionArn": .string(arn)])
        }
    }

    @Test("A Distributed Map child waiting for a task token when the server stopped hands out the same token after the restart")
    func distributedMapChildKeepsItsToken() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemProcessor":{
              "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Ask","States":{
              "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}}}}
            """#
        let (execution, token) = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": "[1]"])
            let arn = try #require(started["executionArn"]?.stringValue)
            for _ in 0..<400 {
                if let run = try await api.call("ListMapRuns", ["executionArn": .string(arn)])["mapRuns"]?.arrayValue?.first?["mapRunArn"],
                    let child = try await api.call("ListExecutions", ["mapRunArn": run])["executions"]?.arrayValue?.first?["executionArn"]?.stringValue,
                    let scheduled = try await Self.history(api, child).first(where: { $0["type"] == "TaskScheduled" }),
                    let parameters = scheduled["taskScheduledEventDetails"]?["parameters"]?.stringValue,
                    let token = try JSONValue(parsing: parameters)["MessageBody"]?["token"]?.stringValue
                {
                    try await Task.sleep(for: .milliseconds(200))
                    return (arn, token)
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            throw CancellationError()
        }
        try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            try await Self.answerAfterResume(api, token: token)
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            #expect(described["output"] == #"[{"answer":42}]"#)
        }
    }

    @Test("A Distributed Map child under way when the server stopped continues in the state it was in: its activity is not scheduled again, its Wait keeps its deadline, its history has no gap or repeat")
    func distributedMapChildResumesWhereItStood() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Each child works an activity before the restart, then waits 100,000 s across it.
        // Started again from its beginning, it would schedule the activity again and find no worker.
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemProcessor":{
              "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Work","States":{
              "Work":{"Type":"Task","Resource":"\#(Self.activityArn)","Next":"Hold"},
              "Hold":{"Type":"Wait","Seconds":100000,"Next":"Done"},
              "Done":{"Type":"Pass","End":true}}}}}}
            """#
        let (execution, run, before) = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            _ = try await api.call("CreateActivity", ["name": "Work"])
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": "[1,2]"])
            let arn = try #require(started["executionArn"]?.stringValue)
            for _ in 0..<2 {
                let task = try await api.call("GetActivityTask", ["activityArn": .string(Self.activityArn), "workerName": "before"])
                let token = try #require(task["taskToken"]?.stringValue)
                _ = try await api.call("SendTaskSuccess", ["taskToken": .string(token), "output": .string(task["input"]?.stringValue ?? "null")])
            }
            let run = try #require(try await api.call("ListMapRuns", ["executionArn": .string(arn)])["mapRuns"]?.arrayValue?.first?["mapRunArn"])
            var histories: [String: [JSONValue]] = [:]
            for _ in 0..<400 {
                let children = try await api.call("ListExecutions", ["mapRunArn": run])["executions"]?.arrayValue ?? []
                histories = [:]
                for child in children {
                    let childArn = child["executionArn"]?.stringValue ?? ""
                    histories[childArn] = try await Self.history(api, childArn)
                }
                if histories.count == 2, histories.values.allSatisfy({ $0.last?["type"] == "WaitStateEntered" }) { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(histories.count == 2)
            try await Task.sleep(for: .milliseconds(200))
            return (arn, run, histories)
        }
        try await withAPI(Self.configuration(directory)) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            #expect(described["output"] == "[1,2]")
            let children = try #require(try await api.call("ListExecutions", ["mapRunArn": run])["executions"]?.arrayValue)
            #expect(Set(children.compactMap { $0["executionArn"]?.stringValue }) == Set(before.keys))
            for (arn, eventsBefore) in before {
                let events = try await Self.history(api, arn)
                let types = events.compactMap { $0["type"]?.stringValue }
                #expect(types.filter { $0 == "ActivityScheduled" }.count == 1, "\(types)")
                #expect(types.last == "ExecutionSucceeded")
                Self.expectConsecutive(events)
                // What it had recorded before the restart stays as it was: the Wait it was in is
                // entered again under the same id, at the same moment.
                #expect(Array(events.prefix(eventsBefore.count)) == eventsBefore)
                // The Wait ended 100,000 s after it was entered, before the restart.
                let entered = Self.timestamp(of: "WaitStateEntered", in: events)
                let exited = Self.timestamp(of: "WaitStateExited", in: events)
                #expect(entered != nil && exited.map { $0 - (entered ?? 0) } == 100_000)
            }
        }
    }

    @Test("A Distributed Map child resumed after a restart keeps writing its progress: after a second restart it continues from where it had got, not from where the first restart found it")
    func resumedDistributedMapChildKeepsItsProgress() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Before the first restart the child works First, then waits in Hold (1 s). The second
        // server sees it out of Hold, a worker answers Second 300 ms after taking it, and the
        // child waits in Last across the second restart.
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemProcessor":{
              "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"First","States":{
              "First":{"Type":"Task","Resource":"\#(Self.activityArn)","Next":"Hold"},
              "Hold":{"Type":"Wait","Seconds":1,"Next":"Second"},
              "Second":{"Type":"Task","Resource":"\#(Self.activityArn)","Next":"Last"},
              "Last":{"Type":"Wait","Seconds":100000,"End":true}}}}}}
            """#
        @Sendable func work(_ api: APIClient, after delay: Duration = .zero) async throws {
            try await Self.workActivity(api, worker: "worker", after: delay)
        }
        @Sendable func childHistory(_ api: APIClient, _ execution: String) async throws -> (arn: String, events: [JSONValue]) {
            let run = try #require(try await api.call("ListMapRuns", ["executionArn": .string(execution)])["mapRuns"]?.arrayValue?.first?["mapRunArn"])
            let child = try #require(try await api.call("ListExecutions", ["mapRunArn": run])["executions"]?.arrayValue?.first?["executionArn"]?.stringValue)
            return (child, try await Self.history(api, child))
        }
        @Sendable func waitFor(_ api: APIClient, _ execution: String, _ stateName: String) async throws {
            for _ in 0..<600 {
                let events = try await childHistory(api, execution).events
                if events.last?["type"] == "WaitStateEntered", events.last?["stateEnteredEventDetails"]?["name"] == .string(stateName) {
                    try await Task.sleep(for: .milliseconds(200))
                    return
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            Issue.record("the child never waited in \(stateName)")
        }
        let execution = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            _ = try await api.call("CreateActivity", ["name": "Work"])
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": "[1]"])
            let arn = try #require(started["executionArn"]?.stringValue)
            try await work(api)
            try await waitFor(api, arn, "Hold")
            return arn
        }
        try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            try await work(api, after: .milliseconds(300))
            try await waitFor(api, execution, "Last")
        }
        try await withAPI(Self.configuration(directory)) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            let events = try await childHistory(api, execution).events
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "ActivityScheduled" }.count == 2, "\(types)")
            Self.expectConsecutive(events)
            // Second was answered 300 ms after Hold ended, by the second server's worker. Run again
            // from Hold by the third server, it would take the kept answer at once.
            let holdEnded = try #require(events.first { $0["type"] == "WaitStateExited" }?["timestamp"]?.numberValue?.doubleValue)
            let answered = try #require(events.last { $0["type"] == "ActivitySucceeded" }?["timestamp"]?.numberValue?.doubleValue)
            #expect(answered - holdEnded >= 0.25, "Second answered \(answered - holdEnded) s after Hold ended")
        }
    }

    @Test("A Distributed Map child whose history passed 1,000 events continues where it stood after a restart: its inline Map does not run again")
    func longChildContinuesWhereItStood() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 300 inline iterations make some 1,200 events before the child waits for a worker.
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,"ItemProcessor":{
              "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Inner","States":{
              "Inner":{"Type":"Map","ItemsPath":"$.items","Next":"Work","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}},
              "Work":{"Type":"Task","Resource":"\#(Self.activityArn)","End":true}}}}}}
            """#
        let input = JSONValue.array([.object(["items": .array((0..<300).map { .int($0) })])]).serialized()
        @Sendable func child(_ api: APIClient, _ execution: String) async throws -> (arn: String, events: [JSONValue])? {
            guard let run = try await api.call("ListMapRuns", ["executionArn": .string(execution)])["mapRuns"]?.arrayValue?.first?["mapRunArn"],
                let arn = try await api.call("ListExecutions", ["mapRunArn": run])["executions"]?.arrayValue?.first?["executionArn"]?.stringValue
            else { return nil }
            // Every page: the history is longer than one.
            var events: [JSONValue] = []
            var next: JSONValue? = nil
            repeat {
                var parameters: JSONObject = ["executionArn": .string(arn), "maxResults": 1000]
                if let next { parameters["nextToken"] = next }
                let page = try await api.call("GetExecutionHistory", .object(parameters))
                events += page["events"]?.arrayValue ?? []
                next = page["nextToken"]
            } while next != nil
            return (arn, events)
        }
        let (execution, before) = try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            _ = try await api.call("CreateActivity", ["name": "Work"])
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": .string(input)])
            let arn = try #require(started["executionArn"]?.stringValue)
            for _ in 0..<600 {
                if let found = try await child(api, arn), found.events.last?["type"] == "ActivityScheduled" {
                    try await Task.sleep(for: .milliseconds(200))
                    return (arn, found)
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            throw CancellationError()
        }
        #expect(before.events.count > 1_000)
        try await withAPI(Self.configuration(directory, clock: SystemClock())) { api in
            try await Self.workActivity(api, worker: "after", output: "\"done\"")
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            let after = try #require(try await child(api, execution))
            #expect(after.arn == before.arn)
            let types = after.events.compactMap { $0["type"]?.stringValue }
            #expect(types.filter { $0 == "ActivityScheduled" }.count == 1)
            #expect(types.filter { $0 == "MapStateEntered" }.count == 1)
            Self.expectConsecutive(after.events)
            // Its inline Map did not run again: everything up to the Work state's entry is as it was.
            let workEntered = try #require(before.events.firstIndex { $0["type"] == "TaskStateEntered" })
            #expect(Array(after.events.prefix(workEntered + 1)) == Array(before.events.prefix(workEntered + 1)))
        }
    }

    @Test("A Map Run interrupted by a restart whose items changed meanwhile is not continued: it ends ABORTED and the state starts a new run")
    func changedItemsAbandonTheInterruptedRun() async throws {
        let directory = Self.temporaryDirectory()
        let objects = Self.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: objects)
        }
        let bucket = URL(fileURLWithPath: objects).appendingPathComponent("orders")
        try FileManager.default.createDirectory(at: bucket, withIntermediateDirectories: true)
        let file = bucket.appendingPathComponent("items.json")
        try Data(#"[{"n":0,"slow":false},{"n":1,"slow":true}]"#.utf8).write(to: file)
        let reading = Self.slowDistributedMap.replacingOccurrences(
            of: #""Type":"Map","End":true,"#,
            with: #""Type":"Map","End":true,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"orders","Key":"items.json"}},"#)
        #expect(reading != Self.slowDistributedMap)
        func configuration(_ clock: any ExecutionClock) -> ServerConfiguration {
            var configuration = Self.configuration(directory, clock: clock)
            configuration.objectStore = DirectoryObjectStore(root: URL(fileURLWithPath: objects))
            return configuration
        }
        let (execution, firstRun) = try await withAPI(configuration(SystemClock())) { api in
            try await api.createStateMachine("Orders", definition: reading)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": "{}"])
            let arn = try #require(started["executionArn"]?.stringValue)
            for _ in 0..<400 {
                if let run = try await api.call("ListMapRuns", ["executionArn": .string(arn)])["mapRuns"]?.arrayValue?.first?["mapRunArn"],
                    try await api.call("DescribeMapRun", ["mapRunArn": run])["executionCounts"]?["succeeded"] == 1
                {
                    try await Task.sleep(for: .milliseconds(200))
                    return (arn, run)
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            throw CancellationError()
        }
        try Data(#"[{"n":5,"slow":false},{"n":6,"slow":false},{"n":7,"slow":false}]"#.utf8).write(to: file)
        let ended = try await withAPI(configuration(VirtualClock())) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            #expect(described["output"] == #"[{"n":5},{"n":6},{"n":7}]"#)
            let runs = try #require(try await api.call("ListMapRuns", ["executionArn": .string(execution)])["mapRuns"]?.arrayValue)
            #expect(runs.count == 2)
            let first = try await api.call("DescribeMapRun", ["mapRunArn": firstRun])
            #expect(first["status"] == "ABORTED")
            #expect(first["executionCounts"]?["succeeded"] == 1 && first["executionCounts"]?["aborted"] == 1)
            let events = try await Self.history(api, execution)
            #expect(events.compactMap { $0["type"]?.stringValue }.filter { $0 == "MapRunStarted" }.count == 1)
            Self.expectConsecutive(events)
            return events
        }
        // The first run's MapRunStarted, replaced in memory by the second's, is replaced in the file too.
        try await withAPI(configuration(VirtualClock())) { api in
            let again = try await Self.history(api, execution)
            #expect(again == ended)
        }
    }

    @Test("A Map Run cut while its ItemReader was still reading (no child started) is taken back after the restart: one run, read again, none ABORTED")
    func runCutWhileReadingIsTakenBack() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // An S3 inventory of two data files: the first server never gets the second one.
        let objects: [String: [String: [UInt8]]] = [
            "inventory": [
                "inv/manifest.json": Array(
                    #"{"sourceBucket":"data","destinationBucket":"arn:aws:s3:::inventory","fileFormat":"CSV","fileSchema":"Bucket, Key","files":[{"key":"inv/part-1.csv"},{"key":"inv/part-2.csv"}]}"#
                        .utf8),
                "inv/part-1.csv": Array("data,a\ndata,b\ndata,c\n".utf8), "inv/part-2.csv": Array("data,d\ndata,e\n".utf8),
            ]
        ]
        let definition = #"""
            {"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"MANIFEST"},"Parameters":{"Bucket":"inventory","Key":"inv/manifest.json"}},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Done","States":{
              "Done":{"Type":"Pass","Parameters":{"key.$":"$.Key"},"End":true}}}}}}
            """#
        let held = HeldObjectStore(base: InMemoryObjectStore(objects: objects, now: { SystemClock().now() }), heldKey: "inv/part-2.csv")
        var first = Self.configuration(directory, clock: SystemClock())
        first.objectStore = held
        let (execution, run) = try await withAPI(first) { api in
            try await api.createStateMachine("Orders", definition: definition)
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": "{}"])
            let arn = try #require(started["executionArn"]?.stringValue)
            await held.waitUntilHeld()
            let run = try #require(try await api.call("ListMapRuns", ["executionArn": .string(arn)])["mapRuns"]?.arrayValue?.first?["mapRunArn"])
            #expect(try await api.call("DescribeMapRun", ["mapRunArn": run])["itemCounts"]?["total"] == 3)
            try await Task.sleep(for: .milliseconds(200))
            return (arn, run)
        }
        var second = Self.configuration(directory)
        second.objectStore = InMemoryObjectStore(objects: objects, now: { SystemClock().now() })
        try await withAPI(second) { api in
            let described = try await api.waitForExecution(execution)
            #expect(described["status"] == "SUCCEEDED", "\(described.body)")
            #expect(described["output"] == #"[{"key":"a"},{"key":"b"},{"key":"c"},{"key":"d"},{"key":"e"}]"#)
            let runs = try #require(try await api.call("ListMapRuns", ["executionArn": .string(execution)])["mapRuns"]?.arrayValue)
            #expect(runs.map { $0["mapRunArn"] } == [run])
            let runDescription = try await api.call("DescribeMapRun", ["mapRunArn": run])
            #expect(runDescription["status"] == "SUCCEEDED")
            #expect(runDescription["executionCounts"]?["total"] == 5 && runDescription["executionCounts"]?["succeeded"] == 5)
            let events = try await Self.history(api, execution)
            #expect(events.compactMap { $0["type"]?.stringValue }.filter { $0 == "MapRunStarted" }.count == 1)
            #expect(events.first { $0["type"] == "MapRunStarted" }?["mapRunStartedEventDetails"]?["mapRunArn"] == run)
            Self.expectConsecutive(events)
        }
    }

    @Test("--max-executions forgets the oldest closed executions in the file as in memory")
    func evictionReachesTheFile() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withAPI(Self.configuration(directory, maxExecutions: 2)) { api in
            try await api.createStateMachine("Orders")
            for name in ["one", "two", "three"] {
                let started = try await api.call("StartExecution", ["stateMachineArn": .string(Self.machineArn), "name": .string(name)])
                _ = try await api.waitForExecution(try #require(started["executionArn"]?.stringValue))
            }
        }
        try await withAPI(Self.configuration(directory, maxExecutions: 2)) { api in
            let names = try await api.call("ListExecutions", ["stateMachineArn": .string(Self.machineArn)])["executions"]?.arrayValue?
                .compactMap { $0["name"]?.stringValue }
            #expect(names == ["three", "two"])
        }
    }

    @Test("A data directory that cannot be used stops start-up with what is wrong")
    func unusableDirectoryStopsStartUp() throws {
        let file = Self.temporaryDirectory()
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let error = #expect(throws: AWSServiceError.self) {
            _ = try buildApplication(configuration: Self.configuration(file))
        }
        #expect(error?.message.contains("cannot use the data directory \(file)") == true)
    }
}

/// An object store that never answers for one key (until the reader is cancelled, as when the
/// server stops) and says when a reader has reached it: a restart cuts the read there.
final class HeldObjectStore: ObjectStore {
    private let base: InMemoryObjectStore
    private let heldKey: String
    private let reached: AsyncStream<Void>
    private let reachedContinuation: AsyncStream<Void>.Continuation

    init(base: InMemoryObjectStore, heldKey: String) {
        self.base = base
        self.heldKey = heldKey
        (reached, reachedContinuation) = AsyncStream<Void>.makeStream()
    }

    func waitUntilHeld() async {
        var iterator = reached.makeAsyncIterator()
        _ = await iterator.next()
    }

    func getObject(bucket: String, key: String) async throws(ObjectStoreError) -> [UInt8] {
        if key == heldKey {
            reachedContinuation.yield()
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            throw .local("the read was cut")
        }
        return try await base.getObject(bucket: bucket, key: key)
    }

    func listObjects(bucket: String, prefix: String) async throws(ObjectStoreError) -> [StoredObjectSummary] {
        try await base.listObjects(bucket: bucket, prefix: prefix)
    }

    func putObject(bucket: String, key: String, body: [UInt8]) async throws(ObjectStoreError) {
        try await base.putObject(bucket: bucket, key: key, body: body)
    }
}
