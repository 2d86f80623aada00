import StepLocalASL
import StepLocalJSON
import StepLocalJSONata
import Testing

/// The functions Step Functions adds to JSONata (`$hash`, `$random`), and how a `{% %}` field
/// fails when its expression yields a function, driven through the same bridge the engine uses.
@Suite("AWS's JSONata functions and result types")
struct AWSJSONataFunctionsTests {
    static func environment(
        random: @escaping @Sendable (ClosedRange<Int>, Int?) -> Int = EvaluationEnvironment.systemRandom
    ) -> EvaluationEnvironment {
        EvaluationEnvironment(input: ["content": "Step Functions ✓", "seed": 42], context: [:], random: random)
    }

    static func evaluate(_ text: String, field: String = "Output", in environment: EvaluationEnvironment = environment()) throws(StatesError) -> JSONValue? {
        let expression: JSONataExpression
        do { expression = try JSONataExpression(text) } catch { Issue.record("\(text) does not compile: \(error)"); return nil }
        return try JSONataBridge.evaluateOptional(expression, text: text, field: field, in: environment)
    }

    static func failure(_ text: String, field: String = "Output") -> StatesError? {
        do {
            let value = try evaluate(text, field: field)
            Issue.record("\(text) gave \(value?.serialized() ?? "undefined") instead of failing")
            return nil
        } catch {
            return error
        }
    }

    // MARK: $hash

    @Test(
        "$hash gives the lower-case hex digest of the string's UTF-8 bytes with each algorithm AWS lists",
        arguments: [
            ("MD5", "3847f9d1dbaef5d93c6ff14650b39127"),
            ("SHA-1", "b08a9d7b60ee137bc2a81d0c222360788b67da24"),
            ("SHA-256", "8db507d89b5285b2372cd41362b249cc86db6871e3641a877b544846bbd8d36e"),
            (
                "SHA-384",
                "0e690d1b8c2ecd05f651805fb2e6d2cf05134c73b24e3b22ff5eb14cb5ae7e8ca941d5553c522601b392c9fb75b90e8d"
            ),
            (
                "SHA-512",
                "d4a6b7560b6506879e96f0e9326e971d19e791a0eb3737b00dfb7159ce557ca175fe842425398c946ef0dea55c05fbd09aaea4c4b26d8027ea30ad5cc2a8cd7f"
            ),
        ])
    func hashDigests(algorithm: String, digest: String) throws {
        #expect(try Self.evaluate("$hash($states.input.content, '\(algorithm)')") == .string(digest))
    }

    @Test("$hash has no 10,000-character limit of its own (that is States.Hash's documented limit)")
    func hashOfLongString() throws {
        // 20,000 × "a": MD5 9bb57f821953f3c232116e38badc8e96 (Python's hashlib).
        #expect(try Self.evaluate("$hash($pad('', 20000, 'a'), 'MD5')") == .string("9bb57f821953f3c232116e38badc8e96"))
    }

    @Test("$hash of an undefined value is undefined, as JSONata's string functions are")
    func hashOfUndefined() throws {
        #expect(try Self.evaluate("$hash($states.input.missing, 'SHA-256')") == nil)
    }

    @Test("$hash rejects an algorithm outside AWS's five (names are case-sensitive)")
    func hashRejectsUnknownAlgorithm() {
        let error = Self.failure("$hash('abc', 'sha-256')")
        #expect(error?.error == "States.QueryEvaluationError")
        #expect(
            error?.cause
                == "The JSONata expression '$hash('abc', 'sha-256')' specified for the field 'Output' threw an error during evaluation. "
                + "T0410: Argument 2 of function hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but was \"sha-256\"")
    }

    @Test("$hash of a non-string fails its signature check")
    func hashRejectsNonString() {
        let error = Self.failure("$hash(42, 'MD5')")
        #expect(error?.error == "States.QueryEvaluationError")
        #expect(error?.cause?.contains("T0410: Argument 1 of function does not match function signature") == true, "\(String(describing: error))")
    }

    // MARK: $random

    @Test("$random() is a number from 0 (inclusive) to 1 (exclusive)")
    func randomIsAFraction() throws {
        for _ in 0..<50 {
            guard case .number(let n)? = try Self.evaluate("$random()") else {
                Issue.record("$random() is not a number")
                return
            }
            #expect(n.doubleValue >= 0 && n.doubleValue < 1)
        }
    }

    @Test("$random(seed) gives the same number for the same seed, and another for another seed")
    func randomWithSeedRepeats() throws {
        let first = try Self.evaluate("$random($states.input.seed)")
        let again = try Self.evaluate("$random(42)")
        let other = try Self.evaluate("$random(43)")
        #expect(first != nil)
        #expect(first == again)
        #expect(first != other)
    }

    @Test("$random draws from the environment's injected generator, with the seed passed through")
    func randomUsesInjectedGenerator() throws {
        let environment = Self.environment(random: { range, seed in
            #expect(range == 0...(1 << 53) - 1)
            return seed == 7 ? (1 << 52) : 0
        })
        #expect(try Self.evaluate("$random(7)", in: environment) == .double(0.5))
        #expect(try Self.evaluate("$random()", in: environment) == .double(0))
    }

    @Test("$random's seed must be an integer")
    func randomRejectsNonIntegerSeed() {
        #expect(Self.failure("$random(1.5)")?.cause?.contains("T0410: Argument 1 of function random must be an integer seed, but was 1.5") == true)
        #expect(Self.failure("$random('x')")?.cause?.contains("T0410") == true)
    }

    // MARK: result types

    @Test("A field whose expression yields a function fails: AWS has no JSON form for it")
    func functionResultIsUnsupported() {
        let error = Self.failure("$fn := function($x){$x}", field: "Items")
        #expect(error?.error == "States.QueryEvaluationError")
        #expect(
            error?.cause
                == "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type.")
        #expect(Self.failure("$sum")?.cause?.hasSuffix("returned an unsupported result type.") == true)
        #expect(Self.failure("{'f': function($x){$x}}")?.cause?.hasSuffix("returned an unsupported result type.") == true)
    }

    @Test("Calling the function still gives its JSON result")
    func calledFunctionIsFine() throws {
        #expect(try Self.evaluate("($fn := function($x){$x * 2}; $fn(21))") == 42)
    }

    // MARK: $states

    @Test("$states holds only what the expression reads, and everything when it may see it whole")
    func statesBindingHoldsWhatIsRead() throws {
        let environment = EvaluationEnvironment(input: ["a": 1], context: ["Execution": ["Id": "x"]], result: ["r": 2])
        #expect(try Self.evaluate("$states.input.a + $states.result.r", in: environment) == 3)
        #expect(try Self.evaluate("$states.context.Execution.Id", in: environment) == "x")
        #expect(try Self.evaluate("$keys($states)", in: environment) == ["input", "context", "result"])
        #expect(try Self.evaluate("$states.errorOutput", in: environment) == nil)
    }

    /// A context object that must not be built: reading it records a test failure.
    static func contextNobodyReads() -> JSONValue {
        Issue.record("the context object was built for an expression that does not read $states.context")
        return [:]
    }

    @Test("The context object is not built for an expression that does not read $states.context")
    func contextIsBuiltOnlyWhenRead() throws {
        let environment = EvaluationEnvironment(input: ["items": [1, 2, 3]], context: Self.contextNobodyReads())
        #expect(try Self.evaluate("$sum($states.input.items)", in: environment) == 6)
        #expect(try Self.evaluate("$states.input.items[$ > 1]", in: environment) == [2, 3])
    }
}
