import HTTPTypes
import HummingbirdTesting
import NIOCore
import StepLocalASL
import StepLocalJSON
import Testing

@testable import StepLocalServer

@Suite("AWS JSON 1.0 protocol")
struct ProtocolTests {
    @Test("Every action of the service model has a handler, and no handler is extra")
    func everyOperationHasAHandler() {
        #expect(ServiceModel.operations.count == 37)
        #expect(Set(ActionTable.handlers.keys) == Set(ServiceModel.operations.keys))
    }

    @Test("An unknown X-Amz-Target action is UnknownOperationException with HTTP 400")
    func unknownOperation() async throws {
        try await withAPI { api in
            let response = try await api.raw(target: "AWSStepFunctions.DoMagic", body: "{}")
            #expect(response.status == .badRequest)
            #expect(response.errorType == "UnknownOperationException")
            #expect(response.contentType == "application/x-amz-json-1.0")
            let missing = try await api.raw(target: nil, body: "{}")
            #expect(missing.errorType == "UnknownOperationException")
        }
    }

    @Test("Malformed JSON is SerializationException")
    func malformedJSON() async throws {
        try await withAPI { api in
            let response = try await api.raw(target: "AWSStepFunctions.ListStateMachines", body: "{not json")
            #expect(response.status == .badRequest)
            #expect(response.errorType == "SerializationException")
            let array = try await api.raw(target: "AWSStepFunctions.ListStateMachines", body: "[1]")
            #expect(array.errorType == "SerializationException")
        }
    }

    @Test("A member of the wrong JSON type is SerializationException, as AWS's deserialiser answers")
    func typeMismatch() async throws {
        try await withAPI { api in
            let response = try await api.call("ListStateMachines", ["maxResults": "ten"])
            #expect(response.errorType == "SerializationException")
            #expect(response.message == "STRING_VALUE can not be converted to an Integer")
            let object = try await api.call("DescribeStateMachine", ["stateMachineArn": ["a": 1]])
            #expect(object.message == "Start of structure or map found where not expected.")
        }
    }

    @Test("A missing required member is reported in AWS's words")
    func missingRequired() async throws {
        try await withAPI { api in
            let response = try await api.call("DescribeStateMachine", [:])
            #expect(response.errorType == "ValidationException")
            #expect(
                response.message
                    == "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null")
        }
    }

    @Test("Length, range and enum violations are collected into one ValidationException")
    func severalViolations() async throws {
        try await withAPI { api in
            let longName = String(repeating: "a", count: 81)
            let response = try await api.call(
                "CreateStateMachine",
                ["name": .string(longName), "definition": "{}", "roleArn": .string(Fixtures.role), "type": "BATCH"])
            #expect(response.errorType == "ValidationException")
            #expect(
                response.message
                    == "2 validation errors detected: Value '\(longName)' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80; "
                    + "Value 'BATCH' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]")
            let range = try await api.call("ListStateMachines", ["maxResults": 1001])
            #expect(
                range.message
                    == "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000")
        }
    }

    @Test("Sensitive members are not echoed in validation messages")
    func sensitiveRedacted() async throws {
        try await withAPI { api in
            let response = try await api.call("StopExecution", ["executionArn": "arn:aws:states:us-east-1:123456789012:execution:a:b", "error": .string(String(repeating: "e", count: 257))])
            #expect(
                response.message
                    == "1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256")
        }
    }

    @Test("Patterns from the model are enforced, nested paths name list members")
    func patternAndNestedPath() async throws {
        try await withAPI { api in
            let response = try await api.call(
                "CreateStateMachineAlias",
                ["name": "123", "routingConfiguration": [["stateMachineVersionArn": "arn:aws:states:us-east-1:123456789012:stateMachine:m:1", "weight": 101]]])
            #expect(response.errorType == "ValidationException")
            let message = try #require(response.message)
            #expect(message.hasPrefix("2 validation errors detected: Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: "))
            #expect(message.contains("Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100"))
        }
    }

    @Test("Unknown members are ignored")
    func unknownMembersIgnored() async throws {
        try await withAPI { api in
            let response = try await api.call("ListStateMachines", ["somethingNew": true])
            #expect(response.status == .ok)
            #expect(response["stateMachines"] == [])
        }
    }

    @Test("Bodies over the configured limit are refused with an AWS-shaped error")
    func bodyTooLarge() async throws {
        var configuration = Fixtures.configuration()
        configuration.maximumBodySize = 1024
        try await withAPI(configuration) { api in
            let response = try await api.raw(target: "AWSStepFunctions.ListStateMachines", body: "{\"x\":\"\(String(repeating: "a", count: 4096))\"}")
            #expect(response.status == .contentTooLarge)
            #expect(response.errorType == "RequestEntityTooLargeException")
        }
    }

    @Test("The region comes from the SigV4 credential scope when the request is signed")
    func regionFromSignature() async throws {
        try await withAPI { api in
            let signed: HTTPFields = [
                .authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-3/states/aws4_request, SignedHeaders=host, Signature=abc"
            ]
            let response = try await api.raw(
                target: "AWSStepFunctions.CreateActivity", body: #"{"name":"worker"}"#, headers: signed)
            #expect(response["activityArn"] == "arn:aws:states:eu-west-3:123456789012:activity:worker")
            let unsigned = try await api.call("ListActivities")
            #expect(unsigned["activities"] == [], "activities are per region")
        }
    }

    @Test("A credential scope naming no AWS region is refused as AWS refuses it, and nothing is created in it")
    func hostileRegionRefused() async throws {
        try await withAPI { api in
            for region in ["us-east-1:x", "eu_west-1", "US-EAST-1", "useast1", "a-b-1", "us-east-1\"}", String(repeating: "ab-", count: 20) + "1"] {
                let scope: HTTPFields = [
                    .authorization: "AWS4-HMAC-SHA256 Credential=AKID/20240101/\(region)/states/aws4_request, SignedHeaders=host, Signature=abc"
                ]
                let response = try await api.raw(target: "AWSStepFunctions.CreateActivity", body: #"{"name":"w"}"#, headers: scope)
                #expect(response.status == .forbidden, "\(region)")
                #expect(response["__type"] == "InvalidSignatureException")
                #expect(response["message"]?.stringValue == "Credential should be scoped to a valid region, not '\(region)'. ")
            }
            #expect(try await api.call("ListActivities")["activities"] == [])
        }
    }

    @Test("Region names of every AWS partition are accepted; account ids are 12 digits")
    func identityRules() {
        for region in ["us-east-1", "us-gov-west-1", "cn-northwest-1", "ap-southeast-5", "us-isob-east-1", "il-central-1"] {
            #expect(AWSIdentityRules.isValidRegion(region), "\(region)")
        }
        for region in ["", "us-east", "us--1", "u-east-1", "us-east-1a", "us-East-1", "us-east-1/x"] {
            #expect(!AWSIdentityRules.isValidRegion(region), "\(region)")
        }
        #expect(AWSIdentityRules.isValidAccountId("123456789012"))
        #expect(!AWSIdentityRules.isValidAccountId("12345678901"))
        #expect(!AWSIdentityRules.isValidAccountId("12345678901a"))
        #expect(ServerConfiguration(region: "eu west").identityProblem != nil)
        #expect(ServerConfiguration(accountId: "1:2").identityProblem != nil)
        #expect(ServerConfiguration().identityProblem == nil)
    }

    @Test("GET /health answers 200 for container health checks")
    func health() async throws {
        let app = try buildApplication(configuration: Fixtures.configuration())
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("The response checker flags members the model does not have and missing required ones")
    func responseCheckerWorks() {
        #expect(ResponseShapeChecker.problems(action: "StopExecution", body: ["stopDate": 1.5]).isEmpty)
        #expect(ResponseShapeChecker.problems(action: "StopExecution", body: ["stopdate": 1.5]).count == 2)
        #expect(ResponseShapeChecker.problems(action: "ListStateMachines", body: ["stateMachines": [["name": 1]]]).count > 1)
    }

    @Test("Credential scopes are parsed from the Authorization header")
    func credentialScope() {
        let scope = CredentialScope(authorization: "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/states/aws4_request, SignedHeaders=host")
        #expect(scope?.region == "us-west-2")
        #expect(CredentialScope(authorization: "Bearer x") == nil)
    }

    @Test("Pagination tokens are opaque, expire after 24 hours, and are rejected when they belong to another listing")
    func pageTokens() throws {
        let issued = Timestamp(millisecondsSince1970: 1_700_000_000_000)
        let token = PageToken.encode(position: "5", scope: "A", issuedAt: issued)
        #expect(try PageToken.decode(token, scope: "A", now: issued) == "5")
        #expect(throws: AWSServiceError.self) { try PageToken.decode(token, scope: "B", now: issued) }
        #expect(throws: AWSServiceError.self) { try PageToken.decode("zz", scope: "A", now: issued) }
        let scoped = PageToken.encode(position: "-7", scope: "X|arn:a|b", issuedAt: issued)
        #expect(try PageToken.decodeInt(scoped, scope: "X|arn:a|b", now: issued) == -7)
        let dayLater = Timestamp(millisecondsSince1970: issued.millisecondsSince1970 + PageToken.lifetimeMilliseconds)
        #expect(try PageToken.decode(token, scope: "A", now: dayLater) == "5")
        let tooLate = Timestamp(millisecondsSince1970: dayLater.millisecondsSince1970 + 1)
        #expect(throws: AWSServiceError.self) { try PageToken.decode(token, scope: "A", now: tooLate) }
        for hostile in ["", "76317c", "7631", "763", "ffff", "76327c787c357c41"] {
            #expect(throws: AWSServiceError.self) { try PageToken.decode(hostile, scope: "A", now: issued) }
        }
    }

    @Test("AWS name rules reject whitespace, brackets, wildcards and special characters")
    func nameRules() {
        #expect(NameRules.isValid("my-machine_1.v2"))
        for bad in ["", "has space", "a<b", "a*b", "a:b", "a/b", "tab\t", String(repeating: "x", count: 81)] {
            #expect(!NameRules.isValid(bad), "\(bad) should be invalid")
        }
    }
}

@Suite("Shutdown signal")
struct ShutdownSignalTests {
    @Test("Shutdown cancels operations in flight and any started after it; they return their early answer")
    func cancelsInFlightAndLater() async {
        let signal = ShutdownSignal()
        async let inFlight = signal.cancellingOnShutdown { () async -> String in
            (try? await Task.sleep(for: .seconds(60))) == nil ? "ended early" : "waited a minute"
        }
        try? await Task.sleep(for: .milliseconds(50))
        signal.begin()
        #expect(await inFlight == "ended early")
        let later = await signal.cancellingOnShutdown { () async -> Bool in (try? await Task.sleep(for: .seconds(60))) == nil }
        #expect(later, "an operation started after shutdown began waited")
    }

    @Test("Without a shutdown an operation runs to its end")
    func runsToTheEnd() async {
        let signal = ShutdownSignal()
        #expect(await signal.cancellingOnShutdown { () async -> Int in 42 } == 42)
        #expect(!signal.isShuttingDown)
    }
}
