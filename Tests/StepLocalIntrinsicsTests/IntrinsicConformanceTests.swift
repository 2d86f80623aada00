import StepLocalIntrinsics
import StepLocalJSON
import Testing

@Suite("Intrinsic results recorded on AWS")
struct IntrinsicConformanceTests {
    @Test("A Pass state's intrinsic returns what AWS returned", arguments: ConformanceCase.all)
    func recorded(_ c: ConformanceCase) throws {
        let result = try Evaluate.run(c.expression, c.input)
        // Compare the text so key order is checked too.
        #expect(result.serialized() == Evaluate.json(c.expected).serialized(), "\(c.expression)")
    }

    @Test("Variables, nested calls and every function together (AWS conformance: BASE_REFERENCE_IN_INTRINSIC_FUNCTION)")
    func variables() throws {
        let variables: [String: JSONValue] = [
            "rawString": "Hello World", "encodedString": "SGVsbG8gV29ybGQ=", "inputString": "Hash this string",
            "json1": ["a": 1, "b": 2], "json2": ["c": 3, "d": 4], "jsonString": #"{"key":"value"}"#,
            "jsonObject": ["test": "object"], "value1": 5, "value2": 3, "csvString": "a,b,c,d,e", "name": "John", "place": "LocalStack",
        ]
        func run(_ e: String) throws -> String { try Evaluate.run(e, variables: variables).serialized() }
        #expect(try run("States.Base64Encode($rawString)") == #""SGVsbG8gV29ybGQ=""#)
        #expect(try run("States.Base64Decode($encodedString)") == #""Hello World""#)
        #expect(try run("States.Hash($inputString, 'SHA-256')") == #""1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e""#)
        #expect(try run("States.JsonMerge($json1, $json2, false)") == #"{"a":1,"b":2,"c":3,"d":4}"#)
        #expect(try run("States.StringToJson($jsonString)") == #"{"key":"value"}"#)
        #expect(try run("States.JsonToString($jsonObject)") == #""{\"test\":\"object\"}""#)
        #expect(try run("States.MathAdd($value1, $value2)") == "8")
        #expect(try run("States.StringSplit($csvString, ',')") == #"["a","b","c","d","e"]"#)
        #expect(try run("States.Format('Hello {}, welcome to {}!', $name, $place)") == #""Hello John, welcome to LocalStack!""#)
    }

    @Test("Array functions on one input (AWS conformance: BASE_ASSIGN_FROM_INTRINSIC_FUNCTION)")
    func arrayOps() throws {
        let input = #"{"inputArray": [1, 2, 3, 4, 5, 6], "duplicateArray": [1, 2, 2, 3, 3, 4]}"#
        #expect(try Evaluate.run("States.Array('a', 'b', 'c')", input) == ["a", "b", "c"])
        #expect(try Evaluate.run("States.ArrayPartition($.inputArray, 2)", input) == [[1, 2], [3, 4], [5, 6]])
        #expect(try Evaluate.run("States.ArrayContains($.inputArray, 5)", input) == true)
        #expect(try Evaluate.run("States.ArrayRange(1, 10, 2)", input) == [1, 3, 5, 7, 9])
        #expect(try Evaluate.run("States.ArrayGetItem($.inputArray, 2)", input) == 3)
        #expect(try Evaluate.run("States.ArrayLength($.inputArray)", input) == 6)
        #expect(try Evaluate.run("States.ArrayUnique($.duplicateArray)", input) == [1, 2, 3, 4])
    }

    @Test("Fail state ErrorPath/CausePath formats (AWS conformance: test_state_fail_intrinsic)")
    func failState() throws {
        let input = #"{"Error": "error string", "Cause": "cause string"}"#
        #expect(try Evaluate.run("States.Format('{}', $.Error)", input) == "error string")
        #expect(try Evaluate.run("States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)", input)
            == "This is a custom error message for error string, caused by cause string.")
    }

    @Test("Nested calls over the context object (AWS conformance: test_nested_calls_2)")
    func nestedContext() throws {
        let context = #"{"StateMachine": {"Name": "machine-name-x"}}"#
        #expect(try Evaluate.run(
            "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))",
            context: context) == "x")
        #expect(try Evaluate.run("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)", context: context) == "machine")
    }

    @Test("JsonMerge of a parsed literal and a context value, in AWS's HashMap key order (test_json_merge_escaped_argument)")
    func jsonMergeOrder() throws {
        let result = try Evaluate.run(
            #"States.JsonMerge(States.StringToJson('{"constant_in_literal": "false"}'), $$.Execution.Input.input_field, false)"#,
            context: #"{"Execution": {"Input": {"input_field": {"constant_input_field": "constant_value"}}}}"#)
        #expect(result.serialized() == #"{"constant_input_field":"constant_value","constant_in_literal":"false"}"#)
    }

    @Test("A string literal may hold a real newline (AWS conformance: test_escape_sequence)")
    func newlineLiteral() throws {
        #expect(try Evaluate.run("States.StringSplit('Hello\nWorld', '\n')") == ["Hello", "World"])
    }
}
