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
}
