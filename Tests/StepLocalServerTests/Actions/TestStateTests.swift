import StepLocalJSON
import Testing

@testable import StepLocalServer

@Suite("TestState")
struct TestStateTests {
    @Test("A Pass state runs alone and reports its output and next state")
    func pass() async throws {
        try await withAPI { api in
            let response = try await api.call(
                "TestState",
                ["definition": #"{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","Next":"After"}"#, "input": #"{"a":2}"#, "inspectionLevel": "DEBUG"])
            #expect(response["status"] == "SUCCEEDED")
            #expect(response["output"] == #"{"a":2,"r":{"x":1}}"#)
            #expect(response["nextState"] == "After")
            #expect(response["inspectionData"]?["input"] == #"{"a":2}"#)
        }
    }

    @Test("A Fail state reports FAILED with its error and cause")
    func fail() async throws {
        try await withAPI { api in
            let response = try await api.call("TestState", ["definition": #"{"Type":"Fail","Error":"E","Cause":"C"}"#])
            #expect(response["status"] == "FAILED")
            #expect(response["error"] == "E")
            #expect(response["cause"] == "C")
        }
    }

    @Test("A Choice state reports the branch it took")
    func choice() async throws {
        try await withAPI { api in
            let definition = #"{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"Big"}],"Default":"Small"}"#
            let response = try await api.call("TestState", ["definition": .string(definition), "input": #"{"n":5}"#])
            #expect(response["nextState"] == "Big")
        }
    }

    @Test("A Task state answered by a mock error with a matching Retrier is RETRIABLE")
    func retriable() async throws {
        try await withAPI { api in
            let definition = #"{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}"#
            let response = try await api.call(
                "TestState", ["definition": .string(definition), "mock": ["errorOutput": ["error": "Oops", "cause": "bad"]]])
            #expect(response["status"] == "RETRIABLE")
            #expect(response["error"] == "Oops")
        }
    }

    @Test("variables are set before the state runs, in JSONPath and JSONata states alike")
    func variables() async throws {
        try await withAPI { api in
            let jsonPath = try await api.call(
                "TestState",
                ["definition": #"{"Type":"Pass","Parameters":{"total.$":"$price","who.$":"$.name"},"End":true}"#,
                 "input": #"{"name":"ann"}"#, "variables": #"{"price":12}"#])
            #expect(jsonPath["status"] == "SUCCEEDED")
            #expect(jsonPath["output"] == #"{"total":12,"who":"ann"}"#)
            let jsonata = try await api.call(
                "TestState",
                ["definition": #"{"QueryLanguage":"JSONata","Type":"Pass","Output":"{% $price * $qty %}","End":true}"#,
                 "variables": #"{"price":3,"qty":4}"#])
            #expect(jsonata["output"] == "12")
        }
    }

    @Test("without variables, reading one is the run-time error it would be in an execution")
    func missingVariable() async throws {
        try await withAPI { api in
            let response = try await api.call(
                "TestState", ["definition": #"{"QueryLanguage":"JSONata","Type":"Pass","Output":"{% $price %}","End":true}"#])
            #expect(response["status"] == "FAILED")
        }
    }

    @Test("variables and context that are not JSON objects are rejected with ValidationException")
    func malformedVariables() async throws {
        try await withAPI { api in
            let notJSON = try await api.call("TestState", ["definition": #"{"Type":"Pass","End":true}"#, "variables": "{"])
            #expect(notJSON.errorType == "ValidationException")
            let notObject = try await api.call("TestState", ["definition": #"{"Type":"Pass","End":true}"#, "variables": "[1]"])
            #expect(notObject.errorType == "ValidationException")
            #expect(notObject.message?.contains("expected a JSON object") == true)
        }
    }

    @Test("context needs a mock, and is laid over the Context object the state sees")
    func context() async throws {
        try await withAPI { api in
            let task = #"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"ResultSelector":{"name.$":"$$.Execution.Name","item.$":"$$.Map.Item.Value","sm.$":"$$.StateMachine.Name"},"End":true}"#
            let withoutMock = try await api.call(
                "TestState", ["definition": .string(task), "context": #"{"Execution":{"Name":"run-7"}}"#])
            #expect(withoutMock.errorType == "ValidationException")
            let response = try await api.call(
                "TestState",
                ["definition": .string(task), "mock": ["result": "{}"],
                 "context": #"{"Execution":{"Name":"run-7"},"Map":{"Item":{"Index":0,"Value":"v"}}}"#])
            #expect(response["status"] == "SUCCEEDED")
            #expect(response["output"] == #"{"name":"run-7","item":"v","sm":"TestState"}"#)
        }
    }

    @Test("a mock is refused for states that cannot have one; Map, Parallel, Activity, .sync and .waitForTaskToken need one")
    func mockTargets() async throws {
        try await withAPI { api in
            let pass = try await api.call("TestState", ["definition": #"{"Type":"Pass","End":true}"#, "mock": ["result": "{}"]])
            #expect(pass.errorType == "ValidationException")
            #expect(pass.message == "A mock can only be specified for Task, Map, or Parallel states")
            let parallel = #"{"Type":"Parallel","Branches":[{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}],"End":true}"#
            let unmocked = try await api.call("TestState", ["definition": .string(parallel)])
            #expect(unmocked.errorType == "ValidationException")
            #expect(unmocked.message == "TestState needs a mock to test a Parallel state")
            for resource in ["arn:aws:states:us-east-1:123456789012:activity:work", "arn:aws:states:::ecs:runTask.sync",
                             "arn:aws:states:::sqs:sendMessage.waitForTaskToken"] {
                let task = try await api.call(
                    "TestState", ["definition": .string(#"{"Type":"Task","Resource":"\#(resource)","End":true}"#)])
                #expect(task.errorType == "ValidationException", "\(resource)")
            }
        }
    }

    @Test("a mocked Parallel or Map takes the mock as its branches' result, or fails with the mocked error into Retry and Catch")
    func mockedParallelAndMap() async throws {
        try await withAPI { api in
            let parallel = """
                {"Type":"Parallel","Branches":[{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}],
                 "ResultPath":"$.branches","Catch":[{"ErrorEquals":["Branch.Failed"],"Next":"Recover"}],"Next":"After"}
                """
            let result = try await api.call(
                "TestState", ["definition": .string(parallel), "input": #"{"a":1}"#, "mock": ["result": #"[{"b":2},{"c":3}]"#]])
            #expect(result["status"] == "SUCCEEDED")
            #expect(result["output"] == #"{"a":1,"branches":[{"b":2},{"c":3}]}"#)
            #expect(result["nextState"] == "After")
            let caught = try await api.call(
                "TestState",
                ["definition": .string(parallel), "mock": ["errorOutput": ["error": "Branch.Failed", "cause": "p failed"]],
                 "stateConfiguration": ["errorCausedByState": "P"]])
            #expect(caught["status"] == "CAUGHT_ERROR")
            #expect(caught["error"] == "Branch.Failed")
            #expect(caught["cause"] == "p failed")
            #expect(caught["nextState"] == "Recover")
            let unknownOrigin = try await api.call(
                "TestState",
                ["definition": .string(parallel), "mock": ["errorOutput": ["error": "E", "cause": "c"]],
                 "stateConfiguration": ["errorCausedByState": "Nowhere"]])
            #expect(unknownOrigin.errorType == "ValidationException")
            let map = #"{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}"#
            let retriable = try await api.call(
                "TestState", ["definition": .string(map), "input": "[1,2]", "mock": ["errorOutput": ["error": "Item.Failed", "cause": "x"]]])
            #expect(retriable["status"] == "RETRIABLE")
            #expect(retriable["error"] == "Item.Failed")
        }
    }

    @Test("stateConfiguration.mapIterationFailureCount: over the Map's tolerance the mocked Map fails with States.ExceedToleratedFailureThreshold into Catch and Retry; without a tolerance the mock stands (recorded on AWS)")
    func mapIterationFailureCount() async throws {
        let processor = #""ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"T","States":{"T":{"Type":"Pass","End":true}}}"#
        let caught = #"{"Type":"Map","QueryLanguage":"JSONata","Items":"{% $states.input.Values %}",\#(processor),"Catch":[{"ErrorEquals":["States.ExceedToleratedFailureThreshold"],"Next":"HandleThreshold"}],"ToleratedFailureCount":1,"End":true}"#
        let retried = #"{"Type":"Map","QueryLanguage":"JSONata","Items":"{% $states.input.Values %}",\#(processor),"Retry":[{"ErrorEquals":["States.Timeout"]},{"ErrorEquals":["States.ExceedToleratedFailureThreshold"],"IntervalSeconds":1}],"ToleratedFailureCount":1,"End":true}"#
        let untolerant = #"{"Type":"Map","QueryLanguage":"JSONata","Items":"{% $states.input.Values %}",\#(processor),"End":true}"#
        let input: JSONValue = #"{"Values":["first","second","third"]}"#
        try await withAPI { api in
            func test(_ definition: String, failures: Int, level: String = "INFO") async throws -> APIResponse {
                try await api.call(
                    "TestState",
                    ["definition": .string(definition), "input": input, "inspectionLevel": .string(level), "mock": ["result": "[1, 1, 1]"],
                     "stateConfiguration": ["mapIterationFailureCount": .int(failures)]])
            }
            let below = try await test(caught, failures: 0, level: "DEBUG")
            #expect(below["status"] == "SUCCEEDED" && below["output"] == "[1,1,1]")
            #expect(below["inspectionData"]?["toleratedFailureCount"] == 1)
            let exceeded = try await test(caught, failures: 2)
            #expect(exceeded["status"] == "CAUGHT_ERROR" && exceeded["nextState"] == "HandleThreshold")
            #expect(exceeded["error"] == "States.ExceedToleratedFailureThreshold")
            #expect(exceeded["cause"] == "The specified tolerated failure threshold was exceeded")
            let retriable = try await test(retried, failures: 2, level: "DEBUG")
            #expect(retriable["status"] == "RETRIABLE")
            #expect(retriable["inspectionData"]?["errorDetails"]?["retryIndex"] == 1)
            #expect(try await test(untolerant, failures: 2)["status"] == "SUCCEEDED")
            let notAMap = try await api.call(
                "TestState", ["definition": #"{"Type":"Pass","End":true}"#, "stateConfiguration": ["mapIterationFailureCount": 1]])
            #expect(notAMap.errorType == "ValidationException")
        }
    }

    @Test("stateConfiguration.mapItemReaderData: decoded as the ItemReader's InputType; its items count for a percentage tolerance; the mock is the result (recorded on AWS)")
    func mapItemReaderData() async throws {
        let reader = #""ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket.$":"$.Bucket","Key.$":"$.Key"}}"#
        let processor = #""ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"T","States":{"T":{"Type":"Pass","End":true}}}"#
        let map = #"{"Type":"Map",\#(reader),\#(processor),"MaxConcurrency":1,"ToleratedFailurePercentage":50,"End":true}"#
        try await withAPI { api in
            func test(_ data: String, failures: Int) async throws -> APIResponse {
                try await api.call(
                    "TestState",
                    ["definition": .string(map), "input": #"{"Bucket":"test-bucket","Key":"test-key"}"#, "mock": ["result": "[1, 4, 9]"],
                     "stateConfiguration": ["mapItemReaderData": .string(data), "mapIterationFailureCount": .int(failures)]])
            }
            let succeeded = try await test("[1, 2, 3]", failures: 1)
            #expect(succeeded["status"] == "SUCCEEDED" && succeeded["output"] == "[1,4,9]")
            // 2 of 3 items failing is over 50 %; of 5 items it is not.
            #expect(try await test("[1, 2, 3]", failures: 2)["error"] == "States.ExceedToleratedFailureThreshold")
            #expect(try await test("[1, 2, 3, 4, 5]", failures: 2)["status"] == "SUCCEEDED")
            let malformed = try await test(#"{"not": "an array"}"#, failures: 0)
            #expect(malformed["error"] == "States.ItemReaderFailed")
            let noReader = try await api.call(
                "TestState",
                ["definition": #"{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}"#,
                 "mock": ["result": "[]"], "stateConfiguration": ["mapItemReaderData": "[1]"]])
            #expect(noReader.errorType == "ValidationException")
        }
    }

    @Test("mock.fieldValidationMode: STRICT (the default) refuses a partial or mistyped result with AWS's ValidationException")
    func mockFieldValidationStrict() async throws {
        let task = #"{"Type":"Task","Resource":"arn:aws:states:::states:startExecution","End":true}"#
        try await withAPI { api in
            let missing = try await api.call("TestState", ["definition": .string(task), "mock": ["result": #"{"ExecutionArn":"arn"}"#]])
            #expect(missing.errorType == "ValidationException")
            #expect(missing.message == "Mock result schema validation error: Required field 'StartDate' is missing")
            let events = #"{"Type":"Task","Resource":"arn:aws:states:::events:putEvents","End":true}"#
            let wrongType = try await api.call(
                "TestState", ["definition": .string(events), "mock": ["result": #"{"Entries":"x"}"#, "fieldValidationMode": "STRICT"]])
            #expect(wrongType.message == "Mock result schema validation error: Field 'Entries' must be an array")
            let complete = try await api.call(
                "TestState", ["definition": .string(task), "mock": ["result": #"{"ExecutionArn":"arn","StartDate":1700000000.0}"#]])
            #expect(complete["status"] == "SUCCEEDED")
        }
    }

    @Test("mock.fieldValidationMode PRESENT accepts a partial result but not a wrong type; NONE accepts anything")
    func mockFieldValidationPresentAndNone() async throws {
        let task = #"{"Type":"Task","Resource":"arn:aws:states:::states:startExecution","End":true}"#
        try await withAPI { api in
            let partial = try await api.call(
                "TestState", ["definition": .string(task), "mock": ["result": #"{"ExecutionArn":"arn"}"#, "fieldValidationMode": "PRESENT"]])
            #expect(partial["status"] == "SUCCEEDED")
            let wrong = try await api.call(
                "TestState", ["definition": .string(task), "mock": ["result": #"{"ExecutionArn":5}"#, "fieldValidationMode": "PRESENT"]])
            #expect(wrong.message == "Mock result schema validation error: Field 'ExecutionArn' must be a string")
            let anything = try await api.call(
                "TestState", ["definition": .string(task), "mock": ["result": #"{"ExecutionArn":5}"#, "fieldValidationMode": "NONE"]])
            #expect(anything["status"] == "SUCCEEDED")
            // Members the model does not define pass, as on AWS (forward compatibility).
            let extra = try await api.call(
                "TestState", ["definition": .string(task), "mock": ["result": #"{"ExecutionArn":"a","StartDate":1,"Extra":1}"#]])
            #expect(extra["status"] == "SUCCEEDED")
        }
    }
}
