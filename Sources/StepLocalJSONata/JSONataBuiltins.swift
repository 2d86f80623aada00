import Foundation
import OrderedCollections

/// The JSONata standard library, registered by name with jsonata-js's signatures. Lookups fall
/// through to this table after all variable scopes, so user and host definitions shadow it.
enum JSONataBuiltins {
    typealias V = JSONataValue

    static let table: [String: JSONataBuiltin] = {
        var t: [String: JSONataBuiltin] = [:]
        for b in strings + numeric + collections + higherOrder + dates { t[b.name] = b }
        return t
    }()

    // MARK: helpers

    static func str(_ args: [V?], _ i: Int) -> String? {
        guard i < args.count, case .string(let s)? = args[i] else { return nil }
        return s
    }

    static func num(_ args: [V?], _ i: Int) -> Double? {
        guard i < args.count, case .number(let d)? = args[i] else { return nil }
        return d
    }

    static func arg(_ args: [V?], _ i: Int) -> V? {
        i < args.count ? args[i] : nil
    }

    static func fn(_ args: [V?], _ i: Int) -> JSONataCallable? {
        guard i < args.count, case .function(let f)? = args[i] else { return nil }
        return f
    }

    static func seq(_ items: [V]) -> V { .array(items, .sequence) }

    static func codePoints(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

    static func fromScalars<S: Sequence>(_ s: S) -> String where S.Element == Unicode.Scalar {
        var out = ""
        out.unicodeScalars.append(contentsOf: s)
        return out
    }

    // MARK: numeric and aggregation

    static let numeric: [JSONataBuiltin] = [
        JSONataBuiltin("sum", "<a<n>:n>") { _, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0) else { return nil }
            var total = 0.0
            for item in arr.asItems { if case .number(let d) = item { total += d } }
            return .number(total)
        },
        JSONataBuiltin("count", "<a:n>") { _, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0) else { return .number(0) }
            return .number(Double(arr.arrayCount))
        },
        JSONataBuiltin("max", "<a<n>:n>") { _, a, _ throws(JSONataError) in
            let nums = (arg(a, 0)?.asItems ?? []).compactMap { v -> Double? in if case .number(let d) = v { return d }; return nil }
            guard let m = nums.max() else { return nil }
            return .number(m)
        },
        JSONataBuiltin("min", "<a<n>:n>") { _, a, _ throws(JSONataError) in
            let nums = (arg(a, 0)?.asItems ?? []).compactMap { v -> Double? in if case .number(let d) = v { return d }; return nil }
            guard let m = nums.min() else { return nil }
            return .number(m)
        },
        JSONataBuiltin("average", "<a<n>:n>") { _, a, _ throws(JSONataError) in
            let nums = (arg(a, 0)?.asItems ?? []).compactMap { v -> Double? in if case .number(let d) = v { return d }; return nil }
            if nums.isEmpty { return nil }
            return .number(nums.reduce(0, +) / Double(nums.count))
        },
        JSONataBuiltin("number", "<(nsb)-:n>") { _, a, _ throws(JSONataError) in
            guard let v = arg(a, 0) else { return nil }
            switch v {
            case .number: return v
            case .bool(let b): return .number(b ? 1 : 0)
            case .string(let s):
                if let d = parseNumber(s) { return .number(d) }
                throw JSONataError(code: "D3030", message: "Unable to cast value to a number: \(s)")
            default:
                throw JSONataError.make("D3030")
            }
        },
        JSONataBuiltin("abs", "<n-:n>") { _, a, _ throws(JSONataError) in num(a, 0).map { .number(abs($0)) } },
        JSONataBuiltin("floor", "<n-:n>") { _, a, _ throws(JSONataError) in num(a, 0).map { .number($0.rounded(.down)) } },
        JSONataBuiltin("ceil", "<n-:n>") { _, a, _ throws(JSONataError) in num(a, 0).map { .number($0.rounded(.up)) } },
        JSONataBuiltin("round", "<n-n?:n>") { _, a, _ throws(JSONataError) in
            guard let d = num(a, 0) else { return nil }
            return .number(roundHalfEven(d, JSONataClamp.int(num(a, 1) ?? 0)))
        },
        JSONataBuiltin("sqrt", "<n-:n>") { _, a, _ throws(JSONataError) in
            guard let d = num(a, 0) else { return nil }
            if d < 0 { throw JSONataError.make("D3060") }
            return .number(d.squareRoot())
        },
        JSONataBuiltin("power", "<n-n:n>") { _, a, _ throws(JSONataError) in
            guard let b = num(a, 0), let e = num(a, 1) else { return nil }
            let r = Foundation.pow(b, e)
            if !r.isFinite { throw JSONataError.make("D3061") }
            return .number(r)
        },
        JSONataBuiltin("random", "<:n>") { _, _, _ throws(JSONataError) in .number(Double.random(in: 0..<1)) },
        JSONataBuiltin("formatBase", "<n-n?:s>") { _, a, _ throws(JSONataError) in
            guard let d = num(a, 0) else { return nil }
            let value = roundHalfEven(d, 0)
            let radix = JSONataClamp.int(num(a, 1) ?? 10)
            if radix < 2 || radix > 36 { throw JSONataError.make("D3100") }
            return .string(String(JSONataClamp.int64(value), radix: radix))
        },
        JSONataBuiltin("boolean", "<x-:b>") { _, a, _ throws(JSONataError) in
            guard let v = arg(a, 0) else { return nil }
            return .bool(JSONataEvaluator.boolean(v))
        },
        JSONataBuiltin("not", "<x-:b>") { _, a, _ throws(JSONataError) in
            guard let v = arg(a, 0) else { return nil }
            return .bool(!JSONataEvaluator.boolean(v))
        },
        JSONataBuiltin("exists", "<x:b>") { _, a, _ throws(JSONataError) in .bool(arg(a, 0) != nil) },
    ]

    /// `$number`'s string forms: JSON-like decimals and `0x`/`0o`/`0b` integers.
    static func parseNumber(_ s: String) -> Double? {
        let chars = Array(s.utf8)
        var i = 0
        func digits() -> Int { let st = i; while i < chars.count, chars[i] >= 48, chars[i] <= 57 { i += 1 }; return i - st }
        if chars.count > 2, chars[0] == 48 {
            let p = chars[1] | 0x20
            let rest = String(s.dropFirst(2))
            let radix = p == UInt8(ascii: "x") ? 16 : p == UInt8(ascii: "o") ? 8 : p == UInt8(ascii: "b") ? 2 : 0
            if radix > 0, let v = UInt64(rest, radix: radix) { return Double(v) }
        }
        if i < chars.count, chars[i] == UInt8(ascii: "-") { i += 1 }
        if digits() == 0 { return nil }
        if i < chars.count, chars[i] == UInt8(ascii: ".") {
            i += 1
            if digits() == 0 { return nil }
        }
        if i < chars.count, chars[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < chars.count, chars[i] == UInt8(ascii: "+") || chars[i] == UInt8(ascii: "-") { i += 1 }
            if digits() == 0 { return nil }
        }
        guard i == chars.count, let d = Double(s), d.isFinite else { return nil }
        return d
    }

    /// `$round`: half-to-even at `precision` decimal places, shifting through decimal text like jsonata.
    static func roundHalfEven(_ value: Double, _ precision: Int) -> Double {
        func shift(_ x: Double, _ p: Int) -> Double {
            let text = JSONataStringifier.jsNumber(x)
            let parts = text.split(separator: "e", maxSplits: 1)
            let exp = (parts.count > 1 ? Int(parts[1]) ?? 0 : 0) + p
            return Double("\(parts[0])e\(exp)") ?? x
        }
        var arg = value
        if precision != 0 { arg = shift(arg, precision) }
        var result = (arg + 0.5).rounded(.down)
        let diff = result - arg
        if abs(diff) == 0.5, abs(result.truncatingRemainder(dividingBy: 2)) == 1 { result -= 1 }
        if precision != 0 { result = shift(result, -precision) }
        if result == 0 { result = 0 }
        return result
    }
}
