import StepLocalJSON
import StepLocalJSONPath
import Testing

@Suite("JSONPath evaluation (Jayway semantics)")
struct JSONPathEvaluationTests {
    let store = Fixtures.store

    @Test("$ selects the whole document")
    func root() throws {
        #expect(try Fixtures.evaluate("$", store) == store)
    }

    @Test("Dot and bracket notation select the same member; quoted keys may hold spaces and quotes")
    func notation() throws {
        #expect(try Fixtures.evaluate("$.store.bicycle.color", store) == "red")
        #expect(try Fixtures.evaluate("$['store']['bicycle']['color']", store) == "red")
        #expect(try Fixtures.evaluate(#"$["store"].bicycle["color"]"#, store) == "red")
        #expect(try Fixtures.evaluate("$['a b']", Fixtures.json(#"{"a b": 1}"#)) == 1)
    }

    @Test("A backslash inside a quoted key stays part of the key (AWS conformance: ESCAPE_SEQUENCES_JSONPATH)")
    func backslashInQuotedKey() throws {
        let doc = Fixtures.json(#"{"Test\\\"\"Name\"": "Value\"\\"}"#)
        #expect(try Fixtures.evaluate(#"$['Test\""Name"']"#, doc) == .string("Value\"\\"))
    }

    @Test("A definite path returns the value, or nil when a step is missing")
    func definiteMiss() throws {
        #expect(try Fixtures.evaluate("$.store.book[0].author", store) == "Nigel Rees")
        #expect(try Fixtures.evaluate("$.store.book[0].isbn", store) == nil)
        #expect(try Fixtures.evaluate("$.nope.deeper", store) == nil)
        #expect(try Fixtures.evaluate("$.expensive.deeper", store) == nil)
        #expect(try Fixtures.evaluate("$.store.book[9]", store) == nil)
    }

    @Test("A member that holds null is found (null is a value, not a miss)")
    func nullMember() throws {
        #expect(try Fixtures.evaluate("$.a", Fixtures.json(#"{"a": null}"#)) == .null)
    }

    @Test("Negative indexes count from the end")
    func negativeIndex() throws {
        #expect(try Fixtures.evaluate("$.store.book[-1].author", store) == "J. R. R. Tolkien")
        #expect(try Fixtures.evaluate("$[-2]", Fixtures.json("[1,2,3]")) == 2)
        #expect(try Fixtures.evaluate("$[-4]", Fixtures.json("[1,2,3]")) == nil)
    }

    @Test("Slices follow Jayway: [1:3], [-2:], [:2], and out-of-range bounds clamp",
          arguments: [
            ("$[1:3]", "[1,2]"), ("$[-2:]", "[4,5]"), ("$[:2]", "[0,1]"), ("$[1:]", "[1,2,3,4,5]"),
            ("$[3:100]", "[3,4,5]"), ("$[4:2]", "[]"), ("$[::2]", "[0,2,4]"), ("$[1::2]", "[1,3,5]"), ("$[:-4]", "[0,1]"),
          ])
    func slices(path: String, expected: String) throws {
        #expect(try Fixtures.evaluate(path, Fixtures.json("[0,1,2,3,4,5]")) == Fixtures.json(expected))
    }

    @Test("Unions of indexes and of names")
    func unions() throws {
        #expect(try Fixtures.evaluate("$[0,2]", Fixtures.json("[10,11,12]")) == [10, 12])
        #expect(try Fixtures.evaluate("$.store.book[0,1].price", store) == [8.95, 12.99])
    }

    @Test("A trailing multi-name step merges the members into one object (AWS: InputPath $['a', 'b'])")
    func multiNameMerge() throws {
        let doc = Fixtures.json(#"{"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}}"#)
        #expect(try Fixtures.evaluate("$['a', 'b']", doc) == Fixtures.json(#"{"a": {"v": 1}, "b": {"v": 2}}"#))
    }

    @Test("A multi-name step that is not last fails as on AWS: 'Multi properties can only be used as path leafs'")
    func multiNameInner() throws {
        let doc = Fixtures.json(#"{"a": {"v": 1}, "b": {"v": 2}}"#)
        let path = try JSONPath("$['a', 'b'].v")
        #expect(try path.evaluate(in: doc) == nil)
        #expect(throws: JSONPathError(kind: .pathNotFound, message: "Multi properties can only be used as path leafs: $['a', 'b']", path: "$['a', 'b'].v")) {
            try path.resolve(in: doc)
        }
    }

    @Test("Wildcards yield array elements and object member values in order")
    func wildcards() throws {
        #expect(try Fixtures.evaluate("$.store.book[*].author", store)
            == ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"])
        #expect(try Fixtures.evaluate("$.store.bicycle.*", store) == ["red", 19.95])
        #expect(try Fixtures.evaluate("$[*]", Fixtures.json(#"{"b": 1, "a": 2}"#)) == [1, 2])
    }

    @Test("$[*] on {} gives [] and wildcards over scalars give []")
    func emptyWildcards() throws {
        #expect(try Fixtures.evaluate("$[*]", Fixtures.json("{}")) == [])
        #expect(try Fixtures.evaluate("$.a[*]", Fixtures.json(#"{"a": 1}"#)) == [])
    }

    @Test("An indefinite path over missing input gives [] (AWS conformance: JSON_PATH_ARRAY_ACCESS with no input)",
          arguments: ["$.item.items[1:5].itemValue", "$.item.items[1:5]", "$.item.items[1:]", "$.items[1:].itemValue", "$.items[1:]", "$.items[*]"])
    func indefiniteOverNothing(path: String) throws {
        #expect(try Fixtures.evaluate(path, Fixtures.json("{}")) == [])
    }

    @Test("Elements that lack the member are skipped by an indefinite path")
    func indefiniteSkipsMissing() throws {
        #expect(try Fixtures.evaluate("$.store.book[*].isbn", store) == ["0-553-21311-3", "0-395-19395-8"])
    }

    @Test("Deep scan finds members at any depth, in pre-order")
    func deepScan() throws {
        #expect(try Fixtures.evaluate("$..author", store)
            == ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"])
        #expect(try Fixtures.evaluate("$.store..price", store) == [8.95, 12.99, 8.99, 22.99, 19.95])
        #expect(try Fixtures.evaluate("$..a", Fixtures.json(#"{"a": {"a": 1}, "b": [{"a": 2}]}"#))
            == Fixtures.json(#"[{"a": 1}, 1, 2]"#))
        #expect(try Fixtures.evaluate("$..book[2].title", store) == ["Moby Dick"])
        #expect(try Fixtures.evaluate("$..book[-1:].title", store) == ["The Lord of the Rings"])
    }

    @Test("..* yields the children of every container, container by container (Jayway order)")
    func deepWildcard() throws {
        #expect(try Fixtures.evaluate("$..*", Fixtures.json(#"{"a": {"b": 1}, "c": [2]}"#))
            == Fixtures.json(#"[{"b": 1}, [2], 1, 2]"#))
    }

    @Test("Jayway functions: length(), min(), max(), avg(), sum() (aggregations print as Java doubles)")
    func functions() throws {
        let doc = Fixtures.json(#"{"n": [1, 2, 3, 4], "o": {"a": 1, "b": 2}}"#)
        #expect(try Fixtures.evaluate("$.n.length()", doc) == 4)
        #expect(try Fixtures.evaluate("$.o.length()", doc) == 2)
        #expect(try Fixtures.evaluate("$.n.min()", doc)?.serialized() == "1.0")
        #expect(try Fixtures.evaluate("$.n.max()", doc)?.serialized() == "4.0")
        #expect(try Fixtures.evaluate("$.n.sum()", doc)?.serialized() == "10.0")
        #expect(try Fixtures.evaluate("$.n.avg()", doc)?.serialized() == "2.5")
        #expect(try Fixtures.evaluate("$.store.book.length()", store) == 4)
    }

    @Test("Paths rooted at $$ or $var evaluate against the value handed in")
    func otherRoots() throws {
        let context = Fixtures.json(#"{"Execution": {"Id": "arn:x"}}"#)
        #expect(try Fixtures.evaluate("$$.Execution.Id", context) == "arn:x")
        #expect(try Fixtures.evaluate("$myVar.field[1]", Fixtures.json(#"{"field": [1, 2]}"#)) == 2)
    }
}
