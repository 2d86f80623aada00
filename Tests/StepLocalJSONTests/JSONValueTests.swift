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

@Suite("JSON strings read back what was written, escapes included")
struct JSONStringEscapeTests {
    @Test("each escape reads as its character; a surrogate pair as one scalar; a lone surrogate as U+FFFD", arguments: [
        (#""a\"b\\c\/d""#, "a\"b\\c/d"),
        (#""\b\f\n\r\t""#, "\u{08}\u{0C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""x\uD83D\uDE00y""#, "x😀y"),
        (#""\uD83Dx""#, "\u{FFFD}x"),
        (#""\uDE00""#, "\u{FFFD}"),
        (#""\uD83D\u0041""#, "\u{FFFD}"),  // the escape after a high surrogate is taken as its (invalid) low half
        (#""\uD83D""#, "\u{FFFD}"),
        (#""né\n😀""#, "né\n😀"),
        (#""\"""#, "\""),
    ])
    func escapes(text: String, expected: String) throws {
        #expect(try JSONValue(parsing: text) == .string(expected))
    }

    @Test("a bad escape, a bad \\u, a raw control character or a missing quote after an escape is an error", arguments: [
        #""a\x""#, #""\u12G4""#, #""\u12""#, "\"a\\n\u{01}\"", #""ab\"#, #""ab\n"#, #""\uD83D\u12""#,
    ])
    func malformedEscapes(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("10,000 random strings (quotes, backslashes, control characters, non-ASCII, astral scalars) read back as written")
    func randomRoundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces: [String] = ["a", "\"", "\\", "/", "\n", "\u{01}", "\u{1F}", "\t", "é", "€", "😀", "\u{7F}", "\u{FFFD}", " ", "{\"k\": 1}"]
        for _ in 0..<10_000 {
            let string = (0..<Int.random(in: 0...40, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let text = JSONValue.string(string).serialized()
            #expect(try JSONValue(parsing: text) == .string(string), "\(text)")
            // Inside an object and as bytes, the way request bodies are read.
            #expect(try JSONParser.parse(bytes: Array("{\"s\":\(text)}".utf8))["s"] == .string(string))
        }
    }
}
