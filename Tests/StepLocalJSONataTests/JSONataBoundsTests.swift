import Foundation
import StepLocalJSON
@testable import StepLocalJSONata
import Testing

/// A hostile expression fails with an error instead of overflowing the stack, running for minutes
/// or allocating gigabytes: each bound below once let a single request kill or stall the server.
struct JSONataBoundsTests {
    func failureCode(_ text: String, limits: JSONataLimits = .default) -> String? {
        do {
            _ = try JSONataExpression(text).evaluate(input: nil, limits: limits)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("A 50,000-term chain `1+1+...` is refused at parse time, not walked until the stack ends")
    func longOperatorChain() {
        #expect(failureCode(Array(repeating: "1", count: 50_000).joined(separator: "+")) == "U1001")
        #expect(failureCode(Array(repeating: "'a'", count: 50_000).joined(separator: " & ")) == "U1001")
    }

    @Test("100,000 nested parentheses, arrays, objects or negations are refused at parse time")
    func deepNesting() {
        #expect(failureCode(String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)) == "U1001")
        #expect(failureCode(String(repeating: "[", count: 100_000) + "1" + String(repeating: "]", count: 100_000)) == "U1001")
        #expect(failureCode(String(repeating: "{'a':", count: 100_000) + "1" + String(repeating: "}", count: 100_000)) == "U1001")
        #expect(failureCode(String(repeating: "-", count: 100_000) + "1") == "U1001")
    }

    @Test("A date picture whose marker is only a width modifier (`[,2]`) is refused with D3132, not a crash (found by the fuzzer)")
    func pictureMarkerWithoutComponent() {
        #expect(failureCode("$fromMillis(0, '[,2]')") == "D3132")
        #expect(failureCode("$fromMillis(0, '[,]')") == "D3132")
        #expect(failureCode("$toMillis('1970', '[,*-4]')") == "D3132")
    }

    @Test("Dates beyond JavaScript's range, timezones of more than four digits and absurd widths fail with U1004, not an overflow (found by the fuzzer)")
    func dateArithmeticBounds() {
        #expect(failureCode("$fromMillis(9223372036854775807)") == "U1004")
        #expect(failureCode("$fromMillis(-9223372036854775808)") == "U1004")
        #expect(failureCode("$fromMillis(0, '[Y]', '+999999999999999')") == "U1004")
        #expect(failureCode("$fromMillis(0, '[Y,*-99999999999]')") == "U1004")
        #expect(failureCode("$fromMillis(0, '[Y,2000000]')") == "U1004")
        // Within the bounds, wide years still format.
        #expect(failureCode("$fromMillis(8640000000000000, '[Y,*-25]')") == nil)
        #expect(failureCode("$fromMillis(0, '[Y]', '-9999')") == nil)
    }

    @Test("Deep but realistic expressions still parse and evaluate (even in a debug build's larger frames)")
    func withinTheLimit() throws {
        let chain = Array(repeating: "1", count: 120).joined(separator: "+")
        #expect(try JSONataExpression(chain).evaluate(input: nil) == 120)
        let parens = String(repeating: "(", count: 60) + "7" + String(repeating: ")", count: 60)
        #expect(try JSONataExpression(parens).evaluate(input: nil) == 7)
    }

    @Test("A loop that wraps its accumulator stops at 512 built levels with U1002")
    func constructedNesting() {
        #expect(failureCode("$reduce([1..100000], function($a, $v){ {'a': $a} }, {})") == "U1002")
        #expect(failureCode("$reduce([1..100000], function($a, $v){ [[$a]] }, [])") == "U1002")
        #expect(failureCode("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, {'a': $acc}) }; $f(100000, {}))") == "U1002")
        #expect(failureCode("$reduce([1..100000], function($a, $v){ $zip($a, [1]) }, [1])") == "U1002")
    }

    @Test("Values nested up to 500 built levels are still built and converted")
    func constructedNestingWithinTheLimit() throws {
        let value = try JSONataExpression("$reduce([1..500], function($a, $v){ {'a': $a} }, 0)").evaluate(input: nil)
        var depth = 0
        var current = value
        while case .object(let o)? = current { depth += 1; current = o["a"] }
        #expect(depth == 500)
    }

    @Test("Strings past 10 MiB are refused before they are allocated (U1003)")
    func stringSize() {
        #expect(failureCode("$pad('', 1e9)") == "U1003")
        #expect(failureCode("$pad('x', -1e9, 'ab')") == "U1003")
        #expect(failureCode("$reduce([1..40], function($a, $v){ $a & $a }, 'x')") == "U1003")
        #expect(failureCode("$join($map([1..11], function($v){ $pad('', 1000000, 'x') }))") == "U1003")
        #expect(failureCode("($s := $pad('', 600000, 'b'); $replace($pad('', 20, 'a'), 'a', function($m){ $s }))") == "U1003")
    }

    @Test("An endless tail-call loop stops at the evaluation's time limit")
    func timeLimit() {
        let limits = JSONataLimits(maximumMilliseconds: 100)
        #expect(failureCode("($f := function($n){ $f($n + 1) }; $f(0))", limits: limits) == "U1001")
    }

    @Test("A catastrophic regular expression stops at the time limit instead of running for minutes")
    func catastrophicRegex() {
        let limits = JSONataLimits(maximumMilliseconds: 100)
        let subject = String(repeating: "a", count: 40) + "b"
        #expect(failureCode("$match('\(subject)', /(.*a){12}$/)", limits: limits) == "U1001")
        #expect(failureCode("$contains('\(subject)', /(.*a){12}$/)", limits: limits) == "U1001")
        #expect(failureCode("/(.*a){12}$/('\(subject)')", limits: limits) == "U1001")
    }

    @Test("Cancelling the task running an evaluation (StopExecution) stops it")
    func cancellation() async {
        let task = Task.detached {
            do throws(JSONataError) {
                _ = try JSONataExpression("($f := function($n){ $f($n + 1) }; $f(0))")
                    .evaluate(input: nil, limits: JSONataLimits(maximumMilliseconds: 60_000))
                return "finished"
            } catch {
                return error.code
            }
        }
        try? await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(await task.value == "U1001")
    }

    @Test("Evaluation measures its own stack: on a 1 MiB thread, deep expressions fail with U1001 instead of crashing")
    func stackBudget() throws {
        let chain = Array(repeating: "$v", count: 120).joined(separator: " & ")
        let expressions = [
            try JSONataExpression("($v := 'x'; \(chain))"),
            try JSONataExpression(String(repeating: "[", count: 60) + "1" + String(repeating: "]", count: 60)),
            try JSONataExpression("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(160))"),
        ]
        let limits = JSONataLimits(maximumStackBytes: 512 << 10)
        for expression in expressions {
            let outcome = OnSmallStack.run { () throws(JSONataError) -> String in
                try expression.evaluate(input: nil, limits: limits)?.serialized() ?? ""
            }
            switch outcome {
            case .success(let text): #expect(!text.isEmpty)
            case .failure(let error): #expect((error as? JSONataError)?.code == "U1001")
            }
        }
        // The same expressions on an ordinary thread, with the default budget, succeed.
        #expect(try expressions[0].evaluate(input: nil)?.stringValue?.count == 120)
        #expect(try JSONataExpression("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(40))").evaluate(input: nil) == 40)
    }
}

/// Runs a closure on a thread with a 1 MiB stack, an eighth of what Swift's executors get here, so
/// a walk that would not fit with a wide margin crashes the test instead of a user's server.
enum OnSmallStack {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> Result<T, any Error> {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = Result { try body() }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        done.wait()
        return box.result!
    }

    private final class ResultBox<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
