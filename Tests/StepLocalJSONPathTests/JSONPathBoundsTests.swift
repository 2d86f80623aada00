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

    /// Thirty `a`s and no `b`: 2^30 ways to split them, for a matcher that backtracks without bound.
    static let runaway = String(repeating: "a", count: 30) + "!"

    @Test("A `=~` that backtracks is stopped when it runs past its time limit; a short value matches as before")
    func runawayRegexStopsAtItsLimit() throws {
        let regex = JSONPathRegex(pattern: "(a+)+b", ignoreCase: false)
        #expect(regex.matchesWhole(Self.runaway, within: .milliseconds(1)) == nil)
        #expect(regex.matchesWhole("aaab") == true)
        #expect(regex.matchesWhole("aaa!") == false)
    }

    @Test("A `=~` whose execution is stopped meanwhile stops: the path fails, naming the expression, instead of holding its thread")
    func stoppedExecutionStopsTheMatch() async throws {
        let path = try JSONPath("$.items[?(@.s =~ /(a+)+b/)]")
        let task = Task { () -> JSONPathError? in
            withUnsafeCurrentTask { $0?.cancel() }
            do throws(JSONPathError) {
                _ = try path.evaluate(in: ["items": [["s": .string(Self.runaway)]]])
                return nil
            } catch {
                return error
            }
        }
        let error = try #require(await task.value)
        #expect(error.kind == .matchStopped)
        #expect(error.description == "Invalid path '$.items[?(@.s =~ /(a+)+b/)]' : the match of the regular expression /(a+)+b/ was stopped (it ran past 2.0 seconds, or its execution was stopped)")
        #expect(try path.evaluate(in: ["items": [["s": "aaab"], ["s": "aaa!"]]]) == [["s": "aaab"]])
    }

    @Test("A match ICU gives up (its backtracking outgrew its stack) is stopped, not taken for no match")
    func abandonedMatchIsStopped() {
        let regex = JSONPathRegex(pattern: "(a|b)*", ignoreCase: false)
        #expect(regex.matchesWhole(String(repeating: "ab", count: 2_000_000)) == nil)
        #expect(regex.matchesWhole("abab") == true)
    }

    @Test("A `=~` matches the whole value as Java's matches() does: an alternation whose first branch matches a prefix still matches")
    func regexMatchesTheWholeValue() throws {
        let path = try JSONPath("$[?(@.s =~ /a|ab/)]")
        #expect(try path.evaluate(in: [["s": "ab"], ["s": "abc"], ["s": "a"]]) == [["s": "ab"], ["s": "a"]])
    }
}
