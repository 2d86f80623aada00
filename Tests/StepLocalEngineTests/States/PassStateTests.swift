import StepLocalASL
import StepLocalEngine
import StepLocalJSON
import Testing

/// Pass state and the JSONPath data-flow fields, from the AWS Developer Guide
/// ("Pass workflow state", "Processing input and output in Step Functions").
@Suite("Pass state and JSONPath input/output processing")
struct PassStateTests {
    @Test("Pass without Result or Parameters passes its input to its output")
    func passThrough() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Pass","End":true}"#), inputJSON: #"{"a":1,"b":[true,null]}"#)
        expectSucceeded(snapshot, output: #"{"a":1,"b":[true,null]}"#)
    }

    @Test("Pass Result with ResultPath $.coords merges the result into the input (AWS docs georefOf example)")
    func resultPathMerge() async throws {
        let definition = Harness.single(#"""
            {"Type":"Pass","Result":{"x-datum":0.381018,"y-datum":622.2269926397355},"ResultPath":"$.coords","End":true}
            """#)
        let snapshot = try await Harness.run(definition, inputJSON: #"{"georefOf":"Home"}"#)
        expectSucceeded(snapshot, output: #"{"georefOf":"Home","coords":{"x-datum":0.381018,"y-datum":622.2269926397355}}"#)
        // The new key is appended after the existing ones, as AWS prints it.
        #expect(snapshot.output?.serialized() == #"{"georefOf":"Home","coords":{"x-datum":0.381018,"y-datum":622.2269926397355}}"#)
    }

    @Test("Pass Result without ResultPath replaces the whole input (ResultPath defaults to $)")
    func resultReplaces() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Pass","Result":"done","End":true}"#), inputJSON: #"{"a":1}"#)
        expectSucceeded(snapshot, output: #""done""#)
    }

    @Test("ResultPath null discards the result and passes the input through")
    func resultPathNull() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Pass","Result":{"x":1},"ResultPath":null,"End":true}"#), inputJSON: #"{"keep":"me"}"#)
        expectSucceeded(snapshot, output: #"{"keep":"me"}"#)
    }

    @Test("ResultPath $ replaces the input with the result")
    func resultPathDollar() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Pass","Result":{"x":1},"ResultPath":"$","End":true}"#), inputJSON: #"{"keep":"me"}"#)
        expectSucceeded(snapshot, output: #"{"x":1}"#)
    }

    @Test("ResultPath to a nested path creates the missing objects on the way")
    func resultPathCreatesParents() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Pass","Result":7,"ResultPath":"$.a.b.c","End":true}"#), inputJSON: #"{"z":0}"#)
        expectSucceeded(snapshot, output: #"{"z":0,"a":{"b":{"c":7}}}"#)
    }

    @Test("ResultPath overwrites an existing field of the input")
    func resultPathOverwrites() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Pass","Result":"new","ResultPath":"$.a","End":true}"#), inputJSON: #"{"a":"old","b":2}"#)
        expectSucceeded(snapshot, output: #"{"a":"new","b":2}"#)
    }

    @Test("ResultPath into a field of a non-object value fails with States.ResultPathMatchFailure")
    func resultPathMatchFailure() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Pass","Result":1,"ResultPath":"$.a.b","End":true}"#), inputJSON: #"{"a":"text"}"#)
        // AWS docs, "Error handling": States.ResultPathMatchFailure when ResultPath cannot be applied to the input.
        expectFailed(snapshot, error: "States.ResultPathMatchFailure")
    }

    @Test("InputPath selects part of the input and Parameters build a new object from it")
    func inputPathAndParameters() async throws {
        let definition = Harness.single(#"""
            {"Type":"Pass","InputPath":"$.order","Parameters":{"id.$":"$.id","fixed":"x","nested":{"qty.$":"$.items[0].qty"}},"End":true}
            """#)
        let snapshot = try await Harness.run(definition, inputJSON: #"{"order":{"id":"o-1","items":[{"qty":3}]},"other":true}"#)
        expectSucceeded(snapshot, output: #"{"id":"o-1","fixed":"x","nested":{"qty":3}}"#)
    }

    @Test("InputPath null gives the state an empty object as input")
    func inputPathNull() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Pass","InputPath":null,"End":true}"#), inputJSON: #"{"a":1}"#)
        expectSucceeded(snapshot, output: "{}")
    }

    @Test("OutputPath null makes the state output an empty object")
    func outputPathNull() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Pass","OutputPath":null,"End":true}"#), inputJSON: #"{"a":1}"#)
        expectSucceeded(snapshot, output: "{}")
    }

    @Test("OutputPath selects part of the combined output")
    func outputPath() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Pass","Result":{"v":5},"ResultPath":"$.r","OutputPath":"$.r.v","End":true}"#), inputJSON: #"{"a":1}"#)
        expectSucceeded(snapshot, output: "5")
    }

    @Test("An InputPath that matches nothing fails with States.Runtime naming the path")
    func inputPathNoMatch() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Pass","InputPath":"$.missing","End":true}"#), inputJSON: #"{"a":1}"#)
        expectFailed(snapshot, error: "States.Runtime")
        #expect(snapshot.cause?.contains("$.missing") == true)
        #expect(snapshot.cause?.hasPrefix("An error occurred while executing the state 'S' (entered at the event id #2).") == true)
    }

    @Test("A Parameters path that matches nothing fails with States.Runtime naming the field (as AWS records for *Path fields)")
    func parametersPathFailure() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Pass","Parameters":{"x.$":"$.missing"},"End":true}"#), inputJSON: #"{"a":1}"#)
        // The docs list States.ParameterPathFailure, but AWS's recorded executions fail such paths with States.Runtime.
        expectFailed(snapshot, error: "States.Runtime")
        #expect(snapshot.cause?.contains("$.missing") == true)
        #expect(snapshot.cause?.contains("x.$") == true, "\(snapshot.cause ?? "")")
    }

    @Test("Parameters can read the context object: $$.Execution.Name and $$.State.Name")
    func parametersContext() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Pass","Parameters":{"exec.$":"$$.Execution.Name","state.$":"$$.State.Name","input.$":"$$.Execution.Input.a"},"End":true}"#),
            inputJSON: #"{"a":42}"#)
        expectSucceeded(snapshot, output: #"{"exec":"test-execution","state":"S","input":42}"#)
    }

    @Test("Parameters can call intrinsic functions: States.Format and States.Array")
    func parametersIntrinsics() async throws {
        let snapshot = try await Harness.run(
            Harness.single(#"{"Type":"Pass","Parameters":{"greeting.$":"States.Format('Hello, {}!', $.name)","arr.$":"States.Array($.a, 2)"},"End":true}"#),
            inputJSON: #"{"name":"World","a":1}"#)
        expectSucceeded(snapshot, output: #"{"greeting":"Hello, World!","arr":[1,2]}"#)
    }

    @Test("Result is taken literally: keys ending in .$ in Result are not evaluated")
    func resultIsLiteral() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Pass","Result":{"x.$":"$.a"},"End":true}"#), inputJSON: #"{"a":1}"#)
        expectSucceeded(snapshot, output: #"{"x.$":"$.a"}"#)
    }

    @Test("Pass states chain with Next: each state's output is the next state's input")
    func chain() async throws {
        let definition = #"""
            {"StartAt":"A","States":{
              "A":{"Type":"Pass","Result":1,"ResultPath":"$.a","Next":"B"},
              "B":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.a, 10)"},"Next":"C"},
              "C":{"Type":"Succeed"}}}
            """#
        let snapshot = try await Harness.run(definition, inputJSON: "{}")
        expectSucceeded(snapshot, output: #"{"sum":11}"#)
    }

    @Test("AWS docs example: InputPath, ResultPath and OutputPath together on a Task")
    func docsCombinedPaths() async throws {
        let definition = Harness.single(#"""
            {"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:HelloFunction",
             "InputPath":"$.lambda","ResultPath":"$.data.lambdaresult","OutputPath":"$.data","End":true}
            """#)
        let dispatcher = StubDispatcher { request in .string("Hello, \(request.parameters["who"]?.stringValue ?? "")!") }
        let snapshot = try await Harness.run(
            definition,
            inputJSON: #"{"comment":"An input comment.","data":{"val1":23,"val2":17},"extra":"foo","lambda":{"who":"AWS Step Functions"}}"#,
            dispatcher: dispatcher)
        expectSucceeded(snapshot, output: #"{"val1":23,"val2":17,"lambdaresult":"Hello, AWS Step Functions!"}"#)
    }

    @Test("Succeed state passes its (filtered) input as the execution output")
    func succeed() async throws {
        let snapshot = try await Harness.run(Harness.single(#"{"Type":"Succeed","InputPath":"$.x","OutputPath":"$.y"}"#), inputJSON: #"{"x":{"y":[1]}}"#)
        expectSucceeded(snapshot, output: "[1]")
        #expect(snapshot.eventTypes == ["ExecutionStarted", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"])
    }
}
