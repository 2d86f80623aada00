import StepLocalASL
import StepLocalIntegrations
import StepLocalJSON
import Testing

@Suite("Mocked results checked against the services' output shapes")
struct ResultValidatorTests {
    static let lambda = "arn:aws:states:::lambda:invoke"

    @Test("A Lambda result with Paylod is refused under STRICT, naming the field and the member meant")
    func misspelledPayload() {
        let problems = ResultValidator(mode: .strict).problems(["StatusCode": 200, "Paylod": ["ok": true]], resource: Self.lambda)
        #expect(problems.map(\.description) == ["$.Paylod: not a member of lambda:invoke's result (did you mean Payload?)"])
    }

    @Test("Lambda's wrapper is modelled: Payload is any JSON, StatusCode a whole number, the SDK metadata objects")
    func lambdaWrapper() {
        let result: JSONValue = [
            "ExecutedVersion": "$LATEST", "Payload": [1, "two", ["three": nil]], "StatusCode": 200,
            "SdkHttpMetadata": ["HttpStatusCode": 200, "HttpHeaders": ["Connection": "keep-alive"]],
            "SdkResponseMetadata": ["RequestId": "r"],
        ]
        #expect(ResultValidator(mode: .strict).problems(result, resource: Self.lambda).isEmpty)
        let wrong = ResultValidator(mode: .strict).problems(["StatusCode": "200"], resource: Self.lambda)
        #expect(wrong.map(\.description) == ["$.StatusCode: expected a whole number, found string"])
    }

    @Test("PRESENT accepts a partial result that STRICT refuses; NONE accepts anything")
    func modes() {
        let resource = "arn:aws:states:::states:startExecution"
        let partial: JSONValue = ["ExecutionArn": "arn:aws:states:us-east-1:123456789012:execution:M:e"]
        #expect(ResultValidator(mode: .strict).problems(partial, resource: resource).map(\.path) == ["$.StartDate"])
        #expect(ResultValidator(mode: .present).problems(partial, resource: resource).isEmpty)
        #expect(ResultValidator(mode: .present).problems(["ExecutionArn": 5], resource: resource).map(\.path) == ["$.ExecutionArn"])
        #expect(ResultValidator(mode: .none).problems(["Anything": [1, 2]], resource: resource).isEmpty)
        #expect(ResultValidator(mode: .none).problems(5, resource: resource).isEmpty)
    }

    @Test("Nested structures, lists, maps and enums are checked recursively, with the path of each problem")
    func nested() {
        let query: JSONValue = ["Count": 1, "Items": [["id": ["S": "a"]], ["id": ["X": "b"]]], "ConsumedCapacity": ["CapacityUnits": "many"]]
        let problems = ResultValidator(mode: .strict).problems(query, resource: "arn:aws:states:::dynamodb:query")
        #expect(problems.map(\.path) == ["$.Items[1].id.X", "$.ConsumedCapacity.CapacityUnits"])
        // ecs:runTask.sync gives the stopped task's description itself, as recorded on AWS.
        let ecs: JSONValue = ["LastStatus": "STOPPED", "Containers": [["Name": "app", "HealthStatus": "SICK"]], "LaunchType": "MOON"]
        let enumProblem = ResultValidator(mode: .strict).problems(ecs, resource: "arn:aws:states:::ecs:runTask.sync")
        #expect(enumProblem.map(\.path) == ["$.Containers[0].HealthStatus", "$.LaunchType"])
        #expect(enumProblem.last?.message.contains("FARGATE") == true)
    }

    @Test("aws-sdk integrations use the SDK's members in PascalCase; S3's Body is text")
    func awsSdk() {
        let describe: JSONValue = ["StateMachineArn": "arn", "Name": "n", "Status": "ACTIVE", "Definition": "{}", "RoleArn": "r",
            "Type": "STANDARD", "CreationDate": "2024-01-01T00:00:00Z"]
        #expect(ResultValidator(mode: .strict).problems(describe, resource: "arn:aws:states:::aws-sdk:sfn:describeStateMachine").isEmpty)
        let camel = ResultValidator(mode: .present).problems(["stateMachineArn": "arn"], resource: "arn:aws:states:::aws-sdk:sfn:describeStateMachine")
        #expect(camel.first?.message.contains("did you mean StateMachineArn?") == true)
        let object: JSONValue = ["Body": "hello", "ContentType": "text/plain", "ETag": "\"e\"", "ContentLength": 5]
        #expect(ResultValidator(mode: .strict).problems(object, resource: "arn:aws:states:::aws-sdk:s3:getObject").isEmpty)
        #expect(ResultValidator(mode: .strict).problems(["MessageId": "m"], resource: "arn:aws:states:::sqs:sendMessage").isEmpty)
        #expect(ResultValidator(mode: .strict).problems(["FailedEntryCount": 0, "Entries": [["EventId": "e"]]],
            resource: "arn:aws:states:::events:putEvents").isEmpty)
        #expect(ResultValidator(mode: .strict).problems(["MessageId": "m"], resource: "arn:aws:states:::sns:publish").isEmpty)
        // The aws-sdk call path's Java SDK names: DynamoDB's BOOL, SS and NULL are Bool, Ss and Nul.
        let item: JSONValue = ["Item": ["done": ["Bool": true], "tags": ["Ss": ["a"]], "gone": ["Nul": true]]]
        #expect(ResultValidator(mode: .strict).problems(item, resource: "arn:aws:states:::aws-sdk:dynamodb:getItem").isEmpty)
        let wireNames = ResultValidator(mode: .strict).problems(["Item": ["done": ["BOOL": true]]], resource: "arn:aws:states:::aws-sdk:dynamodb:getItem")
        #expect(wireNames.map(\.path) == ["$.Item.done.BOOL"])
    }

    @Test("Resources without a known shape are not validated: function ARNs, activities, token tasks, unknown actions")
    func unvalidated() {
        let anything: JSONValue = ["Paylod": 1]
        for resource in [
            "arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:states:us-east-1:123456789012:activity:a",
            "arn:aws:states:::lambda:invoke.waitForTaskToken", "arn:aws:states:::aws-sdk:dynamodb:noSuchAction",
            "arn:aws:states:::aws-sdk:nosuchservice:getThing", "arn:aws:states:::apigateway:invoke",
        ] {
            #expect(ResultValidator(mode: .strict).problems(anything, resource: resource).isEmpty, "\(resource)")
            #expect(ResultShapeTables.selection(forResource: resource) == nil, "\(resource)")
        }
    }

    @Test("TestState's wording follows AWS; unknown members can be allowed, as AWS's TestState does")
    func awsWording() {
        let problems = ResultValidator(mode: .present, unknownMembers: .allow).problems(
            ["FailedEntryCount": 0, "Entries": "x", "Extra": 1], resource: "arn:aws:states:::events:putEvents")
        #expect(problems.map(\.awsMessage) == ["Mock result schema validation error: Field 'Entries' must be an array"])
    }

    @Test("Mock-config files: the AWS docs example passes STRICT against its definition; Paylod fails with file, state and field")
    func mockConfigAgainstDefinition() throws {
        let config = try MockConfigLoader.load(path: MockConfigFixtures.path("mocks/aws-docs-example/MockConfigFile.json"))
        let text = try String(contentsOfFile: MockConfigFixtures.path("mocks/aws-docs-example/LambdaSQSIntegration.asl.json"), encoding: .utf8)
        let resources = TaskStateResources.of(try StateMachineDefinition.load(text))
        for (_, testCase) in try #require(config.stateMachines["LambdaSQSIntegration"]) {
            #expect(testCase.fieldProblems(resources: resources).isEmpty)
        }
        let misspelled = #"{"StateMachines":{"M":{"TestCases":{"T":{"LambdaState":"R"}}}},"MockedResponses":{"R":{"0":{"Return":{"Paylod":{}}}}}}"#
        let issues = try MockConfigLoader.parse(misspelled, file: "mocks.json").stateMachines["M"]?["T"]?.fieldProblems(resources: resources)
        #expect(issues?.map(\.description) == [
            "mocks.json: /MockedResponses/R: state 'LambdaState' (mocked response 'R', invocation 0): "
                + "$.Paylod: not a member of lambda:invoke's result (did you mean Payload?)"
        ])
    }

    @Test("FieldValidationMode is read at the top of a mock-config file and per response, the response winning")
    func mockConfigModes() throws {
        let text = #"""
            {"FieldValidationMode": "PRESENT",
             "StateMachines": {"M": {"TestCases": {"T": {"A": "R1", "B": "R2"}}}},
             "MockedResponses": {"R1": {"0": {"Return": 1}}, "R2": {"FieldValidationMode": "NONE", "0": {"Return": 2}}}}
            """#
        let testCase = try #require(try MockConfigLoader.parse(text, file: "m.json").stateMachines["M"]?["T"])
        #expect(testCase.responses["A"]?.fieldValidation == .present)
        #expect(testCase.responses["B"]?.fieldValidation == FieldValidationMode.none)
        let issues = testCase.fieldProblems(resources: ["A": Self.lambda, "B": Self.lambda])
        #expect(issues.map(\.state) == ["A"])
        let bad = #expect(throws: MockConfigError.self) {
            try MockConfigLoader.parse(#"{"FieldValidationMode": "LOOSE", "StateMachines": {}}"#, file: "m.json")
        }
        #expect(bad?.location == "/FieldValidationMode")
    }
}
