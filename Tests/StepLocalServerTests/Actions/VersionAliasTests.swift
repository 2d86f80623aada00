import StepLocalASL
import StepLocalJSON
import Testing

@testable import StepLocalServer

@Suite("Versions and aliases")
struct VersionAliasTests {
    @Test("PublishStateMachineVersion numbers versions; publishing an unchanged revision returns the latest version")
    func publish() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders")
            let v1 = try await api.call("PublishStateMachineVersion", ["stateMachineArn": .string(arn), "description": "first"])
            #expect(v1["stateMachineVersionArn"] == .string(arn + ":1"))
            let same = try await api.call("PublishStateMachineVersion", ["stateMachineArn": .string(arn)])
            #expect(same["stateMachineVersionArn"] == .string(arn + ":1"))
            _ = try await api.call("UpdateStateMachine", ["stateMachineArn": .string(arn), "definition": .string(Fixtures.otherPassMachine), "publish": true])
            let list = try await api.call("ListStateMachineVersions", ["stateMachineArn": .string(arn)])
            #expect(list["stateMachineVersions"]?.arrayValue?.compactMap { $0["stateMachineVersionArn"]?.stringValue } == [arn + ":2", arn + ":1"])
            let described = try await api.call("DescribeStateMachine", ["stateMachineArn": .string(arn + ":1")])
            #expect(described["stateMachineArn"] == .string(arn + ":1"))
            #expect(described["definition"] == .string(Fixtures.passMachine))
            #expect(described["description"] == "first")
            let conflict = try await api.call("PublishStateMachineVersion", ["stateMachineArn": .string(arn), "revisionId": "stale"])
            #expect(conflict.errorType == "ConflictException")
        }
    }

    @Test("Creating with publish: true returns the version ARN")
    func createPublished() async throws {
        try await withAPI { api in
            let response = try await api.call(
                "CreateStateMachine",
                ["name": "p", "definition": .string(Fixtures.passMachine), "roleArn": .string(Fixtures.role), "publish": true])
            #expect(response["stateMachineVersionArn"] == "arn:aws:states:us-east-1:123456789012:stateMachine:p:1")
        }
    }

    @Test("Aliases route executions to their versions; a referenced version cannot be deleted")
    func aliases() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders", extra: ["publish": true])
            let alias = try await api.call(
                "CreateStateMachineAlias",
                ["name": "prod", "description": "live", "routingConfiguration": [["stateMachineVersionArn": .string(arn + ":1"), "weight": 100]]])
            #expect(alias["stateMachineAliasArn"] == .string(arn + ":prod"))
            let described = try await api.call("DescribeStateMachineAlias", ["stateMachineAliasArn": .string(arn + ":prod")])
            #expect(described["name"] == "prod")
            #expect(described["description"] == "live")
            #expect(described["routingConfiguration"]?.arrayValue?.first?["weight"] == 100)

            let started = try await api.call("StartExecution", ["stateMachineArn": .string(arn + ":prod"), "name": "via-alias"])
            let executionArn = try #require(started["executionArn"]?.stringValue)
            #expect(executionArn == "arn:aws:states:us-east-1:123456789012:execution:orders:via-alias")
            let execution = try await api.waitForExecution(executionArn)
            #expect(execution["stateMachineArn"] == .string(arn))
            #expect(execution["stateMachineAliasArn"] == .string(arn + ":prod"))
            #expect(execution["stateMachineVersionArn"] == .string(arn + ":1"))

            let conflict = try await api.call("DeleteStateMachineVersion", ["stateMachineVersionArn": .string(arn + ":1")])
            #expect(conflict.errorType == "ConflictException")
            let list = try await api.call("ListStateMachineAliases", ["stateMachineArn": .string(arn)])
            #expect(list["stateMachineAliases"]?.arrayValue?.count == 1)
            #expect(try await api.call("DeleteStateMachineAlias", ["stateMachineAliasArn": .string(arn + ":prod")]).status == .ok)
            #expect(try await api.call("DeleteStateMachineVersion", ["stateMachineVersionArn": .string(arn + ":1")]).status == .ok)
            let gone = try await api.call("DescribeStateMachineAlias", ["stateMachineAliasArn": .string(arn + ":prod")])
            #expect(gone.errorType == "ResourceNotFound")
        }
    }

    @Test("Routing weights must add up to 100")
    func routingWeights() async throws {
        try await withAPI { api in
            let arn = try await api.createStateMachine("orders", extra: ["publish": true])
            let response = try await api.call(
                "CreateStateMachineAlias",
                ["name": "prod", "routingConfiguration": [["stateMachineVersionArn": .string(arn + ":1"), "weight": 50]]])
            #expect(response.errorType == "ValidationException")
            #expect(response["reason"] == "INVALID_ROUTING_CONFIGURATION")
            let missingVersion = try await api.call(
                "CreateStateMachineAlias",
                ["name": "prod", "routingConfiguration": [["stateMachineVersionArn": .string(arn + ":7"), "weight": 100]]])
            #expect(missingVersion.errorType == "ResourceNotFound")
        }
    }

    @Test("An alias with two versions sends a start to the version its weight band selects")
    func weightedRouting() throws {
        let definition = try DefinitionLoading.load(Fixtures.passMachine, type: .standard)
        let now = Timestamp(millisecondsSince1970: 0)
        let revision = StateMachineRevision(
            definitionText: Fixtures.passMachine, definition: definition, roleArn: Fixtures.role,
            loggingConfiguration: StateMachineRevision.defaultLogging, tracingConfiguration: StateMachineRevision.defaultTracing,
            encryptionConfiguration: StateMachineRevision.defaultEncryption, revisionId: "r", updateDate: now)
        var record = StateMachineRecord(arn: "m", name: "m", type: .standard, revision: revision, creationDate: now, sequence: 1)
        _ = record.publish(description: nil, at: now)
        _ = record.publish(description: nil, at: now)
        let alias = StateMachineAliasRecord(
            arn: "m:prod", name: "prod", description: nil,
            routing: [.init(versionArn: "m:1", weight: 30), .init(versionArn: "m:2", weight: 70)], creationDate: now, updateDate: now)
        #expect(try ExecutionStarter.route(alias, in: record, draw: 0).number == 1)
        #expect(try ExecutionStarter.route(alias, in: record, draw: 29).number == 1)
        #expect(try ExecutionStarter.route(alias, in: record, draw: 30).number == 2)
        #expect(try ExecutionStarter.route(alias, in: record, draw: 99).number == 2)
    }
}
