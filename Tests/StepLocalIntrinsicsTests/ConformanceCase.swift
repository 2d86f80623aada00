/// Pass-state intrinsic cases recorded on AWS (LocalStack snapshot tests, via
/// /work/shared/conformance/pure.jsonl; Apache-2.0 data, ids kept for attribution):
/// `States.X(...)` evaluated against the input, and the `FunctionResult` AWS returned.
struct ConformanceCase: Sendable, CustomStringConvertible {
    let id: String
    let expression: String
    let input: String
    let expected: String
    var description: String { id }
}

extension ConformanceCase {
    static let all: [ConformanceCase] = [
        ConformanceCase(id: "test_array_2#5", expression: "States.Array($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": 1.1, \"snd\": 1.1}}", expected: "[1.1, 1.1]"),
        ConformanceCase(id: "test_array_contains#0", expression: "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [], \"snd\": null}}", expected: "false"),
        ConformanceCase(id: "test_array_contains#1", expression: "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [], \"snd\": []}}", expected: "false"),
        ConformanceCase(id: "test_array_contains#2", expression: "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [], \"snd\": 1}}", expected: "false"),
        ConformanceCase(id: "test_array_contains#3", expression: "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [[1, 2, 3], 2], \"snd\": null}}", expected: "false"),
        ConformanceCase(id: "test_array_contains#4", expression: "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [[1, 2, 3], 2], \"snd\": [1, 2, 3]}}", expected: "true"),
        ConformanceCase(id: "test_array_contains#5", expression: "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [{\"1\": 2, \"2\": []}], \"snd\": []}}", expected: "false"),
        ConformanceCase(id: "test_array_length", expression: "States.ArrayLength($.FunctionInput)", input: "{\"FunctionInput\": [1, 2, 3, 4, 5, 6, 7, 8, 9]}", expected: "9"),
        ConformanceCase(id: "test_array_partition#00", expression: "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [], \"snd\": 1}}", expected: "[]"),
        ConformanceCase(id: "test_array_partition#06", expression: "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [0], \"snd\": 2}}", expected: "[[0]]"),
        ConformanceCase(id: "test_array_partition#07", expression: "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [0], \"snd\": 3}}", expected: "[[0]]"),
        ConformanceCase(id: "test_array_partition#10", expression: "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [0, 1], \"snd\": 1}}", expected: "[[0], [1]]"),
        ConformanceCase(id: "test_array_partition#13", expression: "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [0, 1], \"snd\": 4}}", expected: "[[0, 1]]"),
        ConformanceCase(id: "test_array_partition#14", expression: "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [0, 1], \"snd\": 5}}", expected: "[[0, 1]]"),
        ConformanceCase(id: "test_array_partition#17", expression: "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [0, 1, 2], \"snd\": 3}}", expected: "[[0, 1, 2]]"),
        ConformanceCase(id: "test_array_partition#19", expression: "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [0, 1, 2], \"snd\": 5}}", expected: "[[0, 1, 2]]"),
        ConformanceCase(id: "test_array_partition#20", expression: "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [0, 1, 2, 3], \"snd\": 1}}", expected: "[[0], [1], [2], [3]]"),
        ConformanceCase(id: "test_array_partition#24", expression: "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": [0, 1, 2, 3], \"snd\": 5}}", expected: "[[0, 1, 2, 3]]"),
        ConformanceCase(id: "test_array_unique", expression: "States.ArrayLength($.FunctionInput)", input: "{\"FunctionInput\": [null, null, true, true, false, false, 1, 1, 1.1, 0, 0, \"HelloWorld\", \"HelloWorld\", [], [], [null], [null], {\"a\": 1, \"b\": 2}, {\"a\": 1, \"b\": 2}, {\"a\": 1, \"b\": 1}]}", expected: "20"),
        ConformanceCase(id: "test_base_64_decode#0", expression: "States.Base64Decode($.FunctionInput)", input: "{\"FunctionInput\": \"\"}", expected: "\"\""),
        ConformanceCase(id: "test_base_64_decode#1", expression: "States.Base64Decode($.FunctionInput)", input: "{\"FunctionInput\": \"RGF0YSB0byBlbmNvZGU=\"}", expected: "\"Data to encode\""),
        ConformanceCase(id: "test_base_64_encode#0", expression: "States.Base64Encode($.FunctionInput)", input: "{\"FunctionInput\": \"\"}", expected: "\"\""),
        ConformanceCase(id: "test_base_64_encode#1", expression: "States.Base64Encode($.FunctionInput)", input: "{\"FunctionInput\": \"Data to encode\"}", expected: "\"RGF0YSB0byBlbmNvZGU=\""),
        ConformanceCase(id: "test_escape_sequence", expression: "States.StringSplit('Hello\nWorld', '\n')", input: "{\"FunctionInput\": null}", expected: "[\"Hello\", \"World\"]"),
        ConformanceCase(id: "test_format_1#0", expression: "States.Format('Formatting argument {}.', $.FunctionInput)", input: "{\"FunctionInput\": \"\"}", expected: "\"Formatting argument .\""),
        ConformanceCase(id: "test_format_1#1", expression: "States.Format('Formatting argument {}.', $.FunctionInput)", input: "{\"FunctionInput\": \" \"}", expected: "\"Formatting argument  .\""),
        ConformanceCase(id: "test_format_1#3", expression: "States.Format('Formatting argument {}.', $.FunctionInput)", input: "{\"FunctionInput\": null}", expected: "\"Formatting argument null.\""),
        ConformanceCase(id: "test_format_1#6", expression: "States.Format('Formatting argument {}.', $.FunctionInput)", input: "{\"FunctionInput\": \"{\\\"Arg1\\\": 1, \\\"Arg2\\\": []}\"}", expected: "\"Formatting argument {\\\"Arg1\\\": 1, \\\"Arg2\\\": []}.\""),
        ConformanceCase(id: "test_format_2#1", expression: "States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": \" \", \"snd\": \" \"}}", expected: "\"Formatting arguments fst=  and snd= .\""),
        ConformanceCase(id: "test_format_2#4", expression: "States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": 1, \"snd\": 1}}", expected: "\"Formatting arguments fst=1 and snd=1.\""),
        ConformanceCase(id: "test_format_2#6", expression: "States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": \"{\\\"Arg1\\\": 1, \\\"Arg2\\\": []}\", \"snd\": \"{\\\"Arg1\\\": 1, \\\"Arg2\\\": []}\"}}", expected: "\"Formatting arguments fst={\\\"Arg1\\\": 1, \\\"Arg2\\\": []} and snd={\\\"Arg1\\\": 1, \\\"Arg2\\\": []}.\""),
        ConformanceCase(id: "test_format_2#7", expression: "States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": {\"Arg1\": 1, \"Arg2\": []}, \"snd\": {\"Arg1\": 1, \"Arg2\": []}}}", expected: "\"Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.\""),
        ConformanceCase(id: "test_hash#0", expression: "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": \"input data\", \"snd\": \"MD5\"}}", expected: "\"812f45842bc6d66ee14572ce20db8e86\""),
        ConformanceCase(id: "test_hash#1", expression: "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": \"input data\", \"snd\": \"SHA-1\"}}", expected: "\"aaff4a450a104cd177d28d18d74485e8cae074b7\""),
        ConformanceCase(id: "test_hash#2", expression: "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": \"input data\", \"snd\": \"SHA-256\"}}", expected: "\"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3\""),
        ConformanceCase(id: "test_hash#4", expression: "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": \"input data\", \"snd\": \"SHA-512\"}}", expected: "\"6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4\""),
        ConformanceCase(id: "test_json_merge", expression: "States.JsonMerge($.FunctionInput.fst, $.FunctionInput.snd, false)", input: "{\"FunctionInput\": {\"fst\": {\"a\": {\"a1\": 1, \"a2\": 2}, \"b\": 2, \"d\": 3}, \"snd\": {\"a\": {\"a3\": 1, \"a4\": 2}, \"c\": 3, \"d\": 4}}}", expected: "{\"a\": {\"a3\": 1, \"a4\": 2}, \"b\": 2, \"c\": 3, \"d\": 4}"),
        ConformanceCase(id: "test_string_to_json#1", expression: "States.StringToJson($.FunctionInput)", input: "{\"FunctionInput\": \" \"}", expected: "null"),
        ConformanceCase(id: "test_string_to_json#2", expression: "States.StringToJson($.FunctionInput)", input: "{\"FunctionInput\": \"null\"}", expected: "null"),
        ConformanceCase(id: "test_string_to_json#4", expression: "States.StringToJson($.FunctionInput)", input: "{\"FunctionInput\": \"1\"}", expected: "1"),
        ConformanceCase(id: "test_string_to_json#5", expression: "States.StringToJson($.FunctionInput)", input: "{\"FunctionInput\": \"1.1\"}", expected: "1.1"),
        ConformanceCase(id: "test_math_add#02", expression: "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": 1.5, \"snd\": 1.51}}", expected: "4"),
        ConformanceCase(id: "test_math_add#03", expression: "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": -1.49, \"snd\": -1.5}}", expected: "-2"),
        ConformanceCase(id: "test_math_add#10", expression: "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": -1.5, \"snd\": 0}}", expected: "-1"),
        ConformanceCase(id: "test_math_add#12", expression: "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": 0.5, \"snd\": 0}}", expected: "1"),
        ConformanceCase(id: "test_math_add#14", expression: "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": 2.5, \"snd\": 0}}", expected: "3"),
        ConformanceCase(id: "test_math_add#15", expression: "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": 3.5, \"snd\": 0}}", expected: "4"),
        ConformanceCase(id: "test_math_add#17", expression: "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": -0.5, \"snd\": 0}}", expected: "0"),
        ConformanceCase(id: "test_math_add#19", expression: "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": -2.5, \"snd\": 0}}", expected: "-2"),
        ConformanceCase(id: "test_math_add#20", expression: "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": -3.5, \"snd\": 0}}", expected: "-3"),
        ConformanceCase(id: "test_string_split#1", expression: "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": \" , \", \"snd\": \",\"}}", expected: "[\" \", \" \"]"),
        ConformanceCase(id: "test_string_split#2", expression: "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": \", , ,\", \"snd\": \",\"}}", expected: "[\" \", \" \"]"),
        ConformanceCase(id: "test_string_split#3", expression: "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": \",,,,\", \"snd\": \",\"}}", expected: "[]"),
        ConformanceCase(id: "test_string_split#6", expression: "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)", input: "{\"FunctionInput\": {\"fst\": \"split on T and \\nnew line\", \"snd\": \"T\\n\"}}", expected: "[\"split on \", \" and \", \"new line\"]"),
    ]
}
