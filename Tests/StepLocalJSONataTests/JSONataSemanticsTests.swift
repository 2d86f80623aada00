import StepLocalJSON
import StepLocalJSONata
import Testing

/// Focused checks of JSONata's core semantics, independent of the official suite.
struct JSONataSemanticsTests {
    func eval(_ text: String, _ input: JSONValue? = nil, bindings: [String: JSONValue] = [:]) throws -> JSONValue? {
        try JSONataExpression(text).evaluate(input: input, bindings: bindings)
    }

    func code(_ text: String, _ input: JSONValue? = nil) -> String? {
        do {
            _ = try JSONataExpression(text).evaluate(input: input)
            return nil
        } catch {
            return error.code
        }
    }

    let order: JSONValue = ["items": [["sku": "a", "price": 5, "qty": 2], ["sku": "b", "price": 20, "qty": 3]]]

    @Test("A path over an array maps and flattens; a single match is unwrapped")
    func pathFlattening() throws {
        #expect(try eval("items.sku", order) == ["a", "b"])
        #expect(try eval("items[price > 10].sku", order) == "b")
        #expect(try eval("items[price > 10].sku[]", order) == ["b"])
    }

    @Test("$formatNumber follows XPath decimal-format pictures, with options")
    func formatNumber() throws {
        #expect(try eval("$formatNumber(12345.6, '#,###.00')") == "12,345.60")
        #expect(try eval("$formatNumber(-6, '000')") == "-006")
        #expect(try eval("$formatNumber(0.14, '01%')") == "14%")
        #expect(try eval("$formatNumber(1234.5678, '00.000e0')") == "12.346e2")
        #expect(try eval("$formatNumber(1234.5, '#.##0,00', {'decimal-separator': ',', 'grouping-separator': '.'})") == "1.234,50")
        #expect(code("$formatNumber(20, '#;#;#')") == "D3080")
        #expect(code("$formatNumber(20, '0,,0')") == "D3089")
    }

    @Test("A missing field yields undefined, not null")
    func missingIsUndefined() throws {
        #expect(try eval("nothing.here", order) == nil)
        #expect(try eval("null") == .null)
    }

    @Test("Object constructors build one object per item in a path")
    func objectConstructor() throws {
        let r = try eval("items.{\"sku\": sku, \"total\": price * qty}", order)
        #expect(r == [["sku": "a", "total": 10], ["sku": "b", "total": 60]])
    }

    @Test("Bindings are visible as $variables, e.g. Step Functions' $states")
    func bindings() throws {
        let r = try eval("$states.input.items[0].sku", nil, bindings: ["states": ["input": order]])
        #expect(r == "a")
    }

    @Test("Arithmetic on a non-number raises T2001")
    func typeErrors() {
        #expect(code("\"s\" - 1") == "T2001")
        #expect(code("$number('x')") == "D3030")
        #expect(code("1 +") == "S0207")
    }

    @Test("Lambdas close over their scope and support partial application")
    func lambdas() throws {
        #expect(try eval("($add := function($a, $b){ $a + $b }; $inc := $add(?, 1); $inc(41))") == 42)
        #expect(try eval("$map([1,2,3], function($v, $i){ $v * $i })") == [0, 2, 6])
    }

    @Test("Tail calls run in constant stack depth")
    func tailCalls() throws {
        let r = try eval("($loop := function($n, $acc){ $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; $loop(20000, 0))")
        #expect(r == 20000)
    }

    @Test("Unbounded recursion fails with U1001 instead of crashing")
    func depthLimit() {
        #expect(code("($f := function($n){ 1 + $f($n + 1) }; $f(0))") == "U1001")
    }

    @Test("Order-by sorts stably and $sort takes a comparator")
    func sorting() throws {
        #expect(try eval("items^(>price).sku", order) == ["b", "a"])
        #expect(try eval("$sort([3,1,2], function($a,$b){ $a < $b })") == [3, 2, 1])
    }

    @Test("$round rounds half to even")
    func bankersRounding() throws {
        #expect(try eval("[$round(2.5), $round(3.5), $round(-0.5), $round(1.005, 2)]") == [2, 4, 0, 1])
    }

    @Test("$string formats numbers like JavaScript")
    func stringFormatting() throws {
        #expect(try eval("$string(1e21)") == "1e+21")
        #expect(try eval("$string(0.1 + 0.2)") == "0.3")
        #expect(try eval("$string({'a': [1, true]})") == "{\"a\":[1,true]}")
    }

    @Test("$now and $millis use the injected timestamp")
    func deterministicTime() throws {
        var limits = JSONataLimits.default
        limits.timestamp = 1_500_000_000_000
        let e = try JSONataExpression("[$millis(), $now()]")
        #expect(try e.evaluate(input: nil, limits: limits) == [1_500_000_000_000, "2017-07-14T02:40:00.000Z"])
    }

    @Test("Host functions are callable and checked against their signature")
    func hostFunctions() throws {
        let partition = JSONataFunction(signature: "<an:a>") { args in
            guard case .array(let items)? = args[0], case .number(let n)? = args[1], let size = n.intValue, size > 0 else { return nil }
            return .array(stride(from: 0, to: items.count, by: size).map { .array(Array(items[$0..<min($0 + size, items.count)])) })
        }
        let e = try JSONataExpression("$partition([1,2,3], 2)")
        #expect(try e.evaluate(input: nil, functions: ["partition": partition]) == [[1, 2], [3]])
        #expect(throws: JSONataError.self) { try JSONataExpression("$partition([1], 'x')").evaluate(input: nil, functions: ["partition": partition]) }
    }

    @Test("Transforms return a modified copy")
    func transform() throws {
        let r = try eval("$ ~> |items|{'seen': true}, ['qty']|", order)
        #expect(r == ["items": [["sku": "a", "price": 5, "seen": true], ["sku": "b", "price": 20, "seen": true]]])
    }

    @Test("Regex literals work with $match, $replace and $split")
    func regexes() throws {
        #expect(try eval("$replace('a1b22', /[0-9]+/, '#')") == "a#b#")
        #expect(try eval("$split('a, b,c', /,\\s*/)") == ["a", "b", "c"])
        #expect(try eval("$match('ab12', /[0-9]/).match") == ["1", "2"])
    }

    @Test("Date pictures format and parse")
    func datePictures() throws {
        #expect(try eval("$fromMillis(0, '[D1o] [MNn] [Y0001]')") == "1st January 1970")
        #expect(try eval("$toMillis('2018-02-01T09:42:13.123Z')") == 1_517_478_133_123)
        #expect(try eval("$formatInteger(1999, 'I')") == "MCMXCIX")
    }

    @Test("outcome tells a function result apart from JSON, which evaluate writes as \"\"")
    func outcomeReportsFunctions() throws {
        #expect(try JSONataExpression("function($x){$x}").outcome(input: nil) == .function)
        #expect(try JSONataExpression("$sum").outcome(input: nil) == .function)
        #expect(try JSONataExpression("[1, $sum]").outcome(input: nil) == .function)
        #expect(try JSONataExpression("{'f': $sum}").outcome(input: nil) == .function)
        #expect(try JSONataExpression("function($x){$x}").evaluate(input: nil) == "")
        #expect(try JSONataExpression("$sum([1, 2])").outcome(input: nil) == .json(3))
        #expect(try JSONataExpression("a.b").outcome(input: ["a": ["b": "c"]]) == .json("c"))
        #expect(try JSONataExpression("nothing").outcome(input: ["a": 1]) == .undefined)
    }

    @Test("A host function's signature is checked before its body runs")
    func hostSignature() throws {
        let double = JSONataFunction(signature: "<n:n>") { (args: [JSONValue?]) throws(JSONataError) -> JSONValue? in
            guard case .number(let n)? = args.first ?? nil else { return nil }
            return .double(n.doubleValue * 2)
        }
        let e = try JSONataExpression("$double(21)")
        #expect(try e.evaluate(input: nil, functions: ["double": double]) == 42)
        do {
            _ = try JSONataExpression("$double('x')").evaluate(input: nil, functions: ["double": double])
            Issue.record("a string passed the <n:n> signature")
        } catch {
            #expect(error.code == "T0410")
        }
    }

    @Test("members(readFrom:) lists the members read through $name.member paths, or nil when the whole value may be seen")
    func variableMemberReads() throws {
        func members(_ text: String) throws -> Set<String>? { try JSONataExpression(text).members(readFrom: "states") }
        #expect(try members("$states.input.items[price > 10].{'s': sku}") == ["input"])
        #expect(try members("$states.input.a & $states.context.Execution.Id") == ["input", "context"])
        #expect(try members("{'r': $states.result.x, 'n': $count($states.errorOutput)}") == ["result", "errorOutput"])
        #expect(try members("$x.y + 1") == [])
        for whole in [
            "$states", "$keys($states)", "$states.*", "$states[0].input", "$lookup($states, 'context')",
            "$eval('$states.context')", "($f := $eval; $f('1'))", "function($states){$states.input}", "($states := {}; $states.input)",
            "$states ~> $keys()",
        ] {
            #expect(try members(whole) == nil, "\(whole)")
        }
    }
}
