import Foundation
import StepLocalJSON
@testable import StepLocalJSONata
import Testing

/// The closure-compiled fast path must give exactly the full evaluator's result whenever it does
/// not bail: checked on every case of the official suite it accepts, plus targeted shapes.
struct JSONataFastPathTests {
    /// Fast result (when it does not bail) vs full evaluator, compared serialised (so number forms
    /// and key order count too). Returns `nil` when the fast path did not apply.
    static func compare(_ text: String, input: JSONValue?, bindings: [String: JSONValue] = [:]) -> String?? {
        guard let expression = try? JSONataExpression(text), let fast = expression.fast else { return .none }
        let fastResult: JSONValue?
        do {
            fastResult = try fast.evaluate(input: input, bindings: bindings, limits: .default)
        } catch {
            return .none
        }
        let slow: String
        do {
            let r = try expression.evaluate(input: input, bindings: bindings, functions: [:], limits: .default, fastPath: false)
            slow = r?.serialized() ?? "undefined"
        } catch {
            slow = "error \(error.code)"
        }
        let f = fastResult?.serialized() ?? "undefined"
        return .some(f == slow ? nil : "\(text): fast \(f) vs full \(slow)")
    }

    @Test("Fast path agrees with the full evaluator on the official suite")
    func suiteAgreement() throws {
        let root = JSONataSuiteTests.suiteURL
        let fm = FileManager.default
        guard fm.fileExists(atPath: root.appendingPathComponent("groups").path) else { return }
        var datasets: [String: JSONValue] = [:]
        let dsDir = root.appendingPathComponent("datasets")
        for f in (try? fm.contentsOfDirectory(atPath: dsDir.path)) ?? [] where f.hasSuffix(".json") {
            if let text = try? String(contentsOf: dsDir.appendingPathComponent(f), encoding: .utf8), let v = try? JSONValue(parsing: text) {
                datasets[String(f.dropLast(5))] = v
            }
        }
        var covered = 0
        var mismatches: [String] = []
        let groupsDir = root.appendingPathComponent("groups")
        for group in ((try? fm.contentsOfDirectory(atPath: groupsDir.path)) ?? []).sorted() {
            let dir = groupsDir.appendingPathComponent(group)
            for file in ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where file.hasSuffix(".json") {
                guard let text = try? String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8),
                      let parsed = try? JSONValue(parsing: text) else { continue }
                let cases: [JSONValue] = parsed.arrayValue ?? [parsed]
                for c in cases {
                    guard let expr = c["expr"]?.stringValue else { continue }
                    var input: JSONValue? = c["data"]
                    if input == nil, let ds = c["dataset"]?.stringValue { input = datasets[ds] }
                    var bindings: [String: JSONValue] = [:]
                    if case .object(let b)? = c["bindings"] { for (k, v) in b { bindings[k] = v } }
                    switch Self.compare(expr, input: input, bindings: bindings) {
                    case .none: break
                    case .some(nil): covered += 1
                    case .some(let m?): covered += 1; mismatches.append("\(group)/\(file): \(m)")
                    }
                }
            }
        }
        print("JSONata fast path: \(covered) suite cases evaluated by the fast path, \(mismatches.count) mismatches")
        for m in mismatches { print("MISMATCH \(m)") }
        #expect(mismatches.isEmpty)
        #expect(covered > 100)
    }

    @Test("Fast path agrees on number forms, singleton arrays, undefined and bails")
    func targetedShapes() throws {
        let items: JSONValue = try JSONValue(parsing: #"{"items":[{"sku":"a","price":1.50,"qty":2,"tags":["x"]},{"sku":"b","price":20,"qty":10000000000000001,"tags":[]},{"sku":"c","price":"12","qty":null}],"one":[{"v":[7]}],"n":1.50,"nested":[[1,2],[3]]}"#)
        let states: JSONValue = .object(["input": items])
        let exprs = [
            "$states.input.items", "$states.input.items.price", "$states.input.items[price > 1].sku",
            "$states.input.one.v", "$states.input.one[true].v", "$states.input.n", "$states.input.items.tags",
            "$states.input.items[sku = 'a'].{'p': price, 't': price * qty}", "$states.input.items.qty",
            "$states.input.nested", "$states.input.nested.x", "$states.input.items[price > 10]",
            "$states.input.items[0]", "$states.input.missing", "$states.input.items.{'s': sku & '-' & qty}",
            "$states.input.n > 1 ? 'big' : 'small'", "$states.input.items[sku in ['a','c']].sku",
            "{'a': $states.input.items.sku, 'b': $states.input.nothing, 'c': -$states.input.n}",
        ]
        for e in exprs {
            if case .some(let m?) = Self.compare(e, input: items, bindings: ["states": states]) { Issue.record("\(m)") }
            if case .some(let m?) = Self.compare(e.replacingOccurrences(of: "$states.input.", with: ""), input: items) { Issue.record("\(m)") }
        }
        // An undefined context (no input) must stay undefined, not become JSON null.
        for e in ["$", "{'a': $, 'b': 1}", "$.x", "$$", "x"] {
            if case .some(let m?) = Self.compare(e, input: nil) { Issue.record("\(m)") }
        }
        // Inline `field op literal` predicates, both operand orders, with type errors bailing.
        for e in ["items[10 < price].sku", "items[price = 20].sku", "items[sku != 'a'].sku", "items[price >= '1'].sku", "items[qty = null].sku"] {
            if case .some(let m?) = Self.compare(e, input: items) { Issue.record("\(m)") }
        }
        #expect(try JSONataExpression("$states.input.items[price > 1].sku").fast != nil)
    }

    @Test("Fast path agrees on $sum, $count, $max, $min and $average, and leaves them to a variable or host function of that name")
    func aggregates() throws {
        let data: JSONValue = try JSONValue(parsing: #"{"items":[{"price":1.50,"qty":2},{"price":20,"qty":3},{"price":12,"qty":1}],"mixed":[1,"2"],"empty":[],"one":[7],"n":4,"s":"x","nested":[[1],[2]]}"#)
        var covered = 0
        for f in ["sum", "count", "max", "min", "average"] {
            for arg in ["items.(price * qty)", "items.price", "items[price > 10].qty", "empty", "one", "n", "missing", "mixed", "s", "nested", "items"] {
                switch Self.compare("$\(f)(\(arg))", input: data) {
                case .none: break
                case .some(nil): covered += 1
                case .some(let m?): Issue.record("\(m)")
                }
            }
        }
        #expect(covered >= 30)
        // A variable named like the built-in is what the call reaches: the full evaluator decides.
        let shadowed = try JSONataExpression("$sum(items.price)")
        #expect(throws: JSONataError.self) { try shadowed.evaluate(input: data, bindings: ["sum": 1]) }
        // So does a host function of that name.
        let doubled = JSONataFunction(signature: nil) { (_: [JSONValue?]) throws(JSONataError) -> JSONValue? in .int(42) }
        #expect(try shadowed.evaluate(input: data, functions: ["sum": doubled]) == .int(42))
        #expect(try shadowed.evaluate(input: data) == .double(33.5))
    }

    @Test("Fast path agrees on paths that walk through arrays of records step by step")
    func recordChains() throws {
        let records: JSONValue = [
            "orders": [
                ["id": 1, "lines": [["sku": "a", "price": 5, "qty": 2], ["sku": "b", "price": 20, "qty": 3]], "tag": "x"],
                ["id": 2, "lines": [["sku": "c", "price": 12, "qty": 1]], "tag": ["y", "z"]],
                ["id": 3, "lines": [], "note": "none"],
                "stray", 7, ["nested": ["deeper": 1]],
            ],
        ]
        let exprs = [
            "orders.id", "orders.lines.sku", "orders.lines[price > 10].sku", "orders.lines[price > 10].{'s': sku, 't': price * qty}",
            "orders[id > 1].lines.sku", "orders[id > 1].tag", "orders.tag", "orders.note", "orders.nested.deeper",
            "orders.lines[price > 10].qty", "orders.lines[sku = 'a'].price", "orders[id = 2].lines[0]", "orders.lines.{'x': sku}.x",
        ]
        var covered = 0
        for e in exprs {
            switch Self.compare(e, input: records) {
            case .none: break
            case .some(nil): covered += 1
            case .some(let m?): Issue.record("\(m)")
            }
        }
        // Most of these stay on the fast path (a bail would only hide a difference).
        #expect(covered >= 10, "only \(covered) of \(exprs.count) ran on the fast path")
    }

    /// Runs each expression on both evaluators; returns how many the fast path decided.
    static func agreement(_ exprs: [String], input: JSONValue?, bindings: [String: JSONValue] = [:]) -> Int {
        var covered = 0
        for e in exprs {
            switch compare(e, input: input, bindings: bindings) {
            case .none: break
            case .some(nil): covered += 1
            case .some(let m?): Issue.record("\(m)")
            }
        }
        return covered
    }

    static let shapes: JSONValue = [
        "items": [
            ["sku": "a-1", "price": 5, "qty": 2, "tags": ["x"]], ["sku": "B-2", "price": 1.5, "qty": 3],
            ["sku": "a-1", "price": 20, "qty": 1], ["sku": "ß-3", "price": "12", "qty": nil], ["price": 7],
        ],
        "nums": [3, 1, 2, 1.5], "strs": ["b", "a", "c"], "mixed": [1, "a"], "one": [["k": "v"]], "empty": [],
        "nested": [[1, 2], [3]], "s": "Hello", "n": 12.50,
    ]

    @Test("Fast path agrees on $uppercase, $lowercase, $string, $length, $join, $boolean, $not and $exists")
    func stringBuiltins() throws {
        var exprs: [String] = []
        for arg in ["s", "n", "items.sku", "items[0].sku", "missing", "items", "one", "nums", "strs", "mixed", "empty", "items[0].qty", "true", "null"] {
            for f in ["uppercase", "lowercase", "string", "length", "boolean", "not", "exists", "join"] { exprs.append("$\(f)(\(arg))") }
            exprs.append("$join(\(arg), '-')")
            exprs.append("$join(\(arg), missing)")
            exprs.append("$join(\(arg), 5)")
        }
        exprs += [
            "items.{'k': $uppercase(sku), 'v': $string(price)}", "items.{'k': $lowercase(sku), 'n': $length(sku), 'q': $exists(qty)}",
            "items[price > 4].{'s': $string(price * qty)}", "$join(items.sku, ', ')", "$join(items[price > 100].sku)",
            "$string(items[0])", "$string(one)", "$string(1e21)", "$string(0.1 + 0.2)", "$string(-0)", "$uppercase()", "$string(s, true)",
            "$not(items[price > 100])", "$boolean(nums)", "{'a': $uppercase(s) & '!'}",
        ]
        let covered = Self.agreement(exprs, input: Self.shapes)
        #expect(covered >= 90, "only \(covered) of \(exprs.count) ran on the fast path")
        #expect(try JSONataExpression(#"$states.input.items.{"k": $uppercase(sku), "v": $string(price)}"#).fast != nil)
        // A binding named like a built-in is what the call reaches: the full evaluator decides.
        let shadowed = try JSONataExpression("$uppercase(s)")
        #expect(throws: JSONataError.self) { try shadowed.evaluate(input: Self.shapes, bindings: ["uppercase": 1]) }
        let host = JSONataFunction(signature: nil) { (_: [JSONValue?]) throws(JSONataError) -> JSONValue? in .string("host") }
        #expect(try shadowed.evaluate(input: Self.shapes, functions: ["uppercase": host]) == .string("host"))
        #expect(try shadowed.evaluate(input: Self.shapes) == .string("HELLO"))
        #expect(FastFunction.asciiCaseMapped("aZ-9", upper: true) == "AZ-9")
        #expect(FastFunction.asciiCaseMapped("aZ-9", upper: false) == "az-9")
        #expect(FastFunction.asciiCaseMapped("straße", upper: true) == nil)
    }

    @Test("Fast path agrees on $map and $filter with inline lambdas")
    func lambdas() throws {
        let exprs = [
            "$map(items, function($v) { $v.price * 2 })", "$map(items, function($v, $i) { $i })", "$map(items, function($v, $i, $a) { $count($a) })",
            "$map(items, function($v, $i, $a, $d) { $d })", "$map(nums, function($x) { $x + 1 })", "$map(n, function($x) { $x * 2 })",
            "$map(missing, function($x) { $x })", "$map(empty, function($x) { $x })", "$map(nested, function($x) { $x })",
            "$map(items, function($v) { $v.tags })", "$map(items, function($v) { {'s': $v.sku} })", "$map(items, function($v) { $uppercase($v.sku) })",
            "$map(items, function($v) { $map(nums, function($n) { $n * $v.qty }) })", "$map(strs, function($s) { $s & $s })",
            "$filter(items, function($v) { $v.price > 4 })", "$filter(nums, function($x, $i) { $i > 1 })", "$filter(items, function($v) { $v.qty })",
            "$filter(one, function($v) { true })", "$map(items, function($v) { $v.price > 4 ? $v.sku : undefined })",
            "$map(items, function($s) { $s.price })", "$map(items, function($v, $v) { $v })", "$map(items, function($v)<o:n> { $v.price })",
            "$map(items, $string)", "$map(items, function($v) { price })", "$map(items, function($v) { $ })", "$map(items, function($v) { $$.s })",
        ]
        let covered = Self.agreement(exprs, input: Self.shapes, bindings: ["s": "bound"])
        #expect(covered >= 15, "only \(covered) of \(exprs.count) ran on the fast path")
        #expect(try JSONataExpression("$map($states.input.items, function($v) { $v.price * 2 })").fast != nil)
        let shadowed = try JSONataExpression("$map(items, function($v) { $v })")
        #expect(throws: JSONataError.self) { try shadowed.evaluate(input: Self.shapes, bindings: ["map": 1]) }
    }

    @Test("Fast path agrees on group-by, order-by and literal index stages")
    func groupsAndSorts() throws {
        let exprs = [
            "items{sku: price}", "items{sku: qty}", "items{sku: $sum(price)}", "items{sku: $}", "items{'all': sku}", "items{price: sku}",
            "items{sku: price, 'x': qty}", "items{sku: price, sku: qty}", "missing{'a': 1}", "nums{'n': $}", "items{sku: {'p': price}}",
            "one{k: k}", "nested{'a': $}", "items{$uppercase(sku): price}",
            "items^(price)", "items^(>price)", "items^(>price)[0].sku", "items^(price)[-1]", "items^(sku).sku", "items^(>sku, price).price",
            "items^(qty)[1].sku", "nums^($)", "nums^(>$)[0]", "strs^($)", "mixed^($)", "items^(tags)", "one^(k)", "empty^(x)", "n^($)",
            "items[0]", "items[1].sku", "items[10]", "items[-1]", "nums[2]", "items[0][price > 1].sku", "items.tags[0]", "nested[0]",
            "items[price > 1][0].sku", "items^(price)[price > 5][0]",
        ]
        let covered = Self.agreement(exprs, input: Self.shapes)
        #expect(covered >= 20, "only \(covered) of \(exprs.count) ran on the fast path")
        #expect(try JSONataExpression("$states.input.items{sku: price}").fast != nil)
        #expect(try JSONataExpression("$states.input.items^(>price)[0].sku").fast != nil)
        #expect(try JSONataExpression(#"$join($states.input.items[price = 3].sku, ",")"#).fast != nil)
        // Many keys, many repeats: grouping stays exact past the key table's first size.
        var records: [JSONValue] = []
        for i in 0..<500 { records.append(["k": .string("key-\(i % 137)"), "v": .int(i)]) }
        let many: JSONValue = ["rows": .array(records)]
        let big = Self.agreement(["rows{k: v}", "rows{k: $count(v)}", "rows^(>k, v).v", "rows^(k)[3]"], input: many)
        #expect(big == 4)
    }

    @Test("The speed-anchor expressions (../shared/jsonata-js/expressions.json) run on the fast path and agree with the full evaluator")
    func anchorExpressions() throws {
        let items: [JSONValue] = (0..<100).map { i in .object(["sku": .string("SKU-\(i)"), "price": .int(i % 20), "qty": .int(i % 5 + 1)]) }
        let bindings: [String: JSONValue] = ["states": ["input": ["items": .array(items)]]]
        let exprs = [
            #"$states.input.items[price > 10].{"sku": sku, "total": price * qty}"#, "$sum($states.input.items.(price * qty))",
            "$states.input.items^(>price)[0].sku", "$map($states.input.items, function($v) { $v.price * 2 })",
            "$states.input.items{sku: price}", "$count($states.input.items[qty > 2 and price < 15])",
            #"$join($states.input.items[price = 3].sku, ",")"#, #"$states.input.items.{"k": $uppercase(sku), "v": $string(price)}"#,
        ]
        for e in exprs {
            switch Self.compare(e, input: nil, bindings: bindings) {
            case .none: Issue.record("\(e) left the fast path")
            case .some(nil): break
            case .some(let m?): Issue.record("\(m)")
            }
        }
    }
}
