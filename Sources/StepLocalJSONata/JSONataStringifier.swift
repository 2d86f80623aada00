import Foundation

/// `$string` and JSON text as jsonata-js produces them: JavaScript number formatting (15
/// significant digits for non-integers), functions as `""`, optional two-space pretty printing.
enum JSONataStringifier {
    static func string(_ v: JSONataValue, pretty: Bool = false) throws(JSONataError) -> String {
        switch v {
        case .string(let s): return s
        case .function: return ""
        case .number(let d):
            if !d.isFinite { throw JSONataError.make("D3001") }
            return jsNumber(precision15(d))
        default:
            var out = ""
            try write(v, &out, pretty: pretty, indent: 0)
            return out
        }
    }

    /// `Number(x.toPrecision(15))`.
    static func precision15(_ d: Double) -> Double {
        if d == d.rounded(), abs(d) < 9.007199254740992e15 { return d }
        return Double(String(format: "%.14e", d)) ?? d
    }

    /// JavaScript's `Number.prototype.toString()` for finite doubles.
    static func jsNumber(_ d: Double) -> String {
        if d == 0 { return "0" }
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        let negative = d < 0
        // Shortest round-trip digits from Swift, then re-laid out with JS's rules.
        var text = "\(abs(d))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var intPart = text
        var fracPart = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            fracPart = String(text[text.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var n = intPart.count + exponent
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            n -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        let k = digits.count
        var out = ""
        if k <= n, n <= 21 {
            out = digits + String(repeating: "0", count: n - k)
        } else if 0 < n, n <= 21 {
            let idx = digits.index(digits.startIndex, offsetBy: n)
            out = digits[..<idx] + "." + digits[idx...]
        } else if -6 < n, n <= 0 {
            out = "0." + String(repeating: "0", count: -n) + digits
        } else {
            let e = n - 1
            let sign = e < 0 ? "-" : "+"
            if k == 1 {
                out = digits + "e" + sign + String(abs(e))
            } else {
                out = String(digits.first!) + "." + digits.dropFirst() + "e" + sign + String(abs(e))
            }
        }
        return negative ? "-" + out : out
    }

    static func quote(_ s: String, into out: inout String) {
        out.append("\"")
        for u in s.unicodeScalars {
            switch u {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if u.value < 0x20 {
                    out.append(String(format: "\\u%04x", u.value))
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out.append("\"")
    }

    private static func newline(_ out: inout String, _ indent: Int) {
        out.append("\n")
        out.append(String(repeating: " ", count: indent * 2))
    }

    static func write(_ v: JSONataValue, _ out: inout String, pretty: Bool, indent: Int) throws(JSONataError) {
        switch v {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .number(let d):
            if !d.isFinite { throw JSONataError.make("D1001") }
            out.append(jsNumber(precision15(d)))
        case .string(let s): quote(s, into: &out)
        case .function: out.append("\"\"")
        case .array, .jsonArray, .tuples:
            let items: [JSONataValue]
            if case .tuples(let t) = v { items = t.compactMap(\.context) } else { items = v.arrayItems ?? [] }
            out.append("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(",") }
                if pretty { newline(&out, indent + 1) }
                try write(item, &out, pretty: pretty, indent: indent + 1)
            }
            if pretty, !items.isEmpty { newline(&out, indent) }
            out.append("]")
        case .object, .jsonObject:
            let entries = v.objectEntries ?? [:]
            out.append("{")
            var first = true
            for (k, member) in entries {
                if !first { out.append(",") }
                first = false
                if pretty { newline(&out, indent + 1) }
                quote(k, into: &out)
                out.append(pretty ? ": " : ":")
                try write(member, &out, pretty: pretty, indent: indent + 1)
            }
            if pretty, !entries.isEmpty { newline(&out, indent) }
            out.append("}")
        }
    }
}
