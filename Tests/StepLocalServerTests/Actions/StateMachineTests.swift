import StepLocalJSON
import Testing

@testable import StepLocalServer

@Suite("State machines")
struct StateMachineTests {
    @Test("CreateStateMachine mints AWS's ARN and DescribeStateMachine echoes the definition with defaults")
    func createAndDescribe() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            #expect(arn == "arn:aws:states:us-east-1:123456789012:stateMachine:orders")
            let described = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(arn)])
            #expect(described["name"] == "orders")
            #expect(described["definition"] == .string(Fixtures.passMachine))
            #expect(described["type"] == "STANDARD")
            #expect(described["status"] == "ACTIVE")
            #expect(described["loggingConfiguration"] == ["level": "OFF", "includeExecutionData": false])
            #expect(described["tracingConfiguration"] == ["enabled": false])
            #expect(described["revisionId"]?.stringValue?.count == 36)
            #expect(described["creationDate"]?.numberValue != nil)
        }
    }

    @Test("Creating the same machine twice is idempotent; a different definition is StateMachineAlreadyExists")
    func idempotentCreate() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            let again = try await api.createStateMachine("orders")
            #expect(again == arn)
            let conflict = try await api.call(
                "CreateStateMachine",
                ["name": "orders", "definition": .string(Fixtures.otherPassMachine), "roleArn": .string(Fixtures.role)])
            #expect(conflict.errorType == "StateMachineAlreadyExists")
            #expect(conflict.message == "State Machine Already Exists: '\(arn)'")
        }
    }

    @Test("Names breaking AWS's rules are InvalidName")
    func invalidName() async throws {
        try await withAPI { api in
            let response = try await api.call(
                "CreateStateMachine", ["name": "bad name", "definition": .string(Fixtures.passMachine), "roleArn": .string(Fixtures.role)])
            #expect(response.errorType == "InvalidName")
            #expect(response.message == "Invalid Name: 'bad name'")
        }
    }

    @Test("An invalid definition is InvalidDefinition with the loader's message")
    func invalidDefinition() async throws {
        try await withAPI { api in
            let response = try await api.call(
                "CreateStateMachine",
                ["name": "broken", "definition": #"{"StartAt":"Missing","States":{"A":{"Type":"Pass","End":true}}}"#, "roleArn": .string(Fixtures.role)])
            #expect(response.errorType == "InvalidDefinition")
            #expect(response.message?.hasPrefix("Invalid State Machine Definition: '") == true)
        }
    }

    @Test("A role that is not an ARN is InvalidArn")
    func invalidRole() async throws {
        try await withAPI { api in
            let response = try await api.call(
                "CreateStateMachine", ["name": "m", "definition": .string(Fixtures.passMachine), "roleArn": "not-an-arn"])
            #expect(response.errorType == "InvalidArn")
        }
    }

    @Test("Describing a missing machine is StateMachineDoesNotExist; another resource type is InvalidArn")
    func describeMissing() async throws {
        try await withAPI { api in
            let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:nope"
            let missing = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(arn)])
            #expect(missing.errorType == "StateMachineDoesNotExist")
            #expect(missing.message == "State Machine Does Not Exist: '\(arn)'")
            let wrong = try await api.call("DescribeStateMachine", ["stateMachineArn": "arn:aws:states:us-east-1:123456789012:activity:x"])
            #expect(wrong.errorType == "InvalidArn")
            #expect(wrong.message == "Invalid Arn: 'Resource type not valid in this context: activity'")
            let garbage = try await api.call("DescribeStateMachine", ["stateMachineArn": "hello"])
            #expect(garbage.message == "Invalid Arn: 'Invalid ARN prefix: hello'")
        }
    }

    @Test("ListStateMachines pages with opaque tokens")
    func listPagination() async throws {
        try await withAPI { api in
            for index in 0..<5 { try await api.createStateMachine("m\(index)") }
            let first = try await api.call("ListStateMachines", ["maxResults": 2])
            #expect(first["stateMachines"]?.arrayValue?.count == 2)
            #expect(first["stateMachines"]?.arrayValue?.first?["name"] == "m0")
            let token = try #require(first["nextToken"]?.stringValue)
            let second = try await api.call("ListStateMachines", ["maxResults": 2, "nextToken": .string(token)])
            #expect(second["stateMachines"]?.arrayValue?.first?["name"] == "m2")
            let third = try await api.call("ListStateMachines", ["maxResults": 2, "nextToken": second["nextToken"] ?? .null])
            #expect(third["stateMachines"]?.arrayValue?.count == 1)
            #expect(third["nextToken"] == nil)
            let bad = try await api.call("ListStateMachines", ["nextToken": "garbage"])
            #expect(bad.errorType == "InvalidToken")
        }
    }

    @Test("UpdateStateMachine changes the definition and revision id; nothing to update is MissingRequiredParameter")
    func update() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            let before = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(arn)])
            let updated = try await api.call("UpdateStateMachine", ["stateMachineArn": .string(arn), "definition": .string(Fixtures.otherPassMachine)])
            #expect(updated.status == .ok)
            #expect(updated["revisionId"] != before["revisionId"])
            let after = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(arn)])
            #expect(after["definition"] == .string(Fixtures.otherPassMachine))
            let empty = try await api.call("UpdateStateMachine", ["stateMachineArn": .string(arn)])
            #expect(empty.errorType == "MissingRequiredParameter")
            let missing = try await api.call("UpdateStateMachine", ["stateMachineArn": .string(arn + "x"), "roleArn": .string(Fixtures.role)])
            #expect(missing.errorType == "StateMachineDoesNotExist")
        }
    }

    @Test("DeleteStateMachine removes the machine and succeeds for a missing one")
    func delete() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            #expect(try await api.call("DeleteStateMachine", ["stateMachineArn": .string(arn)]).status == .ok)
            #expect(try await api.call("DescribeStateMachine", ["stateMachineArn": .string(arn)]).errorType == "StateMachineDoesNotExist")
            #expect(try await api.call("DeleteStateMachine", ["stateMachineArn": .string(arn)]).status == .ok)
        }
    }

    @Test("ValidateStateMachineDefinition answers OK or FAIL with located diagnostics")
    func validate() async throws {
        try await withAPI { api in
            let ok = try await api.call("ValidateStateMachineDefinition", ["definition": .string(Fixtures.passMachine)])
            #expect(ok["result"] == "OK")
            #expect(ok["diagnostics"] == [])
            #expect(ok["truncated"] == false)
            let bad = try await api.call(
                "ValidateStateMachineDefinition", ["definition": #"{"StartAt":"Missing","States":{"A":{"Type":"Pass","End":true}}}"#])
            #expect(bad["result"] == "FAIL")
            let first = try #require(bad["diagnostics"]?.arrayValue?.first)
            #expect(first["severity"] == "ERROR")
            #expect(first["code"]?.stringValue?.isEmpty == false)
            #expect(first["message"]?.stringValue?.isEmpty == false)
        }
    }
}
