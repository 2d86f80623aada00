import StepLocalJSON
import StepLocalJSONPath
import Testing

@Suite("JSONPath filter expressions")
struct JSONPathFilterTests {
    let store = Fixtures.store

    func titles(_ path: String) throws -> JSONValue? {
        try Fixtures.evaluate(path + ".title", store)
    }

    @Test("Comparisons against numbers (AWS docs example: books cheaper than 10)")
    func numbers() throws {
        #expect(try titles("$.store.book[?(@.price < 10)]") == ["Sayings of the Century", "Moby Dick"])
        #expect(try titles("$.store.book[?(@.price <= 8.99)]") == ["Sayings of the Century", "Moby Dick"])
        #expect(try titles("$.store.book[?(@.price > 20)]") == ["The Lord of the Rings"])
        #expect(try titles("$.store.book[?(@.price >= 22.99)]") == ["The Lord of the Rings"])
        #expect(try titles("$.store.book[?(@.price == 8.95)]") == ["Sayings of the Century"])
    }

    @Test("A filter selects elements where a member equals 0 (AWS conformance: BASE_PASS_RESULT_REGEX_JSON_PATH_BASE)")
    func awsConformanceFilter() throws {
        let doc = Fixtures.json(#"{"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]}"#)
        #expect(try Fixtures.evaluate("$.users[?(@.status == 0)]", doc) == Fixtures.json(#"[{"year": 1997, "status": 0}]"#))
    }

    @Test("Existence filter: [?(@.isbn)] keeps elements that have the member")
    func existence() throws {
        #expect(try titles("$.store.book[?(@.isbn)]") == ["Moby Dick", "The Lord of the Rings"])
        #expect(try titles("$.store.book[?(!@.isbn)]") == ["Sayings of the Century", "Sword of Honour"])
    }

    @Test("&&, ||, ! and parentheses combine conditions")
    func logic() throws {
        #expect(try titles("$.store.book[?(@.category == 'fiction' && @.price < 10)]") == ["Moby Dick"])
        #expect(try titles("$.store.book[?(@.price < 9 || @.price > 20)]")
            == ["Sayings of the Century", "Moby Dick", "The Lord of the Rings"])
        #expect(try titles("$.store.book[?(!(@.category == 'fiction'))]") == ["Sayings of the Century"])
        #expect(try titles("$.store.book[?((@.price < 9 || @.price > 20) && @.isbn)]") == ["Moby Dick", "The Lord of the Rings"])
    }

    @Test("String comparisons with single or double quotes, and != ")
    func strings() throws {
        #expect(try titles(#"$.store.book[?(@.author == "Evelyn Waugh")]"#) == ["Sword of Honour"])
        #expect(try titles("$.store.book[?(@.category != 'fiction')]") == ["Sayings of the Century"])
        #expect(try titles("$.store.book[?(@.author < 'F')]") == ["Sword of Honour"])
    }

    @Test("Regex =~ matches the whole string, /i ignores case")
    func regex() throws {
        #expect(try titles("$.store.book[?(@.author =~ /.*REES/i)]") == ["Sayings of the Century"])
        #expect(try titles("$.store.book[?(@.author =~ /.*REES/)]") == [])
        #expect(try titles("$.store.book[?(@.author =~ /Nigel/)]") == [])
    }

    @Test("in and nin test membership in a literal list")
    func membership() throws {
        #expect(try titles("$.store.book[?(@.author in ['Nigel Rees', 'Herman Melville'])]") == ["Sayings of the Century", "Moby Dick"])
        #expect(try titles("$.store.book[?(@.category nin ['fiction'])]") == ["Sayings of the Century"])
    }

    @Test("Comparisons against booleans and null")
    func booleansAndNull() throws {
        let doc = Fixtures.json(#"[{"ok": true, "v": null}, {"ok": false, "v": 1}]"#)
        #expect(try Fixtures.evaluate("$[?(@.ok == true)].v", doc) == [nil])
        #expect(try Fixtures.evaluate("$[?(@.v == null)].ok", doc) == [true])
        #expect(try Fixtures.evaluate("$[?(@.ok == false)].v", doc) == [1])
    }

    @Test("A filter may compare with another path rooted at $ (books cheaper than $.expensive)")
    func documentPath() throws {
        #expect(try titles("$.store.book[?(@.price < $.expensive)]") == ["Sayings of the Century", "Moby Dick"])
    }

    @Test("A missing member compares false with ==, <, and true with !=")
    func undefinedOperands() throws {
        let doc = Fixtures.json(#"[{"a": 1}, {}]"#)
        #expect(try Fixtures.evaluate("$[?(@.a == 1)]", doc) == Fixtures.json(#"[{"a": 1}]"#))
        #expect(try Fixtures.evaluate("$[?(@.a < 5)]", doc) == Fixtures.json(#"[{"a": 1}]"#))
        #expect(try Fixtures.evaluate("$[?(@.a != 1)]", doc) == Fixtures.json(#"[{}]"#))
    }

    @Test("Number and numeric string compare equal when the number is on the left (Jayway)")
    func numberStringEquality() throws {
        let doc = Fixtures.json(#"[{"a": 10}, {"a": "10"}]"#)
        #expect(try Fixtures.evaluate("$[?(@.a == '10')]", doc) == Fixtures.json(#"[{"a": 10}, {"a": "10"}]"#))
    }

    @Test("@ alone compares the element itself")
    func currentItem() throws {
        #expect(try Fixtures.evaluate("$[?(@ > 2)]", Fixtures.json("[1,2,3,4]")) == [3, 4])
    }

    @Test("A filter on an object tests the object itself (Jayway)")
    func filterOnObject() throws {
        let doc = Fixtures.json(#"{"a": {"x": 1}}"#)
        #expect(try Fixtures.evaluate("$.a[?(@.x == 1)]", doc) == Fixtures.json(#"[{"x": 1}]"#))
        #expect(try Fixtures.evaluate("$.a[?(@.x == 2)]", doc) == [])
    }

    @Test("Deep scan with a filter finds matching objects anywhere")
    func deepFilter() throws {
        #expect(try Fixtures.evaluate("$..[?(@.price > 19)].price", store) == [22.99, 19.95])
    }
}
