import StepLocalJSON
import Testing

@testable import StepLocalServer

/// TestState with `inspectionLevel` DEBUG: `inspectionData` shows each stage of the tested
/// state's data flow as the engine produced it (AWS's InspectionData members, as JSON text).
@Suite("TestState inspection data")
struct TestStateInspectionTests {
    static func inspect(_ definition: String, input: String = "{}", extra: JSONObject = [:]) async throws -> APIResponse {
        try await withAPI { api in
            var body: JSONObject = ["definition": .string(definition), "input": .string(input), "inspectionLevel": "DEBUG"]
            for (key, value) in extra { body[key] = value }
            return try await api.call("TestState", .object(body))
        }
    }

    /// The members of `inspectionData`, each JSON-text member parsed.
    static func stages(_ response: APIResponse) throws -> [String: JSONValue] {
        let data = try #require(response["inspectionData"]?.objectValue)
        var stages: [String: JSONValue] = [:]
        for (key, value) in data {
            stages[key] = try value.stringValue.map { try JSONValue(parsing: $0) } ?? value
        }
        return stages
    }

    @Test("A JSONPath Task shows input, InputPath, Parameters, the raw result, ResultSelector and ResultPath in turn")
    func taskPipeline() async throws {
        let definition = """
            {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.order",
             "Parameters":{"FunctionName":"price","Payload.$":"$"},
             "ResultSelector":{"total.$":"$.Payload.total"},"ResultPath":"$.priced","OutputPath":"$.priced","End":true}
            """
        let response = try await Self.inspect(
            definition, input: #"{"order":{"id":7},"other":true}"#,
            extra: ["mock": ["result": #"{"StatusCode":200,"Payload":{"total":42}}"#]])
        #expect(response["status"] == "SUCCEEDED")
        #expect(response["output"] == #"{"total":42}"#)
        let stages = try Self.stages(response)
        #expect(stages["input"] == ["order": ["id": 7], "other": true])
        #expect(stages["afterInputPath"] == ["id": 7])
        #expect(stages["afterParameters"] == ["FunctionName": "price", "Payload": ["id": 7]])
        #expect(stages["result"] == ["StatusCode": 200, "Payload": ["total": 42]])
        #expect(stages["afterResultSelector"] == ["total": 42])
        // ResultPath combines with the raw input; OutputPath is applied only after this stage.
        #expect(stages["afterResultPath"] == ["order": ["id": 7], "other": true, "priced": ["total": 42]])
        #expect(stages["afterArguments"] == nil)
        #expect(stages["variables"] == nil, "no variables are in scope")
    }

    @Test("A mocked Map state shows its items after ItemsPath, the iteration inputs after ItemSelector, and its concurrency and tolerance as numbers")
    func mapPipeline() async throws {
        let definition = """
            {"Type":"Map","ItemsPath":"$.lines","ItemSelector":{"sku.$":"$$.Map.Item.Value.sku","customer.$":"$.customer"},
             "MaxConcurrency":2,"ToleratedFailureCount":1,"ResultSelector":{"count.$":"States.ArrayLength($)"},
             "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}
            """
        let response = try await Self.inspect(
            definition, input: #"{"customer":"c-1","lines":[{"sku":"a"},{"sku":"b"}]}"#, extra: ["mock": ["result": #"["x","y","z"]"#]])
        #expect(response["status"] == "SUCCEEDED")
        // The mock stands for the iterations' results; the state's result processing still runs.
        #expect(response["output"] == #"{"count":3}"#)
        let stages = try Self.stages(response)
        #expect(stages["afterItemsPath"] == [["sku": "a"], ["sku": "b"]])
        #expect(stages["afterItemSelector"] == [["sku": "a", "customer": "c-1"], ["sku": "b", "customer": "c-1"]])
        #expect(stages["maxConcurrency"] == 2)
        #expect(stages["toleratedFailureCount"] == 1)
        #expect(stages["toleratedFailurePercentage"] == nil)
    }

    @Test("A Pass state's Parameters are its result; a Pass without Parameters passes the InputPath result through")
    func passPipeline() async throws {
        let withParameters = try Self.stages(
            try await Self.inspect(#"{"Type":"Pass","InputPath":"$.a","Parameters":{"b.$":"$.x"},"ResultPath":"$.out","End":true}"#,
                input: #"{"a":{"x":1}}"#))
        #expect(withParameters["afterInputPath"] == ["x": 1])
        #expect(withParameters["afterParameters"] == ["b": 1])
        #expect(withParameters["result"] == ["b": 1])
        #expect(withParameters["afterResultPath"] == ["a": ["x": 1], "out": ["b": 1]])

        let plain = try Self.stages(try await Self.inspect(#"{"Type":"Pass","InputPath":"$.a","End":true}"#, input: #"{"a":[1,2]}"#))
        #expect(plain["afterParameters"] == [1, 2])
        #expect(plain["result"] == [1, 2])
        #expect(plain["afterResultSelector"] == nil, "Pass has no ResultSelector stage")
    }

    @Test("A JSONata Task shows its Arguments as afterArguments and none of the JSONPath stages")
    func jsonataTask() async throws {
        let definition = """
            {"Type":"Task","QueryLanguage":"JSONata","Resource":"arn:aws:states:::lambda:invoke",
             "Arguments":{"FunctionName":"f","Payload":{"n":"{% $states.input.n * 2 %}"}},"Output":"{% $states.result.Payload %}","End":true}
            """
        let response = try await Self.inspect(definition, input: #"{"n":21}"#, extra: ["mock": ["result": #"{"Payload":{"ok":true}}"#]])
        #expect(response["output"] == #"{"ok":true}"#)
        let stages = try Self.stages(response)
        #expect(stages["input"] == ["n": 21])
        #expect(stages["afterArguments"] == ["FunctionName": "f", "Payload": ["n": 42]])
        #expect(stages["result"] == ["Payload": ["ok": true]])
        for jsonPathOnly in ["afterInputPath", "afterParameters", "afterResultSelector", "afterResultPath"] {
            #expect(stages[jsonPathOnly] == nil, "\(jsonPathOnly) is not populated for JSONata")
        }
    }

    @Test("Variables assigned by the state are shown after it ran")
    func variables() async throws {
        let stages = try Self.stages(
            try await Self.inspect(#"{"Type":"Pass","Assign":{"seen.$":"$.n","fixed":"x"},"End":true}"#, input: #"{"n":3}"#))
        #expect(stages["variables"] == ["fixed": "x", "seen": 3])
    }

    @Test("A caught error reports which Catch handled it, and ResultPath places the error output")
    func caught() async throws {
        let definition = """
            {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
             "Catch":[{"ErrorEquals":["Other"],"Next":"A"},{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Recover"}],"End":true}
            """
        let response = try await Self.inspect(
            definition, input: #"{"k":1}"#, extra: ["mock": ["errorOutput": ["error": "Boom", "cause": "bad"]]])
        #expect(response["status"] == "CAUGHT_ERROR")
        #expect(response["nextState"] == "Recover")
        let stages = try Self.stages(response)
        #expect(stages["errorDetails"] == ["catchIndex": 1])
        #expect(stages["afterResultPath"] == ["k": 1, "err": ["Error": "Boom", "Cause": "bad"]])
        #expect(stages["result"] == nil, "the task produced no result")
    }

    @Test("A retriable error names the Retrier and its backoff, counting earlier retries from stateConfiguration")
    func retriable() async throws {
        let definition = """
            {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
             "Retry":[{"ErrorEquals":["Other"]},{"ErrorEquals":["Boom"],"IntervalSeconds":3,"BackoffRate":2,"MaxAttempts":3}],"End":true}
            """
        let mock: JSONValue = ["errorOutput": ["error": "Boom", "cause": "bad"]]
        let first = try await Self.inspect(definition, extra: ["mock": mock])
        #expect(first["status"] == "RETRIABLE")
        #expect(try Self.stages(first)["errorDetails"] == ["retryIndex": 1, "retryBackoffIntervalSeconds": 3])
        let third = try await Self.inspect(definition, extra: ["mock": mock, "stateConfiguration": ["retrierRetryCount": 2]])
        #expect(try Self.stages(third)["errorDetails"] == ["retryIndex": 1, "retryBackoffIntervalSeconds": 12])
        let exhausted = try await Self.inspect(definition, extra: ["mock": mock, "stateConfiguration": ["retrierRetryCount": 3]])
        #expect(exhausted["status"] == "FAILED")
        #expect(try Self.stages(exhausted)["errorDetails"] == nil)
    }

    @Test("INFO, the default level, returns no inspectionData")
    func infoLevel() async throws {
        try await withAPI { api in
            let response = try await api.call("TestState", ["definition": #"{"Type":"Pass","End":true}"#])
            #expect(response["status"] == "SUCCEEDED")
            #expect(response["inspectionData"] == nil)
        }
    }

    @Test("Testing one state of a whole machine inspects only that state, not the states it moves to")
    func stateOfAMachine() async throws {
        let machine = """
            {"StartAt":"First","States":{"First":{"Type":"Pass","Next":"Second"},
             "Second":{"Type":"Pass","InputPath":"$.x","Parameters":{"y.$":"$"},"Next":"Third"},"Third":{"Type":"Pass","End":true}}}
            """
        let response = try await Self.inspect(machine, input: #"{"x":5}"#, extra: ["stateName": "Second"])
        #expect(response["nextState"] == "Third")
        let stages = try Self.stages(response)
        #expect(stages["input"] == ["x": 5])
        #expect(stages["afterInputPath"] == 5)
        #expect(stages["afterParameters"] == ["y": 5])
        #expect(stages["afterResultPath"] == ["y": 5])
    }
}
