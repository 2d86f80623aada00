import Foundation
import OrderedCollections

/// String functions of the standard library (code-point based, as jsonata-js uses `Array.from`).
extension JSONataBuiltins {
    /// JavaScript `Array.prototype.slice` index resolution.
    static func sliceRange(_ count: Int, _ start: Int, _ end: Int?) -> Range<Int> {
        var s = start < 0 ? max(count + start, 0) : min(start, count)
        var e = end.map { $0 < 0 ? max(count + $0, 0) : min($0, count) } ?? count
        if e < s { e = s }
        s = min(s, count)
        return s..<e
    }

    /// All matches of a regex or custom matcher function over `s`.
    static func matches(_ ev: JSONataEvaluator, _ matcher: JSONataCallable, _ s: String) throws(JSONataError) -> [JSONataRegex.Match] {
        if case .regex(let r) = matcher {
            let all = try r.matches(in: s, stoppingWhen: ev)
            if all.contains(where: { $0.match.isEmpty }) { throw JSONataError.make("D1004") }
            return all
        }
        var out: [JSONataRegex.Match] = []
        var current = try ev.call(matcher, [.string(s)])
        while let m = current {
            guard case .string(let text)? = m.member("match"), case .number(let start)? = m.member("start"),
                  case .number(let end)? = m.member("end") else {
                throw JSONataError.make("T1010")
            }
            let groups = (m.member("groups")?.asItems ?? []).map { v -> String in if case .string(let g) = v { return g }; return "" }
            out.append(JSONataRegex.Match(match: text, start: JSONataClamp.int(start), end: JSONataClamp.int(end), groups: groups))
            guard case .function(let next)? = m.member("next") else { break }
            current = try ev.call(next, [])
            if out.count > 1_000_000 { break }
        }
        return out
    }

    static func utf16Substring(_ ns: NSString, _ from: Int, _ to: Int) -> String {
        ns.substring(with: NSRange(location: from, length: max(0, to - from)))
    }

    static let strings: [JSONataBuiltin] = [
        JSONataBuiltin("string", "<x-b?:s>", arity: 1) { _, a, _ throws(JSONataError) in
            guard let v = arg(a, 0) else { return nil }
            var pretty = false
            if case .bool(let b)? = arg(a, 1) { pretty = b }
            return .string(try JSONataStringifier.string(v, pretty: pretty))
        },
        JSONataBuiltin("substring", "<s-nn?:s>") { _, a, _ throws(JSONataError) in
            guard let s = str(a, 0) else { return nil }
            let cps = codePoints(s)
            var start = JSONataClamp.int(num(a, 1) ?? 0)
            if cps.count + start < 0 { start = 0 }
            if let lenD = num(a, 2) {
                let length = JSONataClamp.int(lenD)
                if length <= 0 { return .string("") }
                let end = start >= 0 ? start + length : cps.count + start + length
                return .string(fromScalars(cps[sliceRange(cps.count, start, end)]))
            }
            return .string(fromScalars(cps[sliceRange(cps.count, start, nil)]))
        },
        JSONataBuiltin("substringBefore", "<s-s:s>") { _, a, _ throws(JSONataError) in
            guard let s = str(a, 0) else { return nil }
            guard let c = str(a, 1) else { return .string(s) }
            if c.isEmpty { return .string("") }
            if let r = s.range(of: c) { return .string(String(s[..<r.lowerBound])) }
            return .string(s)
        },
        JSONataBuiltin("substringAfter", "<s-s:s>") { _, a, _ throws(JSONataError) in
            guard let s = str(a, 0) else { return nil }
            guard let c = str(a, 1) else { return .string(s) }
            if let r = s.range(of: c) { return .string(String(s[r.upperBound...])) }
            return .string(s)
        },
        JSONataBuiltin("lowercase", "<s-:s>") { _, a, _ throws(JSONataError) in str(a, 0).map { .string($0.lowercased()) } },
        JSONataBuiltin("uppercase", "<s-:s>") { _, a, _ throws(JSONataError) in str(a, 0).map { .string($0.uppercased()) } },
        JSONataBuiltin("length", "<s-:n>") { _, a, _ throws(JSONataError) in str(a, 0).map { .number(Double($0.unicodeScalars.count)) } },
        JSONataBuiltin("trim", "<s-:s>") { _, a, _ throws(JSONataError) in
            guard let s = str(a, 0) else { return nil }
            var out = ""
            var inSpace = false
            for u in s.unicodeScalars {
                if u == " " || u == "\t" || u == "\n" || u == "\r" {
                    inSpace = true
                } else {
                    if inSpace, !out.isEmpty { out.append(" ") }
                    inSpace = false
                    out.unicodeScalars.append(u)
                }
            }
            if inSpace, out.isEmpty, false { out = " " }
            return .string(out)
        },
        JSONataBuiltin("pad", "<s-ns?:s>") { _, a, _ throws(JSONataError) in
            guard let s = str(a, 0), let w = num(a, 1) else { return nil }
            var c = str(a, 2) ?? " "
            if c.isEmpty { c = " " }
            let width = JSONataClamp.int(w)
            let padLength = abs(width) - s.unicodeScalars.count
            if padLength <= 0 { return .string(s) }
            try JSONataEvaluator.checkStringSize(s.utf8.count + padLength)
            var padding: [Unicode.Scalar] = []
            let cs = codePoints(c)
            while padding.count < padLength { padding.append(contentsOf: cs) }
            let pad = fromScalars(padding.prefix(padLength))
            return .string(width > 0 ? s + pad : pad + s)
        },
        JSONataBuiltin("contains", "<s-(sf):b>") { ev, a, _ throws(JSONataError) in
            guard let s = str(a, 0) else { return nil }
            if let t = str(a, 1) { return .bool(t.isEmpty || s.contains(t)) }
            guard let m = fn(a, 1) else { return nil }
            return .bool(!(try matches(ev, m, s)).isEmpty)
        },
        JSONataBuiltin("split", "<s-(sf)n?:a<s>>") { ev, a, _ throws(JSONataError) in
            guard let s = str(a, 0) else { return nil }
            if let l = num(a, 2), l < 0 { throw JSONataError.make("D3020") }
            let limit = num(a, 2).map { JSONataClamp.int($0) }
            var parts: [String] = []
            if let sep = str(a, 1) {
                if sep.isEmpty {
                    parts = s.utf16.map { String(utf16CodeUnits: [$0], count: 1) }
                } else {
                    parts = s.components(separatedBy: sep)
                }
            } else if let m = fn(a, 1) {
                let ns = s as NSString
                var start = 0
                for match in try matches(ev, m, s) {
                    parts.append(utf16Substring(ns, start, match.start))
                    start = match.end
                }
                parts.append(utf16Substring(ns, start, ns.length))
            }
            if let limit { parts = Array(parts.prefix(limit)) }
            return .array(parts.map { .string($0) }, [])
        },
        JSONataBuiltin("join", "<a<s>s?:s>") { _, a, _ throws(JSONataError) in
            guard let arr = arg(a, 0) else { return nil }
            let sep = str(a, 1) ?? ""
            let parts = arr.asItems.map { v -> String in if case .string(let s) = v { return s }; return "" }
            try JSONataEvaluator.checkStringSize(parts.reduce(sep.utf8.count * max(0, parts.count - 1)) { $0 + $1.utf8.count })
            return .string(parts.joined(separator: sep))
        },
        JSONataBuiltin("match", "<s-f<s:o>n?:a<o>>") { ev, a, _ throws(JSONataError) in
            guard let s = str(a, 0) else { return nil }
            if let l = num(a, 2), l < 0 { throw JSONataError.make("D3040") }
            guard let m = fn(a, 1) else { return nil }
            let limit = num(a, 2).map { JSONataClamp.int($0) } ?? Int.max
            var out: [V] = []
            for match in try matches(ev, m, s).prefix(limit) {
                var o = OrderedDictionary<String, V>()
                o["match"] = .string(match.match)
                o["index"] = .number(Double(match.start))
                o["groups"] = .array(match.groups.map { .string($0) }, [])
                out.append(.object(o))
            }
            return seq(out)
        },
        JSONataBuiltin("replace", "<s-(sf)(sf)n?:s>") { ev, a, _ throws(JSONataError) in
            guard let s = str(a, 0) else { return nil }
            if let p = str(a, 1), p.isEmpty { throw JSONataError.make("D3010") }
            if let l = num(a, 3), l < 0 { throw JSONataError.make("D3011") }
            let limit = num(a, 3).map { JSONataClamp.int($0) } ?? Int.max
            var found: [JSONataRegex.Match] = []
            if let p = str(a, 1) {
                let ns = s as NSString
                var from = 0
                let plen = (p as NSString).length
                while found.count < limit {
                    let r = ns.range(of: p, options: [.literal], range: NSRange(location: from, length: ns.length - from))
                    if r.location == NSNotFound { break }
                    found.append(JSONataRegex.Match(match: p, start: r.location, end: r.location + plen, groups: []))
                    from = r.location + plen
                }
            } else if let m = fn(a, 1) {
                found = Array(try matches(ev, m, s).prefix(limit))
            } else {
                return nil
            }
            let ns = s as NSString
            var out = ""
            var pos = 0
            for match in found {
                try JSONataEvaluator.checkStringSize(out.utf8.count)
                try ev.checkTime()
                out += utf16Substring(ns, pos, match.start)
                if let r = str(a, 2) {
                    out += substitute(r, match)
                } else if let rf = fn(a, 2) {
                    var mo = OrderedDictionary<String, V>()
                    mo["match"] = .string(match.match)
                    mo["start"] = .number(Double(match.start))
                    mo["end"] = .number(Double(match.end))
                    mo["groups"] = .array(match.groups.map { .string($0) }, [])
                    guard case .string(let rs)? = try ev.call(rf, [.object(mo)]) else {
                        throw JSONataError.make("D3012")
                    }
                    out += rs
                } else {
                    return nil
                }
                pos = match.end
            }
            out += utf16Substring(ns, pos, ns.length)
            return .string(out)
        },
        JSONataBuiltin("base64encode", "<s-:s>") { _, a, _ throws(JSONataError) in
            str(a, 0).map { .string(Data($0.utf8).base64EncodedString()) }
        },
        JSONataBuiltin("base64decode", "<s-:s>") { _, a, _ throws(JSONataError) in
            guard let s = str(a, 0) else { return nil }
            guard let d = Data(base64Encoded: s, options: .ignoreUnknownCharacters) else { return nil }
            return .string(String(decoding: d, as: UTF8.self))
        },
        JSONataBuiltin("encodeUrlComponent", "<s-:s>") { _, a, _ throws(JSONataError) in
            try str(a, 0).map { (s) throws(JSONataError) in .string(try percentEncode(s, keep: "-_.!~*'()")) }
        },
        JSONataBuiltin("encodeUrl", "<s-:s>") { _, a, _ throws(JSONataError) in
            try str(a, 0).map { (s) throws(JSONataError) in .string(try percentEncode(s, keep: "-_.!~*'();/?:@&=+$,#")) }
        },
        JSONataBuiltin("decodeUrlComponent", "<s-:s>") { _, a, _ throws(JSONataError) in
            try str(a, 0).map { (s) throws(JSONataError) in .string(try percentDecode(s, reserved: "")) }
        },
        JSONataBuiltin("decodeUrl", "<s-:s>") { _, a, _ throws(JSONataError) in
            try str(a, 0).map { (s) throws(JSONataError) in .string(try percentDecode(s, reserved: ";/?:@&=+$,#")) }
        },
        JSONataBuiltin("eval", "<sx?:x>") { ev, a, ctx throws(JSONataError) in
            guard let text = str(a, 0) else { return nil }
            var input = ctx
            if a.count > 1, let focus = a[1] {
                input = focus
                if focus.isArray, !focus.isSequence { input = .array([focus], [.sequence, .outerWrapper]) }
            }
            let expr: JSONataNode
            do throws(JSONataError) { expr = try JSONataParser.parse(text) } catch {
                throw JSONataError(code: "D3120", message: "Syntax error in expression passed to function eval: \(error.message)")
            }
            do throws(JSONataError) { return try ev.evaluate(expr, input, ev.root) } catch {
                throw JSONataError(code: "D3121", message: "Dynamic error evaluating the expression passed to function eval: \(error.message)")
            }
        },
    ]

    /// `$replace` replacement text with `$0`, `$n` and `$$`.
    static func substitute(_ replacement: String, _ m: JSONataRegex.Match) -> String {
        let r = Array(replacement)
        var out = ""
        var i = 0
        while i < r.count {
            if r[i] == "$", i + 1 < r.count {
                let next = r[i + 1]
                if next == "$" {
                    out.append("$")
                    i += 2
                    continue
                }
                if next == "0" {
                    out += m.match
                    i += 2
                    continue
                }
                let maxDigits = m.groups.isEmpty ? 1 : Int(Foundation.log10(Double(m.groups.count)).rounded(.down)) + 1
                var digits = ""
                var j = i + 1
                while j < r.count, digits.count < maxDigits, r[j].isASCII, r[j].isNumber {
                    digits.append(r[j])
                    j += 1
                }
                if var index = Int(digits) {
                    if digits.count > 1, index > m.groups.count {
                        digits.removeLast()
                        index = Int(digits) ?? 0
                    }
                    if index >= 1, index <= m.groups.count { out += m.groups[index - 1] }
                    i += 1 + digits.count
                    continue
                }
                out.append("$")
                i += 1
                continue
            }
            out.append(r[i])
            i += 1
        }
        return out
    }

    static func percentEncode(_ s: String, keep: String) throws(JSONataError) -> String {
        let keepSet = Set(keep.utf8)
        var out = ""
        for b in s.utf8 {
            let isAlnum = (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
            if isAlnum || keepSet.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    static func percentDecode(_ s: String, reserved: String) throws(JSONataError) -> String {
        let bytes = Array(s.utf8)
        let reservedSet = Set(reserved.utf8)
        var out: [UInt8] = []
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) else {
                    throw JSONataError.make("D3140")
                }
                let b = h * 16 + l
                if reservedSet.contains(b) {
                    out.append(contentsOf: bytes[i...(i + 2)])
                } else {
                    out.append(b)
                }
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        guard let decoded = String(validating: out, as: UTF8.self) else { throw JSONataError.make("D3140") }
        return decoded
    }
}
