import StepLocalJSON

/// Splits JSONPath text into tokens on demand.
///
/// JSONPath is context-sensitive (a member name after `.` may contain `-` or `:`, a `/` in a
/// filter starts a regex), so the parser pulls tokens one at a time and asks for a member name
/// explicitly after a dot instead of tokenizing the whole text up front.
struct JSONPathLexer {
    private let scalars: [Unicode.Scalar]
    private let text: String
    private(set) var position = 0

    init(_ text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    var isAtEnd: Bool { position >= scalars.count }

    func peekScalar(_ offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index < scalars.count ? scalars[index] : nil
    }

    func fail(_ message: String, at offset: Int? = nil) -> JSONPathError {
        JSONPathError(kind: .syntax, message: message, path: text, offset: offset ?? position)
    }

    mutating func skipWhitespace() {
        while let s = peekScalar(), s == " " || s == "\t" || s == "\n" || s == "\r" { position += 1 }
    }

    /// The next token, without consuming it.
    mutating func peek() throws(JSONPathError) -> JSONPathToken {
        let saved = position
        defer { position = saved }
        return try next()
    }

    mutating func next() throws(JSONPathError) -> JSONPathToken {
        skipWhitespace()
        guard let s = peekScalar() else { return .end }
        let start = position
        position += 1
        switch s {
        case "$":
            if peekScalar() == "$" {
                position += 1
                return .root(.context)
            }
            if let c = peekScalar(), Self.isVariableStart(c) {
                var name = ""
                while let c = peekScalar(), Self.isVariablePart(c) {
                    name.unicodeScalars.append(c)
                    position += 1
                }
                return .root(.variable(name))
            }
            return .root(.input)
        case "@": return .current
        case ".":
            if peekScalar() == "." {
                position += 1
                return .deepScan
            }
            return .dot
        case "[": return .leftBracket
        case "]": return .rightBracket
        case "(": return .leftParen
        case ")": return .rightParen
        case ",": return .comma
        case ":": return .colon
        case "*": return .star
        case "?": return .question
        case "!":
            if peekScalar() == "=" { position += 1; return .comparison(.notEqual) }
            return .not
        case "&":
            guard peekScalar() == "&" else { throw fail("Expected '&&'", at: start) }
            position += 1
            return .and
        case "|":
            guard peekScalar() == "|" else { throw fail("Expected '||'", at: start) }
            position += 1
            return .or
        case "=":
            if peekScalar() == "=" { position += 1; return .comparison(.equal) }
            if peekScalar() == "~" { position += 1; return .comparison(.matches) }
            throw fail("Expected '==' or '=~'", at: start)
        case "<":
            if peekScalar() == "=" { position += 1; return .comparison(.lessOrEqual) }
            return .comparison(.less)
        case ">":
            if peekScalar() == "=" { position += 1; return .comparison(.greaterOrEqual) }
            return .comparison(.greater)
        case "'", "\"":
            return .string(try quoted(delimiter: s, start: start))
        case "/":
            return try regex(start: start)
        case "-", "0"..."9":
            position = start
            return .number(try number())
        default:
            guard Self.isWordPart(s) else { throw fail("Unexpected character '\(s)'", at: start) }
            var word = String(s)
            while let c = peekScalar(), Self.isWordPart(c) {
                word.unicodeScalars.append(c)
                position += 1
            }
            return .word(word)
        }
    }

    /// A bare member name after `.` or `..`: everything up to the next delimiter, as Jayway reads it
    /// (so `$.delivery-partner` names the member `delivery-partner`). Inside filters, operators and
    /// closing brackets also end a name.
    mutating func memberName(inFilter: Bool) -> String {
        var name = ""
        while let c = peekScalar() {
            switch c {
            case ".", "[", "(", " ", "\t", "\n", "\r": return name
            case ")", "]", ",", "<", ">", "=", "!", "&", "|", "~":
                if inFilter { return name }
                name.unicodeScalars.append(c)
                position += 1
            default:
                name.unicodeScalars.append(c)
                position += 1
            }
        }
        return name
    }

    /// A quoted member name or string literal. A backslash keeps the next character from closing the
    /// string; like AWS's JSONPath, the backslash itself stays part of the name (AWS resolves
    /// `$['Test\""Name"']` to the key `Test\""Name"`). In filter literals, `\'` and `\"` unescape.
    private mutating func quoted(delimiter: Unicode.Scalar, start: Int) throws(JSONPathError) -> String {
        var value = ""
        while let c = peekScalar() {
            position += 1
            if c == delimiter { return value }
            value.unicodeScalars.append(c)
            if c == "\\", let escaped = peekScalar() {
                value.unicodeScalars.append(escaped)
                position += 1
            }
        }
        throw fail("Unterminated string", at: start)
    }

    private mutating func regex(start: Int) throws(JSONPathError) -> JSONPathToken {
        var pattern = ""
        while let c = peekScalar() {
            position += 1
            if c == "/" {
                var ignoreCase = false
                while let flag = peekScalar(), Self.isWordPart(flag) {
                    if flag == "i" { ignoreCase = true }
                    position += 1
                }
                return .regex(pattern: pattern, ignoreCase: ignoreCase)
            }
            if c == "\\", let escaped = peekScalar(), escaped == "/" {
                pattern.unicodeScalars.append(escaped)
                position += 1
                continue
            }
            pattern.unicodeScalars.append(c)
        }
        throw fail("Unterminated regular expression", at: start)
    }

    private mutating func number() throws(JSONPathError) -> JSONNumber {
        let start = position
        var literal = ""
        if peekScalar() == "-" { literal.append("-"); position += 1 }
        var isInteger = true
        var sawDigit = false
        while let c = peekScalar() {
            if ("0"..."9").contains(c) {
                sawDigit = true
            } else if c == ".", isInteger, let d = peekScalar(1), ("0"..."9").contains(d) {
                isInteger = false
            } else if (c == "e" || c == "E"), sawDigit {
                isInteger = false
                literal.unicodeScalars.append(c)
                position += 1
                if let sign = peekScalar(), sign == "+" || sign == "-" { literal.unicodeScalars.append(sign); position += 1 }
                continue
            } else {
                break
            }
            literal.unicodeScalars.append(c)
            position += 1
        }
        guard sawDigit else { throw fail("Invalid number", at: start) }
        if isInteger, let value = Int64(literal) { return .int(value) }
        guard let double = Double(literal) else { throw fail("Invalid number", at: start) }
        return .literal(literal, double)
    }

    static func isVariableStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }

    static func isVariablePart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || ("0"..."9").contains(c)
    }

    static func isWordPart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == "-" || c.properties.isAlphabetic || ("0"..."9").contains(c)
    }
}
