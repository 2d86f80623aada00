import StepLocalJSON
import Testing

@Suite("JSON values print back as AWS prints them")
struct JSONValueTests {
    @Test("integers stay exact, even past a double's precision")
    func exactIntegers() throws {
        #expect(try JSONValue(parsing: "10000000000000001").serialized() == "10000000000000001")
        #expect(try JSONValue(parsing: "1").serialized() == "1")
        #expect(try JSONValue(parsing: "-0").serialized() == "0")
    }

    @Test("non-integer literals are echoed as written")
    func literalsEchoed() throws {
        #expect(try JSONValue(parsing: "1.5").serialized() == "1.5")
        #expect(try JSONValue(parsing: "[1.50,2e3]").serialized() == "[1.50,2e3]")
    }

    @Test("computed doubles print in the shortest form, integers without a fraction")
    func computedDoubles() {
        #expect(JSONValue.double(3.0).serialized() == "3")
        #expect(JSONValue.double(0.1 + 0.2).serialized() == "0.30000000000000004")
    }

    @Test("object keys keep their order and a repeated key keeps the last value")
    func keyOrder() throws {
        #expect(try JSONValue(parsing: #"{"b":1,"a":2,"b":3}"#).serialized() == #"{"b":3,"a":2}"#)
    }

    @Test("strings escape quotes, backslashes and control characters but not slashes or non-ASCII")
    func stringEscapes() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\/d\n\u0001é😀\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\n\u{1}é😀😀"))
        #expect(value.serialized() == #""a\"b\\c/d\n\u0001é😀😀""#)
    }

    @Test("escapes at the start, at the end and back to back, and strings with none, print exactly")
    func escapeRuns() {
        let cases: [(String, String)] = [
            ("", #""""#),
            ("plain text, no escapes at all", #""plain text, no escapes at all""#),
            ("\"starts", #""\"starts""#),
            ("ends\\", #""ends\\""#),
            ("\t\r\u{8}\u{c}\u{1f}", #""\t\r\b\f\u001f""#),
            ("a\"\"b\n\nc", #""a\"\"b\n\nc""#),
            ("{\"k\":\"ü\"}", #""{\"k\":\"ü\"}""#),
        ]
        for (text, printed) in cases {
            #expect(JSONValue.string(text).serialized() == printed)
        }
    }

    @Test("malformed text is rejected with an offset", arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "01x", "\"abc", "1 2", "[1e]"])
    func malformed(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("nesting deeper than the cap is an error, not a crash")
    func deepNesting() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("numbers compare by value")
    func numberEquality() throws {
        #expect(try JSONValue(parsing: "1.0") == JSONValue(parsing: "1"))
    }
}
