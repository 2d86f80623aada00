import StepLocalJSON
@testable import StepLocalJSONPath
import Testing

/// Paths are compiled once from definitions a user controls: a path deeper than any payload could
/// be is refused at load, so evaluating or writing it never recurses past the stack.
struct JSONPathBoundsTests {
    func syntaxError(_ text: String) -> JSONPathError? {
        do {
            _ = try JSONPath(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("A 10,000-step path is refused (payloads nest at most 512 levels)")
    func tooManySteps() {
        let error = syntaxError("$" + String(repeating: ".a", count: 10_000))
        #expect(error?.kind == .syntax)
        #expect(error?.message.contains("at most 512 steps") == true)
        #expect(syntaxError("$" + String(repeating: ".a", count: 500)) == nil)
    }

    @Test("Filters nested 10,000 deep in parentheses or negations are refused")
    func deepFilters() {
        let parens = "$[?(" + String(repeating: "(", count: 10_000) + "@.a == 1" + String(repeating: ")", count: 10_000) + ")]"
        #expect(syntaxError(parens)?.kind == .syntax)
        let negations = "$[?(" + String(repeating: "!", count: 10_000) + "@.a)]"
        #expect(syntaxError(negations)?.kind == .syntax)
        let nestedFilters = "$" + String(repeating: "[?(@.a", count: 10_000) + String(repeating: ")]", count: 10_000)
        #expect(syntaxError(nestedFilters)?.kind == .syntax)
    }

    @Test("A list literal nested 100,000 deep in a filter is refused (found by the fuzzer); shallow lists still match")
    func deepListLiterals() throws {
        let lists = "$[?(@.a in " + String(repeating: "[", count: 100_000) + "1" + String(repeating: "]", count: 100_000) + ")]"
        #expect(syntaxError(lists)?.kind == .syntax)
        let fine = try JSONPath("$[?(@.a in [1, [2, [3]], 4])]")
        #expect(try fine.evaluate(in: [["a": 1], ["a": 2], ["a": 4]]) == [["a": 1], ["a": 4]])
    }

    @Test("A filter chaining 10,000 `&&` is refused; a few dozen are fine")
    func longLogicalChains() throws {
        let terms = Array(repeating: "@.a == 1", count: 10_000).joined(separator: " && ")
        #expect(syntaxError("$[?(\(terms))]")?.kind == .syntax)
        let fine = try JSONPath("$[?(" + Array(repeating: "@.a == 1", count: 40).joined(separator: " || ") + ")]")
        #expect(try fine.evaluate(in: [["a": 1], ["a": 2]]) == [["a": 1]])
    }

    @Test("Writing at the deepest accepted path builds the nested objects")
    func deepestWrite() throws {
        let path = try JSONPath("$" + String(repeating: ".a", count: 512))
        var value = try path.assigning(1, into: [:])
        var depth = 0
        while case .object(let o) = value, let inner = o["a"] { depth += 1; value = inner }
        #expect(depth == 512)
    }
}
