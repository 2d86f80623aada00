import StepLocalJSON
import StepLocalJSONPath
import Testing

@Suite("JSONPath parsing")
struct JSONPathParsingTests {
    @Test("$, $$ and $name select the input, the context object and a workflow variable")
    func roots() throws {
        #expect(try JSONPath("$").root == .input)
        #expect(try JSONPath("$.a").root == .input)
        #expect(try JSONPath("$$").root == .context)
        #expect(try JSONPath("$$.Execution.Id").root == .context)
        #expect(try JSONPath("$myVar").root == .variable("myVar"))
        #expect(try JSONPath("$my_var2.field[0]").root == .variable("my_var2"))
    }

    @Test("Reference paths (names and single indexes) are definite; everything else is not",
          arguments: [
            ("$", true), ("$.a.b", true), ("$['a b'].c", true), ("$.a[0]", true), ("$.a[-1]", true),
            ("$$.Map.Item.Value", true), ("$x.y", true),
            ("$.a[*]", false), ("$.a.*", false), ("$.a[1:3]", false), ("$.a[0,1]", false), ("$['a','b']", false),
            ("$..a", false), ("$.a[?(@.b)]", false), ("$.a.length()", false),
          ])
    func definiteness(path: String, definite: Bool) throws {
        #expect(try JSONPath(path).isDefinite == definite)
    }

    @Test("Invalid paths are rejected when the definition loads",
          arguments: ["", "a.b", "$.", "$..", "$[", "$.a[", "$['a'", "$[?(@.a ==)]", "$.a b", "$[1.5]", "$.a.nope()", "$.a.length().b", "$[::0]"])
    func invalid(path: String) {
        #expect(throws: JSONPathError.self) { try JSONPath(path) }
    }

    @Test("A syntax error says where reading stopped")
    func syntaxErrorOffset() {
        do {
            _ = try JSONPath("$.a[")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.offset != nil)
        }
    }

    @Test("Member names after a dot may contain '-' and other punctuation, as in Jayway")
    func punctuationInNames() throws {
        let doc = Fixtures.json(#"{"delivery-partner": 1, "input-value": {"a:b": 2}}"#)
        #expect(try Fixtures.evaluate("$.delivery-partner", doc) == 1)
        #expect(try Fixtures.evaluate("$.input-value.a:b", doc) == 2)
    }

    @Test("Paths compare and hash by their text")
    func equality() throws {
        #expect(try JSONPath("$.a") == JSONPath("$.a"))
        #expect(try JSONPath("$.a") != JSONPath("$['a']"))
        #expect(try JSONPath("$.a.b").description == "$.a.b")
        #expect(try JSONPath("$.a.b[2]").normalizedText == "$['a']['b'][2]")
    }
}
