import StepLocalJSON
import Testing

@testable import StepLocalServer

@Suite("Activities, task tokens, tags and map runs")
struct ActivityTagMapRunTests {
    @Test("Activities: create is idempotent, describe, list, delete")
    func activities() async throws {
        try await withAPI { api in
            let created = try await api.call("CreateActivity", ["name": "worker"])
            let arn = try #require(created["activityArn"]?.stringValue)
            #expect(arn == "arn:aws:states:us-east-1:123456789012:activity:worker")
            let again = try await api.call("CreateActivity", ["name": "worker"])
            #expect(again["activityArn"] == .string(arn))
            let described = try await api.call("DescribeActivity", ["activityArn": .string(arn)])
            #expect(described["name"] == "worker")
            let list = try await api.call("ListActivities")
            #expect(list["activities"]?.arrayValue?.count == 1)
            #expect(try await api.call("DeleteActivity", ["activityArn": .string(arn)]).status == .ok)
            let missing = try await api.call("DescribeActivity", ["activityArn": .string(arn)])
            #expect(missing.errorType == "ActivityDoesNotExist")
        }
    }

    @Test("GetActivityTask long-polls and answers without a task token when nothing is scheduled")
    func getActivityTask() async throws {
        try await withAPI { api in
            let created = try await api.call("CreateActivity", ["name": "worker"])
            let response = try await api.call("GetActivityTask", ["activityArn": created["activityArn"] ?? .null, "workerName": "w1"])
            #expect(response.status == .ok)
            #expect(response["taskToken"] == nil)
            let missing = try await api.call("GetActivityTask", ["activityArn": "arn:aws:states:us-east-1:123456789012:activity:none"])
            #expect(missing.errorType == "ActivityDoesNotExist")
        }
    }

    @Test("SendTaskSuccess/Failure/Heartbeat with a token StepLocal could not have issued are InvalidToken")
    func unknownTokens() async throws {
        try await withAPI { api in
            let success = try await api.call("SendTaskSuccess", ["taskToken": "nope", "output": "{}"])
            #expect(success.errorType == "InvalidToken")
            let failure = try await api.call("SendTaskFailure", ["taskToken": "nope", "error": "E"])
            #expect(failure.errorType == "InvalidToken")
            let heartbeat = try await api.call("SendTaskHeartbeat", ["taskToken": "nope"])
            #expect(heartbeat.errorType == "InvalidToken")
            let badOutput = try await api.call("SendTaskSuccess", ["taskToken": "nope", "output": "{bad"])
            #expect(badOutput.errorType == "InvalidOutput")
        }
    }

    @Test("Tags: add, overwrite, list in order, remove; unknown resources are ResourceNotFound; 50 at most")
    func tags() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders", extra: ["tags": [["key": "team", "value": "a"]]])
            _ = try await api.call("TagResource", ["resourceArn": .string(arn), "tags": [["key": "env", "value": "dev"], ["key": "team", "value": "b"]]])
            let listed = try await api.call("ListTagsForResource", ["resourceArn": .string(arn)])
            #expect(listed["tags"] == [["key": "team", "value": "b"], ["key": "env", "value": "dev"]])
            _ = try await api.call("UntagResource", ["resourceArn": .string(arn), "tagKeys": ["team"]])
            let after = try await api.call("ListTagsForResource", ["resourceArn": .string(arn)])
            #expect(after["tags"] == [["key": "env", "value": "dev"]])
            let missing = try await api.call("ListTagsForResource", ["resourceArn": .string(arn + "x")])
            #expect(missing.errorType == "ResourceNotFound")
            let many = JSONValue.array((0..<51).map { ["key": .string("k\($0)"), "value": "v"] })
            let tooMany = try await api.call("TagResource", ["resourceArn": .string(arn), "tags": many])
            #expect(tooMany.errorType == "TooManyTags")
        }
    }

    @Test("Map runs: executions without a Distributed Map have none")
    func mapRuns() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            let started = try await api.call("StartExecution", ["stateMachineArn": .string(arn)])
            let list = try await api.call("ListMapRuns", ["executionArn": started["executionArn"] ?? .null])
            #expect(list["mapRuns"] == [])
            let mapRun = "arn:aws:states:us-east-1:123456789012:mapRun:orders/map:0e4b7c8a-0000-0000-0000-000000000000"
            let describe = try await api.call("DescribeMapRun", ["mapRunArn": .string(mapRun)])
            #expect(describe.errorType == "ResourceNotFound")
            let update = try await api.call("UpdateMapRun", ["mapRunArn": .string(mapRun), "maxConcurrency": 2])
            #expect(update.errorType == "ResourceNotFound")
        }
    }
}
