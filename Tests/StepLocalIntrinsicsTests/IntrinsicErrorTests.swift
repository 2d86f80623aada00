import StepLocalIntrinsics
import StepLocalJSON
import Testing

@Suite("Intrinsic errors")
struct IntrinsicErrorTests {
    @Test("Invalid calls are rejected when the definition loads",
          arguments: [
            "States.Nope(1)", "States.Format(", "States.Format('x'", "States.Format('x') trailing", "States.Array(1,)",
            "States.Format('a \\\"b\\\"')",  // AWS: \" is not a legal escape (ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION)
            "States.Format('\\n')", "States.UUID(1)", "States.ArrayLength()", "States.MathAdd(1)", "States.MathRandom(1, 2, 3, 4)",
            "States.JsonMerge($.a, $.b)", "States.Array($.a[)", "States.Array(1.2.3)", "States.Array(nul)",
          ])
    func parseErrors(text: String) {
        #expect(throws: IntrinsicError.self) { try IntrinsicExpression(text) }
    }

    @Test("Nesting deeper than 10 calls is rejected")
    func nesting() throws {
        let ten = String(repeating: "States.Array(", count: 10) + String(repeating: ")", count: 10)
        #expect(throws: Never.self) { try IntrinsicExpression(ten) }
        let eleven = String(repeating: "States.Array(", count: 11) + String(repeating: ")", count: 11)
        #expect(throws: IntrinsicError.self) { try IntrinsicExpression(eleven) }
    }

    @Test("A path argument that matches nothing fails with States.Runtime, naming the whole expression (AWS wording)")
    func missingPath() {
        let error = Evaluate.error("States.Format('{} {}', $.other, $.a.b)", #"{"other":1}"#)
        #expect(error == IntrinsicError(
            error: "States.Runtime",
            cause: "The function 'States.Format('{} {}', $.other, $.a.b)' had the following error: "
                + "The JsonPath argument for the field '$.a.b' could not be found in the input '{\"other\":1}'"))
    }

    @Test("An out-of-range index argument is a miss; a $$ path is reported as $ against the input")
    func missingIndexAndContext() {
        #expect(Evaluate.error("States.Format('{}', $.items[5])", #"{"items":[1,2]}"#)?.cause.hasSuffix(
            "The JsonPath argument for the field '$.items[5]' could not be found in the input '{\"items\":[1,2]}'") == true)
        #expect(Evaluate.error("States.Format('{}', $$.Nope.Deep)", #"{"other":1}"#)?.cause.hasSuffix(
            "The JsonPath argument for the field '$.Nope.Deep' could not be found in the input '{\"other\":1}'") == true)
    }

    @Test("A present null argument is not a miss, and a wildcard matching nothing is []")
    func nullAndEmpty() throws {
        #expect(try Evaluate.run("States.Format('{}', $.nul)", #"{"nul": null}"#) == "null")
        #expect(try Evaluate.run("States.ArrayLength($.items[*].nope)", #"{"items": [1, 2]}"#) == 0)
    }

    @Test("Arguments of the wrong type fail with States.IntrinsicFailure",
          arguments: [
            "States.ArrayLength('x')", "States.ArrayPartition($.a, 'x')", "States.ArrayPartition($.a, 1.5)", "States.MathAdd('1', 2)",
            "States.StringSplit(1, ',')", "States.Base64Encode(1)", "States.JsonMerge($.a, 1, false)", "States.Format(1)",
            "States.ArrayGetItem($.a, 1.5)", "States.ArrayRange(1, 'x', 1)", "States.Hash('x', 1)",
          ])
    func typeErrors(text: String) {
        #expect(Evaluate.error(text, #"{"a": [1, 2, 3]}"#)?.error == "States.IntrinsicFailure")
    }

    @Test("Invalid argument values fail with States.IntrinsicFailure",
          arguments: [
            "States.ArrayPartition($.a, 0)", "States.ArrayRange(1, 5, 0)", "States.ArrayRange(0, 1000, 1)", "States.ArrayGetItem($.a, 3)",
            "States.ArrayGetItem($.a, -1)", "States.Hash('x', 'SHA-999')", "States.JsonMerge({}, {}, true)",
            "States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'), true)", "States.Format('{} {}', 1)",
            "States.Format('{}', 1, 2)", "States.StringToJson('{nope')", "States.Base64Decode('***')", "States.MathRandom(5, 5)",
            "States.MathAdd(2147483648, 1)",
          ])
    func valueErrors(text: String) {
        let error: IntrinsicError?
        do {
            _ = try IntrinsicExpression(text).evaluate(in: Evaluate.environment(#"{"a": [1, 2, 3]}"#))
            error = nil
        } catch let e {
            error = e
        }
        #expect(error?.error == "States.IntrinsicFailure" || error?.error == "States.Parse")
    }

    @Test("Failures name the whole expression")
    func wrapped() {
        let error = Evaluate.error("States.Array(States.ArrayGetItem($.a, 9))", #"{"a": [1]}"#)
        #expect(error?.cause.hasPrefix("The function 'States.Array(States.ArrayGetItem($.a, 9))' had the following error: ") == true)
    }

    @Test("A deep JsonMerge is refused, as AWS supports only shallow merges")
    func deepMerge() {
        #expect(Evaluate.error("States.JsonMerge($.a, $.b, true)", #"{"a": {}, "b": {}}"#)?.error == "States.IntrinsicFailure")
    }
}
