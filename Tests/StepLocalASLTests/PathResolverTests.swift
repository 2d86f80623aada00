import StepLocalASL
import StepLocalJSON
import StepLocalJSONPath
import Testing

/// A reference path in a payload or a Choice rule fails the state with `States.Runtime` when its
/// filter's `=~` had to be stopped, as any other runtime path failure does.
@Suite("Paths resolved at run time")
struct PathResolverTests {
    @Test("A filter whose regular expression was stopped fails with States.Runtime naming the path")
    func stoppedRegexFailsTheState() async throws {
        let path = try JSONPath("$.items[?(@.s =~ /(a+)+b/)]")
        let environment = EvaluationEnvironment(input: ["items": [["s": .string(String(repeating: "a", count: 30) + "!")]]], context: [:])
        let failure = await Task { () -> StatesError? in
            withUnsafeCurrentTask { $0?.cancel() }
            do throws(StatesError) {
                _ = try PathResolver.select(path, in: environment)
                return nil
            } catch {
                return error
            }
        }.value
        #expect(failure?.error == "States.Runtime")
        #expect(failure?.cause?.hasPrefix("Invalid path '$.items[?(@.s =~ /(a+)+b/)]' : the match of the regular expression /(a+)+b/ was stopped") == true)
        #expect(try PathResolver.select(path, in: EvaluationEnvironment(input: ["items": [["s": "ab"]]], context: [:])) == [["s": "ab"]])
    }
}
