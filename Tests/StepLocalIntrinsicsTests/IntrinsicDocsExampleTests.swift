import StepLocalIntrinsics
import StepLocalJSON
import Testing

/// Each function's example from AWS's "Intrinsic functions for JSONPath states" page.
@Suite("Intrinsic functions: AWS documentation examples")
struct IntrinsicDocsExampleTests {
    let numbers = #"{"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "lookingFor": 5, "index": 5}"#

    @Test("States.Array($.Id) wraps the value in an array")
    func array() throws {
        #expect(try Evaluate.run("States.Array($.Id)", #"{"Id": 123456}"#) == [123456])
        #expect(try Evaluate.run("States.Array()") == [])
    }

    @Test("States.ArrayPartition splits into chunks of 4, the last one shorter")
    func arrayPartition() throws {
        #expect(try Evaluate.run("States.ArrayPartition($.inputArray, 4)", numbers) == [[1, 2, 3, 4], [5, 6, 7, 8], [9]])
    }

    @Test("States.ArrayContains finds 5")
    func arrayContains() throws {
        #expect(try Evaluate.run("States.ArrayContains($.inputArray, $.lookingFor)", numbers) == true)
    }

    @Test("States.ArrayRange(1, 9, 2) counts up inclusively; a negative step counts down")
    func arrayRange() throws {
        #expect(try Evaluate.run("States.ArrayRange(1, 9, 2)") == [1, 3, 5, 7, 9])
        #expect(try Evaluate.run("States.ArrayRange(9, 1, -4)") == [9, 5, 1])
        #expect(try Evaluate.run("States.ArrayRange(0, 999, 1)").arrayValue?.count == 1000)
    }

    @Test("States.ArrayGetItem returns the item at index 5")
    func arrayGetItem() throws {
        #expect(try Evaluate.run("States.ArrayGetItem($.inputArray, $.index)", numbers) == 6)
    }

    @Test("States.ArrayLength counts 9 items")
    func arrayLength() throws {
        #expect(try Evaluate.run("States.ArrayLength($.inputArray)", numbers) == 9)
    }

    @Test("States.ArrayUnique removes repeats, keeping first occurrences")
    func arrayUnique() throws {
        #expect(try Evaluate.run("States.ArrayUnique($.values)", #"{"values": [1, 2, 3, 3, 3, 3, 3, 3, 4]}"#) == [1, 2, 3, 4])
    }

    @Test("States.Base64Encode and Base64Decode round-trip 'Data to encode'")
    func base64() throws {
        #expect(try Evaluate.run("States.Base64Encode($.input)", #"{"input": "Data to encode"}"#) == "RGF0YSB0byBlbmNvZGU=")
        #expect(try Evaluate.run("States.Base64Decode($.base64)", #"{"base64": "RGF0YSB0byBlbmNvZGU="}"#) == "Data to encode")
        #expect(try Evaluate.run("States.Base64Encode('é✓')") == "w6ninJM=")
        #expect(try Evaluate.run("States.Base64Decode('w6ninJM=')") == "é✓")
    }

    @Test("States.Hash with SHA-1 and SHA-384")
    func hash() throws {
        #expect(try Evaluate.run("States.Hash($.Data, $.Algorithm)", #"{"Data": "input data", "Algorithm": "SHA-1"}"#)
            == "aaff4a450a104cd177d28d18d74485e8cae074b7")
        #expect(try Evaluate.run("States.Hash('', 'SHA-384')")
            == "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b")
    }

    @Test("States.JsonMerge shallow-merges, the second object's members winning")
    func jsonMerge() throws {
        let input = #"{"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}}"#
        #expect(try Evaluate.run("States.JsonMerge($.json1, $.json2, false)", input)
            == Evaluate.json(#"{"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}"#))
    }

    @Test("States.StringToJson parses escaped JSON; States.JsonToString prints compact JSON")
    func jsonText() throws {
        #expect(try Evaluate.run("States.StringToJson($.escapedJsonString)", #"{"escapedJsonString": "{\"foo\": \"bar\"}"}"#)
            == ["foo": "bar"])
        #expect(try Evaluate.run("States.JsonToString($.unescapedJson)", #"{"unescapedJson": {"foo": "bar"}}"#) == #"{"foo":"bar"}"#)
    }

    @Test("States.MathRandom picks from start (inclusive) to end (exclusive), with an optional seed")
    func mathRandom() throws {
        #expect(try Evaluate.run("States.MathRandom($.start, $.end)", #"{"start": 1, "end": 999}"#) == 1)
        #expect(try Evaluate.run("States.MathRandom(1, 999, 7)") == 8)
        let env = IntrinsicEnvironment(input: ["start": 1, "end": 3])
        for _ in 0..<50 {
            let n = try IntrinsicExpression("States.MathRandom($.start, $.end)").evaluate(in: env).numberValue?.intValue
            #expect(n == 1 || n == 2)
        }
        let seeded = try IntrinsicExpression("States.MathRandom(1, 1000000, 42)")
        #expect(try seeded.evaluate(in: env) == seeded.evaluate(in: env))
    }

    @Test("States.MathAdd(111, -1) is 110")
    func mathAdd() throws {
        #expect(try Evaluate.run("States.MathAdd($.value1, $.step)", #"{"value1": 111, "step": -1}"#) == 110)
    }

    @Test("States.StringSplit splits at any of the delimiter characters")
    func stringSplit() throws {
        #expect(try Evaluate.run("States.StringSplit($.inputString, $.splitter)", #"{"inputString": "1,2,3,4,5", "splitter": ","}"#)
            == ["1", "2", "3", "4", "5"])
        #expect(try Evaluate.run("States.StringSplit($.inputString, $.splitter)", #"{"inputString": "This.is+a,test=string", "splitter": ".+,="}"#)
            == ["This", "is", "a", "test", "string"])
    }

    @Test("States.UUID returns a version-4 UUID from the environment")
    func uuid() throws {
        #expect(try Evaluate.run("States.UUID()") == "2f6ba6ed-b8ec-4e14-a8ab-fba4a6b1b5ee")
        let real = try IntrinsicExpression("States.UUID()").evaluate(in: IntrinsicEnvironment(input: nil)).stringValue ?? ""
        let parts = real.split(separator: "-")
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(parts[2].first == "4")
    }

    @Test("States.Format fills {} in order; \\{ \\} and \\' are literal")
    func format() throws {
        #expect(try Evaluate.run("States.Format('Hello, my name is {}.', $.name)", #"{"name": "Arnav"}"#) == "Hello, my name is Arnav.")
        #expect(try Evaluate.run(#"States.Format('\{\} {} it\'s \\', 1)"#) == #"{} 1 it's \"#)
        #expect(try Evaluate.run("States.Format($.template, 1)", #"{"template": "n={}"}"#) == "n=1")
        #expect(try Evaluate.run("States.Format('{} {} {} {}', null, true, 1.5, $.a)", #"{"a": [1, "x", {"k": null}]}"#)
            == "null true 1.5 [1, x, {k=null}]")
    }

    @Test("looksLikeIntrinsic recognises the 'States.X(' prefix only")
    func looksLikeIntrinsic() {
        #expect(IntrinsicExpression.looksLikeIntrinsic("States.Format('x')"))
        #expect(IntrinsicExpression.looksLikeIntrinsic("States.UUID()"))
        #expect(!IntrinsicExpression.looksLikeIntrinsic("$.States"))
        #expect(!IntrinsicExpression.looksLikeIntrinsic("States.Format"))
        #expect(!IntrinsicExpression.looksLikeIntrinsic("States.Format ('x')"))
    }
}
