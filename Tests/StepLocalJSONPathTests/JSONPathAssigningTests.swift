import StepLocalJSON
import StepLocalJSONPath
import Testing

@Suite("ResultPath writes")
struct JSONPathAssigningTests {
    @Test("ResultPath $ replaces the whole input")
    func root() throws {
        #expect(try JSONPath("$").assigning("Hello, Step Functions!", into: ["comment": "x"]) == "Hello, Step Functions!")
    }

    @Test("ResultPath $.taskresult adds the result next to the input (AWS docs example)")
    func addsMember() throws {
        let input = Fixtures.json(#"{"comment": "This is a test", "details": "Default example", "who": "Step Functions"}"#)
        let output = try JSONPath("$.taskresult").assigning("Hello, Step Functions!", into: input)
        #expect(output.serialized()
            == #"{"comment":"This is a test","details":"Default example","who":"Step Functions","taskresult":"Hello, Step Functions!"}"#)
    }

    @Test("An existing member is replaced in place, keeping key order")
    func replacesMember() throws {
        let output = try JSONPath("$.a").assigning(9, into: Fixtures.json(#"{"a": 1, "b": 2}"#))
        #expect(output.serialized() == #"{"a":9,"b":2}"#)
    }

    @Test("Missing intermediate objects are created (ResultPath $.a.b.c on {})")
    func createsIntermediates() throws {
        #expect(try JSONPath("$.a.b.c").assigning(1, into: [:]) == Fixtures.json(#"{"a": {"b": {"c": 1}}}"#))
        #expect(try JSONPath("$.x.y").assigning(1, into: ["x": ["z": 0]]) == Fixtures.json(#"{"x": {"z": 0, "y": 1}}"#))
    }

    @Test("An existing array element can be replaced through an index")
    func arrayIndex() throws {
        #expect(try JSONPath("$.a[1].b").assigning(5, into: Fixtures.json(#"{"a": [{}, {"b": 1}]}"#))
            == Fixtures.json(#"{"a": [{}, {"b": 5}]}"#))
    }

    @Test("Writing through a non-object fails with States.ResultPathMatchFailure",
          arguments: [("$.a", "\"text\""), ("$.a.b", #"{"a": "text"}"#), ("$.a.b", #"{"a": null}"#), ("$.a[0]", #"{"a": {}}"#),
                      ("$.a[3]", #"{"a": [1]}"#), ("$.a[0]", "{}")])
    func failure(path: String, input: String) throws {
        let target = Fixtures.json(input)
        do {
            _ = try JSONPath(path).assigning(1, into: target)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .resultPathMatchFailure)
            #expect(error.message == "Unable to apply ReferencePath \(path) to input \(target.serialized())")
        }
    }

    @Test("Only $-rooted reference paths can be written")
    func notReference() throws {
        #expect(throws: JSONPathError.self) { try JSONPath("$.a[*]").assigning(1, into: [:]) }
        #expect(throws: JSONPathError.self) { try JSONPath("$$.a").assigning(1, into: [:]) }
    }

    @Test("In-place assign leaves the target unchanged on failure")
    func inPlace() throws {
        var target = Fixtures.json(#"{"a": {"b": 1}, "c": "s"}"#)
        try JSONPath("$.a.d").assign(2, into: &target)
        #expect(target == Fixtures.json(#"{"a": {"b": 1, "d": 2}, "c": "s"}"#))
        let before = target
        #expect(throws: JSONPathError.self) { try JSONPath("$.c.x").assign(3, into: &target) }
        #expect(target == before)
    }
}
