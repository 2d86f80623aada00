import StepLocalJSON
import StepLocalJSONPath
import Testing

@Suite("JSONPath misses explained as AWS prints them")
struct JSONPathResolveTests {
    @Test("A missing leaf: 'No results for path: $['NoSuchInputPath']' (AWS conformance)")
    func missingLeaf() throws {
        #expect(throws: JSONPathError(kind: .pathNotFound, message: "No results for path: $['NoSuchInputPath']", path: "$.NoSuchInputPath")) {
            try JSONPath("$.NoSuchInputPath").resolve(in: [:])
        }
    }

    @Test("A missing intermediate member: 'Missing property in path $['no']' (AWS conformance)")
    func missingIntermediate() throws {
        #expect(throws: JSONPathError(kind: .pathNotFound, message: "Missing property in path $['no']", path: "$.no.such.result.path")) {
            try JSONPath("$.no.such.result.path").resolve(in: [:])
        }
    }

    @Test("The error describes itself the way AWS's cause does")
    func description() throws {
        do {
            _ = try JSONPath("$.NoSuchInputPath").resolve(in: [:])
        } catch {
            #expect(error.description == "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']")
        }
    }

    @Test("An index out of range is 'No results' for the whole path")
    func indexOutOfRange() throws {
        #expect(throws: JSONPathError(kind: .pathNotFound, message: "No results for path: $['a'][3]['b']", path: "$.a[3].b")) {
            try JSONPath("$.a[3].b").resolve(in: ["a": [1]])
        }
    }

    @Test("A member of a non-object names the Java class Jayway found")
    func memberOfScalar() throws {
        do {
            _ = try JSONPath("$.a.b").resolve(in: ["a": "text"])
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.String'."))
        }
    }

    @Test("Found values come back unchanged, indefinite paths never fail")
    func found() throws {
        #expect(try JSONPath("$.a").resolve(in: ["a": 1]) == 1)
        #expect(try JSONPath("$.x[*]").resolve(in: [:]) == [])
    }
}
