/// Splits expression text into tokens, following jsonata-js's tokenizer (comments, `/regex/flags`
/// only where an operand is expected, escape rules, backtick names, number syntax).
struct JSONataLexer {
    static let operators: [String: Int] = [
        ".": 75, "[": 80, "]": 0, "{": 70, "}": 0, "(": 80, ")": 0, ",": 0, "@": 80, "#": 80, ";": 80,
        ":": 80, "?": 20, "+": 50, "-": 50, "*": 60, "/": 60, "%": 60, "|": 20, "=": 40, "<": 40,
        ">": 40, "^": 40, "**": 60, "..": 20, ":=": 10, "!=": 40, "<=": 40, ">=": 40, "~>": 40,
        "?:": 40, "??": 40, "and": 30, "or": 25, "in": 40, "&": 50, "!": 0, "~": 0,
    ]

    private let chars: [Character]
    private(set) var position = 0

    init(_ text: String) {
        chars = Array(text)
    }

    private func at(_ i: Int) -> Character? { i < chars.count ? chars[i] : nil }

    private static func isSpace(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\r\n"
    }

    private static let singleOps: Set<Character> = [
        ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|",
        "=", "<", ">", "^", "&", "!", "~",
    ]

    mutating func next(infix: Bool) throws(JSONataError) -> JSONataToken {
        while let c = at(position), JSONataLexer.isSpace(c) { position += 1 }
        guard let c = at(position) else { return JSONataToken(kind: .end, text: "(end)", position: position) }
        if c == "/", at(position + 1) == "*" {
            let start = position
            position += 2
            while !(at(position) == "*" && at(position + 1) == "/") {
                if position >= chars.count { throw .make("S0106", position: start) }
                position += 1
            }
            position += 2
            return try next(infix: infix)
        }
        let start = position
        if !infix, c == "/" {
            position += 1
            return try scanRegex(start: start)
        }
        let n = at(position + 1)
        let two: String? = switch (c, n) {
        case (".", "."): ".."
        case (":", "="): ":="
        case ("!", "="): "!="
        case (">", "="): ">="
        case ("<", "="): "<="
        case ("*", "*"): "**"
        case ("~", ">"): "~>"
        case ("?", ":"): "?:"
        case ("?", "?"): "??"
        default: nil
        }
        if let two {
            position += 2
            return JSONataToken(kind: .op, text: two, position: start)
        }
        if JSONataLexer.singleOps.contains(c) {
            position += 1
            return JSONataToken(kind: .op, text: String(c), position: start)
        }
        if c == "\"" || c == "'" {
            return try scanString(quote: c)
        }
        if c.isASCII, c.isNumber || (c == "-" && false) {
            return try scanNumber()
        }
        if c == "`" {
            position += 1
            var name = ""
            while let ch = at(position), ch != "`" {
                name.append(ch)
                position += 1
            }
            if position >= chars.count { throw .make("S0105", position: position) }
            position += 1
            return JSONataToken(kind: .name, text: name, position: start)
        }
        var i = position
        while let ch = at(i), !JSONataLexer.isSpace(ch), !JSONataLexer.singleOps.contains(ch) { i += 1 }
        if c == "$" {
            let name = String(chars[(position + 1)..<i])
            position = i
            return JSONataToken(kind: .variable, text: name, position: start)
        }
        let name = String(chars[position..<i])
        position = i
        switch name {
        case "or", "in", "and": return JSONataToken(kind: .op, text: name, position: start)
        case "true", "false", "null": return JSONataToken(kind: .value, text: name, position: start)
        default:
            if name.isEmpty { return JSONataToken(kind: .end, text: "(end)", position: position) }
            return JSONataToken(kind: .name, text: name, position: start)
        }
    }

    private mutating func scanNumber() throws(JSONataError) -> JSONataToken {
        let start = position
        var i = position
        func digit(_ i: Int) -> Bool { if let c = at(i), c.isASCII, c.isNumber { return true }; return false }
        if at(i) == "0" { i += 1 } else { while digit(i) { i += 1 } }
        if at(i) == ".", digit(i + 1) {
            i += 1
            while digit(i) { i += 1 }
        }
        if at(i) == "e" || at(i) == "E" {
            var j = i + 1
            if at(j) == "+" || at(j) == "-" { j += 1 }
            if digit(j) {
                while digit(j) { j += 1 }
                i = j
            }
        }
        let text = String(chars[start..<i])
        guard let value = Double(text), value.isFinite else {
            throw JSONataError(code: "S0102", message: "Number out of range: \(text)", position: start)
        }
        position = i
        return JSONataToken(kind: .number, text: text, number: value, position: start)
    }

    private mutating func scanString(quote: Character) throws(JSONataError) -> JSONataToken {
        let start = position
        position += 1
        var out = ""
        var pendingHigh: UInt32? = nil
        while let c = at(position) {
            if c == "\\" {
                position += 1
                guard let e = at(position) else { break }
                var scalar: UInt32? = nil
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "/": out.append("/")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    let hex = String(chars[min(position + 1, chars.count)..<min(position + 5, chars.count)])
                    guard hex.count == 4, let v = UInt32(hex, radix: 16) else {
                        throw .make("S0104", position: position)
                    }
                    scalar = v
                    position += 4
                default:
                    throw JSONataError(code: "S0103", message: "Unsupported escape sequence: \\\(e)", position: position)
                }
                if let v = scalar {
                    if v >= 0xD800, v < 0xDC00 {
                        pendingHigh = v
                    } else if v >= 0xDC00, v < 0xE000, let hi = pendingHigh {
                        let combined = 0x10000 + ((hi - 0xD800) << 10) + (v - 0xDC00)
                        if let u = Unicode.Scalar(combined) { out.unicodeScalars.append(u) }
                        pendingHigh = nil
                    } else if let u = Unicode.Scalar(v) {
                        out.unicodeScalars.append(u)
                    } else {
                        out.append("\u{FFFD}")
                    }
                } else if pendingHigh != nil {
                    pendingHigh = nil
                    out.append("\u{FFFD}")
                }
            } else if c == quote {
                position += 1
                return JSONataToken(kind: .string, text: out, position: start)
            } else {
                out.append(c)
            }
            position += 1
        }
        throw .make("S0101", position: position)
    }

    private mutating func scanRegex(start: Int) throws(JSONataError) -> JSONataToken {
        let begin = position
        var depth = 0
        while position < chars.count {
            let c = chars[position]
            if c == "/", depth == 0 {
                var backslashes = 0
                while position - backslashes - 1 >= 0, chars[position - backslashes - 1] == "\\" { backslashes += 1 }
                if backslashes % 2 == 0 {
                    let pattern = String(chars[begin..<position])
                    if pattern.isEmpty { throw .make("S0301", position: position) }
                    position += 1
                    var flags = ""
                    while let f = at(position), f == "i" || f == "m" {
                        flags.append(f)
                        position += 1
                    }
                    return JSONataToken(kind: .regex, text: pattern, flags: flags, position: start)
                }
            }
            let prev = position > 0 ? chars[position - 1] : " "
            if (c == "(" || c == "[" || c == "{"), prev != "\\" { depth += 1 }
            if (c == ")" || c == "]" || c == "}"), prev != "\\" { depth -= 1 }
            position += 1
        }
        throw .make("S0302", position: position)
    }
}
