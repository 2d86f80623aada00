/// A parsed function signature such as `<s-nn?:s>`: validates (and coerces) call arguments the way
/// jsonata-js does — optional `?`, repeated `+`, context-defaulted `-`, choices `(sn)`, array
/// subtypes `a<n>` — raising T0410/T0411/T0412.
final class JSONataSignature: Sendable {
    struct Param: Sendable {
        /// The symbols (see ``symbol(_:)``) an argument may have, one bit each (``bit(_:)``):
        /// testing a bit is what validating every call does, where hashing `Character`s cost
        /// more than the function being called.
        var allowed: UInt16
        var type: Character
        var optional = false
        var repeats = false
        var context = false
        var subtype: String?

        init(allowed: some Sequence<Character>, type: Character) {
            self.allowed = JSONataSignature.mask(allowed)
            self.type = type
        }
    }

    /// The symbols values can have, in bit order.
    private static let symbols: [Character] = ["m", "f", "n", "s", "b", "l", "a", "o"]

    /// A value symbol's bit; 0 for signature letters no value has (`x`, `j`... inside a choice).
    static func bit(_ symbol: Character) -> UInt16 {
        guard let i = symbols.firstIndex(of: symbol) else { return 0 }
        return 1 << UInt16(i)
    }

    static func mask(_ allowed: some Sequence<Character>) -> UInt16 {
        allowed.reduce(0) { $0 | bit($1) }
    }

    let params: [Param]
    let text: String

    init(_ signature: String) throws(JSONataError) {
        text = signature
        let chars = Array(signature)
        var params: [Param] = []
        var position = 1
        while position < chars.count {
            let symbol = chars[position]
            if symbol == ":" { break }
            switch symbol {
            case "s", "n", "b", "l", "o":
                params.append(Param(allowed: [symbol, "m"], type: symbol))
            case "a":
                params.append(Param(allowed: Set("asnblfom"), type: "a"))
            case "f":
                params.append(Param(allowed: ["f"], type: "f"))
            case "j":
                params.append(Param(allowed: Set("asnblom"), type: "j"))
            case "x":
                params.append(Param(allowed: Set("asnblfom"), type: "x"))
            case "-":
                if !params.isEmpty {
                    params[params.count - 1].context = true
                    params[params.count - 1].optional = true
                }
            case "?":
                if !params.isEmpty { params[params.count - 1].optional = true }
            case "+":
                if !params.isEmpty { params[params.count - 1].repeats = true }
            case "(":
                guard let end = JSONataSignature.closing(chars, from: position, open: "(", close: ")") else {
                    throw JSONataError(code: "S0402", message: "Unterminated choice group", position: position)
                }
                let choice = chars[(position + 1)..<end]
                if choice.contains("<") {
                    throw JSONataError.make("S0402", position: position)
                }
                params.append(Param(allowed: Set(choice).union(["m"]), type: "("))
                position = end
            case "<":
                guard let last = params.last, last.type == "a" || last.type == "f" else {
                    throw JSONataError.make("S0401", position: position)
                }
                guard let end = JSONataSignature.closing(chars, from: position, open: "<", close: ">") else {
                    throw JSONataError.make("S0401", position: position)
                }
                params[params.count - 1].subtype = String(chars[(position + 1)..<end])
                position = end
            default:
                break
            }
            position += 1
        }
        self.params = params
    }

    private static func closing(_ chars: [Character], from start: Int, open: Character, close: Character) -> Int? {
        var depth = 1
        var i = start + 1
        while i < chars.count {
            if chars[i] == open { depth += 1 } else if chars[i] == close {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }

    /// Number of parameters a caller must supply (used as the function's arity for HOF callbacks).
    var requiredCount: Int { params.count(where: { !$0.optional }) }

    static func symbol(_ v: JSONataValue?) -> Character {
        guard let v else { return "m" }
        switch v {
        case .function: return "f"
        case .number: return "n"
        case .string: return "s"
        case .bool: return "b"
        case .null: return "l"
        case .array, .jsonArray, .tuples: return "a"
        case .object, .jsonObject: return "o"
        }
    }

    /// ``symbol(_:)``'s bit (``bit(_:)``), without going through `Character`.
    static func symbolBit(_ v: JSONataValue?) -> UInt16 {
        guard let v else { return 1 << 0 }
        switch v {
        case .function: return 1 << 1
        case .number: return 1 << 2
        case .string: return 1 << 3
        case .bool: return 1 << 4
        case .null: return 1 << 5
        case .array, .jsonArray, .tuples: return 1 << 6
        case .object, .jsonObject: return 1 << 7
        }
    }

    /// Greedy, backtracking match of supplied symbols to parameters; returns per-parameter counts.
    private func match(_ symbols: [UInt16], _ pi: Int, _ si: Int, _ counts: inout [Int]) -> Bool {
        if pi == params.count { return si == symbols.count }
        let p = params[pi]
        var maxCount = 0
        while si + maxCount < symbols.count, p.allowed & symbols[si + maxCount] != 0 {
            maxCount += 1
            if !p.repeats { break }
        }
        let minCount = p.optional ? 0 : 1
        if maxCount < minCount { return false }
        var c = maxCount
        while c >= minCount {
            counts[pi] = c
            if match(symbols, pi + 1, si + c, &counts) { return true }
            c -= 1
        }
        return false
    }

    func validate(_ args: [JSONataValue?], context: JSONataValue?) throws(JSONataError) -> [JSONataValue?] {
        let symbols = args.map(JSONataSignature.symbolBit)
        var counts = [Int](repeating: 0, count: params.count)
        guard match(symbols, 0, 0, &counts) else {
            throw validationError(args, symbols)
        }
        var validated: [JSONataValue?] = []
        validated.reserveCapacity(args.count + 1)
        var argIndex = 0
        for (pi, p) in params.enumerated() {
            let count = counts[pi]
            if count == 0 {
                if p.context {
                    if p.allowed & JSONataSignature.symbolBit(context) != 0 {
                        validated.append(context)
                    } else {
                        throw JSONataError(code: "T0411", message: "Context value is not a compatible type with argument \(argIndex + 1) of function", position: nil)
                    }
                } else {
                    validated.append(argIndex < args.count ? args[argIndex] : nil)
                    argIndex += 1
                }
                continue
            }
            for k in 0..<count {
                guard argIndex < args.count else {
                    validated.append(nil)
                    argIndex += 1
                    continue
                }
                let single = JSONataSignature.symbol(args[argIndex])
                var arg = args[argIndex]
                if p.type == "a" {
                    if single == "m" {
                        arg = nil
                    } else {
                        var ok = true
                        if let subtype = p.subtype {
                            if single != "a", String(single) != subtype {
                                ok = false
                            } else if single == "a", let items = arg?.arrayItems, let first = items.first {
                                let itemType = JSONataSignature.symbol(first)
                                if String(itemType) != String(subtype.first ?? "x") {
                                    ok = false
                                } else {
                                    ok = items.allSatisfy { JSONataSignature.symbol($0) == itemType }
                                }
                            }
                        }
                        if !ok {
                            throw JSONataError(code: "T0412", message: "Argument \(argIndex + 1) of function must be an array of \(p.subtype ?? "")", position: nil)
                        }
                        if single != "a", let a = arg { arg = .array([a], []) }
                    }
                }
                _ = k
                validated.append(arg)
                argIndex += 1
            }
        }
        return validated
    }

    private func validationError(_ args: [JSONataValue?], _ symbols: [UInt16]) -> JSONataError {
        var goodTo = 0
        for p in params {
            var consumed = 0
            while goodTo + consumed < symbols.count, p.allowed & symbols[goodTo + consumed] != 0 {
                consumed += 1
                if !p.repeats { break }
            }
            if consumed == 0, !p.optional {
                break
            }
            goodTo += consumed
        }
        return JSONataError(code: "T0410", message: "Argument \(goodTo + 1) of function does not match function signature", position: nil)
    }
}
